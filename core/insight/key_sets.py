"""Where a token's signing keys come from: the trusted issuers' key sets (discovery, then
`jwks_uri`), read within one time budget and cached per key set for a day."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from core import safejson
from core.token.authority import CLOUDS, known_login_hosts

KEYS_TTL_S = 24 * 3600  # Microsoft suggests re-reading key sets about daily
MAX_DOCUMENT_BYTES = 1024 * 1024  # a discovery document or key set is a few KB; Microsoft's ~20
MAX_KEYS = 200  # keys read from one key set (Microsoft publishes fewer than ten)


class KeysUnreachable(Exception):
    """Discovery or the key set could not be read."""


class KeyCache:
    """Key sets per jwks_uri and jwks_uri per discovery URL, shared safely between threads."""

    def __init__(self, ttl_s: float = KEYS_TTL_S) -> None:
        self.ttl_s = ttl_s
        self._lock = threading.Lock()
        self._jwks_uris: dict[str, str] = {}
        self._keys: dict[str, tuple[float, tuple[dict[str, Any], ...]]] = {}

    def jwks_uri(self, discovery_url: str) -> str | None:
        with self._lock:
            return self._jwks_uris.get(discovery_url)

    def remember_jwks_uri(self, discovery_url: str, jwks_uri: str) -> None:
        with self._lock:
            self._jwks_uris[discovery_url] = jwks_uri

    def keys(self, jwks_uri: str) -> tuple[dict[str, Any], ...] | None:
        """The cached keys, or None when absent or older than the TTL."""
        with self._lock:
            entry = self._keys.get(jwks_uri)
        if entry is None or time.monotonic() - entry[0] > self.ttl_s:
            return None
        return entry[1]

    def store(self, jwks_uri: str, keys: tuple[dict[str, Any], ...]) -> None:
        with self._lock:
            self._keys[jwks_uri] = (time.monotonic(), keys)

    def clear(self) -> None:
        with self._lock:
            self._jwks_uris.clear()
            self._keys.clear()


DEFAULT_CACHE = KeyCache()


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def _microsoft_base(host: str, extra: tuple[str, ...]) -> str:
    """The login authority serving keys for an issuer host (sts.windows.net -> login host)."""
    chosen = {(urlsplit(a).hostname or "").lower() for a in extra}
    candidates = []
    for cloud in CLOUDS:
        if not cloud.authority:
            continue
        login = (urlsplit(cloud.authority).hostname or "").lower()
        if host == login:
            return cloud.authority
        if host == cloud.v1_issuer_host or host in cloud.aliases:
            candidates.append((login not in chosen, cloud.authority))
    return min(candidates)[1] if candidates else f"https://{host}"


def trusted_base(issuer: str, extra_authorities: Iterable[str] = ()) -> tuple[str, str] | None:
    """(authority to read keys from, tenant segment) for a trusted issuer, else None."""
    extra = tuple(a.strip().rstrip("/") for a in extra_authorities if a and a.strip())
    for authority in extra:
        if authority and issuer.lower().startswith(authority.lower() + "/"):
            return authority, issuer[len(authority) + 1 :].split("/")[0]
    parts = urlsplit(issuer)
    host = (parts.hostname or "").lower()
    if parts.scheme != "https" or parts.port or host not in known_login_hosts():
        return None
    segment = (parts.path or "/").lstrip("/").split("/")[0]
    return _microsoft_base(host, extra), segment


class Budget:
    """The total time one signature check may spend on the network (all its downloads)."""

    def __init__(self, timeout_s: float, ca_file: str | None) -> None:
        self.timeout_s, self.ca_file = timeout_s, ca_file
        self.deadline = time.monotonic() + timeout_s

    def get_json(self, url: str) -> dict[str, Any]:
        from core.token.transport import exchange

        host = urlsplit(url).netloc
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise KeysUnreachable(f"no complete answer from {host} within {self.timeout_s:g} s")
        answer = exchange("GET", url, headers=[("Accept", "application/json")],
                          timeout_s=remaining, max_bytes=MAX_DOCUMENT_BYTES,
                          ca_file=self.ca_file)  # fmt: skip
        if answer.failure is not None:
            why = answer.failure.kind.value.replace("_", " ")
            if answer.failure.kind.value == "timeout":
                why = f"no complete answer within {self.timeout_s:g} s"
            raise KeysUnreachable(f"{host} could not be reached ({why})")
        if answer.truncated:
            raise KeysUnreachable(
                f"{host} sent more than {MAX_DOCUMENT_BYTES // 1024} KB for {url}"
            )
        if answer.status != 200:
            raise KeysUnreachable(f"{host} answered HTTP {answer.status} for {url}")
        try:
            body = safejson.loads(answer.body)
        except safejson.JsonError as exc:
            raise KeysUnreachable(f"{host} did not answer with usable JSON ({exc})") from None
        if not isinstance(body, dict):
            raise KeysUnreachable(f"{host} did not answer with a JSON object")
        return body


def pick_key(keys: tuple[dict[str, Any], ...], kid: str, x5t: str) -> dict[str, Any] | None:
    for key in keys:
        if kid and key.get("kid") == kid:
            return key
    for key in keys:
        if x5t and x5t in (key.get("x5t"), key.get("kid")):
            return key
    return None


def fetch_keys(budget: Budget, uri: str) -> tuple[dict, ...]:
    body = budget.get_json(uri)
    keys = body.get("keys")
    if not isinstance(keys, list):
        raise KeysUnreachable(f"{urlsplit(uri).netloc} answered without a key set")
    return tuple(k for k in keys[:MAX_KEYS] if isinstance(k, dict))
