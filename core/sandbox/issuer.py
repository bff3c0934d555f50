"""The token endpoint's decisions: check a request like Entra does, then mint the response."""

from __future__ import annotations

import base64
import re
import secrets
import time
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote_plus

from core.sandbox import directory as d
from core.sandbox.assertions import JWT_BEARER, JtiStore, check_assertion
from core.sandbox.errors import EntraError
from core.sandbox.keys import signing_key
from core.sandbox.signin_state import SignInState

ALIASES = ("common", "organizations", "consumers")
_GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)
_DOMAIN = re.compile(r"^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$", re.I)
SKEW_S = 300  # Entra back-dates iat/nbf by five minutes


@dataclass(frozen=True)
class TokenCall:
    """One POST to a token endpoint, as the server received it."""

    version: str  # "v1" or "v2"
    tenant: str  # the tenant path segment as sent
    form: dict[str, str]
    authorization: str = ""
    base_url: str = ""  # the sandbox's address, for the assertion audience
    jtis: JtiStore | None = None  # client-assertion ids already used (replays are refused)
    replicating: bool = False  # the just-created secret has not reached this server yet
    signin: SignInState | None = None  # codes, device codes, refresh tokens, consents

    def token_urls(self, tenant_id: str) -> tuple[str, ...]:
        """The URLs a client assertion's aud may name: the one posted to, or its GUID form."""
        path = "oauth2/token" if self.version == "v1" else "oauth2/v2.0/token"
        return (f"{self.base_url}/{self.tenant}/{path}", f"{self.base_url}/{tenant_id}/{path}")


def is_guid(text: str) -> bool:
    return bool(_GUID.match(text))


def resolve_tenant(segment: str) -> tuple[d.Tenant | None, d.Fault | None]:
    """The tenant for a path segment (None for an alias); raises 900023 or 90002."""
    value = segment.strip()
    if value.lower() in ALIASES:
        return None, None
    if not (is_guid(value) or _DOMAIN.match(value)):
        raise EntraError(900023, tenant=value)
    tenant, fault = d.find_tenant(value)
    if tenant is None:
        raise EntraError(90002, tenant=value)
    return tenant, fault


def _client_auth(call: TokenCall) -> tuple[str, str | None]:
    """The client ID and secret, from the body or HTTP Basic (RFC 6749 2.3.1)."""
    client_id = call.form.get("client_id", "").strip()
    secret = call.form.get("client_secret")
    scheme, _, value = call.authorization.partition(" ")
    if scheme.lower() == "basic" and value:
        try:
            pair = base64.b64decode(value.strip(), validate=True).decode("utf-8")
        except ValueError:
            pair = ""
        basic_id, sep, basic_secret = pair.partition(":")
        if sep:
            client_id = client_id or unquote_plus(basic_id)
            if secret is None:
                secret = unquote_plus(basic_secret)
    return client_id, secret or None


def check_request(call: TokenCall, tenant: d.Tenant | None) -> tuple[d.App, str]:
    """Run the checks shared by every grant; returns the authenticated app and how it
    authenticated (`appidacr`: "0" public client, "1" secret, "2" certificate or federated)."""
    form = call.form
    grant = form.get("grant_type", "").strip()
    if not grant:
        raise EntraError(900144, name="grant_type")
    if grant not in ("client_credentials", "password"):
        raise EntraError(70003, grant=grant)
    if call.version == "v2" and "resource" in form:
        raise EntraError(901002)
    client_id, secret = _client_auth(call)
    if not client_id:
        raise EntraError(900144, name="client_id")
    if not is_guid(client_id):
        raise EntraError(90112, client_id=client_id)
    alias = call.tenant.strip().lower()
    if tenant is None:
        if grant == "client_credentials":
            raise EntraError(50059)
        if alias != "organizations":
            raise EntraError(9001023)
        user_domain = form.get("username", "").rpartition("@")[2]
        tenant, _ = d.find_tenant(user_domain) if user_domain else (None, None)
        if tenant is None:
            raise EntraError(50034, upn=form.get("username", ""), tenant_id="organizations")
    app = d.find_app(client_id, tenant.id)
    if app is None:
        raise EntraError(700016, client_id=client_id, tenant_name=tenant.name)
    if not app.enabled:
        raise EntraError(7000112, client_id=app.client_id, app_name=app.name)
    assertion = form.get("client_assertion", "").strip()
    if form.get("client_assertion_type", "").strip() != JWT_BEARER:
        assertion = ""  # an assertion of an unknown type is no credential
    if assertion and not app.public:
        check_assertion(app, assertion, call.token_urls(tenant.id), call.jtis or JtiStore())
        return app, "2"
    _authenticate(app, secret or (assertion or None), grant, replicating=call.replicating)
    return app, "0" if app.public else "1"


def _authenticate(app: d.App, secret: str | None, grant: str, *, replicating: bool) -> None:
    if app.public:
        if secret is not None:
            raise EntraError(700025)
        if grant == "client_credentials":
            raise EntraError(7000216)
        return
    if secret is None:
        raise EntraError(7000216 if grant == "client_credentials" else 7000218)
    match = next((s for s in app.secrets if secrets.compare_digest(s.value, secret)), None)
    if match is None or (match.new and replicating):  # not replicated yet: looks unknown
        raise EntraError(7000215, client_id=app.client_id)
    if match.expired():
        raise EntraError(7000222, client_id=app.client_id)


def _api_for(identifier: str, tenant: d.Tenant) -> d.Api:
    api = d.find_api(identifier)
    if api is None:
        raise EntraError(500011, resource=identifier, tenant_name=tenant.name)
    return api


def app_only_target(call: TokenCall, tenant: d.Tenant) -> tuple[d.Api, str]:
    """The API of a client-credentials request and the audience as requested."""
    if call.version == "v1":
        resource = call.form.get("resource", "").strip()
        if not resource:
            raise EntraError(900144, name="resource")
        return _api_for(resource, tenant), resource
    scope = call.form.get("scope", "").strip()
    if not scope:
        raise EntraError(900144, name="scope")
    scopes = scope.split()
    if not all(s.endswith("/.default") and len(s) > len("/.default") for s in scopes):
        raise EntraError(1002012, scope=scope)
    resources = {s[: -len("/.default")] for s in scopes}
    if len(resources) > 1:
        raise EntraError(700022, scope=scope)
    resource = resources.pop()
    return _api_for(resource, tenant), resource


def user_target(call: TokenCall, tenant: d.Tenant) -> tuple[d.Api, str, tuple[str, ...]]:
    """API, audience and the named delegated scopes asked for (none for `.default` or v1)."""
    if call.version == "v1":
        resource = call.form.get("resource", "").strip()
        if not resource:
            raise EntraError(900144, name="resource")
        return _api_for(resource, tenant), resource, ()
    scope = call.form.get("scope", "").strip()
    if not scope:
        raise EntraError(900144, name="scope")
    apis: dict[str, tuple[d.Api, str]] = {}
    named: list[str] = []
    for item in scope.split():
        if item in d.OIDC_SCOPES:
            continue
        prefix, sep, name = item.rpartition("/")
        api = _api_for(prefix, tenant) if sep else d.GRAPH
        apis[api.app_id] = (api, prefix if sep else d.GRAPH_URI)
        if name in api.scopes:
            named.append(name)
        elif name != ".default":
            raise EntraError(70011, scope=item)
    if len(apis) > 1:
        raise EntraError(700022, scope=scope)
    api, resource = next(iter(apis.values())) if apis else (d.GRAPH, d.GRAPH_URI)
    return api, resource, tuple(named)


def sign_in(call: TokenCall, tenant: d.Tenant, api: d.Api) -> d.User:
    """Check the user and password; raise the AADSTS error of each failure case."""
    username = call.form.get("username", "").strip()
    password = call.form.get("password", "")
    if not username:
        raise EntraError(900144, name="username")
    if not password:
        raise EntraError(900144, name="password")
    user = d.find_user(username, tenant.id)
    if user is None:
        raise EntraError(50034, upn=username, tenant_id=tenant.id)
    if user.outcome == "locked":
        raise EntraError(50053)
    if not secrets.compare_digest(user.password.encode(), password.encode()):
        raise EntraError(50126)
    if user.outcome == "disabled":
        raise EntraError(50057)
    if user.outcome == "password_expired":
        raise EntraError(50055, extra={
            "suberror": "user_password_expired",
            "password_change_url": "https://portal.microsoftonline.com/ChangePassword.aspx",
        })  # fmt: skip
    if user.outcome == "mfa":
        raise EntraError(50076, resource=api.app_id, extra={
            "suberror": "basic_action",
            "claims": {"access_token": {"capolids": {"essential": True,
                                                    "values": [str(uuid.uuid4())]}}},
        })  # fmt: skip
    if user.outcome == "ca_blocked":
        raise EntraError(53003, extra={"suberror": "message_only"})
    return user


def _common_claims(app: d.App, tenant: d.Tenant, base_url: str, version: str,
                   audience: str, lifetime: int, now: int) -> dict[str, Any]:  # fmt: skip
    claims: dict[str, Any] = {
        "aud": audience,
        "iss": f"{base_url}/{tenant.id}/" if version == "1.0" else f"{base_url}/{tenant.id}/v2.0",
        "iat": now - SKEW_S,
        "nbf": now - SKEW_S,
        "exp": now + lifetime,
        "aio": b64(secrets.token_bytes(48)),
    }
    if version == "1.0":
        claims["idp"] = claims["iss"]
    return claims


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def mint(
    *, app: d.App, tenant: d.Tenant, api: d.Api, requested: str, endpoint: str,
    base_url: str, user: d.User | None = None, scp: str = "", acr: str = "1",
) -> tuple[str, int, int]:  # fmt: skip
    """Sign an access token; returns it with its exp and nbf. Graph tokens are v1 + nonce."""
    now = int(time.time())
    lifetime = app.lifetime_s
    version = "1.0" if (api.token_version == 1 or endpoint == "v1") else "2.0"
    audience = requested if version == "1.0" else api.app_id
    claims = _common_claims(app, tenant, base_url, version, audience, lifetime, now)
    if version == "1.0":
        if user is not None:
            claims.update(acr="1", amr=["pwd"])
        if api is d.GRAPH:
            claims["app_displayname"] = app.name
        claims.update(appid=app.client_id, appidacr=acr)
    else:
        claims.update(azp=app.client_id, azpacr=acr)
    if user is None:
        claims["idtyp"] = "app"
        claims["oid"] = app.object_id
        roles = app.roles.get(api.app_id, ())
        if roles:
            claims["roles"] = list(roles)
        claims["sub"] = app.object_id
    else:
        claims.update(idtyp="user", name=user.display_name, oid=user.object_id)
        if version == "1.0":
            claims.update(family_name=user.family_name, given_name=user.given_name,
                          ipaddr="127.0.0.1", unique_name=user.upn, upn=user.upn)  # fmt: skip
        else:
            claims["preferred_username"] = user.upn
        claims["scp"] = scp
        claims["sub"] = b64(uuid.uuid5(uuid.UUID(app.client_id), user.object_id).bytes * 2)[:43]
    claims.update(
        rh=b64(secrets.token_bytes(32)), tid=tenant.id, uti=b64(secrets.token_bytes(16)),
        ver=version,
    )  # fmt: skip
    nonce = b64(secrets.token_bytes(32)) if api.nonce else ""
    token = signing_key().sign(claims, x5t=version == "1.0", nonce=nonce)
    return token, claims["exp"], claims["nbf"]


def id_token(app: d.App, tenant: d.Tenant, user: d.User, base_url: str, nonce: str = "") -> str:
    """A v2 ID token for the signed-in user (asked for with `openid`), echoing the authorize
    request's `nonce` when it had one."""
    now = int(time.time())
    claims = {
        "aud": app.client_id, "iss": f"{base_url}/{tenant.id}/v2.0", "iat": now - SKEW_S,
        "nbf": now - SKEW_S, "exp": now + 3600, "name": user.display_name, "oid": user.object_id,
        "preferred_username": user.upn, "sub": user.object_id, "tid": tenant.id, "ver": "2.0",
    }  # fmt: skip
    if nonce:
        claims["nonce"] = nonce
    return signing_key().sign(claims, x5t=False)
