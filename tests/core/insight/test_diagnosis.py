"""Failures explained: AADSTS codes, OAuth errors, HTTP statuses and no-answer failures."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator

import pytest

from core.insight.diagnosis import (
    ERROR_LOOKUP,
    Diagnosis,
    catalog,
    diagnose,
    error_codes,
    explain_aadsts,
    support_text,
)
from core.redaction import Secret
from core.token.client import send
from core.token.models import Finding, Severity, TokenRequestInput
from core.token.request import build_request
from core.token.result import FailureKind, Outcome, TokenResult, TransportFailure
from tests.core.tokenkit import LocalServer

# Every AADSTS code of identity-platform.md section 5, in table order.
_SECTION_5_TEXT = (
    "90002 900023 50059 50128 90038 9001023 90124 90130 50194 9002332 650059 90027 700016 "
    "700011 90112 7000215 7000222 70002 7000218 7000216 700025 7000232 700027 700024 50048 "
    "50012 700030 50027 70021 700211 700213 7002137 7002138 700229 7000112 70001 50105 70011 "
    "1002012 700022 28002 28003 901002 500011 500014 50001 90009 65001 65004 650052 650056 "
    "650057 90094 90095 90008 7000114 50126 50034 50056 50053 50055 50144 50057 50076 50079 "
    "50072 50074 50158 53003 530035 53000 53001 53002 50020 500208 50173 70008 700082 70043 "
    "50011 900971 700054 50148 501481 50147 501491 50149 54005 700005 9002313 90015 900144 "
    "90014 70003 900561 90023 90100 90004 50196 90055 90024 50033 90033 90006 50000"
)
SECTION_5_CODES = _SECTION_5_TEXT.split()
_OAUTH_TEXT = (
    "invalid_request invalid_grant unauthorized_client invalid_client unsupported_grant_type "
    "invalid_resource invalid_scope interaction_required consent_required "
    "temporarily_unavailable server_error authorization_pending slow_down "
    "authorization_declined bad_verification_code expired_token access_denied login_required "
    "unsupported_response_type"
)
OAUTH_ERRORS = _OAUTH_TEXT.split()
TRACE = "3939d04c-d7ba-42bf-9cb7-1e5854cdce9e"
CORRELATION = "a8125194-2dc8-4078-90ba-7b6592a7f231"


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with LocalServer() as srv:
        yield srv


def _send(srv: LocalServer, secret: str = "Zq8Q~not-a-guid-secret", timeout: float = 5.0):
    inputs = TokenRequestInput(
        client_id="6e74172b-be56-4843-9ff4-e66a39bb12e3",
        client_secret=Secret(secret),
        token_url=f"{srv.base_url}/token",
        timeout_s=timeout,
    )
    return send(build_request(inputs))


def _error_body(codes: list[int], error: str = "invalid_client") -> dict:
    text = " ".join(f"AADSTS{c}: <message text>." for c in codes)
    return {
        "error": error,
        "error_description": f"{text}\r\nTrace ID: {TRACE}\r\nCorrelation ID: {CORRELATION}"
        "\r\nTimestamp: 2016-04-11 18:00:12Z",
        "error_codes": codes,
        "timestamp": "2016-04-11 18:00:12Z",
        "trace_id": TRACE,
        "correlation_id": CORRELATION,
    }


def test_catalog_covers_every_section_5_code() -> None:
    """Every AADSTS code of facts section 5 has a title, a cause and a fix."""
    table = catalog()["aadsts"]
    assert [c for c in SECTION_5_CODES if c not in table] == []


def test_every_catalog_entry_has_title_and_fix() -> None:
    """Each entry of every table carries a title, a cause and at least one fix step."""
    for table in ("aadsts", "oauth", "http", "transport", "special"):
        for key, entry in catalog()[table].items():
            assert entry["title"] and entry["cause"], (table, key)
            assert entry["fix"] and all(len(step) > 5 for step in entry["fix"]), (table, key)


def test_catalog_covers_oauth_errors_statuses_and_failures() -> None:
    """OAuth errors of 4.1, the HTTP statuses of 4.2 and every FailureKind have entries."""
    assert set(OAUTH_ERRORS) <= set(catalog()["oauth"])
    assert {"400", "401", "403", "404", "405", "407", "429", "5xx"} <= set(catalog()["http"])
    assert {k.value for k in FailureKind} <= set(catalog()["transport"])


def test_invalid_secret_over_http(server: LocalServer) -> None:
    """A real 401 AADSTS7000215 answer is explained with the lookup link and support details."""
    server.json("/token", _error_body([7000215]), 401, **{"x-ms-request-id": TRACE})
    result = _send(server)
    d = diagnose(result)
    assert d is not None and d.code == "AADSTS7000215"
    assert d.title == "Invalid client secret" and "Value" in " ".join(d.fix)
    assert d.link == ERROR_LOOKUP.format(code=7000215)
    support = dict(d.support)
    assert support["Trace ID"] == TRACE and support["Correlation ID"] == CORRELATION
    assert support["Timestamp"] == "2016-04-11 18:00:12Z" and support["Request ID"] == TRACE
    assert support["HTTP status"].startswith("401")
    assert support["client-request-id"] == result.request.client_request_id
    text = support_text(d)
    assert "AADSTS7000215" in text and CORRELATION in text
    assert "Zq8Q~not-a-guid-secret" not in text


def test_secret_id_pasted_instead_of_value(server: LocalServer) -> None:
    """AADSTS7000215 with a GUID as the secret says the Secret ID was pasted."""
    server.json("/token", _error_body([7000215]), 401)
    d = diagnose(_send(server, secret="0b7a2f4e-8f1c-4e2a-9d55-1f3c2b4a5e6d"))
    assert d is not None and d.code == "AADSTS7000215" and "Secret ID" in d.title


def test_several_codes_are_each_explained(server: LocalServer) -> None:
    """70002 + 70008: both explained in parts; the specific one leads."""
    server.json("/token", _error_body([70002, 70008], "invalid_grant"), 400)
    d = diagnose(_send(server))
    assert d is not None and d.code == "AADSTS70008"
    assert [p.code for p in d.parts] == ["AADSTS70002", "AADSTS70008"]
    assert dict(d.support)["AADSTS codes"] == "AADSTS70002, AADSTS70008"


def test_codes_read_from_description_when_list_missing() -> None:
    """Without error_codes, the AADSTS numbers in the description are used."""
    from core.token.result import ErrorFields

    error = ErrorFields(error="invalid_request", error_description="AADSTS900144: x AADSTS900144")
    result = TokenResult(Outcome.REFUSED, None, status=400, error=error)
    assert error_codes(result) == (900144,)
    assert diagnose(result).title == "Required parameter missing"


def test_oauth_error_without_codes(server: LocalServer) -> None:
    """A non-Entra OAuth server's error (no AADSTS) is explained by its error value."""
    server.json("/token", {"error": "invalid_scope"}, 400)
    d = diagnose(_send(server))
    assert d is not None and d.code == "invalid_scope" and d.title == "Invalid scope"


def test_unknown_aadsts_code_gets_generic_entry() -> None:
    """A code not in the catalog still gets a title, a fix and the lookup link."""
    d = explain_aadsts(123456789)
    assert d.code == "AADSTS123456789" and "AADSTS123456789" in d.title
    assert d.fix and d.link.endswith("code=123456789")


def test_throttled_with_retry_after(server: LocalServer) -> None:
    """HTTP 429 with a plain body names the wait from Retry-After."""
    server.routes["/token"] = (429, {"Retry-After": "60"}, "Too Many Requests")
    d = diagnose(_send(server))
    assert d is not None and d.code == "HTTP 429" and "Wait 60 s" in d.fix[0]


def test_gateway_html_page(server: LocalServer) -> None:
    """A 503 HTML page from a gateway is a server error said to come from a gateway."""
    server.routes["/token"] = (503, {"Content-Type": "text/html"}, "<html>Service Unavailable")
    d = diagnose(_send(server))
    assert d is not None and d.code == "HTTP 503" and "gateway" in d.cause
    assert "503" in d.title


def test_html_instead_of_json(server: LocalServer) -> None:
    """A 200 login page (captive portal) is recognised as a web page, not a token answer."""
    server.routes["/token"] = (200, {"Content-Type": "text/html"}, "<!doctype html><form>")
    d = diagnose(_send(server))
    assert d is not None and "web page" in d.title


@pytest.mark.parametrize(("status", "words"), [(404, "Not found"), (405, "POST")])
def test_http_statuses(server: LocalServer, status: int, words: str) -> None:
    """404 and 405 without an OAuth body point at the URL and the method."""
    server.routes["/token"] = (status, {}, "")
    d = diagnose(_send(server))
    assert d is not None and d.code == f"HTTP {status}"
    assert words in d.title + " ".join(d.fix)


def test_timeout_names_the_limit() -> None:
    """A timeout's diagnosis names the time limit the request used."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        inputs = TokenRequestInput(
            client_id="6e74172b-be56-4843-9ff4-e66a39bb12e3",
            client_secret=Secret("x"),
            token_url=f"http://127.0.0.1:{silent.getsockname()[1]}/token",
            timeout_s=0.3,
        )
        d = diagnose(send(build_request(inputs)))
    assert d is not None and d.code == "timeout" and "0.3 s" in d.cause


def test_tls_failure_mentions_company_proxy(server: LocalServer) -> None:
    """HTTPS to a plain-HTTP port fails TLS; the fix is one a window user can do (the CA file
    setting or the OS store), and the cause does not say the same thing twice."""
    inputs = TokenRequestInput(
        client_id="6e74172b-be56-4843-9ff4-e66a39bb12e3",
        client_secret=Secret("x"),
        token_url=server.base_url.replace("http://", "https://") + "/token",
        timeout_s=5,
    )
    d = diagnose(send(build_request(inputs)))
    assert d is not None and d.code == "tls"
    assert "File > Preferences > CA file" in " ".join(d.fix) and "--ca-file" in " ".join(d.fix)
    assert "trust store" in " ".join(d.fix)
    assert d.cause.lower().count("could not be verified") == 1


@pytest.mark.parametrize("kind", list(FailureKind))
def test_every_failure_kind_is_explained(kind: FailureKind) -> None:
    """Each no-answer kind has its own diagnosis keeping the transport message."""
    request = build_request(
        TokenRequestInput(client_id="c", client_secret=Secret("s"), token_url="https://x/t")
    )
    result = TokenResult(
        Outcome.NO_ANSWER, request, failure=TransportFailure(kind, "Plain message.", "detail")
    )
    d = diagnose(result)
    assert d is not None and d.code == kind.value and d.cause.startswith("Plain message.")
    assert d.fix and "{timeout}" not in d.cause + "".join(d.fix)


def test_blocked_request_lists_preflight_errors() -> None:
    """A blocked request's diagnosis lists each pre-flight error and its fix."""
    findings = (
        Finding("tenant-common", Severity.ERROR, "tenant", "common is not allowed", "d1", "fix1"),
        Finding("client-id", Severity.ERROR, "client_id", "not a GUID", "d2", "fix2"),
        Finding("spaces", Severity.WARNING, "client_secret", "spaces", "d3", "fix3"),
    )
    d = diagnose(TokenResult(Outcome.BLOCKED, None, findings=findings))
    assert d is not None and d.code == "preflight"
    assert d.fix == ("fix1", "fix2") and [p.code for p in d.parts] == ["tenant-common", "client-id"]


def test_success_has_no_diagnosis() -> None:
    """A token result has nothing to diagnose."""
    assert diagnose(TokenResult(Outcome.TOKEN, None, status=200)) is None


def test_diagnosis_is_plain_data() -> None:
    """Diagnoses are frozen and comparable (the GUI and JSON output rely on it)."""
    d = explain_aadsts(7000222)
    assert d == explain_aadsts(7000222) and isinstance(d, Diagnosis)
    with pytest.raises(AttributeError):
        d.title = "x"  # type: ignore[misc]
    json.dumps(d.__dict__ | {"parts": [], "fix": list(d.fix)})


def test_every_sandbox_code_has_a_catalog_entry() -> None:
    """Each AADSTS code the sandbox can answer with is explained by our catalog."""
    from core.sandbox import EMITTED_CODES

    assert (
        EMITTED_CODES
        and sorted(c for c in EMITTED_CODES if str(c) not in catalog()["aadsts"]) == []
    )


def test_sandbox_refusals_are_diagnosed() -> None:
    """Every sandbox scenario that expects a code or status gets a diagnosis naming it."""
    from core.sandbox import Sandbox, scenarios
    from core.token.client import request_token
    from tests.core.sandbox.conftest import to_inputs

    expected = {s.key: s for s in scenarios() if s.expect.startswith(("AADSTS", "HTTP 429"))}
    assert len(expected) > 10
    with Sandbox() as sb:
        for key, scenario in expected.items():
            d = diagnose(request_token(to_inputs(scenario.form, sb)))
            assert d is not None, key
            codes = {d.code, *(p.code for p in d.parts)}
            status = dict(d.support).get("HTTP status", "")
            codes |= {f"HTTP {status.split()[0]}"} if status else set()  # Entra's code explains it
            assert scenario.expect in codes, (key, codes)
            assert not d.title.startswith("Entra error"), key  # a real catalog entry
