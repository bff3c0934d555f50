"""The Summary tab: what the token is and allows, with a live expiry countdown."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QFormLayout, QLabel, QScrollArea, QWidget

SOON_S = 5 * 60
PLACEHOLDER_HTML = (
    "<p><b>No answer yet.</b></p>"
    "<p><b>Send</b> (Ctrl+Enter) asks the token endpoint shown under the form for a token "
    "with these values. The answer is explained here: what the token allows and until when, "
    "or why the request failed and how to fix it.</p>"
    "<p>Already have a token? Paste it here with <b>Ctrl+V</b> (or File &gt; Decode a token, "
    "Ctrl+D) to decode it without sending anything.</p>"
)


def remaining_text(seconds: float) -> str:
    """'59 min 12 s', '2 h 03 min', '45 s' for a positive span of time."""
    seconds = int(seconds)
    if seconds >= 3600:
        return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"
    if seconds >= 60:
        return f"{seconds // 60} min {seconds % 60:02d} s"
    return f"{seconds} s"


def expiry_state(expires_at: float, now: float) -> tuple[str, str]:
    """('ok'|'soon'|'expired', text) for a token that expires at that epoch time."""
    left = expires_at - now
    clock = datetime.fromtimestamp(expires_at).strftime("%H:%M:%S")
    if left <= 0:
        return "expired", f"Expired at {clock} ({remaining_text(-left)} ago)"
    state = "soon" if left < SOON_S else "ok"
    return state, f"{clock}, in {remaining_text(left)}"


def _when(epoch: float | None) -> str:
    if not epoch:
        return ""
    return datetime.fromtimestamp(epoch).strftime("%Y-%m-%d %H:%M:%S")


class SummaryView(QScrollArea):
    """Token type, audience, app-only or delegated, credential, roles/scopes, times, signature.

    `clock` is injectable so tests can move time; the countdown ticks once a second.
    """

    def __init__(self, clock: Callable[[], float] = time.time, parent: QWidget | None = None):
        super().__init__(parent)
        self._clock = clock
        self._expires_at: float | None = None
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        body = QWidget()
        self._form = QFormLayout(body)
        self._form.setContentsMargins(12, 10, 12, 10)
        self._form.setVerticalSpacing(8)
        self._form.setHorizontalSpacing(16)
        self._rows: dict[str, QLabel] = {}
        self.placeholder = QLabel(PLACEHOLDER_HTML, objectName="answerPlaceholder", wordWrap=True)
        self.placeholder.setTextFormat(Qt.TextFormat.RichText)
        self.placeholder.setProperty("role", "hint")
        self.placeholder.setAccessibleName("How to get an answer")
        self.placeholder.hide()
        self._form.addRow(self.placeholder)
        for key, title in (
            ("outcome", "Result"),
            ("kind", "Token for"),
            ("credential", "Credential"),
            ("audience", "Audience"),
            ("allows", "Allows"),
            ("version", "Token version"),
            ("issuer", "Issuer"),
            ("tenant", "Tenant"),
            ("issued", "Issued"),
            ("not_before", "Not before"),
            ("expires", "Expires"),
            ("signature", "Signature"),
            ("warnings", "Warnings"),
            ("notes", "Notes"),
        ):
            value = QLabel(objectName=f"summary_{key}", wordWrap=True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setTextFormat(Qt.TextFormat.PlainText)
            label = QLabel(f"{title}:")
            label.setBuddy(value)
            value.setAccessibleName(title)
            self._form.addRow(label, value)
            self._rows[key] = value
        self.expiry_label = self._rows["expires"]
        self.setWidget(body)
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self.refresh_countdown)
        self.clear()

    def value(self, key: str) -> str:
        """The text shown in one row (for tests and accessibility checks)."""
        return self._rows[key].text()

    def show_placeholder(self) -> None:
        """Empty rows and a short guide: what Send does, and that a token can be pasted."""
        self.clear()
        self._form.setRowVisible(self.placeholder, True)

    def clear(self) -> None:
        self._form.setRowVisible(self.placeholder, False)
        self._timer.stop()
        self._expires_at = None
        for key in self._rows:
            self._set(key, "")

    def _set(self, key: str, text: str) -> None:
        label = self._rows[key]
        label.setText(text)
        row_visible = bool(text)
        self._form.setRowVisible(label, row_visible)

    def show_verdict(self, verdict: Any, signature: Any, outcome: str) -> None:
        """Fill the rows from a core Verdict and SignatureResult (either may be None)."""
        self.clear()
        self._set("outcome", outcome)
        if verdict is None:
            return
        if getattr(verdict, "issued", False) or getattr(verdict, "token_kind", ""):
            kind = verdict.token_kind
            if getattr(verdict, "token_use", ""):
                kind = f"{kind} {verdict.token_use}"
            reason = f" ({verdict.kind_reason})" if verdict.kind_reason else ""
            self._set("kind", f"{kind}{reason}" if kind else "")
            self._set("credential", verdict.credential or "")
            audience = verdict.audience_name or verdict.audience or ""
            if (
                verdict.audience_name
                and verdict.audience
                and verdict.audience_name != verdict.audience
            ):
                audience = f"{verdict.audience_name} ({verdict.audience})"
            self._set("audience", audience)
            self._set("allows", _allows_text(verdict))
            self._set("version", str(verdict.version or ""))
            self._set("issuer", verdict.issuer or "")
            self._set("tenant", _tenant_text(verdict))
            self._set("issued", _when(verdict.issued_at))
            self._set("not_before", _when(verdict.not_before))
            ext = getattr(verdict, "ext_expires_in", None)
            self._expires_at = verdict.expires_at
            if ext:
                self._rows["expires"].setToolTip(f"Extended lifetime (ext_expires_in): {ext} s")
        if signature is not None:
            self._set("signature", signature.message)
        self._set("warnings", "\n".join(f"⚠ {w}" for w in verdict.warnings))
        self._set("notes", "\n".join(verdict.notes))
        if self._expires_at:
            self.refresh_countdown()
            self._timer.start()

    def refresh_countdown(self) -> None:
        """Recompute the time left; amber under five minutes, red once expired."""
        if not self._expires_at:
            return
        state, text = expiry_state(self._expires_at, self._clock())
        label = self._rows["expires"]
        self._set("expires", text)
        if label.property("expiry") != state:
            label.setProperty("expiry", state)
            label.style().unpolish(label)
            label.style().polish(label)
        if state == "expired":
            self._timer.stop()

    @property
    def expiry_state(self) -> str:
        return str(self._rows["expires"].property("expiry") or "")


def _allows_text(verdict: Any) -> str:
    roles, scopes = tuple(verdict.roles or ()), tuple(verdict.scopes or ())
    if not roles and not scopes:
        return "No roles or scopes: this token allows nothing yet"
    head = []
    if roles:
        head.append(f"{len(roles)} application role{'s' if len(roles) != 1 else ''}")
    if scopes:
        head.append(f"{len(scopes)} delegated scope{'s' if len(scopes) != 1 else ''}")
    items = tuple(getattr(verdict, "allows", ()) or ()) or (*roles, *scopes)
    return " and ".join(head) + ":\n" + "\n".join(f"  • {item}" for item in items)


def _tenant_text(verdict: Any) -> str:
    matches = getattr(verdict, "tenant_matches", None)
    if matches is True:
        return "Matches the tenant you typed"
    if matches is False:
        return "Does NOT match the tenant you typed"
    return ""
