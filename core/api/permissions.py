"""Which Microsoft Graph permissions a call needs (resources/graph_permissions.json, from
Microsoft's API reference pages) and whether a token's `roles` or `scp` hold them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from core.api.target import TokenFacts, graph_path, is_graph_audience
from core.insight.catalog import CatalogError, load_catalog

CATALOG_FILE = "graph_permissions.json"
_PLACEHOLDER = re.compile(r"\{([A-Za-z][A-Za-z-]*)\}")


@dataclass(frozen=True)
class CatalogCall:
    """One catalog entry: a call pattern and the permission options of each kind."""

    method: str
    path: str
    description: str
    application: tuple[tuple[tuple[str, ...], ...], tuple[tuple[str, ...], ...]]  # least, higher
    delegated: tuple[tuple[tuple[str, ...], ...], tuple[tuple[str, ...], ...]]
    source: str
    note: str
    pattern: re.Pattern[str]

    @property
    def label(self) -> str:
        return f"{self.method} {self.path}"

    def options(self, kind: str) -> tuple[tuple[tuple[str, ...], ...], tuple[tuple[str, ...], ...]]:
        return self.application if kind == "application" else self.delegated


@dataclass(frozen=True)
class PermissionCheck:
    """The check before sending. `state`: "has" (the token holds a permission that allows the
    call), "lacks", "impossible" (no permission of the token's kind allows it, e.g. /me with an
    app-only token), "own_app" (an app reading its own application object needs none),
    "unknown" (a Graph call the catalog does not list), "wrong_audience" (not a Graph token)."""

    state: str
    kind: str  # "application" or "delegated"
    call: str  # the catalog pattern, e.g. "GET /users/{id}"
    needed: tuple[str, ...]  # the least privileged option(s), names
    held: tuple[str, ...]  # the option the token holds
    text: str
    fix: str = ""
    source: str = ""

    @property
    def blocks(self) -> bool:
        """True when the call will be refused whatever the API is asked."""
        return self.state in ("lacks", "impossible", "wrong_audience")


def _pattern(path: str) -> re.Pattern[str]:
    out, pos = [], 0
    for m in _PLACEHOLDER.finditer(path):
        out.append(re.escape(path[pos : m.start()]))
        out.append(".+" if m.group(1) == "relative-path" else r"[^/()']+")
        pos = m.end()
    out.append(re.escape(path[pos:]))
    return re.compile("".join(out), re.IGNORECASE)


def _entry(e: dict[str, Any]) -> CatalogCall:
    return CatalogCall(
        method=e["method"], path=e["path"], description=e.get("description", ""),
        application=_tiers(e, "application"), delegated=_tiers(e, "delegated"),
        source=e["source"], note=e.get("note", ""), pattern=_pattern(e["path"]),
    )  # fmt: skip


def _tiers(entry: dict[str, Any], kind: str) -> Any:
    return tuple(tuple(tuple(o) for o in entry[kind][tier]) for tier in ("least", "higher"))


@lru_cache(maxsize=1)
def catalog() -> tuple[CatalogCall, ...]:
    """The catalog, most specific patterns first (fewest placeholders, then longest)."""
    data = load_catalog(CATALOG_FILE)
    calls = data.get("calls")
    if not isinstance(calls, list) or not calls:
        raise CatalogError(f"{CATALOG_FILE}: 'calls' must be a non-empty list")
    out = [_entry(e) for e in calls]
    return tuple(sorted(out, key=lambda c: (c.path.count("{"), -len(c.path))))


def find_call(method: str, path: str) -> CatalogCall | None:
    """The catalog entry for a method and a Graph path (after /v1.0), or None."""
    for call in catalog():
        if call.method == method.upper() and call.pattern.fullmatch(path.rstrip("/") or "/"):
            return call
    return None


def _names(options: tuple[tuple[str, ...], ...]) -> tuple[str, ...]:
    return tuple(" + ".join(o) for o in options)


def _or(names: tuple[str, ...]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def check_permissions(
    method: str, url: str, facts: TokenFacts, roots: tuple[str, ...]
) -> PermissionCheck | None:
    """Compare a Graph call's permissions with the token's; None when the URL is not Graph or
    the token cannot be read."""
    located = graph_path(url, roots)
    if located is None or not facts.readable:
        return None
    _, path = located
    kind = facts.kind
    if not is_graph_audience(facts.audience):
        return PermissionCheck(
            "wrong_audience", kind, f"{method.upper()} {path}", (), (),
            f"This token is for {facts.audience or 'no audience'}, not Microsoft Graph: Graph "
            "refuses it whatever its permissions.",
            "Request a token for Microsoft Graph (scope https://graph.microsoft.com/.default).",
        )  # fmt: skip
    call = find_call(method, path)
    if call is None:
        return PermissionCheck("unknown", kind, f"{method.upper()} {path}", (), (),
                               "This Graph call is not in the tester's permissions catalog: "
                               "see its page in the Microsoft Graph API reference.")  # fmt: skip
    least, higher = call.options(kind)
    held_names = set(facts.roles if facts.app_only else facts.scopes)
    needed = _names(least)
    label = f"This call ({call.label}) needs {_or(needed)} ({kind})" if needed else ""
    if not least and not higher:
        other = "delegated" if kind == "application" else "application"
        text = f"No {kind} permission allows {call.label}."
        fix = f"Call it with a {other} token" + (
            ", or use /users/{id} instead of /me." if path.lower().startswith("/me") else "."
        )
        return PermissionCheck("impossible", kind, call.label, (), (), text, fix, call.source)
    own = _own_application(path, facts)
    for option in (*least, *higher):
        if set(option) <= held_names:
            held = " + ".join(option)
            if option in least:
                text = f"{label}; the token has it."
            else:
                text = f"{label}; the token has {held}, which also allows it (more than needed)."
            return PermissionCheck("has", kind, call.label, needed, option, text, "", call.source)
    if own:
        text = (f"{label}, but an app may read its own application object without any "
                "permission, and this token belongs to that app.")  # fmt: skip
        return PermissionCheck("own_app", kind, call.label, needed, (), text, "", call.source)
    if kind == "application":
        fix = (
            f"Add {needed[0]} (Application permission) under App registrations > API "
            "permissions and grant admin consent, then request a new token."
        )
    else:
        fix = (
            f"Add {needed[0]} (Delegated permission) under App registrations > API "
            "permissions, consent to it (an admin for permissions that need it), then sign "
            "in again for a new token."
        )
    text = f"{label}; the token lacks it: add it under API permissions and grant admin consent."
    return PermissionCheck("lacks", kind, call.label, needed, (), text, fix, call.source)


def _own_application(path: str, facts: TokenFacts) -> bool:
    m = re.fullmatch(r"/applications\(appId='([^']+)'\)", path, re.IGNORECASE)
    return bool(m and facts.app_id and m.group(1).lower() == facts.app_id.lower())
