"""Check a token's signature against its issuer's published keys, from trusted hosts only."""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from typing import Any
from urllib.parse import urlsplit

from core import safejson
from core.insight.decode import DecodedToken
from core.token.authority import CLOUDS, known_login_hosts

log = logging.getLogger(__name__)

KEYS_TTL_S = 24 * 3600  # Microsoft suggests re-reading key sets about daily
MAX_DOCUMENT_BYTES = 1024 * 1024  # a discovery document or key set is a few KB; Microsoft's ~20
MAX_KEYS = 200  # keys read from one key set (Microsoft publishes fewer than ten)
_TENANT_SEGMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.-]{0,252}$")


class SignatureStatus(str, Enum):
    """The outcome of a signature check."""

    VALID = "valid"
    INVALID = "invalid"
    NOT_VERIFIABLE = "not_verifiable"  # Graph-style header nonce: expected, not a fault
    UNSIGNED = "unsigned"
    KEYS_UNREACHABLE = "keys_unreachable"
    UNTRUSTED_ISSUER = "untrusted_issuer"
    UNSUPPORTED = "unsupported"


@dataclass(frozen=True)
class SignatureResult:
    """A signature verdict with a plain one-line message."""

    status: SignatureStatus
    message: str
    key_id: str = ""
    jwks_uri: str = ""


class _Unreachable(Exception):
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


def _origin(url: str) -> str:
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


class _Budget:
    """The total time one signature check may spend on the network (all its downloads)."""

    def __init__(self, timeout_s: float, ca_file: str | None) -> None:
        self.timeout_s, self.ca_file = timeout_s, ca_file
        self.deadline = time.monotonic() + timeout_s

    def get_json(self, url: str) -> dict[str, Any]:
        from core.token.transport import exchange

        host = urlsplit(url).netloc
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise _Unreachable(f"no complete answer from {host} within {self.timeout_s:g} s")
        answer = exchange("GET", url, headers=[("Accept", "application/json")],
                          timeout_s=remaining, max_bytes=MAX_DOCUMENT_BYTES,
                          ca_file=self.ca_file)  # fmt: skip
        if answer.failure is not None:
            why = answer.failure.kind.value.replace("_", " ")
            if answer.failure.kind.value == "timeout":
                why = f"no complete answer within {self.timeout_s:g} s"
            raise _Unreachable(f"{host} could not be reached ({why})")
        if answer.truncated:
            raise _Unreachable(f"{host} sent more than {MAX_DOCUMENT_BYTES // 1024} KB for {url}")
        if answer.status != 200:
            raise _Unreachable(f"{host} answered HTTP {answer.status} for {url}")
        try:
            body = safejson.loads(answer.body)
        except safejson.JsonError as exc:
            raise _Unreachable(f"{host} did not answer with usable JSON ({exc})") from None
        if not isinstance(body, dict):
            raise _Unreachable(f"{host} did not answer with a JSON object")
        return body


def _pick(keys: tuple[dict[str, Any], ...], kid: str, x5t: str) -> dict[str, Any] | None:
    for key in keys:
        if kid and key.get("kid") == kid:
            return key
    for key in keys:
        if x5t and x5t in (key.get("x5t"), key.get("kid")):
            return key
    return None


def _fetch_keys(budget: _Budget, uri: str) -> tuple[dict, ...]:
    body = budget.get_json(uri)
    keys = body.get("keys")
    if not isinstance(keys, list):
        raise _Unreachable(f"{urlsplit(uri).netloc} answered without a key set")
    return tuple(k for k in keys[:MAX_KEYS] if isinstance(k, dict))


def _check(decoded: DecodedToken, key: dict[str, Any], jwks_uri: str) -> SignatureResult:
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
    from jwt.algorithms import RSAAlgorithm
    from jwt.exceptions import InvalidKeyError

    kid = str(key.get("kid", ""))
    tid = str(decoded.payload.get("tid", ""))
    issuer = str(decoded.payload.get("iss", ""))
    key_issuer = key.get("issuer")
    if isinstance(key_issuer, str) and key_issuer.replace("{tenantid}", tid) != issuer:
        return SignatureResult(
            SignatureStatus.INVALID,
            f"The signing key belongs to another issuer ({key_issuer}).",
            kid,
            jwks_uri,
        )
    try:
        public = RSAAlgorithm.from_jwk(key)
    except (InvalidKeyError, ValueError, TypeError, KeyError):
        return SignatureResult(
            SignatureStatus.UNSUPPORTED, "The issuer's key is not a usable RSA key.", kid, jwks_uri
        )
    if isinstance(public, RSAPrivateKey):  # a JWK with private parts: use its public half
        public = public.public_key()
    ok = RSAAlgorithm(RSAAlgorithm.SHA256).verify(decoded.signing_input, public, decoded.signature)
    if ok:
        host = urlsplit(jwks_uri).netloc
        return SignatureResult(
            SignatureStatus.VALID,
            f"Signature valid: signed with key {kid} published by {host}.",
            kid,
            jwks_uri,
        )
    return SignatureResult(
        SignatureStatus.INVALID,
        "Signature INVALID: the token was changed after signing, or was not signed by this "
        "issuer's key.",
        kid,
        jwks_uri,
    )


def _precheck(decoded: DecodedToken) -> SignatureResult | None:
    if decoded.unsigned:
        return SignatureResult(
            SignatureStatus.UNSIGNED,
            "Unsigned token (alg none or no signature): nothing proves who "
            "issued it. Informational only.",
        )
    if decoded.has_header_nonce:
        return SignatureResult(
            SignatureStatus.NOT_VERIFIABLE,
            "Not verifiable by third parties: a Microsoft Graph-style token (nonce in the "
            "header) is signed over a transformed header. Expected, not a fault; only the API "
            "it is for validates it.",
            decoded.kid or decoded.x5t,
        )
    if decoded.alg != "RS256":
        return SignatureResult(
            SignatureStatus.UNSUPPORTED,
            f"Signature algorithm '{decoded.alg}' is not checked; Entra signs with RS256.",
        )
    if not isinstance(decoded.payload.get("iss"), str):
        return SignatureResult(SignatureStatus.UNSUPPORTED, "The token names no issuer (iss).")
    return None


def verify_signature(
    decoded: DecodedToken,
    *,
    extra_authorities: Iterable[str] = (),
    cache: KeyCache | None = None,
    timeout_s: float = 10.0,
    ca_file: str | None = None,
) -> SignatureResult:
    """Verify an RS256 token with its issuer's published keys (discovery, then JWKS).

    Keys are fetched only from Microsoft login hosts or from `extra_authorities` (the sandbox,
    a custom authority the user chose), never from a URL found inside the token. All the
    downloads together take at most `timeout_s` (connect to last byte), and each document is
    capped in size and nesting.
    """
    early = _precheck(decoded)
    if early is not None:
        return early
    issuer = str(decoded.payload["iss"])
    found = trusted_base(issuer, extra_authorities)
    if found is None:
        return SignatureResult(
            SignatureStatus.UNTRUSTED_ISSUER,
            f"Issuer {issuer} is not a Microsoft login host or an authority "
            "you chose; its keys are not fetched.",
        )
    base, segment = found
    if not _TENANT_SEGMENT.match(segment):
        return SignatureResult(
            SignatureStatus.UNSUPPORTED, "The issuer has no usable tenant segment."
        )
    v2 = str(decoded.payload.get("ver")) == "2.0" or issuer.rstrip("/").endswith("/v2.0")
    discovery = f"{base}/{segment}/{'v2.0/' if v2 else ''}.well-known/openid-configuration"
    cache = cache if cache is not None else DEFAULT_CACHE
    try:
        return _verify_online(decoded, discovery, _Budget(timeout_s, ca_file), cache)
    except _Unreachable as exc:
        log.info("signature keys unreachable: %s", exc)
        return SignatureResult(
            SignatureStatus.KEYS_UNREACHABLE, f"Keys unreachable (offline?): {exc}."
        )


def _verify_online(
    decoded: DecodedToken,
    discovery: str,
    budget: _Budget,
    cache: KeyCache,
) -> SignatureResult:
    jwks_uri = cache.jwks_uri(discovery)
    if jwks_uri is None:
        found = budget.get_json(discovery).get("jwks_uri")
        if not isinstance(found, str) or _origin(found) != _origin(discovery):
            return SignatureResult(
                SignatureStatus.UNTRUSTED_ISSUER,
                "The discovery document points to keys on another host; they are not fetched.",
            )
        jwks_uri = found
        cache.remember_jwks_uri(discovery, jwks_uri)
    keys = cache.keys(jwks_uri)
    fresh = keys is None
    if keys is None:
        keys = _fetch_keys(budget, jwks_uri)
        cache.store(jwks_uri, keys)
    key = _pick(keys, decoded.kid, decoded.x5t)
    if key is None and not fresh:  # rotated since cached: refetch once
        keys = _fetch_keys(budget, jwks_uri)
        cache.store(jwks_uri, keys)
        key = _pick(keys, decoded.kid, decoded.x5t)
    if key is None:
        name = decoded.kid or decoded.x5t or "(none named)"
        return SignatureResult(
            SignatureStatus.INVALID,
            f"The signing key {name} is not among the issuer's published "
            "keys: rotated out long ago, or not signed by this issuer.",
            name,
            jwks_uri,
        )
    return _check(decoded, key, jwks_uri)


def verify_with_key_set(
    decoded: DecodedToken,
    jwks_uri: str,
    *,
    cache: KeyCache | None = None,
    timeout_s: float = 10.0,
    ca_file: str | None = None,
) -> SignatureResult:
    """Verify an RS256 token with the key set at `jwks_uri`: one the user chose (a provider's
    discovery document, the endpoints typed), never a URL found inside the token."""
    early = _precheck(decoded)
    if early is not None:
        return early
    cache = cache if cache is not None else DEFAULT_CACHE
    budget = _Budget(timeout_s, ca_file)
    try:
        keys = cache.keys(jwks_uri)
        fresh = keys is None
        if keys is None:
            keys = _fetch_keys(budget, jwks_uri)
            cache.store(jwks_uri, keys)
        key = _pick(keys, decoded.kid, decoded.x5t)
        if key is None and not fresh:
            keys = _fetch_keys(budget, jwks_uri)
            cache.store(jwks_uri, keys)
            key = _pick(keys, decoded.kid, decoded.x5t)
    except _Unreachable as exc:
        return SignatureResult(
            SignatureStatus.KEYS_UNREACHABLE, f"Keys unreachable (offline?): {exc}."
        )
    if key is None:
        name = decoded.kid or decoded.x5t or "(none named)"
        return SignatureResult(
            SignatureStatus.INVALID,
            f"The signing key {name} is not among the provider's published keys.",
            name,
            jwks_uri,
        )
    return _check(decoded, key, jwks_uri)
