"""Explain why an API (Microsoft Graph, or one that answers like it) refused a call, in the same
style as token diagnoses: what went wrong, why, and the steps to fix it."""

from __future__ import annotations

import time
from functools import lru_cache
from typing import Any

from core.api.call import ApiCallResult
from core.api.permissions import PermissionCheck
from core.api.target import TokenFacts, graph_path, is_graph_audience
from core.insight.catalog import CatalogError, load_catalog, require_table
from core.insight.diagnosis import Diagnosis
from core.timefmt import relative_to_now, utc_text

CATALOG_FILE = "graph_errors.json"
_SKEW_S = 300


@lru_cache(maxsize=1)
def catalog() -> dict[str, Any]:
    """The Graph error catalog, shape-checked (every entry: title, cause, fix steps)."""
    data = load_catalog(CATALOG_FILE)
    require_table(data, "errors", ("title", "cause", "fix"), CATALOG_FILE)
    for name, entry in data["errors"].items():
        if not isinstance(entry["fix"], list) or not all(entry["fix"]):
            raise CatalogError(f"{CATALOG_FILE}: errors.{name}.fix must list steps")
    return data


def _entry(key: str, values: dict[str, str], support: tuple[tuple[str, str], ...]) -> Diagnosis:
    entry = catalog()["errors"][key]

    def fill(text: str) -> str:
        for name, value in values.items():
            text = text.replace("{" + name + "}", value)
        return text

    steps = tuple(s for s in (fill(step) for step in entry["fix"]) if s.strip())
    return Diagnosis(
        code=values.get("code_label", key), title=fill(entry["title"]),
        cause=" ".join(fill(entry["cause"]).split()), fix=steps, link=entry.get("link", ""),
        support=support,
    )  # fmt: skip


def _api_of(result: ApiCallResult, roots: tuple[str, ...]) -> tuple[bool, str]:
    """(is a Graph call, the API's identifier as an audience would name it)."""
    located = graph_path(result.url, roots)
    if located is not None:
        return True, "https://graph.microsoft.com (Microsoft Graph)"
    return False, "this API"


def diagnose_call(
    result: ApiCallResult,
    facts: TokenFacts,
    check: PermissionCheck | None,
    roots: tuple[str, ...],
    *,
    now: float | None = None,
) -> Diagnosis | None:
    """The diagnosis of a refused call (401, 403, or /me with an app-only token); else None."""
    status = result.status
    if status not in (400, 401, 403):
        return None
    when = result.received_at or (time.time() if now is None else now)
    is_graph, api = _api_of(result, roots)
    code = result.error_code
    support = tuple(
        (label, value)
        for label, value in (
            ("HTTP status", f"{status} {result.reason}".strip()),
            ("Error code", code),
            ("request-id", result.header("request-id") or _inner(result, "request-id")),
            ("client-request-id", result.header("client-request-id")
             or _inner(result, "client-request-id")),
            ("Date", _inner(result, "date") or result.header("Date")),
        )
        if value
    )  # fmt: skip
    values = {
        "message": result.error_message or "(no message)",
        "code": code or str(status),
        "code_suffix": f" ({code})" if code else "",
        "api": api,
        "audience": facts.audience or "(none)",
        "kind": facts.kind,
        "kind_claim": "roles (application permissions)" if facts.app_only
        else "scopes (scp, delegated permissions)",
        "check": check.text if check is not None else "",
        "permission_fix": _permission_fix(check, facts),
        "scope": "https://graph.microsoft.com/.default" if is_graph else "{API}/.default",
        "resource_uri": "https://graph.microsoft.com" if is_graph else "the API's App ID URI",
        "expires": "",
    }  # fmt: skip
    if status == 400:
        located = graph_path(result.url, roots)
        if located and located[1].lower().startswith("/me") and facts.app_only:
            return _entry("me_app_only", {**values, "code_label": "BadRequest"}, support)
        return None
    if status == 401:
        if facts.expires_at is not None and facts.expires_at + _SKEW_S < when:
            values["expires"] = (f"{relative_to_now(facts.expires_at, when)} "
                                 f"({utc_text(facts.expires_at)})")  # fmt: skip
            return _entry("expired", {**values, "code_label": code or "HTTP 401"}, support)
        if facts.readable and is_graph and not is_graph_audience(facts.audience):
            return _entry("wrong_audience", {**values, "code_label": code or "HTTP 401"}, support)
        if "audience" in result.error_message.lower():
            return _entry("wrong_audience", {**values, "code_label": code or "HTTP 401"}, support)
        if code == "InvalidAuthenticationToken":
            return _entry("invalid_token", {**values, "code_label": code}, support)
        return _entry("http_401", {**values, "code_label": code or "HTTP 401"}, support)
    if code in ("Authorization_RequestDenied", "Forbidden", "ErrorAccessDenied"):
        return _entry(code, {**values, "code_label": code}, support)
    if code in ("AccessDenied", "accessDenied"):
        return _entry("Forbidden", {**values, "code_label": code}, support)
    return _entry("http_403", {**values, "code_label": code or "HTTP 403"}, support)


def _inner(result: ApiCallResult, name: str) -> str:
    body = result.body_json
    if not isinstance(body, dict) or not isinstance(body.get("error"), dict):
        return ""
    inner = body["error"].get("innerError") or body["error"].get("innererror")
    value = inner.get(name) if isinstance(inner, dict) else None
    return value if isinstance(value, str) else ""


def _permission_fix(check: PermissionCheck | None, facts: TokenFacts) -> str:
    if check is not None and check.fix:
        return check.fix
    if facts.app_only:
        return (
            "Add the application permission (app role) the call needs under App "
            "registrations > API permissions, grant admin consent, and request a new token."
        )
    return (
        "Add the delegated permission (scope) the call needs under App registrations > API "
        "permissions, consent to it, and sign in again for a new token."
    )
