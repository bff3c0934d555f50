"""The one-glance summary of a token answer or a pasted token: what it is, allows, and lasts."""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlsplit

from core.insight.claims import (
    client_auth_text,
    directory_role_name,
    is_privileged_role,
    permission_text,
    resource_name,
)
from core.insight.decode import DecodedToken, DecodeError, decode_token, scrubbed
from core.insight.diagnosis import diagnose
from core.insight.waiting import headline, note
from core.redaction import Secret
from core.timefmt import as_epoch, clock, relative
from core.token.authority import PERSONAL_ACCOUNTS_TENANT, TenantKind, is_guid, tenant_kind
from core.token.models import CredentialKind, Endpoint, Outcome, TokenResult

CLOCK_SKEW_S = 300
_USER_CLAIMS = ("upn", "unique_name", "preferred_username", "given_name", "family_name", "name")
_ISSUER_TENANT = re.compile(r"^/([^/]+)/")


@dataclass(frozen=True)
class Verdict:
    """What an admin reads first about a token response or a pasted token."""

    issued: bool
    headline: str
    token_kind: str = "unknown"  # "app-only" | "delegated" | "unknown"
    kind_reason: str = ""
    credential: str = ""  # "client secret" | "certificate" | "public client" | ""
    version: str = ""
    issuer: str = ""
    audience: str = ""
    audience_name: str = ""
    roles: tuple[str, ...] = ()
    scopes: tuple[str, ...] = ()
    issued_at: float | None = None
    not_before: float | None = None
    expires_at: float | None = None
    ext_expires_in: int | None = None
    warnings: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    tenant_matches: bool | None = None
    allows: tuple[str, ...] = ()
    token_use: str = ""  # "access token" | "ID token" | "opaque token" | ""
    tenant_id: str = ""
    client_id: str = ""
    directory_roles: tuple[str, ...] = ()
    high_privilege: tuple[str, ...] = ()


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _kind(p: Mapping[str, Any]) -> tuple[str, str, str]:
    """(token_kind, reason, token_use) from idtyp, scp, roles and user claims."""
    idtyp = _text(p.get("idtyp"))
    has_client = bool(p.get("appid") or p.get("azp"))
    users = [c for c in _USER_CLAIMS if c in p]
    is_id = (
        not has_client
        and not p.get("scp")
        and not p.get("roles")
        and ("nonce" in p or "at_hash" in p or "c_hash" in p or bool(users))
    )
    use = "ID token" if is_id else "access token"
    if idtyp == "app":
        return "app-only", "idtyp is 'app'", use
    if idtyp == "user":
        return "delegated", "idtyp is 'user'", use
    if p.get("scp"):
        return "delegated", "it carries delegated scopes (scp)", use
    if is_id:
        return "delegated", f"an ID token about a signed-in user ({', '.join(users[:2])})", use
    if users:
        return "delegated", f"it carries user claims ({', '.join(users[:2])})", use
    if p.get("roles"):
        return "app-only", "it carries application roles and no scp or user claims", use
    if has_client:
        return "app-only", "no scp and no user claims", use
    return "unknown", "none of idtyp, scp, roles or user claims is present", use


def _issuer_tenant(issuer: str) -> str:
    match = _ISSUER_TENANT.match(urlsplit(issuer).path or "")
    return match.group(1) if match else ""


def _allows(roles: tuple[str, ...], scopes: tuple[str, ...], app_only: bool) -> tuple[
    tuple[str, ...], tuple[str, ...]
]:  # fmt: skip
    allows, high = [], []
    for name in (*roles, *scopes):
        found = permission_text(name, app_only=app_only and name in roles)
        if found is None:
            allows.append(f"{name}: not in our permission table")
            continue
        text, is_high = found
        if is_high:
            high.append(name)
            allows.append(f"{name} (high privilege): {text}")
        else:
            allows.append(f"{name}: {text}")
    return tuple(allows), tuple(high)


def _tenant_check(tid: str, tenant: str) -> tuple[bool | None, str, str]:
    """(matches, warning, note) comparing the token's tid with what the user typed."""
    typed = tenant.strip()
    if not typed or not tid:
        return None, "", ""
    kind = tenant_kind(typed)
    if kind is TenantKind.GUID:
        if typed.strip("{}").lower() == tid.lower():
            return True, "", ""
        return False, f"The token's tenant (tid {tid}) is not the tenant you typed ({typed}).", ""
    if kind is TenantKind.DOMAIN:
        note = f"You typed the domain {typed}; the token's tenant ID is {tid}."
        return None, "", note
    return None, "", f"You used '{typed}'; the token was issued by tenant {tid}."


def _time_phrase(expires_at: float | None, now: float) -> str:
    if expires_at is None:
        return ""
    left = expires_at - now
    if left <= 0:
        return f"expired {relative(left)}"
    return f"expires {clock(expires_at)} ({relative(left).removeprefix('in ')})"


def _summary(kind: str, credential: str, audience: str, roles: tuple[str, ...],
             scopes: tuple[str, ...], expiry: str) -> str:  # fmt: skip
    bits = [kind if kind != "unknown" else "", credential, audience]
    if roles:
        bits.append(f"{len(roles)} role" + ("s" if len(roles) != 1 else ""))
    elif scopes:
        bits.append(f"{len(scopes)} scope" + ("s" if len(scopes) != 1 else ""))
    elif kind == "app-only":
        bits.append("NO roles")
    bits.append(expiry)
    return ", ".join(b for b in bits if b)


def verdict_for_token(
    decoded: DecodedToken, *, tenant: str = "", now: float | None = None
) -> Verdict:
    """The verdict of a decoded (not verified) token."""
    moment = time.time() if now is None else now
    p = decoded.payload
    kind, reason, use = _kind(p)
    issuer = _text(p.get("iss"))
    version = _text(p.get("ver")) or ("2.0" if issuer.rstrip("/").endswith("/v2.0") else "")
    aud = p.get("aud")
    audience = ", ".join(map(str, aud)) if isinstance(aud, list) else _text(aud) or str(aud or "")
    audience_name = resource_name(audience) or ""
    roles = tuple(str(r) for r in p.get("roles") or () if isinstance(r, str))
    if isinstance(p.get("roles"), str):
        roles = (str(p["roles"]),)
    scopes = tuple(_text(p.get("scp")).split())
    credential = client_auth_text(p.get("appidacr", p.get("azpacr", "")))
    tid = _text(p.get("tid"))
    warnings: list[str] = []
    notes: list[str] = []
    issued_at, not_before, expires_at = (as_epoch(p.get(c)) for c in ("iat", "nbf", "exp"))
    if kind == "app-only" and not roles:
        target = audience_name or audience or "this resource"
        warnings.append(
            f"App-only token without roles: no application permission is granted for {target}, "
            "or admin consent is missing. Calls to the API will be refused (401/403)."
        )
    if expires_at is not None and expires_at <= moment:
        warnings.append(f"The token expired {relative(expires_at - moment)}.")
    if not_before is not None and not_before > moment + CLOCK_SKEW_S:
        warnings.append(f"The token is not valid yet (not before {relative(not_before - moment)}).")
    matches, tenant_warning, tenant_note = _tenant_check(tid, tenant)
    warnings += [tenant_warning] if tenant_warning else []
    notes += [tenant_note] if tenant_note else []
    iss_tenant = _issuer_tenant(issuer)
    if tid and iss_tenant and iss_tenant.lower() != tid.lower():
        shape = "" if is_guid(iss_tenant) else " (not even a well-formed GUID)"
        warnings.append(
            f"Issuer and tenant disagree: the issuer names tenant {iss_tenant}{shape}, "
            f"but tid is {tid}."
        )
    if decoded.unsigned:
        warnings.append("The token is unsigned (alg none): nothing proves who issued it.")
    if decoded.has_header_nonce:
        notes.append(
            "Microsoft Graph-style token (nonce in the header): only Microsoft can check its "
            "signature. This is expected, not a fault."
        )
    if tid.lower() == PERSONAL_ACCOUNTS_TENANT:
        notes.append("Issued for a personal Microsoft account (consumer tenant).")
    idp = _text(p.get("idp"))
    if idp and issuer and idp.rstrip("/") != issuer.rstrip("/"):
        notes.append(f"The user was authenticated by another identity provider ({idp}): a guest.")
    wids = tuple(str(w) for w in p.get("wids") or () if isinstance(w, str))
    role_names = tuple(directory_role_name(w) or w for w in wids)
    privileged = [directory_role_name(w) or w for w in wids if is_privileged_role(w)]
    if privileged:
        warnings.append(f"Holds privileged directory roles: {', '.join(privileged)}.")
    allows, high = _allows(roles, scopes, kind == "app-only")
    if high:
        warnings.append(f"High-privilege permissions: {', '.join(high)}. Is all of it needed?")
    allows += tuple(f"Directory role: {name}" for name in role_names)
    label = "ID token" if use == "ID token" else "Token"
    expiry = _time_phrase(expires_at, moment)
    headline = f"{label}: " + _summary(kind, credential, audience_name or audience, roles,
                                       scopes, expiry)  # fmt: skip
    return Verdict(
        issued=True,
        headline=headline,
        token_kind=kind,
        kind_reason=reason,
        credential=credential,
        version=version,
        issuer=issuer,
        audience=audience,
        audience_name=audience_name,
        roles=roles,
        scopes=scopes,
        issued_at=issued_at,
        not_before=not_before,
        expires_at=expires_at,
        warnings=tuple(warnings),
        notes=tuple(notes),
        tenant_matches=matches,
        allows=allows,
        token_use=use,
        tenant_id=tid,
        client_id=_text(p.get("appid") or p.get("azp")),
        directory_roles=role_names,
        high_privilege=high,
    )


def with_signature(verdict: Verdict, signature: Any) -> Verdict:
    """The verdict once the signature was checked: an INVALID signature leads the headline
    and the warnings (a forged or altered token must not read as a good one)."""
    if getattr(getattr(signature, "status", None), "value", "") != "invalid":
        return verdict
    message = str(signature.message)
    prefix = "" if message.startswith("Signature INVALID") else "Signature INVALID: "
    warning = prefix + message
    return replace(
        verdict,
        headline=f"INVALID SIGNATURE. {verdict.headline}",
        warnings=(warning, *verdict.warnings),
    )


def _tenant_from_url(url: str) -> str:
    segment = _issuer_tenant(url)
    return segment if (segment and "." in segment) or is_guid(segment) else ""


def _credential_sent(result: TokenResult) -> str:
    if result.request is None:
        return ""
    if result.request.credential is CredentialKind.FEDERATED:
        return "federated credential"
    if result.request.field("client_assertion"):
        return "certificate"
    secret = result.request.field("client_secret")
    basic = result.request.header("Authorization")
    if isinstance(secret, Secret) or isinstance(basic, Secret):
        return "client secret"
    return "public client"


def _opaque(result: TokenResult, error: DecodeError, now: float) -> Verdict:
    tok = result.token
    assert tok is not None
    expires_at = result.expires_at()
    scopes = tuple(tok.scope.split())
    audience = tok.resource or (scopes[0].rsplit("/", 1)[0] if scopes else "")
    name = resource_name(audience) or ""
    credential = _credential_sent(result)
    expiry = _time_phrase(expires_at, now)
    summary = ", ".join(b for b in ("opaque token", credential, name or audience, expiry) if b)
    return Verdict(
        issued=True,
        headline=f"Token issued in {result.elapsed_ms:.0f} ms: {summary}",
        kind_reason="the token is not a JWT, so its claims cannot be read",
        credential=credential,
        audience=audience,
        audience_name=name,
        scopes=scopes,
        expires_at=expires_at,
        ext_expires_in=tok.ext_expires_in,
        notes=(str(error), "Expiry and scope come from the response (expires_in, scope)."),
        token_use="opaque token",
    )


def verdict_for_result(
    result: TokenResult, *, tenant: str = "", now: float | None = None
) -> Verdict:
    """The verdict of a token request's result: issued (and what), refused, no answer, blocked."""
    moment = time.time() if now is None else now
    if result.outcome is not Outcome.TOKEN or result.token is None:
        d = diagnose(result)
        title, code = (d.title, d.code) if d else ("no token in the answer", "")
        prefix = {
            Outcome.BLOCKED: "Not sent",
            Outcome.NO_ANSWER: "No answer",
        }.get(result.outcome, "Failed")
        # A diagnosis title may already say it ("Not sent: the request has errors").
        head = title if title.casefold().startswith(prefix.casefold()) else f"{prefix}: {title}"
        head += f" ({code})" if code else ""
        waited = note(result)
        return Verdict(issued=False, headline=headline(result, head) or head,
                       notes=(waited,) if waited else ())  # fmt: skip
    tok = result.token
    try:
        decoded = decode_token(tok.access_token.reveal() if tok.access_token else "")
    except DecodeError as exc:
        return _opaque(result, exc, moment)
    decoded = scrubbed(decoded, result.scrubber())  # the token may echo what was sent
    typed = tenant or (_tenant_from_url(result.request.url) if result.request else "")
    base = verdict_for_token(decoded, tenant=typed, now=moment)
    notes = list(base.notes)
    if (
        result.request is not None
        and result.request.endpoint is Endpoint.V2
        and base.version == "1.0"
    ):
        notes.append(
            "The v2 endpoint issued a v1 token: the API decides the token version "
            "(Microsoft Graph always gets v1). This is normal."
        )
    if tok.expires_in is not None and base.expires_at is not None:
        gap = abs((result.received_at + tok.expires_in) - base.expires_at)
        if gap > CLOCK_SKEW_S:
            notes.append(
                f"expires_in ({tok.expires_in} s) and the token's exp differ by {gap:.0f} s: "
                "the response metadata and the token need not match exactly."
            )
    if tok.ext_expires_in is not None:
        notes.append(
            f"ext_expires_in: {tok.ext_expires_in} s. During an Entra outage the API may "
            "accept the token that long."
        )
    credential = base.credential or _credential_sent(result)
    if base.credential == "certificate" and _credential_sent(result) == "federated credential":
        # appidacr/azpacr 2 means "a client assertion": a certificate's, or a federated one.
        credential = "federated credential"
    summary = _summary(base.token_kind, credential, base.audience_name or base.audience,
                       base.roles, base.scopes, _time_phrase(base.expires_at, moment))  # fmt: skip
    issued = f"Token issued in {result.elapsed_ms:.0f} ms: {summary}"
    if note(result):
        notes.insert(0, note(result))
    return replace(
        base,
        headline=headline(result, issued) or issued,
        credential=credential,
        ext_expires_in=tok.ext_expires_in,
        notes=tuple(notes),
    )
