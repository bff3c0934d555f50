"""The token endpoint's answer: run the checks of `issuer`, then shape a v1 or v2 response."""

from __future__ import annotations

import secrets
from typing import Any

from core.sandbox import directory as d
from core.sandbox.delegated import DELEGATED_GRANTS, delegated_response
from core.sandbox.errors import EntraError
from core.sandbox.issuer import (
    TokenCall,
    app_only_target,
    b64,
    check_request,
    id_token,
    mint,
    sign_in,
    user_target,
)


def token_response(call: TokenCall, tenant: d.Tenant | None, base_url: str) -> dict[str, Any]:
    """The JSON body of a successful token response; raises EntraError for every refusal."""
    if call.form.get("grant_type", "").strip() in DELEGATED_GRANTS and call.signin is not None:
        return delegated_response(call, tenant, call.signin, base_url)
    app, acr = check_request(call, tenant)
    home = d.tenant_by_id(app.tenant_id)
    if call.form["grant_type"].strip() == "client_credentials":
        return _app_only(call, app, home, base_url, acr)
    return _user_flow(call, app, home, base_url, acr)


def _numbers(call: TokenCall, lifetime: int, exp: int, nbf: int) -> dict[str, Any]:
    if call.version == "v2":
        return {"expires_in": lifetime, "ext_expires_in": lifetime}
    return {
        "expires_in": str(lifetime),
        "ext_expires_in": str(lifetime),
        "expires_on": str(exp),
        "not_before": str(nbf),
    }


def _app_only(call: TokenCall, app: d.App, tenant: d.Tenant, base_url: str,
              acr: str) -> dict[str, Any]:  # fmt: skip
    api, requested = app_only_target(call, tenant)
    token, exp, nbf = mint(
        app=app, tenant=tenant, api=api, requested=requested, endpoint=call.version,
        base_url=base_url, acr=acr,
    )  # fmt: skip
    body: dict[str, Any] = {"token_type": "Bearer", **_numbers(call, app.lifetime_s, exp, nbf)}
    if call.version == "v1":
        body["resource"] = requested
    body["access_token"] = token
    return body


def _user_flow(call: TokenCall, app: d.App, tenant: d.Tenant, base_url: str,
               acr: str) -> dict[str, Any]:  # fmt: skip
    api, requested, named = user_target(call, tenant)
    user = sign_in(call, tenant, api)
    consented = app.delegated.get(api.app_id, ())
    missing = [name for name in named if name not in consented]
    if missing or not consented:
        raise EntraError(
            65001, client_id=app.client_id, app_name=app.name,
            extra={"suberror": "consent_required"},
        )  # fmt: skip
    granted = consented  # Entra grants every consented scope of the resource
    scp = " ".join(granted)
    token, exp, nbf = mint(
        app=app, tenant=tenant, api=api, requested=requested, endpoint=call.version,
        base_url=base_url, user=user, scp=scp, acr=acr,
    )  # fmt: skip
    requested_scopes = call.form.get("scope", "").split()
    oidc = [s for s in ("profile", "openid", "email") if s in requested_scopes]
    if api is d.GRAPH:
        scope_text = " ".join([*granted, *oidc])
    else:
        scope_text = " ".join([*(f"{api.uri}/{s}" for s in granted), *oidc])
    body: dict[str, Any] = {"token_type": "Bearer", "scope": scope_text if call.version ==
                            "v2" else scp, **_numbers(call, app.lifetime_s, exp, nbf)}  # fmt: skip
    if call.version == "v1":
        body["resource"] = requested
    body["access_token"] = token
    if call.version == "v1" or "offline_access" in requested_scopes:
        body["refresh_token"] = "0.A" + b64(secrets.token_bytes(96))
    if call.version == "v2" and "openid" in requested_scopes:
        body["id_token"] = id_token(app, tenant, user, base_url)
    return body
