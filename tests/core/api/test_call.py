"""Calling an API with a token: verdict lines, defaults by token, limits, redaction."""

from __future__ import annotations

import pytest

from core.api.call import ApiRequest, CallInputError, check_request, parse_header, send_call
from core.api.export import to_curl, to_powershell
from core.api.report import call_api
from core.api.target import default_call, graph_root, token_facts
from core.redaction import MASK, Secret
from core.sandbox import Sandbox
from core.sandbox import directory as d
from tests.core.tokenkit import mint
from tests.hostile import ESCAPES, HostileServer, leaks


def test_allowed_call_has_the_verdict_line_and_pretty_json(sandbox: Sandbox, token_for) -> None:
    """Daemon's Graph token reads the organization: 200 with "Allowed: 200 OK in N ms"."""
    token = token_for()
    report = call_api(ApiRequest("GET", f"{sandbox.base_url}/graph/v1.0/organization", token),
                      cloud="sandbox", authority=sandbox.base_url)  # fmt: skip
    result = report.result
    assert result.ok and result.outcome == "allowed"
    assert report.verdict.startswith("Allowed: 200 OK in ") and report.verdict.endswith(" ms")
    assert '\n  "value": [' in result.body_text  # pretty JSON
    assert result.body_json["value"][0]["id"] == d.CONTOSO.id
    assert report.check is not None and report.check.state == "has"
    assert report.check.text.endswith(
        "needs Organization.Read.All (application); the token has it."
    )
    assert report.diagnosis is None
    assert ("Authorization", f"Bearer {MASK}") in result.request_headers


def test_missing_role_is_refused_with_the_graph_code(sandbox: Sandbox, token_for) -> None:
    """The no-admin-consent app's token has no roles: the check says it lacks User.Read.All,
    Graph answers 403 Authorization_RequestDenied and the diagnosis says what to grant."""
    token = token_for(d.NO_CONSENT, d.NO_CONSENT.secrets[0].value)
    report = call_api(ApiRequest("GET", f"{sandbox.base_url}/graph/v1.0/users", token),
                      cloud="sandbox", authority=sandbox.base_url)  # fmt: skip
    assert report.verdict == "Refused: 403 Authorization_RequestDenied"
    assert report.check is not None and report.check.state == "lacks" and report.check.blocks
    assert "the token lacks it: add it under API permissions and grant admin consent" in (
        report.check.text
    )
    assert report.diagnosis is not None and report.diagnosis.code == "Authorization_RequestDenied"
    assert any("User.Read.All" in step and "admin consent" in step for step in report.diagnosis.fix)


def test_expired_token_is_explained(sandbox: Sandbox) -> None:
    """The sandbox's expired Graph token gets 401 InvalidAuthenticationToken, diagnosed as
    expired, with when."""
    token = Secret((sandbox.files_dir / "expired-graph-token.jwt").read_text().strip())
    report = call_api(ApiRequest("GET", f"{sandbox.base_url}/graph/v1.0/users", token),
                      cloud="sandbox", authority=sandbox.base_url)  # fmt: skip
    assert report.verdict == "Refused: 401 InvalidAuthenticationToken"
    assert report.result.error_message == "Lifetime validation failed, the token is expired."
    assert report.diagnosis is not None and report.diagnosis.title == "The token has expired"
    assert "ago" in report.diagnosis.cause


def test_token_for_another_audience(sandbox: Sandbox, token_for) -> None:
    """An Orders API token sent to Graph: the check warns before, the diagnosis after."""
    token = token_for(scope=f"{d.API_URI}/.default")
    report = call_api(ApiRequest("GET", f"{sandbox.base_url}/graph/v1.0/users", token),
                      cloud="sandbox", authority=sandbox.base_url)  # fmt: skip
    assert report.verdict == "Refused: 401 InvalidAuthenticationToken"
    assert report.check is not None and report.check.state == "wrong_audience"
    assert report.diagnosis is not None and report.diagnosis.title == "The token is for another API"
    orders = call_api(ApiRequest("GET", f"{sandbox.base_url}/orders", token))
    assert orders.result.ok and orders.check is None


def test_me_with_an_app_only_token(sandbox: Sandbox, token_for) -> None:
    """/me with an app-only token: impossible before sending, 400 BadRequest explained after."""
    report = call_api(ApiRequest("GET", f"{sandbox.base_url}/graph/v1.0/me", token_for()),
                      cloud="sandbox", authority=sandbox.base_url)  # fmt: skip
    assert report.check is not None and report.check.state == "impossible"
    assert report.result.status == 400
    assert report.diagnosis is not None and report.diagnosis.title == "/me needs a signed-in user"


def test_defaults_by_token() -> None:
    """App-only Graph -> /organization, delegated -> /me, an API with a URL audience -> its
    base, the sandbox's Graph under its address, each cloud's Graph host."""
    app = token_facts(mint({"aud": "https://graph.microsoft.com", "roles": ["X"], "idtyp": "app"}))
    user = token_facts(mint({"aud": "00000003-0000-0000-c000-000000000000", "scp": "User.Read"}))
    other = token_facts(mint({"aud": "https://api.contoso.example/app", "roles": ["R"]}))
    urn = token_facts(mint({"aud": "api://contoso-orders", "roles": ["R"]}))
    gov = token_facts(mint({"aud": "https://graph.microsoft.us/", "roles": ["R"]}))
    assert default_call(app, "global") == ("GET", "https://graph.microsoft.com/v1.0/organization")
    assert default_call(user, "china") == ("GET", "https://microsoftgraph.chinacloudapi.cn/v1.0/me")
    assert default_call(other, "global") == ("GET", "https://api.contoso.example/")
    assert default_call(urn, "global") == ("GET", "")
    assert default_call(urn, "sandbox", "http://127.0.0.1:9/") == (
        "GET",
        "http://127.0.0.1:9/orders",
    )
    v2 = token_facts(mint({"aud": "a4c91585-e772-42a9-9eff-53680740fd4a", "roles": ["R"]}))
    assert default_call(v2, "sandbox", "http://127.0.0.1:9") == ("GET", "http://127.0.0.1:9/orders")
    assert default_call(v2, "global") == ("GET", "")
    assert default_call(gov, "global") == ("GET", "https://graph.microsoft.us/v1.0/organization")
    assert default_call(app, "sandbox", "http://127.0.0.1:9/") == (
        "GET", "http://127.0.0.1:9/graph/v1.0/organization")  # fmt: skip
    assert graph_root("usgov-dod") == "https://dod-graph.microsoft.us"
    assert not token_facts("not a token").readable


@pytest.mark.parametrize(
    ("method", "url", "headers", "problem"),
    [
        ("FETCH", "https://graph.microsoft.com/v1.0/me", (), "unknown method"),
        ("GET", "http://graph.microsoft.com/v1.0/me", (), "must use https"),
        ("GET", "https://user:pw@graph.microsoft.com/", (), "user name or password"),
        ("GET", "ftp://x/", (), "must start with https"),
        ("GET", "https://graph.microsoft.com/", (("Authorization", "x"),), "set by the tester"),
        ("GET", "https://graph.microsoft.com/", (("X", "a\r\nb"),), "line break"),
        ("GET", "https://[::1/x", (), "malformed"),
    ],
)
def test_calls_that_cannot_be_sent(method: str, url: str, headers: tuple, problem: str) -> None:
    """Bad methods, clear-text non-loopback URLs, credentials in URLs, header injection."""
    request = ApiRequest(method, url, Secret("t" * 20), headers=headers)
    assert problem in check_request(request)
    with pytest.raises(CallInputError):
        send_call(request)


def test_parse_header() -> None:
    assert parse_header("Consistency-Level: eventual") == ("Consistency-Level", "eventual")
    with pytest.raises(CallInputError):
        parse_header("no colon")


def test_hostile_api_echoing_the_token_leaks_nothing() -> None:
    """An API echoing the bearer token (and a secret-named header) in every form: nothing of
    them reaches the result, whatever the status; escapes are kept as data, not interpreted."""
    opaque = "opaqueTOKEN-" + "z" * 40  # not JWT-shaped: only the exact-value scrubbing helps
    key = "api-key-value-1234567890"
    with HostileServer() as server:
        for path in ("/api-echo", "/api-echo?status=401", "/api-echo?text"):
            request = ApiRequest("GET", server.base_url + path, Secret(opaque),
                                 headers=(("X-Api-Key", key),),
                                 extra_secrets=(Secret("client-secret-abcdef"),))  # fmt: skip
            result = send_call(request)
            shown = repr(result) + result.body_text + repr(result.body_json) + result.verdict
            shown += repr(result.headers) + result.location + result.error_message
            assert result.status in (200, 401)
            assert leaks(shown, [opaque, key, "client-secret-abcdef"]) == []
            assert ESCAPES[:4] in result.body_text or "\\u001b" in result.body_text


def test_redirect_is_not_followed(tmp_path) -> None:
    """A 302 is the answer: the landing page never sees the token."""
    with HostileServer() as server:
        result = send_call(ApiRequest("GET", server.base_url + "/redirect", Secret("t" * 30)))
        assert result.status == 302 and result.outcome == "redirected"
        assert "Not followed" in result.verdict and "127.0.0.1" in result.verdict
        assert server.hits.get("/landing") is None


def test_deadline_and_no_answer() -> None:
    """A dripping API ends at the total deadline; a closed port is a no-answer verdict."""
    with HostileServer() as server:
        result = send_call(ApiRequest("GET", server.base_url + "/drip", Secret("t" * 30),
                                      timeout_s=0.6))  # fmt: skip
    assert result.status is None and result.failure is not None
    assert result.elapsed_ms < 3000 and result.verdict.startswith("No answer: ")


def test_exports_read_the_token_from_the_environment() -> None:
    """curl and PowerShell exports never contain the token or a secret-named header's value."""
    token = "eyJhbGciOiJub25lIn0.eyJ4IjoxfQ.sig-" + "q" * 30
    request = ApiRequest("POST", "https://graph.microsoft.com/v1.0/users", Secret(token),
                         headers=(("X-Api-Key", "k" * 20), ("ConsistencyLevel", "eventual")),
                         body=b'{"displayName": "Ada"}')  # fmt: skip
    curl, ps = to_curl(request), to_powershell(request)
    for text in (curl, ps):
        assert token not in text and "k" * 20 not in text
        assert "ConsistencyLevel" in text and "Ada" in text
    assert '"Authorization: Bearer ${ACCESS_TOKEN}"' in curl and "${X_API_KEY}" in curl
    assert "Bearer $env:ACCESS_TOKEN" in ps and "$env:X_API_KEY" in ps


def test_secret_named_fields_masked_whole_ordinary_ones_kept() -> None:
    """An unknown value under secretText/access_token/password is masked whole; Graph's code,
    keyId, hint and customKeyIdentifier stay readable."""
    from core.api.call import scrub_json
    from core.redaction import Scrubber

    data = {"error": {"code": "Authorization_RequestDenied"},
            "passwordCredentials": [{"keyId": "af9b59dc", "hint": "jPV", "secretText": "s3cr3t-x",
                                     "customKeyIdentifier": "A0E1"}],
            "access_token": "opaque-1", "refresh_token": "opaque-2",
            "password": "pw-1"}  # fmt: skip
    out = scrub_json(Scrubber(), data)
    assert out["error"]["code"] == "Authorization_RequestDenied"
    cred = out["passwordCredentials"][0]
    assert (cred["keyId"], cred["hint"], cred["customKeyIdentifier"]) == ("af9b59dc", "jPV", "A0E1")
    assert cred["secretText"] == MASK
    assert (out["access_token"], out["refresh_token"], out["password"]) == (MASK, MASK, MASK)


def test_graph_error_catalog_has_every_entry_the_code_uses() -> None:
    """Each diagnosis the code can pick exists with a title, a cause and fix steps."""
    from core.api.graph_errors import catalog

    errors = catalog()["errors"]
    for key in (
        "expired",
        "wrong_audience",
        "invalid_token",
        "Authorization_RequestDenied",
        "Forbidden",
        "ErrorAccessDenied",
        "me_app_only",
        "http_401",
        "http_403",
    ):
        assert errors[key]["title"] and errors[key]["cause"] and errors[key]["fix"], key
        assert errors[key]["link"].startswith("https://learn.microsoft.com/"), key
