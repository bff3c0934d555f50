"""The ID token of a delegated sign-in: is it genuine and meant for this sign-in (signature,
`aud` = the client ID, the `nonce` sent, the issuer, expiry), and who signed in."""

from __future__ import annotations

import hmac
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from core.insight.decode import DecodeError, decode_token
from core.insight.key_sets import KeyCache
from core.insight.signature import SignatureStatus, verify_with_key_set
from core.redaction import Scrubber, Secret

CLOCK_SKEW_S = 300


@dataclass(frozen=True)
class SignedInUser:
    """Who signed in, as the ID token says (claims may be missing: then '')."""

    name: str
    username: str  # preferred_username (v2), upn or unique_name (v1), else email
    oid: str
    tenant_id: str
    guest: bool | None  # None: the token does not say
    guest_reason: str = ""

    def summary(self) -> str:
        who = self.name or self.username or self.oid or "an unnamed user"
        if self.username and self.username != who:
            who += f" ({self.username})"
        kind = {True: "guest", False: "member", None: "member or guest: not said"}[self.guest]
        tenant = f", tenant {self.tenant_id}" if self.tenant_id else ""
        return f"{who}, {kind}{tenant}"


@dataclass(frozen=True)
class IdTokenCheck:
    """One check: `ok` True (passed), False (failed), None (could not be made)."""

    name: str
    ok: bool | None
    text: str


@dataclass(frozen=True)
class IdTokenReport:
    user: SignedInUser | None
    checks: tuple[IdTokenCheck, ...] = ()
    problem: str = ""  # why the ID token could not be read ('' when it could)

    @property
    def ok(self) -> bool:
        return not self.problem and all(c.ok is not False for c in self.checks)

    def failures(self) -> tuple[IdTokenCheck, ...]:
        return tuple(c for c in self.checks if c.ok is False)


def _text(claims: Mapping[str, Any], *names: str) -> str:
    for name in names:
        value = claims.get(name)
        if isinstance(value, str) and value:
            return value[:256]
    return ""


def signed_in_user(claims: Mapping[str, Any]) -> SignedInUser:
    """Name, user name, object ID, tenant and guest/member from ID token claims."""
    username = _text(claims, "preferred_username", "upn", "unique_name", "email")
    iss, idp = _text(claims, "iss"), _text(claims, "idp")
    acct = claims.get("acct")
    guest: bool | None
    if acct in (0, 1):
        guest, reason = acct == 1, "the token's acct claim says so"
    elif "#EXT#" in username.upper():
        guest, reason = True, "the user name is a guest's (#EXT#)"
    elif idp and idp.rstrip("/") != iss.rstrip("/"):
        guest, reason = True, f"the account comes from another identity provider ({idp})"
    elif iss:
        guest, reason = False, "the account belongs to the tenant that issued the token"
    else:
        guest, reason = None, ""
    return SignedInUser(
        name=_text(claims, "name"),
        username=username,
        oid=_text(claims, "oid", "sub"),
        tenant_id=_text(claims, "tid"),
        guest=guest,
        guest_reason=reason,
    )


def _issuer_check(iss: str, tid: str, issuers: tuple[str, ...]) -> IdTokenCheck:
    if not issuers:
        return IdTokenCheck("issuer", None, f"Issuer {iss}: no expected issuer to compare with.")
    wanted = [i.replace("{tenantid}", tid) for i in issuers]
    if iss in wanted:
        return IdTokenCheck("issuer", True, f"Issuer {iss} is the provider's.")
    return IdTokenCheck(
        "issuer", False, f"Issuer {iss or '(none)'} is not the expected {' or '.join(wanted)}."
    )


def check_id_token(
    id_token: Secret,
    *,
    client_id: str,
    nonce: str,
    issuers: tuple[str, ...],
    jwks_uri: str,
    scrubber: Scrubber | None = None,
    now: float | None = None,
    timeout_s: float = 10.0,
    ca_file: str | None = None,
    cache: KeyCache | None = None,
) -> IdTokenReport:
    """Check the ID token of a sign-in and say who signed in. Never raises for a bad token."""
    try:
        decoded = decode_token(id_token.reveal())
    except DecodeError as exc:
        return IdTokenReport(None, problem=f"The ID token cannot be read: {exc}")
    claims = decoded.payload
    scrub = scrubber or Scrubber((id_token,))
    user = signed_in_user(scrub.value(dict(claims), by_name=False))
    moment = time.time() if now is None else now
    checks = []
    if jwks_uri:
        sig = verify_with_key_set(decoded, jwks_uri, cache=cache, timeout_s=timeout_s,
                                  ca_file=ca_file)  # fmt: skip
        ok = {SignatureStatus.VALID: True, SignatureStatus.INVALID: False}.get(sig.status)
        if sig.status is SignatureStatus.UNSIGNED:
            ok = False
        checks.append(IdTokenCheck("signature", ok, sig.message))
    else:
        checks.append(IdTokenCheck("signature", None, "No key set is known for this provider."))
    aud = claims.get("aud")
    auds = aud if isinstance(aud, list) else [aud]
    aud_ok = client_id.strip() in auds
    checks.append(IdTokenCheck(
        "audience", aud_ok,
        "Audience is this app's client ID." if aud_ok
        else f"Audience {scrub.text(str(aud))} is not this app's client ID {client_id}.",
    ))  # fmt: skip
    got = claims.get("nonce")
    if nonce:
        same = isinstance(got, str) and hmac.compare_digest(got, nonce)
        checks.append(IdTokenCheck(
            "nonce", same,
            "Nonce is the one this sign-in sent." if same
            else "Nonce differs from the one sent: the ID token is not from this sign-in.",
        ))  # fmt: skip
    checks.append(_issuer_check(_text(claims, "iss"), _text(claims, "tid"), issuers))
    exp = claims.get("exp")
    if isinstance(exp, (int, float)) and not isinstance(exp, bool):
        fresh = exp + CLOCK_SKEW_S > moment
        checks.append(IdTokenCheck(
            "expiry", fresh, "Not expired." if fresh else "The ID token has expired already.",
        ))  # fmt: skip
    return IdTokenReport(user, tuple(checks))
