"""The sandbox's demo Graph and Orders API check bearer tokens as real APIs do."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request

import jwt
import pytest

from core.sandbox import Sandbox
from core.sandbox import directory as d
from core.sandbox.keys import signing_key
from tests.core.sandbox.conftest import to_inputs


def _get(url: str, token: str = "", method: str = "GET") -> tuple[int, dict, dict]:
    request = urllib.request.Request(url, method=method)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, json.loads(answer.read()), dict(answer.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read()), dict(exc.headers)


def _token(sandbox: Sandbox, app: d.App = d.DAEMON, scope: str = f"{d.GRAPH_URI}/.default") -> str:
    from core.sandbox.scenarios import _cc
    from core.token.client import request_token

    result = request_token(to_inputs(_cc(app, app.secrets[0].value, scope=scope), sandbox))
    assert result.token is not None and result.token.access_token
    return result.token.access_token.reveal()


def _sign(claims: dict) -> str:
    return jwt.encode(claims, signing_key().key, algorithm="RS256",
                      headers={"kid": signing_key().kid})  # fmt: skip


def test_graph_answers_with_a_valid_token(sandbox: Sandbox) -> None:
    status, body, headers = _get(f"{sandbox.base_url}/graph/v1.0/users", _token(sandbox))
    assert status == 200 and {u["userPrincipalName"] for u in body["value"]} >= {
        "alex@contoso.example"
    }
    assert headers["request-id"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"aud": d.API_URI}, "Invalid audience."),
        ({"iss": "https://sts.windows.net/x/"}, "Invalid issuer."),
        ({"exp": int(time.time()) - 400}, "the token is expired."),
        ({"nbf": int(time.time()) + 900}, "not yet valid."),
    ],
)
def test_graph_refuses_bad_tokens(sandbox: Sandbox, change: dict, message: str) -> None:
    now = int(time.time())
    claims = {"aud": d.GRAPH_URI, "iss": f"{sandbox.base_url}/{d.CONTOSO.id}/", "tid": d.CONTOSO.id,
              "nbf": now, "exp": now + 600, "appid": d.DAEMON.client_id, "roles": ["User.Read.All"],
              **change}  # fmt: skip
    status, body, headers = _get(f"{sandbox.base_url}/graph/v1.0/users", _sign(claims))
    assert status == 401 and body["error"]["code"] == "InvalidAuthenticationToken"
    assert body["error"]["message"].endswith(message)
    assert "WWW-Authenticate" in headers


def test_graph_refuses_a_foreign_signature_and_no_token(sandbox: Sandbox) -> None:
    token = _token(sandbox)
    head, payload, sig = token.split(".")
    forged = f"{head}.{payload}.{sig[:-6]}AAAAAA"
    assert _get(f"{sandbox.base_url}/graph/v1.0/users", forged)[1]["error"]["message"].endswith(
        "Invalid signature.")  # fmt: skip
    assert (
        _get(f"{sandbox.base_url}/graph/v1.0/users")[1]["error"]["message"]
        == "Access token is empty."
    )


def test_roles_per_route(sandbox: Sandbox) -> None:
    """Daemon (User.Read.All, Group.Read.All, Organization.Read.All) vs the no-consent app."""
    daemon, none = _token(sandbox), _token(sandbox, d.NO_CONSENT)
    for path in ("organization", "users", "groups"):
        assert _get(f"{sandbox.base_url}/graph/v1.0/{path}", daemon)[0] == 200
        status, body, _ = _get(f"{sandbox.base_url}/graph/v1.0/{path}", none)
        assert (status, body["error"]["code"]) == (403, "Authorization_RequestDenied")
    assert _get(f"{sandbox.base_url}/graph/v1.0/me", daemon)[0] == 400
    assert _get(f"{sandbox.base_url}/graph/v1.0/nothing", daemon)[0] == 400


def test_applications_by_app_id_own_or_permission(sandbox: Sandbox) -> None:
    none = _token(sandbox, d.NO_CONSENT)
    own = f"{sandbox.base_url}/graph/v1.0/applications(appId='{d.NO_CONSENT.client_id}')"
    status, body, _ = _get(own + "?$select=appId,passwordCredentials", none)
    assert status == 200 and set(body) == {"@odata.context", "appId", "passwordCredentials"}
    assert body["passwordCredentials"][0]["hint"] == d.NO_CONSENT.secrets[0].value[:3]
    assert body["passwordCredentials"][0]["secretText"] is None
    other = f"{sandbox.base_url}/graph/v1.0/applications(appId='{d.DAEMON.client_id}')"
    assert _get(other, none)[0] == 403


def test_orders_api(sandbox: Sandbox) -> None:
    """Orders.Read.All reads; writing needs Orders.ReadWrite.All; a Graph token is refused."""
    token = _token(sandbox, scope=f"{d.API_URI}/.default")
    assert _get(f"{sandbox.base_url}/orders", token)[0] == 200
    status, body, _ = _get(f"{sandbox.base_url}/orders", token, method="POST")
    assert (status, body["error"]["code"]) == (403, "Authorization_RequestDenied")
    assert _get(f"{sandbox.base_url}/orders", _token(sandbox))[0] == 401
