"""Refusals: the AADSTS code, `error`, HTTP status and body/headers shaped exactly like Entra's."""

from __future__ import annotations

import base64
import re
import uuid
from typing import Any

import pytest
import requests

from core.sandbox import EMITTED_CODES, Sandbox, scenarios
from core.sandbox import directory as d
from core.token.client import request_token
from core.token.result import Outcome
from tests.core.sandbox.conftest import to_inputs

C = d.CONTOSO.id
DAEMON = {"client_id": d.DAEMON.client_id, "client_secret": d.VALID_SECRET.value}
CC2 = {
    "grant_type": "client_credentials",
    **DAEMON,
    "scope": "https://graph.microsoft.com/.default",
}
CC1 = {"grant_type": "client_credentials", **DAEMON, "resource": "https://graph.microsoft.com"}
ROPC = {"grant_type": "password", "client_id": d.DESKTOP.client_id, "scope": "User.Read",
        "username": "alex@contoso.example", "password": d.PASSWORD}  # fmt: skip


def _without(form: dict[str, str], *names: str) -> dict[str, str]:
    return {k: v for k, v in form.items() if k not in names}


# code -> (endpoint, tenant, form, expected `error`, expected HTTP status), from the facts file.
CASES: dict[int, tuple[str, str, dict[str, str], str, int]] = {
    7000215: ("v2", C, {**CC2, "client_secret": "Abc8Q~" + "x" * 34}, "invalid_client", 401),
    7000222: ("v2", C, {**CC2, "client_secret": d.EXPIRED_SECRET.value}, "invalid_client", 401),
    7000216: ("v2", C, _without(CC2, "client_secret"), "invalid_client", 401),
    7000218: ("v2", C, {**ROPC, "client_id": d.DAEMON.client_id}, "invalid_client", 401),
    700025: ("v2", C, {**ROPC, "client_secret": "anything"}, "invalid_client", 401),
    700016: ("v2", d.FABRIKAM.id, CC2, "unauthorized_client", 400),
    7000112: ("v2", C, {**CC2, "client_id": d.DISABLED.client_id,
                        "client_secret": d.DISABLED.secrets[0].value}, "unauthorized_client", 400),
    90002: ("v2", "northwind.example", CC2, "invalid_request", 400),
    900023: ("v1", "not_a tenant", CC1, "invalid_request", 400),
    50059: ("v2", "organizations", CC2, "invalid_request", 400),
    9001023: ("v2", "common", ROPC, "invalid_request", 400),
    90112: ("v2", C, {**CC2, "client_id": "api://contoso-daemon"}, "invalid_request", 400),
    900144: ("v2", C, _without(CC2, "scope"), "invalid_request", 400),
    70003: ("v2", C, {**CC2, "grant_type": "client_credential"}, "unsupported_grant_type", 400),
    901002: ("v2", C, {**CC2, "resource": "https://graph.microsoft.com"}, "invalid_request", 400),
    1002012: ("v2", C, {**CC2, "scope": "https://graph.microsoft.com/Mail.Read"},
              "invalid_scope", 400),
    700022: ("v2", C, {**CC2, "scope": "https://graph.microsoft.com/.default "
                                       "api://contoso-orders/.default"}, "invalid_scope", 400),
    70011: ("v2", C, {**ROPC, "scope": "User.Fly"}, "invalid_scope", 400),
    500011: ("v1", C, {**CC1, "resource": "https://unknown.example"}, "invalid_resource", 400),
    65001: ("v2", C, {**ROPC, "scope": "api://contoso-orders/Orders.ReadWrite"},
            "invalid_grant", 400),
    50034: ("v2", C, {**ROPC, "username": "nobody@contoso.example"}, "invalid_grant", 400),
    50126: ("v2", C, {**ROPC, "password": "nope"}, "invalid_grant", 400),
    50057: ("v2", C, {**ROPC, "username": "dana@contoso.example"}, "invalid_grant", 400),
    50053: ("v2", C, {**ROPC, "username": "lee@contoso.example"}, "invalid_grant", 400),
    50055: ("v2", C, {**ROPC, "username": "pat@contoso.example"}, "invalid_grant", 400),
    50076: ("v2", C, {**ROPC, "username": "morgan@contoso.example"}, "interaction_required", 400),
    53003: ("v2", C, {**ROPC, "username": "casey@contoso.example"}, "interaction_required", 400),
    90055: ("v2", "throttled.contoso.example", CC2, "temporarily_unavailable", 429),
}  # fmt: skip


def _url(sandbox: Sandbox, endpoint: str, tenant: str) -> str:
    path = "oauth2/token" if endpoint == "v1" else "oauth2/v2.0/token"
    return f"{sandbox.base_url}/{tenant}/{path}"


def _post(sandbox: Sandbox, endpoint: str, tenant: str, form: dict[str, str],
          **kwargs: Any) -> requests.Response:  # fmt: skip
    return requests.post(_url(sandbox, endpoint, tenant), data=form, timeout=5, **kwargs)


def test_every_emitted_code_has_a_case() -> None:
    """EMITTED_CODES is exactly the set of codes exercised below (none untested, none missing)."""
    from core.sandbox.errors import SIGNIN_CODES
    from tests.core.sandbox.test_assertions import ASSERTION_CODES

    # 900561: GET, tested on its own; assertion codes: tests/core/sandbox/test_assertions.py
    # sign-in codes: tests/core/sandbox/test_signin.py
    assert set(CASES) | {900561} | ASSERTION_CODES | SIGNIN_CODES == set(EMITTED_CODES)


@pytest.mark.parametrize("code", sorted(CASES))
def test_code_error_and_status(sandbox: Sandbox, code: int) -> None:
    """Each AADSTS code comes with the `error` value and HTTP status Entra uses."""
    endpoint, tenant, form, error, status = CASES[code]
    response = _post(sandbox, endpoint, tenant, form)
    body = response.json()
    assert (body["error_codes"], body["error"], response.status_code) == ([code], error, status)
    assert body["error_description"].startswith(f"AADSTS{code}: ")


def test_error_body_and_headers_are_shaped_like_entra(sandbox: Sandbox) -> None:
    """Fields, one-line description tail, timestamp format, trace = x-ms-request-id, echoes."""
    sent = str(uuid.uuid4())
    response = _post(
        sandbox,
        "v2",
        C,
        {**CC2, "client_secret": d.VALID_SECRET.key_id},
        headers={"client-request-id": sent, "return-client-request-id": "true"},
    )
    body = response.json()
    assert list(body) == ["error", "error_description", "error_codes", "timestamp", "trace_id",
                          "correlation_id", "error_uri"]  # fmt: skip
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ", body["timestamp"])
    assert body["correlation_id"] == sent
    assert body["trace_id"] == response.headers["x-ms-request-id"] != sent
    assert body["error_description"].endswith(
        f" Trace ID: {body['trace_id']} Correlation ID: {sent} Timestamp: {body['timestamp']}"
    )
    assert "client secret value, not the client secret ID" in body["error_description"]
    assert body["error_uri"] == "https://login.microsoftonline.com/error?code=7000215"
    assert response.headers["client-request-id"] == sent
    assert response.headers["Cache-Control"] == "no-store, no-cache"
    assert response.headers["Content-Type"].startswith("application/json")
    assert d.VALID_SECRET.key_id not in response.text


def test_request_ids_are_fresh_when_not_asked(sandbox: Sandbox) -> None:
    """Without client-request-id the correlation ID is a new GUID and no echo header is sent."""
    first = _post(sandbox, "v2", C, _without(CC2, "scope"))
    second = _post(sandbox, "v2", C, _without(CC2, "scope"))
    assert "client-request-id" not in first.headers
    assert first.json()["correlation_id"] != second.json()["correlation_id"]
    assert first.json()["trace_id"] != second.json()["trace_id"]
    uuid.UUID(first.json()["correlation_id"])


def test_success_headers(sandbox: Sandbox) -> None:
    """A token answer is never cacheable and carries x-ms-request-id."""
    response = _post(sandbox, "v2", C, CC2)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store, no-cache"
    assert response.headers["Pragma"] == "no-cache"
    uuid.UUID(response.headers["x-ms-request-id"])


def test_refusals_through_the_core_client_keep_every_error_field(sandbox: Sandbox) -> None:
    """The core client reads the sandbox's error into ErrorFields: codes, ids, uri, suberror."""
    (scenario,) = [s for s in scenarios() if s.key == "password-mfa"]
    result = request_token(to_inputs(scenario.form, sandbox.base_url))
    assert result.outcome is Outcome.REFUSED and result.error is not None
    assert result.error.error == "interaction_required"
    assert result.error.suberror == "basic_action" and "capolids" in result.error.claims
    assert result.request is not None
    assert result.error.correlation_id == result.request.client_request_id
    assert result.error.trace_id == result.header("x-ms-request-id")


def test_password_expired_carries_the_password_change_url(sandbox: Sandbox) -> None:
    """50055 adds suberror user_password_expired and a password_change_url."""
    body = _post(sandbox, "v2", C, {**ROPC, "username": "pat@contoso.example"}).json()
    assert body["suberror"] == "user_password_expired" and body["password_change_url"]


def test_get_on_a_token_endpoint_is_900561(sandbox: Sandbox) -> None:
    """GET on a token endpoint answers AADSTS900561 (POST only), like Entra."""
    for endpoint in ("v1", "v2"):
        response = requests.get(_url(sandbox, endpoint, C), timeout=5)
        assert response.status_code == 400
        assert response.json()["error_codes"] == [900561]
        assert "GET" in response.json()["error_description"]


def test_unknown_paths_are_404(sandbox: Sandbox) -> None:
    """Anything that is not discovery, keys, a token, authorize or device code endpoint (or the
    device login page) is a 404 page."""
    for path in ("/", "/favicon.ico", f"/{C}/oauth2/v3.0/token", f"/{C}/oauth2/authorise"):
        response = requests.get(sandbox.base_url + path, timeout=5)
        assert response.status_code == 404, path
    assert requests.post(f"{sandbox.base_url}/{C}/other", data=CC2, timeout=5).status_code == 404


def test_body_that_is_not_form_encoded_is_refused(sandbox: Sandbox) -> None:
    """A JSON body is not read as form fields: invalid_request, grant_type missing."""
    response = requests.post(_url(sandbox, "v2", C), json=CC2, timeout=5)
    body = response.json()
    assert (response.status_code, body["error"], body["error_codes"]) == (
        400, "invalid_request", [900144])  # fmt: skip
    assert "'grant_type'" in body["error_description"]


@pytest.mark.parametrize("missing", ["grant_type", "client_id", "scope"])
def test_missing_parameters_are_named(sandbox: Sandbox, missing: str) -> None:
    """A missing required parameter gives 900144 naming it."""
    body = _post(sandbox, "v2", C, _without(CC2, missing)).json()
    assert body["error_codes"] == [900144] and f"'{missing}'" in body["error_description"]


def test_v1_needs_a_resource(sandbox: Sandbox) -> None:
    """v1 client credentials without resource: 900144 naming 'resource'."""
    body = _post(sandbox, "v1", C, _without(CC1, "resource")).json()
    assert body["error_codes"] == [900144] and "'resource'" in body["error_description"]


def test_http_basic_client_authentication(sandbox: Sandbox) -> None:
    """The secret in HTTP Basic (form-encoded, then base64) works; a wrong one is 7000215."""

    def basic(secret: str) -> str:
        from urllib.parse import quote_plus

        raw = f"{quote_plus(d.DAEMON.client_id)}:{quote_plus(secret)}".encode()
        return "Basic " + base64.b64encode(raw).decode()

    form = _without(CC2, "client_secret")
    ok = _post(sandbox, "v2", C, form, headers={"Authorization": basic(d.VALID_SECRET.value)})
    assert ok.status_code == 200
    bad = _post(sandbox, "v2", C, form, headers={"Authorization": basic("wrong")})
    assert bad.json()["error_codes"] == [7000215]


def test_password_grant_on_organizations_finds_the_users_tenant(sandbox: Sandbox) -> None:
    """organizations is allowed for the password grant; common and consumers are not."""
    assert _post(sandbox, "v2", "organizations", ROPC).status_code == 200
    assert _post(sandbox, "v2", "consumers", ROPC).json()["error_codes"] == [9001023]


@pytest.mark.parametrize("alias", ["common", "organizations", "consumers"])
def test_app_only_tokens_need_a_real_tenant(sandbox: Sandbox, alias: str) -> None:
    """Client credentials on a tenant alias are refused with 50059 (v1 and v2)."""
    assert _post(sandbox, "v2", alias, CC2).json()["error_codes"] == [50059]
    assert _post(sandbox, "v1", alias, CC1).json()["error_codes"] == [50059]


def test_no_secret_is_logged(sandbox: Sandbox, caplog: pytest.LogCaptureFixture) -> None:
    """Server logs name paths and statuses only: no secret, password or token."""
    caplog.set_level("DEBUG", logger="core.sandbox")
    ok = _post(sandbox, "v2", C, CC2)
    _post(sandbox, "v2", C, ROPC)
    assert ok.status_code == 200 and "oauth2/v2.0/token" in caplog.text
    for secret in (d.VALID_SECRET.value, d.PASSWORD, ok.json()["access_token"]):
        assert secret not in caplog.text
