"""A check run written out: one line per credential and a summary, the JSON document
(`entra-token-tester/check/1`), JUnit XML (one test case per credential), and history."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from core.check.outcome import DAY_S, CheckOutcome
from core.timefmt import iso_utc, relative, utc_text

SCHEMA = "entra-token-tester/check/1"
LABELS = {"ok": "OK", "warning": "WARNING", "failed": "FAILED"}


@dataclass(frozen=True)
class Summary:
    """Counts of a run and its wall time."""

    total: int
    ok: int
    warnings: int
    failed: int
    elapsed_s: float

    @property
    def passed(self) -> bool:
        return self.failed == 0

    def line(self) -> str:
        return (f"{self.total} checked: {self.ok} OK, {self.warnings} warning"
                f"{'s' if self.warnings != 1 else ''}, {self.failed} failed "
                f"in {self.elapsed_s:.1f} s")  # fmt: skip


def summarise(outcomes: Sequence[CheckOutcome], elapsed_s: float) -> Summary:
    states = [o.state for o in outcomes]
    return Summary(len(states), states.count("ok"), states.count("warning"),
                   states.count("failed"), elapsed_s)  # fmt: skip


def result_text(o: CheckOutcome, now: float) -> str:
    """What came back, in a few words: status, code and title, or roles, scopes, lifetime."""
    parts = [f"HTTP {o.status}"] if o.status is not None else []
    if o.state == "failed" and o.outcome != "token":
        shown = o.code if o.code.startswith("AADSTS") else ""  # not "timeout", "HTTP 503"
        parts.append(" ".join(p for p in (shown, o.title) if p))
        return "  ".join(p for p in parts if p)
    parts.append(f"{len(o.roles)} role{'s' if len(o.roles) != 1 else ''}, "
                 f"{len(o.scopes)} scope{'s' if len(o.scopes) != 1 else ''}")  # fmt: skip
    if o.lifetime_s is not None:
        parts.append(f"token for {relative(o.lifetime_s)[3:]}")
    return "  ".join(parts)


def expiry_text(o: CheckOutcome, now: float) -> str:
    """The credential's own end date and how far away it is ('' when unknown)."""
    if o.credential_expires_at is None:
        return ""
    when = o.credential_expires_at
    verb = "expired" if when < now else "expires"
    return f"{verb} {utc_text(when)[:10]} ({relative(when - now)})"


def line(o: CheckOutcome, now: float, width: int = 24) -> str:
    """One line: state, name, result, the credential's expiry, and a warning if any."""
    parts = [f"{LABELS[o.state]:<7}", f"{o.name:<{width}}", result_text(o, now)]
    if text := expiry_text(o, now):
        parts.append(f"credential {text}")
    elif o.expiry_note:
        parts.append(f"({o.expiry_note})")
    if o.warning:
        parts.append(f"warning: {o.warning}")
    if o.attempts > 1:
        parts.append(f"(retried after {o.retry_after_s:g} s)")
    if o.replication:
        parts.append(f"({o.replication})")
    return "  ".join(p for p in parts if p).rstrip()


def _iso(epoch: float | None) -> str | None:
    return iso_utc(epoch) if epoch is not None and math.isfinite(epoch) else None


def outcome_json(o: CheckOutcome, now: float) -> dict[str, Any]:
    days = None
    if o.credential_expires_at is not None:
        days = round((o.credential_expires_at - now) / DAY_S, 1)
    return {
        "name": o.name,
        "profile_id": o.profile_id or None,
        "state": o.state,
        "ok": o.ok,
        "outcome": o.outcome,
        "status": o.status,
        "code": o.code or None,
        "title": o.title or None,
        "roles": list(o.roles),
        "scopes": list(o.scopes),
        "token_lifetime_s": o.lifetime_s,
        "token_expires_at": _iso(o.expires_at),
        "credential_expires_at": _iso(o.credential_expires_at),
        "credential_expires_in_days": days,
        "credential_expiry_source": o.credential_expiry_source or None,
        "expiry_note": o.expiry_note or None,
        "warning": o.warning or None,
        "elapsed_ms": o.elapsed_ms,
        "attempts": o.attempts,
        "retry_after_s": o.retry_after_s,
        "replication": o.replication or None,
    }


def document(outcomes: Sequence[CheckOutcome], summary: Summary, now: float) -> dict[str, Any]:
    """The `--json` document (schema in README.md)."""
    return {
        "schema": SCHEMA,
        "ok": summary.passed,
        "summary": {
            "total": summary.total,
            "ok": summary.ok,
            "warnings": summary.warnings,
            "failed": summary.failed,
            "elapsed_s": round(summary.elapsed_s, 3),
        },
        "checked_at": iso_utc(now),
        "results": [outcome_json(o, now) for o in outcomes],
    }


def junit_xml(outcomes: Sequence[CheckOutcome], summary: Summary, now: float) -> str:
    """JUnit XML: one `testsuite` "entra-token-tester check", one `testcase` per credential
    (a `failure` element when it failed; a warning goes to `system-out`)."""
    import xml.etree.ElementTree as ET  # only a --junit run needs it

    suite = ET.Element("testsuite", {
        "name": "entra-token-tester check", "tests": str(summary.total),
        "failures": str(summary.failed), "errors": "0", "skipped": "0",
        "time": f"{summary.elapsed_s:.3f}", "timestamp": iso_utc(now) or "",
    })  # fmt: skip
    for o in outcomes:
        case = ET.SubElement(suite, "testcase", {
            "classname": "credentials", "name": o.name, "time": f"{o.elapsed_ms / 1000:.3f}",
        })  # fmt: skip
        text = result_text(o, now)
        if o.state == "failed":
            failure = ET.SubElement(case, "failure", {
                "message": o.warning or " ".join(p for p in (o.code, o.title) if p),
                "type": o.code or o.outcome,
            })  # fmt: skip
            failure.text = line(o, now, width=0)
        details = [text, expiry_text(o, now), f"warning: {o.warning}" if o.warning else ""]
        ET.SubElement(case, "system-out").text = "\n".join(d for d in details if d)
    root = ET.Element("testsuites", {
        "name": "entra-token-tester", "tests": str(summary.total),
        "failures": str(summary.failed), "errors": "0", "time": f"{summary.elapsed_s:.3f}",
    })  # fmt: skip
    root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")


def record_history(history: Any, outcomes: Sequence[CheckOutcome]) -> str:
    """An entry per checked saved profile, as a Send makes (`core.store.history`); returns a
    plain problem ('' when saved)."""
    from core.store.config import FileProblem
    from core.store.history import entry_from_result

    pairs = [(o.profile_id, entry_from_result(o.result, roles=o.roles))
             for o in outcomes if o.profile_id and o.result is not None]  # fmt: skip
    try:
        history.add_many(pairs)
    except FileProblem as exc:
        return exc.message
    return ""
