"""The just-created secret: refused like a wrong one until its replication delay has passed."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from dataclasses import replace

from core.redaction import Secret
from core.sandbox import Sandbox, describe, scenarios
from core.sandbox import directory as d
from core.token.client import request_token
from core.token.models import AuthMethod
from core.token.result import Outcome, TokenResult
from tests.core.sandbox.conftest import to_inputs
from tests.core.sandbox.test_cli import ROOT, _read_until, _serving

NEW = next(s for s in scenarios() if s.key == "secret-new")


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _codes(result: TokenResult) -> tuple[int, ...]:
    return result.error.error_codes if result.error is not None else ()


def test_refused_as_unknown_until_the_delay_then_issued() -> None:
    """Before the delay: AADSTS7000215 exactly as a wrong secret (body and basic auth); after
    it: a token. The valid secret works all along."""
    clock = FakeClock()
    with Sandbox(new_secret_delay_s=10, clock=clock) as sb:
        inputs = to_inputs(NEW.form, sb.base_url)
        wrong = request_token(replace(inputs, client_secret=Secret(d.EXPIRED_SECRET.key_id)))
        early = request_token(inputs)
        assert early.outcome is Outcome.REFUSED and _codes(early) == (7000215,)
        assert early.status == wrong.status == 401
        assert early.error is not None and wrong.error is not None
        assert early.error.error == wrong.error.error == "invalid_client"
        assert sb.new_secret_ready_in() == 10
        clock.now += 9.5
        basic = request_token(replace(inputs, auth_method=AuthMethod.BASIC))
        assert _codes(basic) == (7000215,)
        valid = request_token(replace(inputs, client_secret=Secret(d.VALID_SECRET.value)))
        assert valid.ok
        clock.now += 0.5
        assert sb.new_secret_ready_in() == 0
        assert request_token(inputs).ok
        assert request_token(replace(inputs, auth_method=AuthMethod.BASIC)).ok


def test_loading_the_scenario_creates_the_secret_again() -> None:
    """scenario_form() of a form sending the new secret restarts its delay (the window loads
    the scenario long after the sandbox started); other forms leave it alone."""
    clock = FakeClock()
    with Sandbox(new_secret_delay_s=5, clock=clock) as sb:
        clock.now += 60
        assert sb.new_secret_ready_in() == 0
        sb.scenario_form(scenarios()[0].form)
        assert sb.new_secret_ready_in() == 0
        sb.scenario_form(NEW.form)
        assert sb.new_secret_ready_in() == 5
        assert _codes(request_token(to_inputs(NEW.form, sb.base_url))) == (7000215,)


def test_real_time_short_delay() -> None:
    """With the real clock and a short delay the secret starts working by itself."""
    with Sandbox(new_secret_delay_s=0.6) as sb:
        inputs = to_inputs(NEW.form, sb.base_url)
        assert _codes(request_token(inputs)) == (7000215,)
        deadline = time.monotonic() + 5
        while sb.new_secret_ready_in() > 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert request_token(inputs).ok


def test_describe_lists_the_new_secret_and_its_delay() -> None:
    """describe() marks the just-created secret with its delay (the sandbox's when running)."""

    def new_secrets(info: dict) -> list[dict]:
        return [s for a in info["apps"] for s in a["secrets"] if s["new"]]

    (static,) = new_secrets(describe())
    assert static["value"] == d.NEW_SECRET.value and static["replication_delay_s"] == 10
    assert new_secrets(describe(new_secret_delay_s=3))[0]["replication_delay_s"] == 3
    with Sandbox(new_secret_delay_s=2.5) as sb:
        assert new_secrets(describe(sb))[0]["replication_delay_s"] == 2.5
    others = [s for a in describe()["apps"] for s in a["secrets"] if not s["new"]]
    assert others and all(s["replication_delay_s"] is None for s in others)
    scenario = next(s for s in describe()["scenarios"] if s["key"] == "secret-new")
    assert scenario["wait_new"] is True and scenario["title"].startswith("Secret just created")


def test_cli_option_in_describe_and_summary() -> None:
    """`sandbox --new-secret-delay S`: --describe carries S, the printed summary names the
    secret and its delay, and the served secret works after S seconds; a bad S is refused."""
    done = subprocess.run(
        [sys.executable, "main.py", "sandbox", "--describe", "--new-secret-delay", "3"],
        cwd=ROOT, capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    info = json.loads(done.stdout)
    assert [s["replication_delay_s"] for a in info["apps"] for s in a["secrets"] if s["new"]] == [3]
    with _serving("--new-secret-delay", "0.5") as process:
        assert process.stdout is not None
        base = process.stdout.readline().rsplit(" ", 1)[1].strip()
        text = _read_until(process.stdout, "Press Ctrl+C to stop.\n")
        line = next(x for x in text.splitlines() if d.NEW_SECRET.value in x)
        assert "JUST CREATED" in line and "0.5 s" in line
        time.sleep(0.6)  # the delay itself is what is tested here
        assert request_token(to_inputs(NEW.form, base)).ok
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=15)
    for value in ("nan", "-1", "1e9"):
        done = subprocess.run(
            [sys.executable, "main.py", "sandbox", "--new-secret-delay", value],
            cwd=ROOT, capture_output=True, text=True, timeout=30,
        )  # fmt: skip
        assert done.returncode == 2 and "--new-secret-delay" in done.stderr
