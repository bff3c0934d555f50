"""The Raw, Request and Diagnosis tabs: read-only text, every secret masked."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase, QTextOption
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from core.redaction import redact_text
from core.token.result import TokenResult
from gui import theme
from gui.flow_layout import FlowLayout

MAX_SHOWN_CHARS = 200_000  # a junk page of several MB is cut, so the view stays quick


def _mono_view(name: str, accessible: str) -> QPlainTextEdit:
    view = QPlainTextEdit(objectName=name, readOnly=True)
    view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
    # Wrapped, long tokens and URLs too: nothing needs horizontal scrolling to be read.
    view.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
    view.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    view.setAccessibleName(accessible)
    return view


def raw_text(result: TokenResult) -> str:
    """Status line, headers and the body (pretty JSON when it is JSON), through the result's
    scrubber: the request's secrets in every encoding, and the tokens, are masked."""
    scrub = result.scrubber()
    lines = []
    if result.status is not None:
        lines.append(f"HTTP {result.status} {result.reason}".rstrip())
        lines += [f"{k}: {v}" for k, v in result.all_headers]
        lines.append("")
    if result.body_json is not None:
        body = json.dumps(result.body_json, indent=2, ensure_ascii=False)
    else:
        body = result.body_text
    if len(body) > MAX_SHOWN_CHARS:
        body = body[:MAX_SHOWN_CHARS] + f"\n… ({len(body) - MAX_SHOWN_CHARS:,} more characters)"
    lines.append(body)
    lines = [scrub.text(line) for line in lines]
    if result.body_truncated:
        lines.append("(the body was larger than the client reads; the rest was dropped)")
    return "\n".join(lines)


def decoded_json(decoded: Any) -> str:
    """A decoded token's header and payload as JSON (a sent token's are scrubbed already)."""
    if decoded is None:
        return ""
    header = json.dumps(dict(decoded.header), indent=2, ensure_ascii=False, default=str)
    payload = json.dumps(dict(decoded.payload), indent=2, ensure_ascii=False, default=str)
    return redact_text(f"Header:\n{header}\n\nPayload:\n{payload}")


class RawView(QWidget):
    """The response as received (or a pasted token's header and payload)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = _mono_view("rawText", "Raw response")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.text)

    def show_text(self, text: str) -> None:
        self.text.setPlainText(text)


class RequestView(QWidget):
    """The exact request sent, secrets masked, with Copy as curl / PowerShell.

    Signals:
        copy_curl(): the user asked for the curl command.
        copy_powershell(): the user asked for the PowerShell command.
    """

    copy_curl = Signal()
    copy_powershell = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = _mono_view("requestText", "Request sent, secrets masked")
        self.curl_button = QPushButton("Copy as curl", objectName="copyCurlButton")
        self.ps_button = QPushButton("Copy as PowerShell", objectName="copyPowerShellButton")
        self.curl_button.clicked.connect(self.copy_curl)
        self.ps_button.clicked.connect(self.copy_powershell)
        note = QLabel("Exports read the secret from $CLIENT_SECRET; they never contain it.")
        note.setWordWrap(True)  # a long line here would set the whole answer's minimum width
        note.setProperty("role", "hint")
        row = FlowLayout()  # wraps on a narrow pane instead of cutting the buttons short
        row.addWidget(self.curl_button)
        row.addWidget(self.ps_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 6)
        layout.addWidget(self.text)
        layout.addWidget(note)
        layout.addLayout(row)
        self.show_text("")

    def show_text(self, text: str) -> None:
        self.text.setPlainText(text)
        for button, shell in ((self.curl_button, "curl"), (self.ps_button, "PowerShell")):
            button.setEnabled(bool(text))
            button.setToolTip(f"Copy this request as a {shell} command (the secret is read from "
                              "$CLIENT_SECRET)" if text else "Nothing was sent yet: press Send "
                              "first")  # fmt: skip

    def refresh_icons(self) -> None:
        self.curl_button.setIcon(theme.icon("copy"))
        self.ps_button.setIcon(theme.icon("copy"))


class DiagnosisView(QScrollArea):
    """Title, cause, fix steps and support details of a failure.

    Signals:
        copy_support(): the user asked to copy the support details.
    """

    copy_support = Signal()
    open_preferences = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        body = QWidget()
        self._layout = QVBoxLayout(body)
        self._layout.setContentsMargins(12, 10, 12, 10)
        self.title = self._label("diagnosisTitle", "sectionTitle")
        self.details = self._label("diagnosisText", "")
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.details.setOpenExternalLinks(True)
        # A certificate not trusted: the fix is in the window (File > Preferences > CA file).
        self.trust_button = QPushButton("Choose a CA file in Preferences…",
                                        objectName="trustCaButton")  # fmt: skip
        self.trust_button.setToolTip("File > Preferences: the CA file trusted instead of the "
                                     "operating system's store")  # fmt: skip
        self.trust_button.clicked.connect(self.open_preferences)
        trust_row = QHBoxLayout()
        trust_row.addWidget(self.trust_button)
        trust_row.addStretch(1)
        self._layout.addLayout(trust_row)
        self.said_title = self._label("", "sectionTitle")
        self.said_title.setText("What Microsoft said")
        self.said = self._label("diagnosisSaid", "")
        self.said.setTextFormat(Qt.TextFormat.PlainText)  # quoted as sent, scrubbed
        f = Qt.TextInteractionFlag
        self.said.setTextInteractionFlags(f.TextSelectableByMouse | f.TextSelectableByKeyboard)
        self.said.setAccessibleName("What Microsoft said")
        support_title = self._label("", "sectionTitle")
        support_title.setText("Support details")
        self.support = _mono_view("supportText", "Support details")
        self.copy_button = QPushButton("Copy support details", objectName="copySupportButton")
        self.copy_button.clicked.connect(self.copy_support)
        self._layout.addWidget(self.support)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.copy_button)
        self._layout.addLayout(row)
        self._layout.addStretch(1)
        self._support_widgets = (support_title, self.support, self.copy_button)
        self.setWidget(body)
        self.clear()

    def _label(self, name: str, role: str) -> QLabel:
        label = QLabel(objectName=name, wordWrap=True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        if role:
            label.setProperty("role", role)
        self._layout.addWidget(label)
        return label

    def clear(self) -> None:
        self.title.setText("No failure to explain.")
        self.trust_button.hide()
        self._show_said("")
        self.details.clear()
        self.support.clear()
        for widget in self._support_widgets:
            widget.hide()

    def show_diagnosis(self, diagnosis: Any, support: str) -> None:
        """Show a core Diagnosis (and its parts, when a response carried several codes)."""
        self.title.setText(diagnosis.title)
        self.trust_button.setVisible(diagnosis.code == "tls")
        self._show_said(getattr(diagnosis, "said", ""))
        self.details.setText(diagnosis_html(diagnosis))
        self.support.setPlainText(support)
        lines = support.count("\n") + 3  # room for a wrapped long line or two
        height = self.support.fontMetrics().lineSpacing() * min(lines, 16) + 16
        self.support.setFixedHeight(height)
        for widget in self._support_widgets:
            widget.setVisible(bool(support))

    def _show_said(self, text: str) -> None:
        self.said.setText(text)
        self.said.setVisible(bool(text))
        self.said_title.setVisible(bool(text))

    def show_advice(self, advice: Any) -> None:
        """What to do about the warnings on a token that was issued (no admin consent, …)."""
        self.clear()
        first = advice[0]
        more = f" (and {len(advice) - 1} more)" if len(advice) > 1 else ""
        self.title.setText(f"The token was issued, but: {first.title}{more}")
        self.details.setText("".join(diagnosis_html(a, nested=len(advice) > 1) for a in advice))

    def show_message(self, title: str, html: str) -> None:
        """Explain something that is not a token-endpoint failure (a paste that is no JWT)."""
        self.clear()
        self.title.setText(title)
        self.details.setText(html)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def diagnosis_html(diagnosis: Any, nested: bool = False) -> str:
    """Cause, numbered fix steps and the reference link, as simple rich text."""
    parts = []
    if nested:
        shown = diagnosis.code.startswith(("AADSTS", "HTTP")) or diagnosis.code.isdigit()
        code = f"{diagnosis.code}: " if shown and diagnosis.code not in diagnosis.title else ""
        parts.append(f"<p><b>{_esc(code + diagnosis.title)}</b></p>")
    if diagnosis.cause:
        parts.append(f"<p><b>Likely cause.</b> {_esc(diagnosis.cause)}</p>")
    if diagnosis.fix:
        steps = "".join(f"<li>{_esc(step)}</li>" for step in diagnosis.fix)
        parts.append(f"<p><b>What to do</b></p><ol>{steps}</ol>")
    if diagnosis.link:
        parts.append(f'<p><a href="{_esc(diagnosis.link)}">{_esc(diagnosis.link)}</a></p>')
    for part in getattr(diagnosis, "parts", ()) or ():
        # The part the top block already explains is not shown again.
        if (part.code, part.title) != (diagnosis.code, diagnosis.title):
            parts.append(diagnosis_html(part, nested=True))
    return "".join(parts)
