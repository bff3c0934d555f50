"""The banner at a moment: live expiry (red once expired, amber in the last five minutes,
seconds in the last two), and a yellow banner says why it is yellow."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from core.insight.banner import banner_at
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
    result = request_token(to_inputs(SCENARIOS[key].form, sandbox.base_url))
    return verdict_for_result(result, now=result.received_at)


def test_banner_follows_the_clock(sandbox: Sandbox) -> None:
    """Green with an hour left, amber with minutes and seconds near the end, red after it,
    counting on ("19 s ago", then "3 min ago"), never frozen at zero."""
    v = _verdict(sandbox, "cc-v2-graph")
    end = v.expires_at
    ok = banner_at(v, end - 3000)
    assert (ok.state, ok.expiry) == ("ok", "ok") and ok.text.endswith("(50 min)")
    assert ok.text.startswith(v.lead)
    soon = banner_at(v, end - 250)
    assert (soon.state, soon.expiry) == ("warning", "soon") and soon.text.endswith("(4 min)")
    last = banner_at(v, end - 100)
    assert last.text.endswith("(1 min 40 s)")
    gone = banner_at(v, end + 19)
    assert (gone.state, gone.expiry) == ("error", "expired")
    assert gone.text.startswith("Token expired 19 s ago: app-only, client secret, Microsoft Graph")
    assert banner_at(v, end + 20).text.startswith("Token expired 20 s ago:")
    assert banner_at(v, end + 180).text.startswith("Token expired 3 min ago:")


def test_yellow_banner_says_why(sandbox: Sandbox) -> None:
    """No admin consent: the banner names the reason, not only its colour."""
    v = _verdict(sandbox, "no-admin-consent")
    b = banner_at(v, v.expires_at - 3000)
    assert b.state == "warning" and b.text.endswith("⚠ no application permission granted")


def test_failure_banner_is_red_with_its_headline(sandbox: Sandbox) -> None:
    v = _verdict(sandbox, "secret-id")
    assert banner_at(v, 0) == type(banner_at(v, 0))("error", "", v.headline)


def test_delegated_token_names_user_and_companions(sandbox: Sandbox) -> None:
    """A password-grant token names the signed-in user and says which other tokens came."""
    v = _verdict(sandbox, "password-ok")
    assert v.user and f"delegated for {v.user}" in v.headline
    assert v.refresh_token is not None and v.id_token is not None
    app = _verdict(sandbox, "cc-v2-graph")
    assert app.user == "" and app.refresh_token is False and app.id_token is False


def test_custom_api_named_when_known(sandbox: Sandbox) -> None:
    """A custom API's token is named from the names given (the sandbox's directory)."""
    result = request_token(to_inputs(SCENARIOS["cc-v2-api"].form, sandbox.base_url))
    bare = verdict_for_result(result)
    named = verdict_for_result(result, names={bare.audience: "Contoso Orders API"})
    assert bare.audience_name == "" and named.audience_name == "Contoso Orders API"
    assert "Contoso Orders API" in named.headline
