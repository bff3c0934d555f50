"""What the sandbox remembers between the steps of a delegated sign-in, in memory only: the
apps' registered redirect URIs, authorize sessions, codes, device codes, refresh tokens and the
consents users gave. One `SignInState` per running sandbox."""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlsplit

from core.sandbox import directory as d

CODE_LIFETIME_S = 600  # Entra's codes live about 10 minutes (identity-platform.md 2.6)
SESSION_LIFETIME_S = 900
DEVICE_LIFETIME_S = 900
DEVICE_INTERVAL_S = 1  # Entra says 5; the sandbox polls faster so demos and tests stay short
MAX_ENTRIES = 2000  # per store: the oldest go first

# Registered redirect URIs per app (Mobile and desktop for the public app, Web for the daemon).
REDIRECT_URIS: dict[str, tuple[str, ...]] = {
    d.DESKTOP.client_id: ("http://localhost",),
    d.DAEMON.client_id: ("http://localhost/auth",),
}
LOOPBACK = ("localhost", "127.0.0.1")


def redirect_matches(sent: str, registered: tuple[str, ...]) -> bool:
    """Entra's rules: exact match, except that for http on localhost/127.0.0.1 the port is
    ignored; the path is compared (no path and '/' are the same); IPv6 never matches."""
    try:
        got = urlsplit(sent)
        got_port = got.port
    except ValueError:
        return False
    for uri in registered:
        want = urlsplit(uri)
        if sent == uri:
            return True
        loopback = want.scheme == "http" and want.hostname in LOOPBACK
        if not loopback or got.scheme != "http" or got.hostname != want.hostname:
            continue
        if got.query or got.fragment or (got_port is None and ":" in got.netloc):
            continue
        if (got.path or "/") == (want.path or "/"):
            return True
    return False


def new_secret(prefix: str = "") -> str:
    return prefix + secrets.token_urlsafe(48)


@dataclass(frozen=True)
class AuthorizeRequest:
    """An authorize request that passed its checks, waiting for the user (one per session)."""

    version: str
    app: d.App
    tenant: d.Tenant
    api: d.Api
    resource: str  # the audience as asked (v1 resource, or the scope's prefix)
    named: tuple[str, ...]  # delegated scopes named
    scope: str  # as sent
    redirect_uri: str
    state: str
    nonce: str
    challenge: str
    method: str
    prompt: str
    login_hint: str
    user: d.User | None = None  # once the password was right


@dataclass(frozen=True)
class CodeGrant:
    request: AuthorizeRequest
    user: d.User
    expires_at: float
    redeemed: bool = False


@dataclass(frozen=True)
class DeviceGrant:
    version: str
    app: d.App
    tenant: d.Tenant
    api: d.Api
    resource: str
    named: tuple[str, ...]
    scope: str
    user_code: str
    expires_at: float
    interval: int
    status: str = "pending"  # pending, approved, declined, redeemed
    user: d.User | None = None
    last_poll: float = 0.0
    slow_down_once: bool = False  # the next poll is told to slow down (the slow_poll user)


@dataclass(frozen=True)
class RefreshGrant:
    app: d.App
    tenant: d.Tenant
    user: d.User
    expires_at: float


@dataclass
class SignInState:
    """The stores, shared by the server's threads (one lock)."""

    sessions: dict[str, AuthorizeRequest] = field(default_factory=dict)
    codes: dict[str, CodeGrant] = field(default_factory=dict)
    devices: dict[str, DeviceGrant] = field(default_factory=dict)
    refresh_tokens: dict[str, RefreshGrant] = field(default_factory=dict)
    consents: dict[tuple[str, str, str], frozenset[str]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    device_interval_s: int = DEVICE_INTERVAL_S
    clock: Callable[[], float] = time.time

    def now(self) -> float:
        return self.clock()

    @staticmethod
    def _bound(store: dict[str, Any]) -> None:
        while len(store) >= MAX_ENTRIES:
            store.pop(next(iter(store)))

    def open_session(self, request: AuthorizeRequest) -> str:
        key = new_secret()
        with self.lock:
            self._bound(self.sessions)
            self.sessions[key] = request
        return key

    def session(self, key: str) -> AuthorizeRequest | None:
        with self.lock:
            return self.sessions.get(key)

    def update_session(self, key: str, request: AuthorizeRequest) -> None:
        with self.lock:
            self.sessions[key] = request

    def close_session(self, key: str) -> None:
        with self.lock:
            self.sessions.pop(key, None)

    def consented(self, user: d.User, app: d.App, api: d.Api) -> frozenset[str]:
        given = self.consents.get((user.object_id, app.client_id, api.app_id), frozenset())
        return frozenset(app.delegated.get(api.app_id, ())) | given

    def consent(self, user: d.User, app: d.App, api: d.Api, names: tuple[str, ...]) -> None:
        key = (user.object_id, app.client_id, api.app_id)
        with self.lock:
            self.consents[key] = self.consents.get(key, frozenset()) | frozenset(names)

    def issue_code(self, request: AuthorizeRequest, user: d.User) -> str:
        code = new_secret("1.A")
        with self.lock:
            self._bound(self.codes)
            lifetime = -1.0 if user.outcome == "slow_code" else CODE_LIFETIME_S
            redeemed = user.outcome == "code_reused"  # as if submitted twice
            self.codes[code] = CodeGrant(request, user, self.now() + lifetime, redeemed)
        return code

    def take_code(self, code: str) -> CodeGrant | None:
        """The grant of a code, marked redeemed from now on (the caller checks `redeemed`)."""
        with self.lock:
            grant = self.codes.get(code)
            if grant is not None:
                self.codes[code] = replace(grant, redeemed=True)
            return grant

    def expire_codes(self) -> None:
        """Age every code past its lifetime (the expired-code scenario)."""
        with self.lock:
            for key, grant in self.codes.items():
                self.codes[key] = replace(grant, expires_at=0.0)

    def issue_refresh_token(self, app: d.App, tenant: d.Tenant, user: d.User) -> str:
        token = new_secret("0.A")
        with self.lock:
            self._bound(self.refresh_tokens)
            self.refresh_tokens[token] = RefreshGrant(app, tenant, user, self.now() + 90 * 86400)
        return token

    def new_device(self, grant: DeviceGrant) -> str:
        device_code = new_secret("DAQABAAEAAA")
        with self.lock:
            self._bound(self.devices)
            self.devices[device_code] = grant
        return device_code

    def device_by_user_code(self, user_code: str) -> tuple[str, DeviceGrant] | None:
        wanted = user_code.strip().upper()
        with self.lock:
            for key, grant in self.devices.items():
                if grant.user_code == wanted and grant.status == "pending":
                    return key, grant
        return None

    def set_device(self, key: str, grant: DeviceGrant) -> None:
        with self.lock:
            self.devices[key] = grant
