"""send() over real HTTP against the sandbox: tokens, Entra errors and every fault as results."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import replace

import pytest

from core.sandbox import Sandbox, scenarios
from core.token.client import request_token
from core.token.models import TokenRequestInput
from core.token.result import FailureKind, Outcome, TokenResult
from tests.core.sandbox.conftest import to_inputs

SCENARIOS = {s.key: s for s in scenarios()}


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(slow_delay_s=2.0) as sb:
        yield sb


def _inputs(sandbox: Sandbox, key: str, **changes: object) -> TokenRequestInput:
    return replace(to_inputs(SCENARIOS[key].form, sandbox.base_url), **changes)  # type: ignore[arg-type]


def test_v2_token(sandbox: Sandbox) -> None:
    """v2 answers with integer lifetimes; the result carries the token and its expiry."""
    result = request_token(_inputs(sandbox, "cc-v2-graph"))
    assert result.outcome is Outcome.TOKEN and result.status == 200
    tok = result.token
    assert tok is not None and tok.access_token and tok.token_type == "Bearer"
    assert isinstance(result.body_json, dict) and isinstance(result.body_json["expires_in"], int)
    assert tok.expires_in is not None and 3000 < tok.expires_in <= 3600
    assert result.expires_at() == pytest.approx(result.received_at + tok.expires_in)
    assert result.header("client-request-id") == result.request.client_request_id  # type: ignore[union-attr]


def test_v1_numbers_arrive_as_strings_and_are_normalized(sandbox: Sandbox) -> None:
    """v1 sends expires_in/expires_on as strings; the result holds them as ints."""
    result = request_token(_inputs(sandbox, "cc-v1-graph"))
    assert result.outcome is Outcome.TOKEN
    assert isinstance(result.body_json, dict) and isinstance(result.body_json["expires_in"], str)
    tok = result.token
    assert tok is not None and isinstance(tok.expires_in, int)
    assert isinstance(tok.expires_on, int) and tok.resource == "https://graph.microsoft.com"


def test_basic_auth_is_accepted(sandbox: Sandbox) -> None:
    """HTTP Basic client authentication gets a token too."""
    assert request_token(_inputs(sandbox, "cc-basic-auth")).outcome is Outcome.TOKEN


def test_entra_error_is_a_result_with_every_field(sandbox: Sandbox) -> None:
    """A 401 invalid_client is a REFUSED result with Entra's fields and correlation."""
    result = request_token(_inputs(sandbox, "secret-wrong"))
    assert result.outcome is Outcome.REFUSED and result.status == 401
    err = result.error
    assert err is not None and err.error == "invalid_client"
    assert err.error_codes == (7000215,)
    assert err.error_description.startswith("AADSTS7000215")
    assert err.trace_id == result.header("x-ms-request-id")
    assert err.correlation_id == result.request.client_request_id  # type: ignore[union-attr]
    assert err.timestamp and err.error_uri.endswith("7000215")
    assert result.token is None


def test_throttled_carries_retry_after(sandbox: Sandbox) -> None:
    """429 keeps its Retry-After so the wait can be shown."""
    result = request_token(_inputs(sandbox, "fault-throttled"))
    assert result.status == 429 and result.retry_after_s() == 30
    assert dict(result.headers)["Retry-After"] == "30"


def test_html_503_is_kept_as_text(sandbox: Sandbox) -> None:
    """A gateway's HTML page is a REFUSED result with the raw text and no JSON."""
    result = request_token(_inputs(sandbox, "fault-503"))
    assert result.outcome is Outcome.REFUSED and result.status == 503
    assert result.body_json is None and "<html" in result.body_text.lower()


def test_malformed_json_200_is_not_a_token(sandbox: Sandbox) -> None:
    """HTTP 200 with broken JSON is refused, not mistaken for success."""
    result = request_token(_inputs(sandbox, "fault-malformed-json"))
    assert result.outcome is Outcome.REFUSED and result.status == 200 and result.token is None


def test_huge_body_is_read_whole(sandbox: Sandbox) -> None:
    """A several-MB body is read (up to the cap) without trouble."""
    result = request_token(_inputs(sandbox, "fault-huge-body"))
    assert result.outcome is Outcome.REFUSED and len(result.body_text) > 1_000_000


def test_connection_closed_mid_response(sandbox: Sandbox) -> None:
    """A connection cut mid-body is a NO_ANSWER result of kind connection."""
    result = request_token(_inputs(sandbox, "fault-dropped"))
    assert result.outcome is Outcome.NO_ANSWER
    assert result.failure is not None and result.failure.kind is FailureKind.CONNECTION


def test_slow_server_past_the_timeout(sandbox: Sandbox) -> None:
    """A slow answer beyond the limit becomes a timeout naming the limit."""
    result = request_token(_inputs(sandbox, "fault-slow", timeout_s=0.5))
    assert result.failure is not None and result.failure.kind is FailureKind.TIMEOUT
    assert "0.5 s" in result.failure.message


def test_untrusted_tls_certificate(monkeypatch: pytest.MonkeyPatch) -> None:
    """A certificate from an unknown CA fails as TLS; trusting its CA file makes it work."""
    with Sandbox(tls=True) as tls:
        inputs = to_inputs(SCENARIOS["cc-v2-graph"].form, tls.base_url)
        result = request_token(inputs)
        assert result.outcome is Outcome.NO_ANSWER
        assert result.failure is not None and result.failure.kind is FailureKind.TLS
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(tls.ca_file))
        assert request_token(inputs).outcome is Outcome.TOKEN


def test_debug_logs_hold_no_secret_or_token(
    sandbox: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    """Even at DEBUG (ours, requests' and urllib3's), logs hold neither secret nor token."""
    inputs = _inputs(sandbox, "cc-basic-auth")
    with caplog.at_level(logging.DEBUG):
        ok = request_token(inputs)
        refused = request_token(_inputs(sandbox, "secret-wrong"))
    assert ok.token is not None and ok.token.access_token is not None
    assert refused.outcome is Outcome.REFUSED
    assert caplog.records, "expected the request to be logged"
    for value in (
        SCENARIOS["cc-basic-auth"].form["client_secret"],
        SCENARIOS["secret-wrong"].form["client_secret"],
        ok.token.access_token.reveal(),
    ):
        assert value not in caplog.text


def test_preflight_warnings_stay_in_a_sent_result(sandbox: Sandbox) -> None:
    """A request sent despite a warning keeps the warning in its result (for the display)."""
    result = request_token(
        _inputs(sandbox, "cc-v1-graph", scope="https://graph.microsoft.com/.default")
    )
    assert result.status is not None  # it was sent
    assert "scope-on-v1" in {f.code for f in result.findings}


def test_a_failure_detail_is_scrubbed_in_every_output() -> None:
    """A failure whose text quotes the secret (in any encoding) reaches --json and the human
    output masked: failure.detail, failure.message, diagnosis and support text."""
    import io
    import json as jsonlib
    from urllib.parse import quote

    from core.cli.output import report
    from core.redaction import Secret
    from core.token.result import FailureKind, TransportFailure

    secret = "Fd3Q~detail/secret+value"
    inputs = TokenRequestInput(
        client_id="6e74172b-be56-4843-9ff4-e66a39bb12e3",
        client_secret=Secret(secret),
        token_url="https://x.example/t",
    )
    from core.token.request import build_request

    prepared = build_request(inputs)
    failure = TransportFailure(FailureKind.CONNECTION, f"broke at {secret}",
                               f"ProxyError: {quote(secret, safe='')} and {secret}")  # fmt: skip
    result = TokenResult(outcome=Outcome.NO_ANSWER, request=prepared, failure=failure)
    for as_json in (True, False):
        out = io.StringIO()
        assert report(result, inputs, as_json=as_json, out=out) == 3
        text = out.getvalue()
        assert secret not in text and quote(secret, safe="") not in text
        if as_json:
            doc = jsonlib.loads(text)
            assert doc["failure"]["detail"].startswith("ProxyError: ********")


def test_ca_file_and_cancel_reach_the_exchange() -> None:
    """request_token passes the CA file (a TLS sandbox is trusted with it) and the cancel
    event (a set event ends the request as cancelled at once)."""
    import threading

    with Sandbox(tls=True, slow_delay_s=5) as sb:
        inputs = to_inputs(SCENARIOS["cc-v2-graph"].form, sb.base_url)
        assert request_token(inputs).failure.kind is FailureKind.TLS  # type: ignore[union-attr]
        assert request_token(inputs, ca_file=str(sb.ca_file)).ok
        cancel = threading.Event()
        cancel.set()
        slow = to_inputs(SCENARIOS["fault-slow"].form, sb.base_url)
        result = request_token(slow, ca_file=str(sb.ca_file), cancel=cancel)
        assert result.failure is not None and result.failure.kind is FailureKind.CANCELLED


DEPTH_PROBLEM = "the JSON is nested more than 64 levels deep (refused: no real answer does that)"


@pytest.mark.parametrize(
    ("status", "body", "outcome", "problem"),
    [
        (200, '{"access_token": "a.b.c", "not_before": "17", "refresh_in": 1800}', "token", ""),
        (300, '{"access_token": "a.b.c"}', "refused", ""),
        (299, '  {"access_token": "a.b.c"}  ', "token", ""),
        (200, "[1, 2]", "refused", "the JSON is not an object"),
        (200, '{"access_tok', "refused", "the JSON is cut off or broken: not valid JSON "
                                          "(Unterminated string starting, line 1, column 2)"),
        (200, "[" * 100 + "]" * 100, "refused", DEPTH_PROBLEM),
        (200, "plain text", "refused", ""),
    ],
)  # fmt: skip
def test_answers_are_read_strictly(status: int, body: str, outcome: str, problem: str) -> None:
    """Success needs a 2xx and an access token; why a JSON-looking body could not be read is
    kept; v1-style string numbers are read; cookies and secret-named headers are masked."""
    from core.token.client import result_from_answer
    from core.token.models import PreparedRequest
    from core.token.transport import HttpResult

    prepared = PreparedRequest("POST", "https://x.example/t", (), (), 5.0, "rid")
    answer = HttpResult("POST", prepared.url, 12.0, 100.0, status=status, reason="R",
                        headers=(("Set-Cookie", "sid=1"), ("X-Api-Key", "k"), ("X-Other", "v")),
                        body=body.encode())  # fmt: skip
    result = result_from_answer(prepared, answer)
    assert result.outcome.value == outcome and result.body_error == problem
    assert result.all_headers == (("Set-Cookie", "********"), ("X-Api-Key", "********"),
                                  ("X-Other", "v"))  # fmt: skip
    assert (result.reason, result.elapsed_ms, result.received_at) == ("R", 12.0, 100.0)
    if outcome == "token" and status == 200:
        assert result.token is not None
        assert (result.token.not_before, result.token.refresh_in) == (17, 1800)


def test_error_claims_kept_as_text() -> None:
    """An error's `claims` challenge is kept as text whether it came as text or JSON."""
    from core.redaction import Scrubber
    from core.token.client import _error_fields

    as_object = _error_fields({"error": "x", "claims": {"access_token": {"a": 1}}}, Scrubber())
    assert as_object.claims == '{"access_token": {"a": 1}}'
    assert _error_fields({"error": "x", "claims": "c"}, Scrubber()).claims == "c"
    assert _error_fields({"error": "x"}, Scrubber()).claims == ""


@pytest.mark.parametrize("value", ["123", "null", "true", '["eyJ"]', '{"a": 1}', '""'])
def test_a_token_that_is_not_text_is_no_token(value: str) -> None:
    """A hostile 200 whose access_token is a number, null, a list or an object: refused as
    'no token', never a crash; the status range check still applies."""
    from core.token.client import result_from_answer
    from core.token.models import PreparedRequest
    from core.token.transport import HttpResult

    prepared = PreparedRequest("POST", "https://x.example/t", (), (), 5.0, "rid")
    body = f'{{"access_token": {value}, "refresh_token": {value}, "id_token": {value}}}'
    answer = HttpResult("POST", prepared.url, 1.0, 2.0, status=200, body=body.encode())
    result = result_from_answer(prepared, answer)
    assert result.outcome is Outcome.REFUSED and result.token is None
