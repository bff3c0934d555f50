"""One history entry: what is kept of a result (never a token or secret), and reading it back."""

from __future__ import annotations

import math
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # reading the history needs no result type (the window's start)
    from core.token.result import TokenResult

MAX_PER_PROFILE = 20
# Field limits, the same when an entry is written and when it is read back.
MAX_ERROR_CHARS = 300
MAX_ID_CHARS = 100
MAX_OUTCOME_CHARS = 20
MAX_ITEMS = 200  # roles, scopes
MAX_ITEM_CHARS = 500
MAX_CODES = 20


@dataclass(frozen=True)
class HistoryEntry:
    """One past result. Holds identifiers and outcome only: no token, secret or password."""

    at: float  # epoch seconds
    ok: bool
    outcome: str  # core.token.models.Outcome value
    status: int | None = None
    aadsts: tuple[int, ...] = ()
    error: str = ""  # OAuth error code and first line of the description, or the failure
    correlation_id: str = ""
    trace_id: str = ""
    expires_at: float | None = None
    roles: tuple[str, ...] = ()
    scopes: tuple[str, ...] = ()
    elapsed_ms: float = 0.0
    # A wait for a new credential's replication: how it ended ('' = no wait), requests sent,
    # seconds from the first send to the last answer.
    wait: str = ""
    attempts: int = 1
    waited_s: float = 0.0


WAIT_TEXT = {
    "worked": "worked after {s} s: it was replication ({n} attempts)",
    "time_up": "still refused after {s} s: not replication ({n} attempts)",
    "stopped": "wait for replication stopped after {s} s ({n} attempts)",
    "other_error": "another error after {s} s of retries ({n} attempts)",
}


def wait_text(entry: HistoryEntry) -> str:
    """What a wait for replication did, in a few words ('' when there was none to speak of)."""
    template = WAIT_TEXT.get(entry.wait)
    return template.format(s=f"{entry.waited_s:.0f}", n=entry.attempts) if template else ""


def entry_from_result(
    result: TokenResult, roles: tuple[str, ...] = (), at: float | None = None
) -> HistoryEntry:
    """A history entry from a token result; texts are redacted and cut short.

    Args:
        result: the result to remember.
        roles: the `roles` claim as decoded from the token (the caller decodes it).
        at: the time to record (default: when the answer arrived, or now).
    """
    scrub = result.scrubber()
    error = ""
    if result.error is not None:
        first = result.error.error_description.strip().splitlines()[:1]
        error = ": ".join([result.error.error, *first]) if result.error.error else "".join(first)
    elif result.failure is not None:
        error = result.failure.message
    elif not result.ok and result.findings:
        error = result.findings[0].title
    scope = result.token.scope if result.token else ""

    def cut(text: str, limit: int) -> str:
        return scrub.text(text)[:limit]

    def items(values: Iterable[object]) -> tuple[str, ...]:
        return tuple(cut(str(v), MAX_ITEM_CHARS) for v in list(values)[:MAX_ITEMS])

    expires_at = result.expires_at()
    wait = result.replication
    return HistoryEntry(
        at=at if at is not None else (result.received_at or time.time()),
        ok=result.ok,
        outcome=result.outcome.value[:MAX_OUTCOME_CHARS],
        status=result.status,
        aadsts=(result.error.error_codes if result.error else ())[:MAX_CODES],
        error=cut(error, MAX_ERROR_CHARS),
        correlation_id=cut(result.error.correlation_id, MAX_ID_CHARS) if result.error else "",
        trace_id=cut(result.error.trace_id, MAX_ID_CHARS) if result.error else "",
        expires_at=expires_at if expires_at is None or math.isfinite(expires_at) else None,
        roles=items(roles),
        scopes=items(scope.split()),
        elapsed_ms=round(result.elapsed_ms, 1),
        wait=wait.end.value[:MAX_OUTCOME_CHARS] if wait is not None else "",
        attempts=wait.attempts if wait is not None else 1,
        waited_s=round(wait.waited_s, 1) if wait is not None else 0.0,
    )


def _text(value: Any, limit: int = MAX_ERROR_CHARS) -> str:
    if not isinstance(value, str) or len(value) > limit:
        raise ValueError("a text field is wrong")
    return value


def _number(value: Any, optional: bool = False) -> float | None:
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError("a number field is wrong")
    return float(value)


def _texts(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or len(value) > MAX_ITEMS:
        raise ValueError("a list field is wrong")
    return tuple(_text(v, MAX_ITEM_CHARS) for v in value)


def read_entry(raw: Any) -> HistoryEntry:
    if not isinstance(raw, dict):
        raise ValueError("an entry is not an object")
    status = raw.get("status")
    codes = raw.get("aadsts", [])
    if status is not None and (isinstance(status, bool) or not isinstance(status, int)):
        raise ValueError("a status is not a number")
    if not isinstance(codes, list) or not all(type(c) is int for c in codes):
        raise ValueError("AADSTS codes are not numbers")
    if not isinstance(raw.get("ok"), bool):
        raise ValueError("an entry has no success flag")
    return HistoryEntry(
        at=_number(raw.get("at")) or 0.0,
        ok=raw["ok"],
        outcome=_text(raw.get("outcome", ""), MAX_OUTCOME_CHARS),
        status=status,
        aadsts=tuple(codes[:MAX_CODES]),
        error=_text(raw.get("error", "")),
        correlation_id=_text(raw.get("correlation_id", ""), MAX_ID_CHARS),
        trace_id=_text(raw.get("trace_id", ""), MAX_ID_CHARS),
        expires_at=_number(raw.get("expires_at"), optional=True),
        roles=_texts(raw.get("roles", [])),
        scopes=_texts(raw.get("scopes", [])),
        elapsed_ms=_number(raw.get("elapsed_ms", 0.0)) or 0.0,
        wait=_text(raw.get("wait", ""), MAX_OUTCOME_CHARS),
        attempts=_count(raw.get("attempts", 1)),
        waited_s=_number(raw.get("waited_s", 0.0)) or 0.0,
    )


def _count(value: Any) -> int:
    if type(value) is not int or not 1 <= value <= 10_000:
        raise ValueError("a count field is wrong")
    return value
