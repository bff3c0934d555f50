"""How the sandbox's APIs check a bearer token, as a real API does: signature (the sandbox's
key; Graph tokens with a header nonce are signed over the nonce's SHA-256), audience, issuer
(a sandbox tenant, v1 or v2 form), lifetime (5 minutes of skew), then roles or scopes per route.
Failures use Microsoft Graph's error shapes."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import time
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

from core.sandbox import directory as d
from core.sandbox.keys import signing_key

SKEW_S = 300


class ApiError(Exception):
    """An API refusal: HTTP status, Graph error code and message."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def _unb64(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def _invalid(message: str) -> ApiError:
    return ApiError(401, "InvalidAuthenticationToken", message)


@dataclass(frozen=True)
class Caller:
    """Who a valid token speaks for: the app, its tenant, and a user for delegated tokens."""

    claims: dict[str, Any]

    @property
    def app_id(self) -> str:
        return str(self.claims.get("appid") or self.claims.get("azp") or "")

    @property
    def tenant_id(self) -> str:
        return str(self.claims.get("tid") or "")

    @property
    def app_only(self) -> bool:
        return "scp" not in self.claims

    @property
    def roles(self) -> set[str]:
        roles = self.claims.get("roles")
        return {r for r in roles if isinstance(r, str)} if isinstance(roles, list) else set()

    @property
    def scopes(self) -> set[str]:
        scp = self.claims.get("scp")
        return set(scp.split()) if isinstance(scp, str) else set()

    @property
    def user_id(self) -> str:
        return "" if self.app_only else str(self.claims.get("oid") or "")

    def allowed(self, roles: tuple[str, ...], scopes: tuple[str, ...]) -> bool:
        held = self.roles if self.app_only else self.scopes
        return bool(held & set(roles if self.app_only else scopes))


def _signature_ok(header_seg: str, payload_seg: str, signature: bytes) -> bool:
    try:
        header = json.loads(_unb64(header_seg))
    except (ValueError, binascii.Error):
        return False
    if not isinstance(header, dict) or header.get("alg") != "RS256":
        return False
    if header.get("kid") != signing_key().kid:
        return False
    nonce = header.get("nonce")
    if isinstance(nonce, str):
        signed = dict(header, nonce=hashlib.sha256(nonce.encode()).hexdigest())
        header_seg = base64.urlsafe_b64encode(
            json.dumps(signed, separators=(",", ":")).encode()
        ).rstrip(b"=").decode("ascii")  # fmt: skip
    data = f"{header_seg}.{payload_seg}".encode("ascii")
    try:
        signing_key().key.public_key().verify(signature, data, padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature:
        return False
    return True


def validate(authorization: str, api: d.Api, base_url: str, now: float | None = None) -> Caller:
    """The caller of a valid bearer token for `api`; raises ApiError (401) otherwise."""
    scheme, _, token = authorization.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise _invalid("Access token is empty.")
    parts = token.split(".")
    if len(parts) != 3:
        raise _invalid("IDX14100: JWT is not well formed, there are no dots (.).")
    try:
        claims = json.loads(_unb64(parts[1]))
        signature = _unb64(parts[2])
    except (ValueError, binascii.Error):
        raise _invalid("Access token validation failure.") from None
    if not isinstance(claims, dict) or not _signature_ok(parts[0], parts[1], signature):
        raise _invalid("Access token validation failure. Invalid signature.")
    aud = claims.get("aud")
    if not isinstance(aud, str) or aud.rstrip("/").lower() not in {
        i.rstrip("/").lower() for i in api.identifiers()
    }:
        raise _invalid("Access token validation failure. Invalid audience.")
    iss = claims.get("iss")
    issuers = {f"{base_url}/{t.id}/" for t in d.TENANTS} | {
        f"{base_url}/{t.id}/v2.0" for t in d.TENANTS
    }
    if iss not in issuers or claims.get("tid") not in {t.id for t in d.TENANTS}:
        raise _invalid("Access token validation failure. Invalid issuer.")
    moment = time.time() if now is None else now
    exp, nbf = claims.get("exp"), claims.get("nbf")
    if not isinstance(exp, (int, float)) or exp + SKEW_S < moment:
        raise _invalid("Lifetime validation failed, the token is expired.")
    if isinstance(nbf, (int, float)) and nbf - SKEW_S > moment:
        raise _invalid("Lifetime validation failed, the token is not yet valid.")
    return Caller(claims)
