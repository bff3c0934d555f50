"""The sandbox: a local identity provider that behaves like Entra ID, for demos and tests.

It shares no code with the client side of `core` (a test enforces it): it is an independent
implementation of Entra's behaviour, so a client mistake cannot be mirrored here unnoticed.
"""

from __future__ import annotations

from typing import Any

from core.sandbox import directory as _d
from core.sandbox.certificates import FILES as _FILES
from core.sandbox.certificates import PFX_PASSWORD
from core.sandbox.errors import EMITTED_CODES
from core.sandbox.scenarios import Scenario, scenarios
from core.sandbox.service import Sandbox
from core.sandbox.signin_scenarios import SignInScenario, signin_scenarios
from core.sandbox.signin_state import REDIRECT_URIS as _REDIRECT_URIS

__all__ = [
    "EMITTED_CODES",
    "PFX_PASSWORD",
    "Sandbox",
    "Scenario",
    "SignInScenario",
    "describe",
    "scenarios",
    "signin_scenarios",
]


def _certificates(sandbox: Sandbox | None) -> list[dict[str, Any]]:
    """The demo certificates; thumbprints only for a running sandbox (they are made per run)."""
    from core.sandbox.certificates import demo_certificates

    out = []
    for cert in demo_certificates() if sandbox is not None else ():
        holders = [a.name for a in _d.APPS if cert.name in a.certificates]
        out.append({"name": cert.name, "description": cert.description,
                    "uploaded_to": holders, "thumbprint_sha1": cert.sha1,
                    "thumbprint_sha256": cert.sha256, "expired": cert.expired(),
                    "not_after": cert.cert.not_valid_after_utc.isoformat()})  # fmt: skip
    return out


def describe(
    sandbox: Sandbox | None = None, *, new_secret_delay_s: float | None = None
) -> dict[str, Any]:
    """The demo directory and the scenarios, as plain JSON-able data.

    With a running sandbox, the files it wrote (certificates, tokens) carry their paths and the
    certificates their thumbprints; without one, the files are named (they are made at start).
    The just-created secret carries its replication delay: the sandbox's, else the one given.
    """
    by_id = {api.app_id: api for api in _d.APIS}
    delay = sandbox.new_secret_delay_s if sandbox is not None else new_secret_delay_s
    delay = _d.DEFAULT_NEW_SECRET_DELAY_S if delay is None else delay
    folder = str(sandbox.files_dir) if sandbox is not None else None
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
                        "new": s.new,
                        "replication_delay_s": delay if s.new else None,
                    }
                    for s in app.secrets
                ],
                "granted_roles": {by_id[k].uri: list(v) for k, v in app.roles.items()},
                "consented_scopes": {by_id[k].uri: list(v) for k, v in app.delegated.items()},
                "token_lifetime_s": app.lifetime_s,
                "note": app.note,
                "certificates": list(app.certificates),
                "federated_credentials": [
                    {
                        "name": f.name,
                        "issuer": f.issuer,
                        "subject": f.subject,
                        "audience": f.audience,
                    }
                    for f in app.federated
                ],
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
        "files_dir": folder,
        "files": [
            {"file": name, "path": f"{folder}/{name}" if folder else None, "content": text}
            for name, text in _FILES.items()
        ],
        "pfx_password": PFX_PASSWORD,
        "certificates": _certificates(sandbox),
        "external_issuer": _d.EXTERNAL_ISSUER,
        "scenarios": [
            {
                "key": s.key,
                "title": s.title,
                "description": s.description,
                "expect": s.expect,
                "needs_tls": s.needs_tls,
                "wait_new": s.wait_new,
                "form": sandbox.scenario_form(s.form) if sandbox is not None else dict(s.form),
            }
            for s in scenarios()
        ],
        "redirect_uris": {app: list(uris) for app, uris in _REDIRECT_URIS.items()},
        "device_login_page": f"{sandbox.base_url}/devicelogin" if sandbox is not None else None,
        "signin_scenarios": [
            {
                "key": s.key,
                "title": s.title,
                "description": s.description,
                "expect": s.expect,
                "user": s.user,
                "password": s.password if s.user else "",
                "consent": s.consent,
                "redirect_host": s.redirect_host,
                "form": sandbox.scenario_form(s.form) if sandbox is not None else dict(s.form),
            }
            for s in signin_scenarios()
        ],
    }
