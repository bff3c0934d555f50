"""The sandbox: a local identity provider that behaves like Entra ID, for demos and tests.

It shares no code with the client side of `core` (a test enforces it): it is an independent
implementation of Entra's behaviour, so a client mistake cannot be mirrored here unnoticed.
"""

from __future__ import annotations

from typing import Any

from core.sandbox import directory as _d
from core.sandbox.errors import EMITTED_CODES
from core.sandbox.scenarios import Scenario, scenarios
from core.sandbox.service import Sandbox

__all__ = ["EMITTED_CODES", "Sandbox", "Scenario", "describe", "scenarios"]


def describe() -> dict[str, Any]:
    """The demo directory and the scenarios, as plain JSON-able data."""
    by_id = {api.app_id: api for api in _d.APIS}
    return {
        "tenants": [{"id": t.id, "domain": t.domain, "name": t.name} for t in _d.TENANTS],
        "apis": [
            {
                "name": a.name,
                "app_id": a.app_id,
                "identifier_uri": a.uri,
                "app_roles": list(a.app_roles),
                "scopes": list(a.scopes),
                "token_version": "1.0 (with header nonce)" if a.nonce else "follows the endpoint",
            }
            for a in _d.APIS
        ],
        "apps": [
            {
                "name": app.name,
                "client_id": app.client_id,
                "tenant_id": app.tenant_id,
                "type": "public" if app.public else "confidential",
                "enabled": app.enabled,
                "secrets": [
                    {
                        "value": s.value,
                        "secret_id": s.key_id,
                        "description": s.display_name,
                        "expires": s.expires_at().date().isoformat(),
                        "expired": s.expired(),
                    }
                    for s in app.secrets
                ],
                "granted_roles": {by_id[k].uri: list(v) for k, v in app.roles.items()},
                "consented_scopes": {by_id[k].uri: list(v) for k, v in app.delegated.items()},
                "token_lifetime_s": app.lifetime_s,
                "note": app.note,
            }
            for app in _d.APPS
        ],
        "users": [
            {
                "upn": u.upn,
                "name": u.display_name,
                "password": u.password,
                "tenant_id": u.tenant_id,
                "sign_in": u.note,
            }
            for u in _d.USERS
        ]
        + [
            {
                "upn": _d.UNKNOWN_USER,
                "name": "",
                "password": _d.PASSWORD,
                "tenant_id": "",
                "sign_in": "not in any directory (AADSTS50034)",
            }
        ],
        "fault_tenants": [
            {"domain": f.domain, "fault": f.key, "behaviour": f.description} for f in _d.FAULTS
        ],
        "unknown_tenant_id": _d.UNKNOWN_TENANT_ID,
        "scenarios": [
            {
                "key": s.key,
                "title": s.title,
                "description": s.description,
                "expect": s.expect,
                "needs_tls": s.needs_tls,
                "form": dict(s.form),
            }
            for s in scenarios()
        ],
    }
