"""The "Try it" tab: call an API with the token just issued or pasted, see the permission check
before sending, the answer (token masked) and its verdict, and the credential's expiry."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from gui import theme
from gui.answer.detail_views import _mono_view
from gui.answer.expiry_view import ExpiryView
from gui.flow_layout import FlowLayout

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
MAX_SHOWN_CHARS = 200_000
NO_TOKEN = "Get a token first (Send, or paste one with Ctrl+V): then try it on an API here."


class TryView(QWidget):
    """The widgets of the Try it tab; TryController (gui/try_flow.py) does the work.

    Signals:
        send_requested(): Send was clicked (or Enter in the URL).
        inputs_changed(): the method, URL or headers changed (the permission check follows).
        expiry_requested(): Check credential expiry was clicked.
        copy_curl(), copy_powershell(): the export buttons.
    """

    send_requested = Signal()
    inputs_changed = Signal()
    expiry_requested = Signal()
    copy_curl = Signal()
    copy_powershell = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.method = QComboBox(objectName="tryMethod")
        self.method.addItems(METHODS)
        self.method.setAccessibleName("Method")
        self.url = QLineEdit(
            objectName="tryUrl", placeholderText="https://graph.microsoft.com/v1.0/…"
        )
        self.url.setAccessibleName("URL")
        self.headers = QPlainTextEdit(
            objectName="tryHeaders", placeholderText="Name: value (one per line)"
        )
        self.headers.setAccessibleName("Extra headers")
        self.headers.setMaximumHeight(60)
        self.body = QPlainTextEdit(objectName="tryBody", placeholderText="Request body (JSON)")
        self.body.setAccessibleName("Request body")
        self.body.setMaximumHeight(70)
        for edit in (self.headers, self.body):  # two lines even when a short window squeezes
            edit.setMinimumHeight(edit.fontMetrics().lineSpacing() * 2 + 12)
        self.send_button = QPushButton("Send call", objectName="trySend")
        self.curl_button = QPushButton("Copy as curl", objectName="tryCurl")
        self.ps_button = QPushButton("Copy as PowerShell", objectName="tryPowerShell")
        self.permission = QLabel("", objectName="tryPermission", wordWrap=True)
        self.permission.setAccessibleName("Permission check")
        self.permission.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.verdict = QLabel(NO_TOKEN, objectName="callVerdict", wordWrap=True)
        self.verdict.setAccessibleName("Call verdict")
        self.verdict.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.answer = _mono_view("tryAnswer", "The API's answer")
        self.diagnosis = QLabel("", objectName="tryDiagnosis", wordWrap=True)
        self.diagnosis.setAccessibleName("Why the API refused")
        self.diagnosis.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.expiry_button = QPushButton("Check credential expiry", objectName="tryExpiry")
        self.expiry = ExpiryView()

        line = QHBoxLayout()
        line.addWidget(self.method)
        line.addWidget(self.url, 1)
        line.addWidget(self.send_button)
        form = QFormLayout()
        form.addRow("Request", line)
        form.addRow("Headers", self.headers)
        form.addRow("Body", self.body)
        exports = FlowLayout()  # wraps on a narrow pane instead of cutting the buttons short
        for button in (self.curl_button, self.ps_button, self.expiry_button):
            exports.addWidget(button)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addLayout(form)
        top_layout.addWidget(self.permission)
        top_layout.addLayout(exports)
        top_layout.addWidget(self.verdict)
        top_layout.addWidget(self.diagnosis)
        top_layout.addWidget(self.answer, 1)
        scroller = QScrollArea(widgetResizable=True, frameShape=QFrame.Shape.NoFrame)
        scroller.setWidget(top)  # a short window scrolls the call instead of squeezing its rows
        scroller.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(scroller)
        split.addWidget(self.expiry)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(split)

        self.send_button.clicked.connect(self.send_requested)
        self.url.returnPressed.connect(self.send_requested)
        self.expiry_button.clicked.connect(self.expiry_requested)
        self.curl_button.clicked.connect(self.copy_curl)
        self.ps_button.clicked.connect(self.copy_powershell)
        self.method.currentTextChanged.connect(self.inputs_changed)
        self.url.textChanged.connect(self.inputs_changed)
        self.set_enabled(False)

    def set_enabled(self, enabled: bool) -> None:
        for widget in (self.send_button, self.curl_button, self.ps_button, self.expiry_button):
            widget.setEnabled(enabled)

    def set_state(self, state: str, text: str) -> None:
        """The verdict line and its colour: idle, busy, ok, warning, error."""
        self.verdict.setText(text)
        theme.restyle(self.verdict, "state", state)

    def load(self, method: str, url: str) -> None:
        """A new token: its default call, nothing shown yet."""
        self.method.setCurrentText(method)
        self.url.setText(url)
        self.answer.setPlainText("")
        self.diagnosis.setText("")
        self.set_enabled(True)
        self.set_state("idle", "Press Send call to try the token on this URL."
                       if url else "Type the API's URL, then Send call.")  # fmt: skip

    def clear(self) -> None:
        self.set_enabled(False)
        self.permission.setText("")
        self.answer.setPlainText("")
        self.diagnosis.setText("")
        self.set_state("idle", NO_TOKEN)

    def header_lines(self) -> list[str]:
        return [line for line in self.headers.toPlainText().splitlines() if line.strip()]

    def show_permission(self, check: Any) -> None:
        if check is None:
            self.permission.setText("")
            return
        text = check.text + (f" {check.fix}" if check.fix and check.state != "has" else "")
        self.permission.setText(f"Permission: {text}")

    def show_report(self, report: Any) -> None:
        """A CallReport: verdict, answer (already scrubbed), diagnosis."""
        result = report.result
        state = {"allowed": "ok", "redirected": "warning"}.get(result.outcome, "error")
        self.set_state(state, result.verdict)
        self.show_permission(report.check)
        lines = []
        if result.status is not None:
            lines.append(f"HTTP {result.status} {result.reason}".rstrip()
                         + f"  ·  {result.elapsed_ms:.0f} ms  ·  {result.size} bytes")  # fmt: skip
            lines += [f"{k}: {v}" for k, v in result.headers]
            lines.append("")
            body = result.body_text
            if len(body) > MAX_SHOWN_CHARS:
                body = body[:MAX_SHOWN_CHARS] + "\n… (cut here)"
            lines.append(body)
        elif result.failure is not None:
            lines.append(result.failure.message)
        self.answer.setPlainText("\n".join(lines))
        d = report.diagnosis
        if d is None:
            self.diagnosis.setText("")
        else:
            steps = "".join(f"<li>{_esc(s)}</li>" for s in d.fix)
            self.diagnosis.setText(f"<b>{_esc(d.title)}</b> ({_esc(d.code)})<br>{_esc(d.cause)}"
                                   f"<ol>{steps}</ol>")  # fmt: skip


def _esc(text: str) -> str:
    import html

    return html.escape(text)
