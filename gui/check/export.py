"""A check run's results copied or saved: the lines `check` prints, its JSON or JUnit XML."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from core.check.outcome import CheckOutcome
from core.check.report import document, junit_xml, line, summarise


def report_text(outcomes: Sequence[CheckOutcome], now: float, elapsed_s: float) -> str:
    """One line per profile and the summary, as `check` prints them (never a secret)."""
    width = min(32, max((len(o.name) for o in outcomes), default=0))
    lines = [line(o, now, width) for o in outcomes]
    return "\n".join([*lines, summarise(outcomes, elapsed_s).line()]) + "\n"


def copy_report(outcomes: Sequence[CheckOutcome], now: float, elapsed_s: float) -> str:
    """Copy the lines to the clipboard; returns the status line."""
    QGuiApplication.clipboard().setText(report_text(outcomes, now, elapsed_s))
    return "Check report copied (no secret is in it)."


def save_report(
    parent: QWidget | None, outcomes: Sequence[CheckOutcome], now: float, elapsed_s: float
) -> str:
    """Ask where, then write the `check --json` document, or JUnit XML for a .xml name;
    returns the status line ('' when the user chose nothing)."""
    import json

    from gui.messages import ask_save_path

    path = ask_save_path(parent, "Save check report", "check-report.json",
                         "JSON (*.json);;JUnit XML (*.xml)")  # fmt: skip
    if not path:
        return ""
    summary = summarise(outcomes, elapsed_s)
    text = (junit_xml(outcomes, summary, now) if path.lower().endswith(".xml")
            else json.dumps(document(outcomes, summary, now), indent=2))  # fmt: skip
    try:
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)
    except OSError as exc:
        return f"The report was not saved: {exc.strerror or exc}"
    return f"Check report saved to {path}."
