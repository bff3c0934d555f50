"""Issued tokens: signed by the key the discovery documents publish, with Entra's claims."""

from __future__ import annotations

import base64
import hashlib
import json
import time
from typing import Any

import jwt
import pytest
import requests

from core.sandbox import Sandbox, scenarios
from core.sandbox import directory as d
from core.token.client import request_token
from core.token.result import Outcome, TokenResult
from tests.core.sandbox.conftest import to_inputs

FORMS = {s.key: s.form for s in scenarios()}


def _token(sandbox: Sandbox, key: str, **changes: str) -> TokenResult:
    result = request_token(to_inputs({**FORMS[key], **changes}, sandbox.base_url))
    assert result.outcome is Outcome.TOKEN, result.body_text[:300]
    return result


def _access(result: TokenResult) -> str:
    assert result.token is not None and result.token.access_token is not None
    return result.token.access_token.reveal()


def _verify(
    sandbox: Sandbox, token: str, version: str, tenant: str = d.CONTOSO.id
) -> dict[str, Any]:
    """Verify like an API would: discovery of the token's version -> jwks_uri -> kid -> RS256."""
    path = (
        ".well-known/openid-configuration"
        if version == "v1"
        else "v2.0/.well-known/openid-configuration"
    )
    config = requests.get(f"{sandbox.base_url}/{tenant}/{path}", timeout=5).json()
    keys = requests.get(config["jwks_uri"], timeout=5).json()["keys"]
    kid = jwt.get_unverified_header(token)["kid"]
    (jwk,) = [k for k in keys if k["kid"] == kid]
    key = jwt.PyJWK(jwk).key
    claims = jwt.decode(
        token,
        key,
        algorithms=config["id_token_signing_alg_values_supported"],
        options={"verify_aud": False},
        issuer=config["issuer"],
    )
    assert config["token_endpoint"].startswith(f"{sandbox.base_url}/{d.CONTOSO.id}/oauth2/")
    return claims


def test_v2_api_token_verifies_and_has_v2_claims(sandbox: Sandbox) -> None:
    """A v2 custom-API token verifies against v2 discovery and carries azp, roles, idtyp app."""
    token = _access(_token(sandbox, "cc-v2-api"))
    header = jwt.get_unverified_header(token)
    assert header["alg"] == "RS256" and "x5t" not in header and "nonce" not in header
    claims = _verify(sandbox, token, "v2")
    assert claims["ver"] == "2.0"
    assert claims["iss"] == f"{sandbox.base_url}/{d.CONTOSO.id}/v2.0"
    assert claims["aud"] == d.API_APP_ID
    assert claims["azp"] == d.DAEMON.client_id and claims["azpacr"] == "1"
    assert claims["idtyp"] == "app" and claims["roles"] == ["Orders.Read.All"]
    assert claims["oid"] == claims["sub"] == d.DAEMON.object_id
    assert claims["tid"] == d.CONTOSO.id
    assert "appid" not in claims and "scp" not in claims
    assert claims["nbf"] <= time.time() < claims["exp"]
    assert claims["uti"] and claims["iat"] <= claims["nbf"]


def test_v1_api_token_verifies_and_has_v1_claims(sandbox: Sandbox) -> None:
    """A v1 custom-API token has x5t == kid, appid/appidacr, the v1 issuer and aud as asked."""
    token = _access(_token(sandbox, "cc-v1-api"))
    header = jwt.get_unverified_header(token)
    assert header["x5t"] == header["kid"]
    claims = _verify(sandbox, token, "v1")
    assert claims["ver"] == "1.0"
    assert claims["iss"] == f"{sandbox.base_url}/{d.CONTOSO.id}/"
    assert claims["aud"] == d.API_URI
    assert claims["appid"] == d.DAEMON.client_id and claims["appidacr"] == "1"
    assert claims["idtyp"] == "app" and claims["roles"] == ["Orders.Read.All"]
    assert "azp" not in claims


@pytest.mark.parametrize("key", ["cc-v2-graph", "cc-v1-graph"])
def test_graph_tokens_are_v1_with_a_nonce_that_defeats_standard_verification(
    sandbox: Sandbox, key: str
) -> None:
    """Graph tokens are v1 from either endpoint; the header nonce makes PyJWT reject them."""
    token = _access(_token(sandbox, key))
    header = jwt.get_unverified_header(token)
    assert header["nonce"] and header["x5t"] == header["kid"]
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["ver"] == "1.0" and claims["aud"] == d.GRAPH_URI
    assert claims["roles"] == ["User.Read.All", "Group.Read.All", "Organization.Read.All"]
    assert claims["app_displayname"] == d.DAEMON.name
    with pytest.raises(jwt.InvalidSignatureError):
        _verify(sandbox, token, "v1")
    # ...while the same signature verifies over the header carrying the nonce's SHA-256.
    segments = token.split(".")
    hashed = dict(header, nonce=hashlib.sha256(header["nonce"].encode()).hexdigest())
    raw = base64.urlsafe_b64encode(json.dumps(hashed, separators=(",", ":")).encode())
    rebuilt = ".".join([raw.rstrip(b"=").decode(), *segments[1:]])
    assert _verify(sandbox, rebuilt, "v1")["appid"] == d.DAEMON.client_id


def test_v1_response_numbers_are_strings_and_v2_are_integers(sandbox: Sandbox) -> None:
    """v1 bodies carry expires_in/ext_expires_in/expires_on/not_before as strings plus resource."""
    v1_result = _token(sandbox, "cc-v1-graph")
    v1, v2 = v1_result.body_json, _token(sandbox, "cc-v2-graph").body_json
    assert v1 is not None and v2 is not None
    assert v1["access_token"] == v2["access_token"] == "********"  # masked once received
    assert set(v1) == {
        "token_type",
        "expires_in",
        "ext_expires_in",
        "expires_on",
        "not_before",
        "resource",
        "access_token",
    }
    assert all(
        isinstance(v1[k], str) and v1[k].isdigit()
        for k in ("expires_in", "ext_expires_in", "expires_on", "not_before")
    )
    assert v1["resource"] == d.GRAPH_URI and v1["token_type"] == "Bearer"
    exp = jwt.decode(_access(v1_result), options={"verify_signature": False})["exp"]
    assert int(v1["expires_on"]) == exp
    assert set(v2) == {"token_type", "expires_in", "ext_expires_in", "access_token"}
    assert v2["expires_in"] == 3599 and isinstance(v2["ext_expires_in"], int)


def test_no_consent_token_has_no_roles(sandbox: Sandbox) -> None:
    """The app without admin consent still gets a token, without a roles claim."""
    claims = jwt.decode(
        _access(_token(sandbox, "no-admin-consent")), options={"verify_signature": False}
    )
    assert "roles" not in claims and claims["idtyp"] == "app"
    assert claims["appid"] == d.NO_CONSENT.client_id


def test_short_lived_token_lasts_two_minutes(sandbox: Sandbox) -> None:
    """The kiosk app's token: expires_in 120 and exp two minutes from now."""
    result = _token(sandbox, "short-lived")
    assert result.token is not None and result.token.expires_in == 120
    claims = jwt.decode(_access(result), options={"verify_signature": False})
    assert abs(claims["exp"] - (time.time() + 120)) < 5


def test_password_grant_v2_gives_delegated_token_refresh_and_id_token(sandbox: Sandbox) -> None:
    """ROPC on v2: scp (no roles), user claims, idtyp user, refresh token, signed ID token."""
    result = _token(sandbox, "password-ok")
    body = result.body_json
    assert body is not None
    assert body["scope"].split() == ["User.Read", "Mail.Read", "profile", "openid"]
    assert body["refresh_token"] == "********" and isinstance(body["expires_in"], int)
    assert result.token is not None and result.token.refresh_token and result.token.id_token
    claims = jwt.decode(_access(result), options={"verify_signature": False})
    assert claims["scp"] == "User.Read Mail.Read" and "roles" not in claims
    assert claims["idtyp"] == "user" and claims["upn"] == "alex@contoso.example"
    assert claims["oid"] == d.USERS[0].object_id != claims["sub"]
    assert claims["appid"] == d.DESKTOP.client_id and claims["appidacr"] == "0"
    id_claims = _verify(sandbox, result.token.id_token.reveal(), "v2")
    assert id_claims["aud"] == d.DESKTOP.client_id
    assert id_claims["preferred_username"] == "alex@contoso.example"


def test_password_grant_for_the_api_follows_the_endpoint_version(sandbox: Sandbox) -> None:
    """A delegated Orders API token from v2 is a verifiable v2 token with scp and no upn."""
    result = _token(sandbox, "password-ok", scope=f"{d.API_URI}/Orders.Read")
    assert result.body_json is not None
    assert result.body_json["scope"] == f"{d.API_URI}/Orders.Read"
    assert "refresh_token" not in result.body_json and "id_token" not in result.body_json
    claims = _verify(sandbox, _access(result), "v2")
    assert claims["ver"] == "2.0" and claims["scp"] == "Orders.Read"
    assert claims["azpacr"] == "0" and claims["preferred_username"] == "alex@contoso.example"


def test_password_grant_v1_response(sandbox: Sandbox) -> None:
    """ROPC on v1: strings for numbers, resource, scope = scp, and a refresh token."""
    body = _token(sandbox, "password-ok-v1").body_json
    assert body is not None
    assert body["resource"] == d.GRAPH_URI and body["scope"] == "User.Read Mail.Read"
    assert isinstance(body["expires_in"], str) and body["refresh_token"]


def test_confidential_client_may_use_the_password_grant_with_its_secret(sandbox: Sandbox) -> None:
    """Contoso Daemon with its secret signs a user in; appidacr is 1 (secret)."""
    result = _token(sandbox, "password-confidential-no-secret", client_secret=d.VALID_SECRET.value)
    claims = jwt.decode(_access(result), options={"verify_signature": False})
    assert claims["appidacr"] == "1" and claims["scp"] == "User.Read"


def test_tokens_are_unique(sandbox: Sandbox) -> None:
    """Two requests give two different tokens (uti differs)."""
    first = jwt.decode(_access(_token(sandbox, "cc-v2-api")), options={"verify_signature": False})
    second = jwt.decode(_access(_token(sandbox, "cc-v2-api")), options={"verify_signature": False})
    assert first["uti"] != second["uti"]


def test_tenant_domain_and_guid_issue_the_same_tenant(sandbox: Sandbox) -> None:
    """The tenant may be the domain: the token still names the tenant GUID."""
    claims = jwt.decode(
        _access(_token(sandbox, "cc-v2-api", tenant="CONTOSO.example")),
        options={"verify_signature": False},
    )
    assert claims["tid"] == d.CONTOSO.id


def test_discovery_documents_are_consistent(sandbox: Sandbox) -> None:
    """v1/v2 discovery name the issuers, token endpoints and key sets the sandbox really uses."""
    base, tid = sandbox.base_url, d.CONTOSO.id
    v1 = requests.get(f"{base}/{d.CONTOSO.domain}/.well-known/openid-configuration", timeout=5)
    v2 = requests.get(f"{base}/{tid}/v2.0/.well-known/openid-configuration", timeout=5).json()
    assert v1.status_code == 200
    assert v1.json()["issuer"] == f"{base}/{tid}/"
    assert v1.json()["token_endpoint"] == f"{base}/{tid}/oauth2/token"
    assert v2["issuer"] == f"{base}/{tid}/v2.0"
    assert v2["token_endpoint"] == f"{base}/{tid}/oauth2/v2.0/token"
    assert v2["jwks_uri"] == f"{base}/{tid}/discovery/v2.0/keys"
    assert set(v2["token_endpoint_auth_methods_supported"]) >= {
        "client_secret_post",
        "client_secret_basic",
    }
    (key,) = requests.get(v2["jwks_uri"], timeout=5).json()["keys"]
    assert key["kty"] == "RSA" and key["use"] == "sig" and key["x5t"] == key["kid"]
    assert key["issuer"] == v2["issuer"] and key["x5c"]
    common = requests.get(f"{base}/common/v2.0/.well-known/openid-configuration", timeout=5)
    assert common.json()["issuer"] == f"{base}/{{tenantid}}/v2.0"


def test_discovery_of_an_unknown_tenant_is_an_error(sandbox: Sandbox) -> None:
    """Discovery for a tenant nobody has answers 400 with AADSTS90002."""
    response = requests.get(
        f"{sandbox.base_url}/{d.UNKNOWN_TENANT_ID}/v2.0/.well-known/openid-configuration",
        timeout=5,
    )
    assert response.status_code == 400
    assert response.json()["error_codes"] == [90002]
