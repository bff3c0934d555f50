"""Retrying a brand-new credential: only while refused as unknown, backing off, within a limit."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Iterator
from dataclasses import replace

import pytest

from core.redaction import Secret
from core.sandbox import Sandbox, scenarios
from core.sandbox import directory as d
from core.token.models import CredentialKind, PreparedRequest, TokenRequestInput
from core.token.replication import (
    Progress,
    WaitEnd,
    request_token_retrying,
    retry_new_credential,
)
from core.token.result import ErrorFields, Outcome, TokenFields, TokenResult
from tests.core.sandbox.conftest import to_inputs
from tests.counting import CountingProxy, FirstRequestClock

SCENARIOS = {s.key: s for s in scenarios()}


def _request(secret: str = "nffQ~new", credential: CredentialKind = CredentialKind.SECRET):
    return PreparedRequest(
        method="POST", url="https://login.example/t/oauth2/v2.0/token", headers=(),
        form=(("client_secret", Secret(secret)),), timeout_s=5, client_request_id="x",
        credential=credential,
    )  # fmt: skip


def _refused(code: int, retry_after: str = "", **kw: object) -> TokenResult:
    headers = (("Retry-After", retry_after),) if retry_after else ()
    return TokenResult(
        outcome=Outcome.REFUSED, request=_request(**kw), status=401,  # type: ignore[arg-type]
        error=ErrorFields(error="invalid_client", error_codes=(code,)), all_headers=headers,
    )  # fmt: skip


TOKEN = TokenResult(outcome=Outcome.TOKEN, request=_request(), status=200,
                    token=TokenFields(access_token=Secret("eyJ.x.y")))  # fmt: skip


class Script:
    """Scripted answers on a fake clock: each attempt takes `send_s`, each pause is recorded."""

    def __init__(self, *answers: TokenResult, send_s: float = 0.0) -> None:
        self.answers, self.send_s = list(answers), send_s
        self.now, self.sent_at, self.pauses = 0.0, [], []  # type: ignore[var-annotated]
        self.progress: list[Progress] = []

    def clock(self) -> float:
        return self.now

    def attempt(self) -> TokenResult:
        self.sent_at.append(self.now)
        self.now += self.send_s
        return self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]

    def pause(self, seconds: float) -> bool:
        self.pauses.append(seconds)
        self.now += seconds
        return False

    def run(self, limit_s: float = 120, **kw: object) -> TokenResult:
        return retry_new_credential(
            self.attempt, limit_s=limit_s, clock=self.clock, pause=self.pause,
            on_progress=self.progress.append, **kw,  # type: ignore[arg-type]
        )  # fmt: skip


def test_refused_then_token_is_replication_with_growing_waits() -> None:
    """7000215 three times, then a token: waits 2, 4, 8 s; four attempts; 14 s waited."""
    script = Script(*[_refused(7000215)] * 3, TOKEN)
    result = script.run()
    assert result.ok and result.replication is not None
    assert result.replication.end is WaitEnd.WORKED
    assert result.replication.attempts == 4 and result.replication.waited_s == 14
    assert script.pauses == [2, 4, 8]
    assert [(p.attempt, p.elapsed_s, p.next_wait_s) for p in script.progress] == [
        (1, 0, 2), (2, 2, 4), (3, 6, 8)]  # fmt: skip


def test_the_live_line_reads_as_documented() -> None:
    """The progress line of the issue, word for word; a certificate says certificate."""
    line = Progress(3, 14.2, 8, 7000215).line()
    assert line == (
        "Refused as unknown (attempt 3, 14 s): a new secret can take a few minutes to reach "
        "every Entra server; retrying in 8 s. Esc stops."
    )
    assert "a new certificate" in Progress(1, 0, 2, 700027).line("Ctrl+C")
    assert Progress(1, 0, 2, 700027).line("Ctrl+C").endswith("Ctrl+C stops.")


def test_time_up_ends_at_the_limit_with_waits_capped() -> None:
    """Always refused: waits double up to 30 s, the last attempt is sent at the limit, never
    after it, and the wait ends TIME_UP after exactly the limit."""
    script = Script(_refused(7000215))
    result = script.run(limit_s=120)
    assert result.replication is not None and result.replication.end is WaitEnd.TIME_UP
    assert script.pauses == [2, 4, 8, 16, 30, 30, 30]
    assert script.sent_at[-1] == 120 and result.replication.waited_s == 120
    assert result.replication.attempts == 8 and result.error is not None


def test_any_other_answer_stops_at_once() -> None:
    """A wrong tenant is never retried; another error after a retry ends the wait there."""
    script = Script(_refused(90002))
    result = script.run()
    assert script.pauses == [] and len(script.sent_at) == 1
    assert result.replication is not None and result.replication.end is WaitEnd.NOT_NEEDED
    assert result.replication.attempts == 1 and result.replication.waited_s == 0
    script = Script(_refused(7000215), _refused(700016))
    result = script.run()
    assert script.pauses == [2] and result.replication is not None
    assert result.replication.end is WaitEnd.OTHER_ERROR and result.replication.attempts == 2


def test_a_secret_id_is_not_replication() -> None:
    """A GUID sent as the secret is a Secret ID: refused at once, no retry."""
    script = Script(_refused(7000215, secret="af9b59dc-1555-4df4-9eb5-598074382103"))
    result = script.run()
    assert script.pauses == [] and result.replication is not None
    assert result.replication.end is WaitEnd.NOT_NEEDED


def test_certificate_refusal_is_retried_too() -> None:
    """AADSTS700027 for a certificate credential is retried like a new secret."""
    refused = _refused(700027, credential=CredentialKind.CERTIFICATE)
    script = Script(refused, TOKEN)
    result = script.run()
    assert script.pauses == [2] and result.replication is not None
    assert result.replication.end is WaitEnd.WORKED and result.replication.code == 700027


def test_retry_after_is_honoured_and_never_faster_than_two_seconds() -> None:
    """Retry-After: 10 makes the wait 10 s; a slow send still leaves 2 s between sends; a
    Retry-After past the limit ends the wait instead of sending early."""
    script = Script(_refused(7000215, retry_after="10"), TOKEN)
    script.run()
    assert script.pauses == [10]
    script = Script(_refused(7000215), _refused(7000215), TOKEN, send_s=3.0)
    script.run()
    starts = script.sent_at
    assert all(b - a >= 2 for a, b in itertools.pairwise(starts))
    script = Script(_refused(7000215, retry_after="100"))
    result = script.run(limit_s=30)
    assert script.pauses == [] and result.replication is not None
    assert result.replication.end is WaitEnd.TIME_UP


def test_stopping_ends_the_wait_at_once() -> None:
    """A pause that reports a stop (Esc, Ctrl+C) ends the wait with the last refusal."""
    script = Script(_refused(7000215))
    script.pause = lambda seconds: True  # type: ignore[method-assign]
    result = script.run()
    assert result.replication is not None and result.replication.end is WaitEnd.STOPPED
    assert result.replication.attempts == 1 and result.error is not None


# ---- real time, against the sandbox through a counting wrapper ----


@pytest.fixture
def new_secret() -> Iterator[tuple[Sandbox, CountingProxy, TokenRequestInput]]:
    """A sandbox whose new secret works 2.5 s after the first request, behind a counting
    proxy."""
    clock = FirstRequestClock()
    with Sandbox(new_secret_delay_s=2.5, clock=clock) as sb, CountingProxy(sb.base_url) as proxy:
        proxy.on_request = clock.mark
        yield sb, proxy, to_inputs(SCENARIOS["secret-new"].form, proxy.base_url)


def test_real_new_secret_works_after_retries(new_secret) -> None:
    """Refused at 0 s and 2 s, a token at 6 s: three requests, each 2 s or more apart."""
    _, proxy, inputs = new_secret
    seen: list[Progress] = []
    result = request_token_retrying(inputs, limit_s=20, on_progress=seen.append)
    assert result.ok, result.body_text[:200]
    wait = result.replication
    assert wait is not None and wait.end is WaitEnd.WORKED and wait.attempts == 3
    assert 5.5 <= wait.waited_s < 9
    assert proxy.count == 3 and min(proxy.gaps()) >= 1.95
    assert [p.attempt for p in seen] == [1, 2]


def test_real_wrong_secret_gives_up_at_the_limit(new_secret) -> None:
    """A wrong secret is retried until the 5 s limit (sends at 0, 2 and 5 s), then TIME_UP."""
    _, proxy, inputs = new_secret
    wrong = replace(inputs, client_secret=Secret(d.FABRIKAM_APP.secrets[0].value))
    started = time.monotonic()
    result = request_token_retrying(wrong, limit_s=5)
    took = time.monotonic() - started
    assert result.replication is not None and result.replication.end is WaitEnd.TIME_UP
    assert proxy.count == 3 and 4.9 <= took < 6.5 and min(proxy.gaps()) >= 1.95


def test_real_wrong_tenant_never_retries(new_secret) -> None:
    """A tenant where the app does not exist: one request, an answer at once."""
    _, proxy, inputs = new_secret
    result = request_token_retrying(replace(inputs, tenant=d.FABRIKAM.id), limit_s=60)
    assert result.replication is not None and result.replication.end is WaitEnd.NOT_NEEDED
    assert result.error is not None and result.error.error_codes == (700016,)
    assert proxy.count == 1


def test_real_cancel_stops_the_wait_at_once(new_secret) -> None:
    """The event set during the 2 s pause ends the wait within a fraction of a second."""
    _, proxy, inputs = new_secret
    cancel = threading.Event()
    stopped_at: list[float] = []

    def on_progress(p: Progress) -> None:
        threading.Timer(0.3, lambda: (stopped_at.append(time.monotonic()), cancel.set())).start()

    result = request_token_retrying(inputs, limit_s=60, cancel=cancel, on_progress=on_progress)
    late = time.monotonic() - stopped_at[0]
    assert result.replication is not None and result.replication.end is WaitEnd.STOPPED
    assert late < 0.3 and proxy.count == 1


def test_real_retry_after_from_the_server_is_honoured() -> None:
    """An answer with Retry-After: 3 is not asked again before 3 s."""
    with Sandbox(new_secret_delay_s=1.0) as sb, CountingProxy(sb.base_url, "3") as proxy:
        inputs = to_inputs(SCENARIOS["secret-new"].form, proxy.base_url)
        result = request_token_retrying(inputs, limit_s=20)
    assert result.ok and proxy.count == 2 and proxy.gaps()[0] >= 2.95


def test_each_try_is_cut_to_the_time_left(monkeypatch: pytest.MonkeyPatch) -> None:
    """Against a server that answers after 30 s, a 1.5 s wait ends in a timeout after about
    1.5 s, not after the request's own 30 s timeout."""
    from core.token import replication
    from core.token.result import FailureKind

    monkeypatch.setattr(replication, "MIN_TRY_S", 0.5)
    with Sandbox(slow_delay_s=30, new_secret_delay_s=600) as sb:
        inputs = replace(to_inputs(SCENARIOS["secret-new"].form, sb.base_url, timeout_s=30),
                         tenant="slow.contoso.example")  # fmt: skip
        started = time.monotonic()
        result = request_token_retrying(inputs, limit_s=1.5)
        took = time.monotonic() - started
    assert result.failure is not None and result.failure.kind is FailureKind.TIMEOUT
    assert took < 4 and result.replication is not None
    assert result.replication.end is WaitEnd.NOT_NEEDED
