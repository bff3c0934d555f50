"""Warnings on an issued token get fix steps, like failures do."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from core.insight.advice import advice
from core.insight.verdict import verdict_for_result
from core.sandbox import Sandbox, scenarios
from core.token.client import request_token
from tests.core.sandbox.conftest import to_inputs

SCENARIOS = {s.key: s for s in scenarios()}


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(slow_delay_s=0.2) as sb:
        yield sb


def _verdict(sandbox: Sandbox, key: str):
    return verdict_for_result(request_token(to_inputs(SCENARIOS[key].form, sandbox.base_url)))


def test_no_admin_consent_names_the_portal_button(sandbox: Sandbox) -> None:
    form = SCENARIOS["no-admin-consent"].form
    found = advice(_verdict(sandbox, "no-admin-consent"), form["tenant"])
    assert [d.code for d in found] == ["no-roles"]
    steps = " ".join(found[0].fix)
    assert f"API permissions > Grant admin consent for {form['tenant']}" in steps
    assert "Microsoft Graph" in steps and "401/403" in found[0].cause


def test_a_clean_token_and_a_failure_get_no_advice(sandbox: Sandbox) -> None:
    assert advice(_verdict(sandbox, "cc-v2-graph")) == ()
    assert advice(_verdict(sandbox, "secret-id")) == ()
