"""The Summary tab: what the token is and allows, with a live expiry countdown."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QFormLayout, QLabel, QScrollArea, QWidget

from core.timefmt import count_text, local_text, span_text, utc_text
from gui import theme

SOON_S = 5 * 60
LIST_SHOWN = 10  # a longer list of permissions shows its first ten and "and N more"
PLACEHOLDER_HTML = (
    "<p><b>No answer yet.</b></p>"
    "<p><b>Send</b> (Ctrl+Enter) asks the token endpoint shown under the form for a token "
    "with these values. The answer is explained here: what the token allows and until when, "
    "or why the request failed and how to fix it.</p>"
    "<p>Already have a token? Paste it here with <b>Ctrl+V</b> (or File &gt; Decode a token, "
    "Ctrl+D) to decode it without sending anything.</p>"
)


def expiry_state(expires_at: float, now: float) -> tuple[str, str]:
    """('ok'|'soon'|'expired', text) for a token that expires at that epoch time: the date and
    local time with its zone, and the time left (or since), to the second."""
    left = expires_at - now
    when = local_text(expires_at)
    if left <= 0:
        return "expired", f"{when}, expired {span_text(-left)} ago"
    return ("soon" if left < SOON_S else "ok"), f"{when}, in {span_text(left)}"


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
            ("user", "Signed in as"),
            ("companions", "Also returned"),
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
        allows = self._rows["allows"]
        allows.setTextFormat(Qt.TextFormat.RichText)  # the "and N more" link
        allows.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        allows.linkActivated.connect(self._on_allows_link_activated)
        self._allows: tuple[str, str, tuple[str, ...]] = ("", "", ())
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
        if getattr(verdict, "issued", False):  # a failure has no token to describe
            kind = verdict.token_kind
            if getattr(verdict, "token_use", ""):
                kind = f"{kind} {verdict.token_use}"
            reason = f" ({verdict.kind_reason})" if verdict.kind_reason else ""
            self._set("kind", f"{kind}{reason}" if kind else "")
            self._set("user", verdict.user)
            self._set("companions", _companions_text(verdict))
            self._set("credential", verdict.credential or "")
            audience = verdict.audience_name or verdict.audience or ""
            if (
                verdict.audience_name
                and verdict.audience
                and verdict.audience_name != verdict.audience
            ):
                audience = f"{verdict.audience_name} ({verdict.audience})"
            self._set("audience", audience)
            self._show_allows(*_allows_parts(verdict))
            self._set("version", str(verdict.version or ""))
            self._set("issuer", verdict.issuer or "")
            self._set("tenant", _tenant_text(verdict))
            self._set_time("issued", verdict.issued_at)
            self._set_time("not_before", verdict.not_before)
            self._expires_at = verdict.expires_at
        if signature is not None:
            self._set("signature", signature.message)
        self._set("warnings", "\n".join(f"⚠ {w}" for w in verdict.warnings))
        self._set("notes", "\n".join(verdict.notes))
        if self._expires_at:
            self._rows["expires"].setToolTip(utc_text(self._expires_at) + (
                f". Extended lifetime (ext_expires_in): {verdict.ext_expires_in} s"
                if verdict.ext_expires_in
                else ""))  # fmt: skip
            self.refresh_countdown()
            self._timer.start()

    def refresh_countdown(self) -> None:
        """Recompute the time left; amber under five minutes, red once expired."""
        if not self._expires_at:
            return
        state, text = expiry_state(self._expires_at, self._clock())
        label = self._rows["expires"]
        self._set("expires", text)  # it keeps counting after expiry: "expired 19 s ago"
        theme.restyle(label, "expiry", state)

    def _set_time(self, key: str, epoch: float | None) -> None:
        """Date and local time with its zone; UTC on hover."""
        self._set(key, local_text(epoch) if epoch else "")
        self._rows[key].setToolTip(utc_text(epoch) if epoch else "")

    def _show_allows(self, head: str, empty: str, items: tuple[str, ...]) -> None:
        self._allows = (head, empty, items)
        self._render_allows(expanded=False)

    def _render_allows(self, expanded: bool) -> None:
        head, empty, items = self._allows
        if not items:
            self._set("allows", _esc(empty))
            return
        shown = items if expanded or len(items) <= LIST_SHOWN else items[:LIST_SHOWN]
        lines = [_esc(head)] + [f"&nbsp;&nbsp;• {_esc(item)}" for item in shown]
        if len(shown) < len(items):
            more = count_text(len(items) - len(shown))
            lines.append(f'&nbsp;&nbsp;<a href="#all">and {more} more (show all)</a>')
        elif len(items) > LIST_SHOWN:
            lines.append('&nbsp;&nbsp;<a href="#fewer">show the first ten only</a>')
        self._set("allows", "<br>".join(lines))

    def _on_allows_link_activated(self, link: str) -> None:
        self._render_allows(expanded=link == "#all")

    def allows_items_shown(self) -> int:
        """How many permission lines the Allows row shows now (for tests)."""
        return self._rows["allows"].text().count("• ")

    @property
    def expiry_state(self) -> str:
        return str(self._rows["expires"].property("expiry") or "")


def _allows_parts(verdict: Any) -> tuple[str, str, tuple[str, ...]]:
    """(heading, text when there is nothing, one line per permission)."""
    roles, scopes = tuple(verdict.roles or ()), tuple(verdict.scopes or ())
    if not roles and not scopes:
        return "", "No roles or scopes: this token allows nothing yet", ()
    head = []
    if roles:
        head.append(f"{count_text(len(roles))} application role{'s' if len(roles) != 1 else ''}")
    if scopes:
        head.append(f"{count_text(len(scopes))} delegated scope{'s' if len(scopes) != 1 else ''}")
    items = tuple(getattr(verdict, "allows", ()) or ()) or (*roles, *scopes)
    return " and ".join(head) + ":", "", items


def _companions_text(verdict: Any) -> str:
    """Which other tokens came back with a delegated one (the refresh token is never read)."""
    if verdict.token_kind != "delegated" or verdict.refresh_token is None:
        return ""
    refresh = ("a refresh token (kept masked, not read)" if verdict.refresh_token
               else "no refresh token (ask for offline_access to get one)")  # fmt: skip
    ident = "an ID token" if verdict.id_token else "no ID token (ask for openid to get one)"
    return f"{refresh}; {ident}"


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _tenant_text(verdict: Any) -> str:
    matches = getattr(verdict, "tenant_matches", None)
    if matches is True:
        return "Matches the tenant you typed"
    if matches is False:
        return "Does NOT match the tenant you typed"
    return ""
