"""Verdict and diagnosis of a wait for replication: worked, time up, stopped, or never needed."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest

from core.insight.diagnosis import diagnose
from core.insight.verdict import verdict_for_result
from core.sandbox import Sandbox, scenarios
from core.token.client import request_token
from core.token.replication import ReplicationWait, WaitEnd
from core.token.result import TokenResult
from tests.core.sandbox.conftest import to_inputs

SCENARIOS = {s.key: s for s in scenarios()}


@pytest.fixture(scope="module")
def answers() -> Iterator[dict[str, TokenResult]]:
    """Real sandbox answers: a token, the new secret refused, a Secret ID, a wrong tenant."""
    with Sandbox(new_secret_delay_s=600) as sb:
        keys = ("cc-v2-graph", "secret-new", "secret-id", "tenant-wrong")
        yield {k: request_token(to_inputs(SCENARIOS[k].form, sb.base_url)) for k in keys}


def _waited(result: TokenResult, end: WaitEnd, attempts: int, seconds: float) -> TokenResult:
    return replace(result, replication=ReplicationWait(end, attempts, seconds, 120, 7000215))


def test_worked_after_retries_says_it_was_replication(answers) -> None:
    """A token after refusals: the headline says so first, a note counts the attempts."""
    result = _waited(answers["cc-v2-graph"], WaitEnd.WORKED, 4, 22.4)
    verdict = verdict_for_result(result)
    assert verdict.issued
    assert verdict.headline.startswith(
        "Worked after 22 s: it was replication, not a wrong secret. Token issued in "
    )
    assert "4 attempts over 22 s" in verdict.notes[0]
    plain = verdict_for_result(answers["cc-v2-graph"])
    assert plain.headline.startswith("Token issued in ") and "Worked" not in plain.headline


def test_time_up_rules_replication_out(answers) -> None:
    """Still refused at the limit: 'this is not replication', and the diagnosis drops the
    advice to wait and the offer to retry."""
    result = _waited(answers["secret-new"], WaitEnd.TIME_UP, 8, 120)
    verdict = verdict_for_result(result)
    assert verdict.headline == (
        "Still refused after 120 s: this is not replication. Check the Value (not the Secret "
        "ID), the app and the tenant (AADSTS7000215)"
    )
    d = diagnose(result)
    assert d is not None and d.code == "AADSTS7000215"
    assert d.cause.startswith("Still refused after 120 s of retries (8 attempts)")
    assert not any("--wait-new" in step or "Wait a few minutes" in step for step in d.fix)
    assert any("Secret ID" in step for step in d.fix)  # the usual diagnosis stays


def test_a_single_refusal_offers_the_retry(answers) -> None:
    """AADSTS7000215 without a wait: replication is named as a cause and the retry offered
    (window option and --wait-new); the same when the wait was stopped."""
    for result in (answers["secret-new"],
                   _waited(answers["secret-new"], WaitEnd.STOPPED, 2, 3)):  # fmt: skip
        d = diagnose(result)
        assert d is not None and "replicated it to every server" in d.cause
        assert "--wait-new 120" in d.fix[0] and "This secret is new" in d.fix[0]
    stopped = verdict_for_result(_waited(answers["secret-new"], WaitEnd.STOPPED, 2, 3))
    assert stopped.headline.startswith("Stopped after 3 s (2 attempts): Failed: ")
    assert stopped.headline.endswith("(AADSTS7000215)")


def test_no_retry_offered_for_a_secret_id_or_another_error(answers) -> None:
    """A GUID sent as the secret is the Secret ID (no replication); a wrong tenant is not
    about the credential: neither mentions the retry."""
    for key in ("secret-id", "tenant-wrong"):
        d = diagnose(answers[key])
        assert d is not None and not any("--wait-new" in s for s in d.fix), key
        assert "replicated it to every server" not in d.cause, key
