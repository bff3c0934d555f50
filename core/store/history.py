"""The last results of each profile, in `history.json`: outcome and IDs, never a token or secret."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import fields
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
from core.store.history_entry import (
    MAX_PER_PROFILE,
    HistoryEntry,
    entry_from_result,
    read_entry,
    wait_text,
)

__all__ = ["HISTORY_VERSION", "HistoryEntry", "HistoryStore", "details", "entry_from_result",
           "summary", "wait_text"]  # fmt: skip

log = logging.getLogger(__name__)

HISTORY_VERSION = 1
MAX_FILE_BYTES = 5_000_000

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
    if wait_text(entry):
        parts.append(wait_text(entry))
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
        ("Replication", wait_text(entry)),
    ]
    return "\n".join(f"{k}: {v}" for k, v in rows if v)


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
                    kept.append(read_entry(raw))
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
