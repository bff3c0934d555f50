"""Check a token's signature against its issuer's published keys, from trusted hosts only."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from typing import Any
from urllib.parse import urlsplit

from core.insight.decode import DecodedToken
from core.insight.key_sets import (
    DEFAULT_CACHE,
    Budget,
    KeyCache,
    KeysUnreachable,
    fetch_keys,
    origin_of,
    pick_key,
    trusted_base,
)

log = logging.getLogger(__name__)

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
        return _verify_online(decoded, discovery, Budget(timeout_s, ca_file), cache)
    except KeysUnreachable as exc:
        log.info("signature keys unreachable: %s", exc)
        return SignatureResult(
            SignatureStatus.KEYS_UNREACHABLE, f"Keys unreachable (offline?): {exc}."
        )


def _verify_online(
    decoded: DecodedToken,
    discovery: str,
    budget: Budget,
    cache: KeyCache,
) -> SignatureResult:
    jwks_uri = cache.jwks_uri(discovery)
    if jwks_uri is None:
        found = budget.get_json(discovery).get("jwks_uri")
        if not isinstance(found, str) or origin_of(found) != origin_of(discovery):
            return SignatureResult(
                SignatureStatus.UNTRUSTED_ISSUER,
                "The discovery document points to keys on another host; they are not fetched.",
            )
        jwks_uri = found
        cache.remember_jwks_uri(discovery, jwks_uri)
    keys = cache.keys(jwks_uri)
    fresh = keys is None
    if keys is None:
        keys = fetch_keys(budget, jwks_uri)
        cache.store(jwks_uri, keys)
    key = pick_key(keys, decoded.kid, decoded.x5t)
    if key is None and not fresh:  # rotated since cached: refetch once
        keys = fetch_keys(budget, jwks_uri)
        cache.store(jwks_uri, keys)
        key = pick_key(keys, decoded.kid, decoded.x5t)
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
    budget = Budget(timeout_s, ca_file)
    try:
        keys = cache.keys(jwks_uri)
        fresh = keys is None
        if keys is None:
            keys = fetch_keys(budget, jwks_uri)
            cache.store(jwks_uri, keys)
        key = pick_key(keys, decoded.kid, decoded.x5t)
        if key is None and not fresh:
            keys = fetch_keys(budget, jwks_uri)
            cache.store(jwks_uri, keys)
            key = pick_key(keys, decoded.kid, decoded.x5t)
    except KeysUnreachable as exc:
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
