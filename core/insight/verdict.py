"""The one-glance summary of a token answer or a pasted token: what it is, allows, and lasts."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from core.insight.claims import client_auth_text, directory_role_name, is_privileged_role
from core.insight.decode import DecodedToken, DecodeError, decode_token, scrubbed
from core.insight.diagnosis import diagnose
from core.insight.token_facts import (
    _allows,
    _credential_sent,
    _issuer_tenant,
    _kind,
    _summary,
    _tenant_check,
    _tenant_from_url,
    _text,
    _time_phrase,
    api_name,
    plural,
    user_of,
)
from core.insight.waiting import headline, note
from core.timefmt import as_epoch, relative
from core.token.authority import PERSONAL_ACCOUNTS_TENANT, is_guid
from core.token.models import Endpoint, Severity
from core.token.result import Outcome, TokenResult

CLOCK_SKEW_S = 300


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
    lead: str = ""  # the headline without its expiry, which the window keeps live
    flags: tuple[str, ...] = ()  # why the banner is yellow, in a few words each
    user: str = ""  # the signed-in user of a delegated token
    refresh_token: bool | None = None  # a refresh token came back (None: not a request's answer)
    id_token: bool | None = None  # an ID token came back (None: not a request's answer)


def verdict_for_token(
    decoded: DecodedToken,
    *,
    tenant: str = "",
    now: float | None = None,
    names: Mapping[str, str] | None = None,
) -> Verdict:
    """The verdict of a decoded (not verified) token; `names` maps the app IDs of APIs
    known elsewhere (the sandbox's directory) to their names."""
    moment = time.time() if now is None else now
    p = decoded.payload
    kind, reason, use = _kind(p)
    issuer = _text(p.get("iss"))
    version = _text(p.get("ver")) or ("2.0" if issuer.rstrip("/").endswith("/v2.0") else "")
    aud = p.get("aud")
    audience = ", ".join(map(str, aud)) if isinstance(aud, list) else _text(aud) or str(aud or "")
    audience_name = api_name(audience, names)
    roles = tuple(str(r) for r in p.get("roles") or () if isinstance(r, str))
    if isinstance(p.get("roles"), str):
        roles = (str(p["roles"]),)
    scopes = tuple(_text(p.get("scp")).split())
    credential = client_auth_text(p.get("appidacr", p.get("azpacr", "")))
    tid = _text(p.get("tid"))
    warnings: list[str] = []
    flags: list[str] = []
    notes: list[str] = []
    issued_at, not_before, expires_at = (as_epoch(p.get(c)) for c in ("iat", "nbf", "exp"))
    if kind == "app-only" and not roles:
        target = audience_name or audience or "this resource"
        warnings.append(
            f"App-only token without roles: no application permission is granted for {target}, "
            "or admin consent is missing. Calls to the API will be refused (401/403)."
        )
        flags.append("no application permission granted")
    if expires_at is not None and expires_at <= moment:
        warnings.append(f"The token expired {relative(expires_at - moment)}.")
    if not_before is not None and not_before > moment + CLOCK_SKEW_S:
        warnings.append(f"The token is not valid yet (not before {relative(not_before - moment)}).")
        flags.append("not valid yet")
    matches, tenant_warning, tenant_note = _tenant_check(tid, tenant)
    warnings += [tenant_warning] if tenant_warning else []
    flags += ["another tenant than the one typed"] if tenant_warning else []
    notes += [tenant_note] if tenant_note else []
    iss_tenant = _issuer_tenant(issuer)
    if tid and iss_tenant and iss_tenant.lower() != tid.lower():
        shape = "" if is_guid(iss_tenant) else " (not even a well-formed GUID)"
        warnings.append(
            f"Issuer and tenant disagree: the issuer names tenant {iss_tenant}{shape}, "
            f"but tid is {tid}."
        )
        flags.append("issuer and tenant disagree")
    if decoded.unsigned:
        warnings.append("The token is unsigned (alg none): nothing proves who issued it.")
        flags.append("unsigned")
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
        flags.append(plural(len(privileged), "privileged directory role"))
    allows, high = _allows(roles, scopes, kind == "app-only")
    if high:
        warnings.append(f"High-privilege permissions: {', '.join(high)}. Is all of it needed?")
        flags.append(plural(len(high), "high-privilege permission"))
    allows += tuple(f"Directory role: {name}" for name in role_names)
    label = "ID token" if use == "ID token" else "Token"
    user = user_of(p) if kind == "delegated" else ""
    lead = f"{label}: " + _summary(kind, credential, audience_name or audience, roles, scopes,
                                   "", user)  # fmt: skip
    expiry = _time_phrase(expires_at, moment)
    headline = f"{lead}, {expiry}" if expiry else lead
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
        lead=lead,
        flags=tuple(flags),
        user=user,
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
        lead=f"INVALID SIGNATURE. {verdict.lead}" if verdict.lead else "",
        warnings=(warning, *verdict.warnings),
    )


def _opaque(
    result: TokenResult, error: DecodeError, now: float, names: Mapping[str, str] | None
) -> Verdict:
    tok = result.token
    assert tok is not None
    expires_at = result.expires_at()
    scopes = tuple(tok.scope.split())
    audience = tok.resource or (scopes[0].rsplit("/", 1)[0] if scopes else "")
    name = api_name(audience, names)
    credential = _credential_sent(result)
    expiry = _time_phrase(expires_at, now)
    summary = ", ".join(b for b in ("opaque token", credential, name or audience) if b)
    lead = f"Token issued in {result.elapsed_ms:.0f} ms: {summary}"
    return Verdict(
        issued=True,
        headline=f"{lead}, {expiry}" if expiry else lead,
        lead=lead,
        kind_reason="the token is not a JWT, so its claims cannot be read",
        credential=credential,
        audience=audience,
        audience_name=name,
        scopes=scopes,
        expires_at=expires_at,
        ext_expires_in=tok.ext_expires_in,
        notes=(str(error), "Expiry and scope come from the response (expires_in, scope)."),
        token_use="opaque token",
        refresh_token=tok.refresh_token is not None,
        id_token=tok.id_token is not None,
    )


def verdict_for_result(
    result: TokenResult,
    *,
    tenant: str = "",
    now: float | None = None,
    names: Mapping[str, str] | None = None,
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
        errors = [f.title for f in result.findings if f.severity is Severity.ERROR]
        if result.outcome is Outcome.BLOCKED and errors:  # what is wrong now, not a category
            more = f" (and {plural(len(errors) - 1, 'other problem')})" if len(errors) > 1 else ""
            head = f"Not sent: {errors[0]}{more}"
        # Only codes an admin can look up (AADSTS…, HTTP …), and only once.
        head += f" ({code})" if code.startswith(("AADSTS", "HTTP ")) and code not in title else ""
        waited = note(result)
        return Verdict(issued=False, headline=headline(result, head) or head,
                       notes=(waited,) if waited else ())  # fmt: skip
    tok = result.token
    try:
        decoded = decode_token(tok.access_token.reveal() if tok.access_token else "")
    except DecodeError as exc:
        return _opaque(result, exc, moment, names)
    decoded = scrubbed(decoded, result.scrubber())  # the token may echo what was sent
    typed = tenant or (_tenant_from_url(result.request.url) if result.request else "")
    base = verdict_for_token(decoded, tenant=typed, now=moment, names=names)
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
                       base.roles, base.scopes, "", base.user)  # fmt: skip
    issued = f"Token issued in {result.elapsed_ms:.0f} ms: {summary}"
    lead = headline(result, issued) or issued
    if note(result):
        notes.insert(0, note(result))
    expiry = _time_phrase(base.expires_at, moment)
    return replace(
        base,
        headline=f"{lead}, {expiry}" if expiry else lead,
        lead=lead,
        credential=credential,
        ext_expires_in=tok.ext_expires_in,
        notes=tuple(notes),
        refresh_token=tok.refresh_token is not None,
        id_token=tok.id_token is not None,
    )
