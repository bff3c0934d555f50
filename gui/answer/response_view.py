"""The answer: a verdict banner, copy buttons, and Summary/Claims/Raw/Request/Diagnosis tabs."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gui import theme
from gui.answer.answer_tabs import AnswerTabs
from gui.answer.summary_view import SummaryView
from gui.answer.verdict_banner import VerdictBanner

if TYPE_CHECKING:
    from gui.answer.analysis import Report
    from gui.answer.claims_view import ClaimsView
    from gui.answer.detail_views import DiagnosisView, RawView, RequestView
    from gui.answer.try_view import TryView

COPY_TOKEN_TIP = "Copy the access token (Ctrl+Shift+C)"
COPY_HEADER_TIP = "Copy 'Authorization: Bearer …' (Ctrl+Shift+H)"
NO_TOKEN_TIP = "No token to copy yet: press Send, or paste a token here (Ctrl+V)"
IDLE_TEXT = "Fill in the form and press Send (Ctrl+Enter), or paste a token here (Ctrl+V)."
# The answers' modules (core.token.result, gui.answer.analysis: dataclasses and enums, ~5 ms)
# load with the first answer (or the warm-up after the window's first complete paint).


class ResponseView(QWidget):
    """Shows one Report; the window decides what to do with the buttons.

    Signals:
        copy_token(): Copy token was clicked.
        copy_header(): Copy Authorization header was clicked.
        paste_token(str): Ctrl+V on the result area, with the clipboard text.
        copy_curl(), copy_powershell(): the Request tab's export buttons.
        copy_support(): the Diagnosis tab's Copy support details button.
        open_preferences(): the Diagnosis asks for File > Preferences (a CA file to trust).
        try_send(), try_inputs_changed(), try_expiry(), try_copy_curl(), try_copy_powershell():
            the Try it tab's Send call, edits, Check credential expiry and export buttons.
    """

    copy_token = Signal()
    copy_header = Signal()
    paste_token = Signal(str)
    copy_curl = Signal()
    copy_powershell = Signal()
    copy_support = Signal()
    open_preferences = Signal()
    try_send = Signal()
    try_inputs_changed = Signal()
    try_expiry = Signal()
    try_copy_curl = Signal()
    try_copy_powershell = Signal()

    def __init__(self, clock: Callable[[], float] = time.time, parent: QWidget | None = None):
        super().__init__(parent)
        self.report: Report | None = None
        self._clock = clock
        self.verdict_label = VerdictBanner(clock)
        self.copy_token_button = QPushButton("Copy token", objectName="copyTokenButton")
        self.copy_token_button.setToolTip(COPY_TOKEN_TIP)
        self.copy_header_button = QPushButton("Copy header", objectName="copyHeaderButton")
        self.copy_header_button.setToolTip(COPY_HEADER_TIP)
        # What was copied, and when the clipboard clears: beside the buttons that copied it.
        self.copy_feedback = QLabel(objectName="copyFeedback", wordWrap=True)
        self.copy_feedback.setProperty("role", "hint")
        self.copy_feedback.setAccessibleName("Copy status")
        self.copy_feedback.setMaximumWidth(150)
        self.copy_token_button.clicked.connect(self.copy_token)
        self.copy_header_button.clicked.connect(self.copy_header)

        self.summary = SummaryView(clock)
        self.summary.setAccessibleName("Summary of the answer")
        self.tabs = AnswerTabs(self.summary, self)

        top = QHBoxLayout()
        top.setSpacing(8)
        top.addWidget(self.verdict_label, 1)
        buttons = QVBoxLayout()
        buttons.setSpacing(4)
        buttons.addWidget(self.copy_token_button)
        buttons.addWidget(self.copy_header_button)
        buttons.addWidget(self.copy_feedback)
        buttons.addStretch(1)
        top.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)

        paste = QShortcut(QKeySequence.StandardKey.Paste, self)
        paste.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        paste.activated.connect(self._on_paste_activated)
        self.refresh_icons()
        self.show_idle()

    # -- the tabs built on first need ---------------------------------------------------------

    @property
    def claims(self) -> ClaimsView:
        return self.tabs.view("claims")  # type: ignore[return-value]

    @property
    def raw(self) -> RawView:
        return self.tabs.view("raw")  # type: ignore[return-value]

    @property
    def request(self) -> RequestView:
        return self.tabs.view("request")  # type: ignore[return-value]

    @property
    def diagnosis(self) -> DiagnosisView:
        return self.tabs.view("diagnosis")  # type: ignore[return-value]

    @property
    def try_it(self) -> TryView:
        return self.tabs.view("try_it")  # type: ignore[return-value]

    def build_tabs(self) -> None:
        """Build every tab not built yet (the window calls this when idle after start-up, so
        the first answer does not pay for it: ~20 ms on the UI thread as it arrives)."""
        self.tabs.build_all()

    def refresh_icons(self) -> None:
        self.copy_token_button.setIcon(theme.icon("key"))
        self.copy_header_button.setIcon(theme.icon("copy"))
        self.tabs.refresh_icons()

    # -- states -----------------------------------------------------------------------------

    def _set_banner(self, state: str, text: str) -> None:
        self.verdict_label.show_state(state, text)

    @property
    def banner_state(self) -> str:
        return self.verdict_label.state

    @property
    def stale(self) -> bool:
        """The answer shown is for a request the form no longer matches."""
        return self.verdict_label.stale

    def set_stale(self, stale: bool) -> None:
        """The form changed after this answer (True) or is back as it was sent (False): the
        banner says so and the tabs are dimmed; an idle line (a scenario's) gives way."""
        if self.report is None:
            if stale and self.banner_state == "idle" and self.verdict_label.text() != IDLE_TEXT:
                self.show_idle()
            return
        if self.report.result is None:  # a pasted token answers no form
            return
        self.verdict_label.set_stale(stale)
        self._dim(stale)

    def _dim(self, dimmed: bool) -> None:
        """Grey the tabs' text (an answer for the previous request) or show it as it is. A
        widget style sheet, not an opacity effect: that one composites over black offscreen."""
        if dimmed == self.dimmed:
            return
        color = "#6b737c" if theme.current().dark else "#a0a8b0"
        self.tabs.setStyleSheet(
            f"QLabel, QTableView, QPlainTextEdit, QLineEdit {{ color: {color}; }}" if dimmed
            else ""
        )  # fmt: skip

    @property
    def dimmed(self) -> bool:
        return bool(self.tabs.styleSheet())

    def expired_note(self) -> str:
        """'expired 3 min ago' while the token shown has expired, else ''."""
        verdict = getattr(self.report, "verdict", None)
        expires_at = getattr(verdict, "expires_at", None)
        if self.verdict_label.expiry != "expired" or expires_at is None:
            return ""
        from core.insight.token_facts import ago_text

        return f"expired {ago_text(self._clock() - expires_at)}"

    def show_idle(self, text: str = IDLE_TEXT) -> None:
        self.report = None
        self._dim(False)
        self._set_banner("idle", text)
        self._set_token_buttons(False)
        self.summary.clear()
        if self.tabs.built("claims"):  # a view not built yet has nothing to clear
            self.claims.clear()
        if self.tabs.built("diagnosis"):
            self.diagnosis.clear()
        if self.tabs.built("raw"):
            self.raw.show_text("")
        if self.tabs.built("request"):
            self.request.show_text("")
        self.summary.show_placeholder()
        self.tabs.setCurrentWidget(self.summary)

    def show_failure(self, headline: str, title: str, html: str) -> None:
        """A failure that produced no report: red banner and an explanation on Diagnosis."""
        self.show_idle()
        self.summary.clear()
        self._set_banner("error", headline)
        self.diagnosis.show_message(title, html)
        self.tabs.setCurrentWidget(self.diagnosis)

    def show_busy(self, text: str) -> None:
        self._set_banner("busy", text)

    def _set_token_buttons(self, enabled: bool) -> None:
        self.copy_token_button.setEnabled(enabled)
        self.copy_header_button.setEnabled(enabled)
        why = "" if enabled else NO_TOKEN_TIP
        self.copy_token_button.setToolTip(why or COPY_TOKEN_TIP)
        self.copy_header_button.setToolTip(why or COPY_HEADER_TIP)

    def show_report(self, report: Report) -> None:
        """Show a report: banner, tabs, and the tab that answers first (Summary or Diagnosis)."""
        from core.token.result import Outcome
        from gui.answer.analysis import OUTCOME_TEXT

        self.report = report
        self._dim(False)
        result, verdict = report.result, report.verdict
        self._set_token_buttons(report.token is not None)
        if result is None and report.decoded is None:
            self._set_banner("error", report.paste_line or report.decode_error)
        elif verdict is not None:
            self.verdict_label.show_verdict(verdict, report.origin or ("Pasted token, not sent. "
                                            if result is None else ""))  # fmt: skip
        else:
            self._set_banner("error", OUTCOME_TEXT[result.outcome] if result else "")

        outcome = OUTCOME_TEXT[result.outcome] if result is not None else "Decoded from a paste"
        if result is not None and result.outcome is not Outcome.BLOCKED:
            outcome += f" in {result.elapsed_ms:.0f} ms"
            if result.status is not None:
                outcome += f" (HTTP {result.status})"
        if report.diagnosis is not None and result is not None:
            outcome += f": {report.diagnosis.title}"
        self.summary.show_verdict(verdict, report.signature, outcome)
        from gui.answer.detail_views import decoded_json

        self.claims.show_claims(report.claims, decoded_json(report.decoded))
        self.raw.show_text(self._raw_text(report))
        request = result.request if result is not None else None
        self.request.show_text(request.redacted_text() if request is not None else "")
        if report.diagnosis is not None:
            self.diagnosis.show_diagnosis(report.diagnosis, report.support)
        elif report.decoded is None and report.decode_error:
            self.diagnosis.show_message(report.paste_line or "This text is not a readable token",
                                        _esc(report.decode_error))  # fmt: skip
        elif report.advice:
            self.diagnosis.show_advice(report.advice)
        else:
            self.diagnosis.clear()
        failed = report.diagnosis is not None or (report.decoded is None and not report.token)
        self.tabs.setCurrentWidget(self.diagnosis if failed else self.summary)

    def _raw_text(self, report: Report) -> str:
        from gui.answer.detail_views import decoded_json, raw_text

        return raw_text(report.result) if report.result else decoded_json(report.decoded)

    def _on_paste_activated(self) -> None:
        text = QGuiApplication.clipboard().text()
        if text.strip():
            self.paste_token.emit(text)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
