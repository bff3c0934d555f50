"""The last results of each profile, in `history.json`: outcome and IDs, never a token or secret."""

from __future__ import annotations

import contextlib
import logging
import math
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from datetime import datetime
from pathlib import Path
from typing import Any

from core.store.config import (
    FileProblem,
    locked,
    read_json_file,
    set_aside,
    stamp,
    write_json_atomic,
)
from core.token.models import TokenResult

log = logging.getLogger(__name__)

HISTORY_VERSION = 1
MAX_PER_PROFILE = 20
MAX_FILE_BYTES = 5_000_000
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
    )


_FIELDS = tuple(f.name for f in fields(HistoryEntry))


def _record(entry: HistoryEntry) -> dict[str, Any]:
    return {name: getattr(entry, name) for name in _FIELDS}


def _local(epoch: float) -> str:
    return datetime.fromtimestamp(epoch).strftime("%Y-%m-%d %H:%M:%S")


def summary(entry: HistoryEntry) -> str:
    """One line for a list: time, verdict, status, AADSTS codes, expiry and roles."""
    parts = [_local(entry.at), "OK    " if entry.ok else "FAILED"]
    parts.append(f"HTTP {entry.status}" if entry.status else entry.outcome.replace("_", " "))
    if entry.aadsts:
        parts.append(", ".join(f"AADSTS{c}" for c in entry.aadsts))
    if entry.expires_at:
        parts.append(f"expires {_local(entry.expires_at)}")
    if entry.roles:
        parts.append("roles " + " ".join(entry.roles))
    return "  ".join(parts)


def details(entry: HistoryEntry) -> str:
    """Every field worth quoting to support, one per line (for a tooltip or a copy)."""
    rows = [
        ("Time", _local(entry.at)),
        ("Result", ("token issued" if entry.ok else entry.outcome.replace("_", " "))),
        ("HTTP status", str(entry.status or "")),
        ("Error", entry.error),
        ("AADSTS", ", ".join(str(c) for c in entry.aadsts)),
        ("Correlation ID", entry.correlation_id),
        ("Trace ID", entry.trace_id),
        ("Expires", _local(entry.expires_at) if entry.expires_at else ""),
        ("Roles", " ".join(entry.roles)),
        ("Scopes", " ".join(entry.scopes)),
        ("Elapsed", f"{entry.elapsed_ms:.0f} ms"),
    ]
    return "\n".join(f"{k}: {v}" for k, v in rows if v)


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


def _entry(raw: Any) -> HistoryEntry:
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
    )


class HistoryStore:
    """Per profile id, the last `limit` results (newest first) in `<directory>/history.json`."""

    FILE_NAME = "history.json"

    def __init__(self, directory: Path, limit: int = MAX_PER_PROFILE) -> None:
        self.directory = Path(directory)
        self.path = self.directory / self.FILE_NAME
        self.limit = limit
        self.problem = ""
        self.dropped = 0  # entries the last load could not read (dropped, not the whole file)
        self._stamp: tuple[int, int, int] | None = None  # the file version in memory
        self._writable = True
        self._entries: dict[str, tuple[HistoryEntry, ...]] | None = None

    def load(self) -> str:
        """(Re)read the file; returns a plain problem ('' when fine). Never raises.

        An entry that cannot be read is dropped (and counted in `dropped`); only a file that
        is not a history file at all is moved aside.
        """
        self._stamp = stamp(self.path)
        outcome = read_json_file(self.path, MAX_FILE_BYTES, "The history file")
        self.problem, self._writable = outcome.problem, outcome.writable
        self._entries = {}
        self.dropped = 0
        if outcome.data is None:
            return self.problem
        try:
            data = outcome.data
            if not isinstance(data, dict) or not isinstance(data.get("profiles"), dict):
                raise ValueError('there is no "profiles" object')
            if data.get("schema_version") != HISTORY_VERSION:
                raise ValueError("its schema version is not one this version reads")
        except ValueError as exc:
            outcome = set_aside(self.path, "The history file", str(exc))
            self.problem, self._writable = outcome.problem, outcome.writable
            return self.problem
        for pid, items in data["profiles"].items():
            kept = []
            for raw in items[: self.limit] if isinstance(items, list) else [None]:
                try:
                    kept.append(_entry(raw))
                except ValueError:
                    self.dropped += 1
            if kept:
                self._entries[str(pid)[:64]] = tuple(kept)
        if self.dropped:
            log.warning("history: %d unreadable entries dropped", self.dropped)
        return self.problem

    def _all(self) -> dict[str, tuple[HistoryEntry, ...]]:
        if self._entries is None:
            self.load()
        assert self._entries is not None
        return self._entries

    def entries(self, profile_id: str) -> tuple[HistoryEntry, ...]:
        """A profile's results, newest first."""
        return self._all().get(profile_id, ())

    def add(self, profile_id: str, entry: HistoryEntry) -> None:
        """Record a result; raises FileProblem when the file cannot be saved (memory is kept)."""

        def change(entries: dict[str, tuple[HistoryEntry, ...]]) -> None:
            entries[profile_id] = ((entry, *entries.get(profile_id, ())))[: self.limit]

        self._change(change)

    def add_many(self, entries: Iterable[tuple[str, HistoryEntry]]) -> None:
        """Record several results (profile id, entry) with one write (a check run)."""
        pairs = list(entries)

        def change(current: dict[str, tuple[HistoryEntry, ...]]) -> None:
            for profile_id, entry in pairs:
                current[profile_id] = ((entry, *current.get(profile_id, ())))[: self.limit]

        if pairs:
            self._change(change)

    def clear(self, profile_id: str | None = None) -> None:
        """Forget one profile's history, or all of it."""

        def change(entries: dict[str, tuple[HistoryEntry, ...]]) -> None:
            if profile_id is None:
                entries.clear()
            entries.pop(profile_id or "", None)

        self._change(change)

    def _change(self, change: Callable[[dict[str, tuple[HistoryEntry, ...]]], None]) -> None:
        """Apply a change to the history as it is on disk now (re-read under the file lock,
        so two processes never lose each other's entries); memory keeps it if saving fails."""
        try:
            lock = locked(self.path)
            lock.__enter__()
        except FileProblem:
            entries = dict(self._all())
            change(entries)
            self._entries = entries
            raise
        with contextlib.ExitStack() as stack:
            stack.push(lock)
            if self._entries is None or stamp(self.path) != self._stamp:
                self.load()  # changed on disk since it was read: start from that
            entries = dict(self._all())
            change(entries)
            self._entries = entries
            if not self._writable:
                raise FileProblem(self.problem)
            doc = {
                "schema_version": HISTORY_VERSION,
                "profiles": {pid: [_record(e) for e in items] for pid, items in entries.items()
                             if items},
            }  # fmt: skip
            write_json_atomic(self.path, doc)
            self._stamp = stamp(self.path)
