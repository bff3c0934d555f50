"""Wait out replication: retry a brand-new credential that Entra still refuses as unknown.

A new client secret (or certificate) takes seconds to minutes to reach every Entra server
(no documented upper bound, identity-platform.md §9); until then it is refused with
AADSTS7000215 (AADSTS700027 for a certificate), exactly like a wrong one.
`retry_new_credential` sends again with growing waits (2, 4, 8 … s from one send to the next,
at most 30 s, never sooner than 2 s after the previous answer, never before the server's
`Retry-After`) until a token comes back, any other answer comes back, the total time is up, or
the caller stops it. One function for every command that sends (`token --wait-new`, the
window's option, `check`): pass it a callable that sends one fresh request.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from core.redaction import Secret
from core.token.authority import is_guid
from core.token.models import CredentialKind, TokenRequestInput
from core.token.result import FailureKind, Outcome, TokenResult
from core.token.wait_result import ReplicationWait, WaitEnd

if TYPE_CHECKING:
    from core.token.transport import SharedConnections

__all__ = [
    "CERTIFICATE_UNKNOWN", "SECRET_UNKNOWN", "Progress", "ReplicationWait", "WaitEnd",
    "request_token_retrying", "retry_new_credential", "unknown_credential_code",
]  # fmt: skip

# The refusals a credential that has not replicated yet gets (identity-platform.md §9, 5.2).
SECRET_UNKNOWN = 7000215
CERTIFICATE_UNKNOWN = 700027
FIRST_WAIT_S = 2.0
MIN_INTERVAL_S = 2.0  # never two requests closer than this, whatever Retry-After says
MAX_WAIT_S = 30.0  # a longer pause would keep an admin waiting long after replication ended
MIN_TRY_S = 5.0  # the shortest timeout a try gets, even right at the limit
GRACE_S = 0.5  # the last send may start this much after the limit, to keep the 2 s spacing
MAX_LIMIT_S = 600.0  # the longest total wait the command line and the window accept


@dataclass(frozen=True)
class Progress:
    """One refusal as unknown, reported before the pause that follows it."""

    attempt: int  # requests sent so far
    elapsed_s: float  # since the first one was sent
    next_wait_s: float  # pause before the next one
    code: int

    def line(self, stop: str = "Esc") -> str:
        """The live line: "Refused as unknown (attempt 3, 14 s): … retrying in 8 s. Esc stops."""
        what = "certificate" if self.code == CERTIFICATE_UNKNOWN else "secret"
        return (
            f"Refused as unknown (attempt {self.attempt}, {self.elapsed_s:.0f} s): a new {what} "
            f"can take a few minutes to reach every Entra server; retrying in "
            f"{self.next_wait_s:.0f} s. {stop} stops."
        )


def unknown_credential_code(result: TokenResult) -> int | None:
    """7000215 or 700027 when the answer refuses the credential as unknown and the credential
    could be a new one (a GUID sent as the secret is a Secret ID, never a late replica)."""
    if result.outcome is not Outcome.REFUSED or result.error is None:
        return None
    codes = result.error.error_codes
    request = result.request
    if SECRET_UNKNOWN in codes:
        sent = request.field("client_secret") if request is not None else None
        if isinstance(sent, Secret) and is_guid(sent.reveal()):
            return None
        return SECRET_UNKNOWN
    if CERTIFICATE_UNKNOWN in codes and (
        request is None or request.credential is CredentialKind.CERTIFICATE
    ):
        return CERTIFICATE_UNKNOWN
    return None


def retry_new_credential(
    attempt: Callable[[], TokenResult],
    *,
    limit_s: float,
    cancel: threading.Event | None = None,
    on_progress: Callable[[Progress], None] | None = None,
    clock: Callable[[], float] = time.monotonic,
    pause: Callable[[float], bool] | None = None,
) -> TokenResult:
    """Send with `attempt()` (a fresh request each time) until the credential is not refused
    as unknown any more or `limit_s` seconds have passed since the first send.

    Args:
        attempt: builds and sends one request; called again for every retry.
        limit_s: the total time allowed, first send to last answer.
        cancel: set it (from any thread) to stop at once: the running request is cut short
            when `attempt` honours the same event, and no pause outlives it.
        on_progress: told of every refusal as unknown before the pause that follows it.
        clock, pause: a monotonic clock, and `pause(seconds) -> stopped` (default: wait on
            `cancel`); tests give both to run without real time.

    Returns the last answer, with `replication` saying how the wait ended, how many requests
    were sent and for how long. Never raises for what the server answers.
    """
    stop = cancel if cancel is not None else threading.Event()
    pause = pause if pause is not None else stop.wait
    started = clock()
    attempts, wait_s = 0, FIRST_WAIT_S
    refused: TokenResult | None = None  # the last refusal as unknown
    code: int | None = None

    def done(result: TokenResult, end: WaitEnd) -> TokenResult:
        waited = max(0.0, clock() - started) if attempts > 1 or end is WaitEnd.STOPPED else 0.0
        wait = ReplicationWait(end, attempts, round(waited, 1), limit_s, code)
        return replace(result, replication=wait)

    while True:
        sent_at = clock()
        result = attempt()
        attempts += 1
        if stop.is_set() and not result.ok:
            cut = result.failure is not None and result.failure.kind is FailureKind.CANCELLED
            return done(refused if cut and refused is not None else result, WaitEnd.STOPPED)
        found = unknown_credential_code(result)
        if found is None:
            if refused is None:
                return done(result, WaitEnd.NOT_NEEDED)
            return done(result, WaitEnd.WORKED if result.ok else WaitEnd.OTHER_ERROR)
        refused, code = result, found
        now = clock()
        remaining = limit_s - (now - started)
        # Growing waits count from this attempt's start; the 2 s and Retry-After from its
        # answer (so two requests on the wire are never closer than 2 s).
        floor = max(MIN_INTERVAL_S, float(result.retry_after_s() or 0))
        if remaining <= 0 or remaining + GRACE_S < floor:
            return done(result, WaitEnd.TIME_UP)
        wait = max(floor, min(wait_s - (now - sent_at), remaining))
        if on_progress is not None:
            on_progress(Progress(attempts, now - started, wait, found))
        if pause(wait) or stop.is_set():
            return done(result, WaitEnd.STOPPED)
        wait_s = min(wait_s * 2, MAX_WAIT_S)


def request_token_retrying(
    inputs: TokenRequestInput,
    *,
    limit_s: float,
    ca_file: str | None = None,
    cancel: threading.Event | None = None,
    on_progress: Callable[[Progress], None] | None = None,
    shared: SharedConnections | None = None,
) -> TokenResult:
    """`client.request_token` (check, build, send), retried while a new credential replicates.

    Each retry builds the request again (a new client-request-id, and for a certificate a new
    assertion: Entra refuses a replayed `jti`), and its timeout is cut to the time left (but
    never under MIN_TRY_S), so the whole wait ends near `limit_s` even against a slow server.
    """
    from core.token.client import request_token

    stop = cancel if cancel is not None else threading.Event()
    deadline = time.monotonic() + limit_s

    def attempt() -> TokenResult:
        left = max(deadline - time.monotonic(), MIN_TRY_S)
        timed = replace(inputs, timeout_s=min(inputs.timeout_s, left))
        return request_token(timed, ca_file=ca_file, cancel=stop, shared=shared)

    return retry_new_credential(attempt, limit_s=limit_s, cancel=stop, on_progress=on_progress)
