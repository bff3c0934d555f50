"""Explain every claim of a token in plain words, from the catalog in resources/claims.json."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from core.insight.catalog import CatalogError, load_catalog, require_names, require_table
from core.timefmt import as_epoch, describe
from core.token.authority import PERSONAL_ACCOUNTS_TENANT

CATALOG_FILE = "claims.json"
_ENTRY_FIELDS = ("label", "explanation", "render")


@dataclass(frozen=True)
class ClaimRow:
    """One claim as the claims table shows it."""

    name: str
    label: str
    value_text: str
    explanation: str
    known: bool
    raw: Any


@lru_cache(maxsize=1)
def catalog() -> dict[str, Any]:
    """The claims catalog, loaded once and shape-checked."""
    data = load_catalog(CATALOG_FILE)
    for table in ("claims", "header"):
        require_table(data, table, _ENTRY_FIELDS, CATALOG_FILE)
    for table in ("applications", "resources", "resource_suffixes", "directory_roles", "amr"):
        require_names(data, table, CATALOG_FILE)
    require_table(data, "permissions", ("app", "delegated"), CATALOG_FILE)
    unknown = {e["render"] for t in ("claims", "header") for e in data[t].values()} - set(_RENDER)
    if unknown:
        raise CatalogError(f"{CATALOG_FILE}: unknown render kinds {sorted(unknown)}")
    return data


def _normalise_resource(value: str) -> str:
    text = value.strip().lower()
    if text.endswith("/.default"):
        text = text[: -len("/.default")]
    return text.rstrip("/")


def resource_name(aud_or_appid: str) -> str | None:
    """The name of a well-known Microsoft API or first-party app, by app ID or resource URI."""
    if not isinstance(aud_or_appid, str) or not aud_or_appid.strip():
        return None
    data = catalog()
    key = _normalise_resource(aud_or_appid)
    apps = {k.lower(): v for k, v in data["applications"].items()}
    if key in apps:
        return str(apps[key])
    resources = {k.lower().rstrip("/"): v for k, v in data["resources"].items()}
    if key in resources:
        return str(resources[key])
    host = (urlsplit(key).hostname or "") if "://" in key else ""
    for suffix, name in data["resource_suffixes"].items():
        if host.endswith(suffix.lower()):
            return str(name)
    return None


def directory_role_name(template_id: str) -> str | None:
    """The built-in directory role name for a `wids` template ID, when known."""
    value = catalog()["directory_roles"].get(str(template_id).lower())
    return str(value) if value else None


def is_privileged_role(template_id: str) -> bool:
    """True for directory roles that can take over the tenant or its apps."""
    return str(template_id).lower() in catalog().get("privileged_directory_roles", ())


def client_auth_text(value: Any) -> str:
    """`appidacr`/`azpacr` in words: public client, client secret, certificate."""
    return str(catalog()["client_auth"].get(str(value), ""))


def _plain(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple)):
        return ", ".join(_plain(v) for v in value)
    return json.dumps(value, ensure_ascii=False, default=str)


def _named(value: str, name: str | None) -> str:
    return f"{name} ({value})" if name else value


def _r_timestamp(value: Any, now: float) -> str:
    epoch = as_epoch(value)
    return describe(epoch, now) if epoch is not None else _plain(value)


def _r_audience(value: Any, now: float) -> str:
    values = value if isinstance(value, list) else [value]
    return ", ".join(_named(_plain(v), resource_name(_plain(v))) for v in values)


def _r_app(value: Any, now: float) -> str:
    return _named(_plain(value), resource_name(_plain(value)))


def _r_client_auth(value: Any, now: float) -> str:
    return _named(_plain(value), client_auth_text(value) or None)


def _r_idtyp(value: Any, now: float) -> str:
    words = {"app": "app-only (no user)", "user": "user (delegated)"}
    return _named(_plain(value), words.get(str(value)))


def _r_tenant(value: Any, now: float) -> str:
    if str(value).lower() == PERSONAL_ACCOUNTS_TENANT:
        return _named(_plain(value), "personal Microsoft accounts")
    return _plain(value)


def _r_version(value: Any, now: float) -> str:
    words = {"1.0": "v1 token", "2.0": "v2 token"}
    return _named(_plain(value), words.get(str(value)))


def _r_acr(value: Any, now: float) -> str:
    words = {"0": "no strong authentication", "1": "authenticated"}
    return _named(_plain(value), words.get(str(value)))


def _r_amr(value: Any, now: float) -> str:
    names = catalog()["amr"]
    values = value if isinstance(value, list) else [value]
    return ", ".join(_named(_plain(v), names.get(_plain(v))) for v in values)


def _r_scopes(value: Any, now: float) -> str:
    return ", ".join(_plain(value).split()) if isinstance(value, str) else _plain(value)


def _r_wids(value: Any, now: float) -> str:
    values = value if isinstance(value, list) else [value]
    return ", ".join(directory_role_name(_plain(v)) or f"unknown role {_plain(v)}" for v in values)


def _r_internal(value: Any, now: float) -> str:
    return f"{_plain(value)} (internal)"


def _r_text(value: Any, now: float) -> str:
    return _plain(value)


_RENDER: dict[str, Callable[[Any, float], str]] = {
    "timestamp": _r_timestamp,
    "audience": _r_audience,
    "issuer": _r_text,
    "app": _r_app,
    "client_auth": _r_client_auth,
    "idtyp": _r_idtyp,
    "tenant": _r_tenant,
    "version": _r_version,
    "acr": _r_acr,
    "amr": _r_amr,
    "scopes": _r_scopes,
    "roles": _r_text,
    "list": _r_text,
    "wids": _r_wids,
    "internal": _r_internal,
    "text": _r_text,
}


def _rows(
    claims: Mapping[str, Any], table: dict[str, Any], now: float | None
) -> tuple[ClaimRow, ...]:
    moment = time.time() if now is None else now
    rows = []
    for name, value in claims.items():
        entry = table.get(name)
        if entry is None:
            rows.append(ClaimRow(name, name, _plain(value), "Not in our catalog.", False, value))
            continue
        try:
            text = _RENDER[entry["render"]](value, moment)
        except (TypeError, ValueError, OverflowError):
            text = _plain(value)
        rows.append(ClaimRow(name, entry["label"], text, entry["explanation"], True, value))
    return tuple(rows)


def explain_claims(payload: Mapping[str, Any], *, now: float | None = None) -> tuple[ClaimRow, ...]:
    """One row per payload claim, in token order; unknown claims are shown as they are."""
    return _rows(payload, catalog()["claims"], now)


def explain_header(header: Mapping[str, Any]) -> tuple[ClaimRow, ...]:
    """One row per header field (typ, alg, kid, x5t, nonce...)."""
    return _rows(header, catalog()["header"], None)


def permission_text(name: str, *, app_only: bool) -> tuple[str, bool] | None:
    """What a role or scope allows, in words, and whether it is high privilege; None if unknown."""
    entry = catalog()["permissions"].get(name)
    if entry is None:
        return None
    return str(entry["app" if app_only else "delegated"]), bool(entry.get("high"))
