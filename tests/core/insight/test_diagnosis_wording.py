"""Diagnoses say each thing once, quote Entra's own words, honour Retry-After, and keep
internal codes out of the one-line headline."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from core.insight.diagnosis import diagnose, support_text
from core.insight.verdict import verdict_for_result
from core.redaction import Secret
from core.sandbox import Sandbox, scenarios
from core.token.client import request_token, send
from core.token.models import TokenRequestInput
from core.token.request import build_request
from tests.core.sandbox.conftest import to_inputs
from tests.core.tokenkit import LocalServer

SCENARIOS = {s.key: s for s in scenarios()}


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(slow_delay_s=0.2) as sb:
        yield sb


def _run(sandbox: Sandbox, key: str):
    return request_token(to_inputs(SCENARIOS[key].form, sandbox.base_url))


def test_what_microsoft_said_is_kept(sandbox: Sandbox) -> None:
    result = _run(sandbox, "secret-id")
    d = diagnose(result)
    assert d is not None and d.said == result.error.error_description.strip()
    assert d.said.startswith("AADSTS7000215: Invalid client secret provided.")


def test_throttling_explained_once_with_its_wait(sandbox: Sandbox) -> None:
    """AADSTS90055 on a 429: one block, Entra's title with the wait from Retry-After (not a
    second HTTP 429 block repeating the advice)."""
    d = diagnose(_run(sandbox, "fault-throttled"))
    assert d is not None and d.retry_after_s == 30
    assert d.code == "AADSTS90055" and d.parts == ()
    assert d.fix[0] == "Wait 30 s (Retry-After) before retrying."
    assert sum("ache tokens" in step for step in d.fix) == 1


def test_gateway_503_says_the_retry_after_once(sandbox: Sandbox) -> None:
    result = _run(sandbox, "fault-503")
    d = diagnose(result)
    assert d is not None and d.retry_after_s == 10
    assert d.fix[0] == "Wait 10 s before sending again (the server's Retry-After)."
    headline = verdict_for_result(result).headline
    assert headline == "Failed: Server error (HTTP 503)" and headline.count("HTTP 503") == 1
    assert support_text(d).splitlines()[0] == "Server error (HTTP 503)"


@pytest.mark.parametrize("key", ["fault-dropped"])
def test_no_answer_headline_has_no_internal_code(sandbox: Sandbox, key: str) -> None:
    result = _run(sandbox, key)
    headline = verdict_for_result(result).headline
    assert headline == "No answer: Connection lost"
    d = diagnose(result)
    assert d is not None and d.cause.count("broke") + d.cause.count("closed") <= 2
    assert "(connection)" not in support_text(d)


def test_refused_connection_and_blocked_keep_internal_codes_out() -> None:
    with LocalServer() as srv:
        url = f"{srv.base_url}/token"  # closed when the block ends: nothing listens
    gone = send(build_request(TokenRequestInput(client_id="c", client_secret=Secret("s"),
                                                token_url=url, timeout_s=2)))  # fmt: skip
    assert verdict_for_result(gone).headline == "No answer: Connection refused"
    blocked = request_token(TokenRequestInput(tenant="contoso.example"))
    assert "(preflight)" not in verdict_for_result(blocked).headline
    d = diagnose(blocked)
    assert d is not None and "(preflight)" not in support_text(d)
