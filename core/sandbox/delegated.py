"""The sandbox's token side of delegated sign-in: the device code endpoint, and the
authorization_code, refresh_token and device_code grants (with PKCE, code reuse, expiry,
consent, rotation of refresh tokens) checked like Entra does."""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import replace
from typing import Any

from core.sandbox import directory as d
from core.sandbox.assertions import JWT_BEARER, JtiStore, check_assertion
from core.sandbox.authorize import find_app, target
from core.sandbox.device_page import DEVICE_PAGE, new_user_code
from core.sandbox.errors import EntraError
from core.sandbox.issuer import TokenCall, _authenticate, _client_auth, id_token, is_guid, mint
from core.sandbox.signin_state import DEVICE_LIFETIME_S, DeviceGrant, SignInState

DEVICE_GRANTS = ("urn:ietf:params:oauth:grant-type:device_code", "device_code")
DELEGATED_GRANTS = ("authorization_code", "refresh_token", *DEVICE_GRANTS)
SLOW_DOWN_MARGIN_S = 0.25


class OAuthError(Exception):
    """An RFC error with no AADSTS code (slow_down, authorization_declined)."""

    def __init__(self, error: str, description: str) -> None:
        super().__init__(error)
        self.error, self.description = error, description


def device_code_response(
    version: str, tenant: d.Tenant | None, form: dict[str, str], state: SignInState, base_url: str
) -> dict[str, Any]:
    client_id = form.get("client_id", "").strip()
    if not client_id:
        raise EntraError(900144, name="client_id")
    app = find_app(client_id, tenant)
    if not app.public:
        raise EntraError(7000218)
    home = d.tenant_by_id(app.tenant_id)
    if version == "v2" and "resource" in form:
        raise EntraError(901002)
    api, resource, named = target(version, form.get("scope", ""), form.get("resource", ""), home)
    user_code = new_user_code()
    grant = DeviceGrant(
        version,
        app,
        home,
        api,
        resource,
        named,
        form.get("scope", ""),
        user_code,
        state.now() + DEVICE_LIFETIME_S,
        state.device_interval_s,
    )
    device_code = state.new_device(grant)
    uri = base_url + DEVICE_PAGE
    message = (
        f"To sign in, use a web browser to open the page {uri} and enter the code "
        f"{user_code} to authenticate."
    )
    if version == "v1":
        return {
            "user_code": user_code,
            "device_code": device_code,
            "verification_url": uri,
            "expires_in": str(DEVICE_LIFETIME_S),
            "interval": str(grant.interval),
            "message": message,
        }
    return {
        "user_code": user_code,
        "device_code": device_code,
        "verification_uri": uri,
        "expires_in": DEVICE_LIFETIME_S,
        "interval": grant.interval,
        "message": message,
    }


def _app(call: TokenCall, tenant: d.Tenant | None, grant: str) -> d.App:
    client_id, secret = _client_auth(call)
    if not client_id:
        raise EntraError(900144, name="client_id")
    if not is_guid(client_id):
        raise EntraError(90112, client_id=client_id)
    app = find_app(client_id, tenant)
    if not app.enabled:
        raise EntraError(7000112, client_id=app.client_id, app_name=app.name)
    assertion = call.form.get("client_assertion", "").strip()
    if call.form.get("client_assertion_type", "").strip() != JWT_BEARER:
        assertion = ""
    if assertion and not app.public:
        check_assertion(app, assertion, call.token_urls(app.tenant_id), call.jtis or JtiStore())
        return app
    _authenticate(app, secret or (assertion or None), grant, replicating=call.replicating)
    return app


def _s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii", errors="replace")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def delegated_response(
    call: TokenCall, tenant: d.Tenant | None, state: SignInState, base_url: str
) -> dict[str, Any]:
    form = call.form
    grant = form.get("grant_type", "").strip()
    if call.version == "v2" and "resource" in form:
        raise EntraError(901002)
    app = _app(call, tenant, grant)
    if grant == "authorization_code":
        return _code(call, app, state, base_url)
    if grant == "refresh_token":
        return _refresh(call, app, state, base_url)
    return _device(call, app, state, base_url)


def _code(call: TokenCall, app: d.App, state: SignInState, base_url: str) -> dict[str, Any]:
    code = call.form.get("code", "")
    if not code:
        raise EntraError(900144, name="code")
    found = state.take_code(code)
    if found is None or found.request.app.client_id != app.client_id:
        raise EntraError(9002313)
    if found.redeemed:
        raise EntraError(54005)
    if state.now() > found.expires_at:
        raise EntraError(70008)
    request = found.request
    if call.form.get("redirect_uri", "") != request.redirect_uri:
        raise EntraError(
            50011, redirect_uri=call.form.get("redirect_uri", ""), client_id=app.client_id
        )
    if request.challenge:
        verifier = call.form.get("code_verifier", "")
        sent = _s256(verifier) if request.method == "S256" else verifier
        if not verifier or not secrets.compare_digest(sent, request.challenge):
            raise EntraError(501481)
    scope = call.form.get("scope", "") or request.scope
    return tokens(
        call,
        app,
        found.user,
        request.api,
        request.resource,
        request.named,
        scope,
        state,
        base_url,
        nonce=request.nonce,
    )


def _refresh(call: TokenCall, app: d.App, state: SignInState, base_url: str) -> dict[str, Any]:
    token = call.form.get("refresh_token", "")
    if not token:
        raise EntraError(900144, name="refresh_token")
    found = state.refresh_tokens.get(token)
    if found is None or found.app.client_id != app.client_id:
        raise EntraError(9002313)
    if state.now() > found.expires_at:
        raise EntraError(70008)
    scope = call.form.get("scope", "")
    api, resource, named = target(call.version, scope, call.form.get("resource", ""), found.tenant)
    return tokens(call, app, found.user, api, resource, named, scope, state, base_url)


def _device(call: TokenCall, app: d.App, state: SignInState, base_url: str) -> dict[str, Any]:
    key = call.form.get("device_code", "") or call.form.get("code", "")
    if not key:
        raise EntraError(900144, name="device_code")
    grant = state.devices.get(key)
    if grant is None or grant.app.client_id != app.client_id or grant.status == "redeemed":
        raise EntraError(70018)
    now = state.now()
    if now > grant.expires_at:
        raise EntraError(70019)
    if grant.status == "declined":
        raise OAuthError("authorization_declined", "The end user denied the authorization request.")
    if grant.status == "mfa":
        raise EntraError(50076, resource=grant.api.app_id)
    if grant.status == "pending" or grant.user is None:
        early = grant.last_poll and now - grant.last_poll < grant.interval - SLOW_DOWN_MARGIN_S
        state.set_device(key, replace(grant, last_poll=now))
        if early:
            raise OAuthError(
                "slow_down", "Polling too fast: wait at least the interval between polls."
            )
        raise EntraError(70016)
    if grant.slow_down_once:
        state.set_device(key, replace(grant, slow_down_once=False, last_poll=now))
        raise OAuthError("slow_down", "Polling too fast: wait at least the interval between polls.")
    state.set_device(key, replace(grant, status="redeemed"))
    return tokens(
        call, app, grant.user, grant.api, grant.resource, grant.named, grant.scope, state, base_url
    )


def tokens(
    call: TokenCall,
    app: d.App,
    user: d.User,
    api: d.Api,
    resource: str,
    named: tuple[str, ...],
    scope: str,
    state: SignInState,
    base_url: str,
    *,
    nonce: str = "",
) -> dict[str, Any]:
    """The token answer of a delegated grant: access token, refresh token (rotated: a new one
    every time, the old one still valid), ID token when `openid` was asked."""
    tenant = d.tenant_by_id(app.tenant_id)
    consented = state.consented(user, app, api)
    if not consented or any(n not in consented for n in named):
        raise EntraError(
            65001,
            client_id=app.client_id,
            app_name=app.name,
            extra={"suberror": "consent_required"},
        )
    granted = tuple(sorted(consented))
    scp = " ".join(granted)
    acr = "0" if app.public else "1"
    token, exp, nbf = mint(
        app=app,
        tenant=tenant,
        api=api,
        requested=resource,
        endpoint=call.version,
        base_url=base_url,
        user=user,
        scp=scp,
        acr=acr,
    )
    words = scope.split()
    oidc = [s for s in ("openid", "profile", "email") if s in words]
    prefix = "" if api is d.GRAPH else api.uri + "/"
    body: dict[str, Any] = {"token_type": "Bearer"}
    if call.version == "v2":
        body.update(
            scope=" ".join([*(prefix + s for s in granted), *oidc]),
            expires_in=app.lifetime_s,
            ext_expires_in=app.lifetime_s,
        )
    else:
        body.update(
            scope=scp,
            expires_in=str(app.lifetime_s),
            ext_expires_in=str(app.lifetime_s),
            expires_on=str(exp),
            not_before=str(nbf),
            resource=resource,
        )
    body["access_token"] = token
    if call.version == "v1" or "offline_access" in words:
        body["refresh_token"] = state.issue_refresh_token(app, tenant, user)
    if call.version == "v2" and "openid" in words:
        body["id_token"] = id_token(app, tenant, user, base_url, nonce)
    return body
