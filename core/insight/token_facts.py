"""Facts read from a token's claims: its kind, what its permissions allow, tenant and time."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from core.insight.claims import permission_text, resource_name
from core.redaction import Secret
from core.timefmt import clock, relative, span_text
from core.token.authority import TenantKind, is_guid, tenant_kind
from core.token.models import CredentialKind
from core.token.result import TokenResult

SOON_S = 5 * 60  # amber in the last five minutes
SECONDS_SHOWN_S = 120  # under two minutes left (or past), the time reads in minutes and seconds
_USER_CLAIMS = ("upn", "unique_name", "preferred_username", "given_name", "family_name", "name")
_ISSUER_TENANT = re.compile(r"^/([^/]+)/")


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


def ago_text(seconds_past: float) -> str:
    """How long ago, counting seconds in the first two minutes ("19 s ago", "1 min 05 s ago")."""
    if seconds_past < SECONDS_SHOWN_S:
        return f"{span_text(seconds_past)} ago"
    return relative(-seconds_past)


def expiry_phrase(expires_at: float, now: float) -> tuple[str, str]:
    """('ok'|'soon'|'expired', 'expires 14:32 (59 min)'): minutes and seconds in the last two
    minutes, and after expiry the time since ('expired 19 s ago'), never a frozen zero."""
    left = expires_at - now
    if left <= 0:
        return "expired", f"expired {ago_text(-left)}"
    state = "soon" if left < SOON_S else "ok"
    span = span_text(left) if left < SECONDS_SHOWN_S else relative(left).removeprefix("in ")
    return state, f"expires {clock(expires_at)} ({span})"


def _time_phrase(expires_at: float | None, now: float) -> str:
    return "" if expires_at is None else expiry_phrase(expires_at, now)[1]


def user_of(p: Mapping[str, Any]) -> str:
    """The signed-in user a delegated token names (UPN, preferred name, or display name)."""
    for claim in ("upn", "preferred_username", "unique_name", "email", "name"):
        if value := _text(p.get(claim)).strip():
            return value
    return ""


def plural(count: int, noun: str) -> str:
    """'1 high-privilege permission', '2 high-privilege permissions'."""
    return f"{count} {noun}" + ("s" if count != 1 else "")


def api_name(audience: str, names: Mapping[str, str] | None = None) -> str:
    """The name of the API a token is for: Microsoft's own from the catalog, another from
    `names` (app ID, or api://app ID, to name), else ''."""
    known = resource_name(audience)
    if known or not names:
        return known or ""
    wanted = audience.strip().rstrip("/").lower()
    for app, name in names.items():
        key = app.strip().rstrip("/").lower()
        if wanted in (key, f"api://{key}") or key == f"api://{wanted}":
            return name
    return ""


def _summary(kind: str, credential: str, audience: str, roles: tuple[str, ...],
             scopes: tuple[str, ...], expiry: str, user: str = "") -> str:  # fmt: skip
    who = f"{kind} for {user}" if user and kind == "delegated" else kind
    bits = [who if kind != "unknown" else "", credential, audience]
    if roles:
        bits.append(f"{len(roles)} role" + ("s" if len(roles) != 1 else ""))
    elif scopes:
        bits.append(f"{len(scopes)} scope" + ("s" if len(scopes) != 1 else ""))
    elif kind == "app-only":
        bits.append("NO roles")
    bits.append(expiry)
    return ", ".join(b for b in bits if b)


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
