"""Copy from the answer: the token, its header, the request as curl/PowerShell, support details."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QLabel

from gui.answer.clipboard import ClipboardGuard

if TYPE_CHECKING:
    from gui.answer.response_view import ResponseView


class CopyController(QObject):
    """Puts what the answer shows on the clipboard; a token always as a guarded secret.

    The token and header go through `ClipboardGuard.copy_secret` (marked, cleared later), the
    rest through `copy_text`.

    Signals:
        tokenAvailable(bool): whether the answer now holds a token (for Copy token/header).
    """

    tokenAvailable = Signal(bool)

    def __init__(
        self,
        response: ResponseView,
        clipboard: ClipboardGuard,
        countdown_label: QLabel,
        parent: QObject,
    ) -> None:
        super().__init__(parent)
        self.response, self.clipboard = response, clipboard
        self._label = countdown_label
        self._copied = ""
        self.clipboard.countdown.connect(self._on_clipboard_countdown)
        self.clipboard.message.connect(self._on_clipboard_message)

    def _token_text(self) -> str:
        report = self.response.report
        return report.token.reveal() if report is not None and report.token else ""

    @Slot()
    def update_actions(self) -> None:
        """Say whether Copy token/header can work now (the answer holds a token)."""
        self.tokenAvailable.emit(bool(self._token_text()))

    def _what(self, what: str) -> str:
        """What was copied, saying so when the token has expired (it still copies)."""
        note = self.response.expired_note()
        return f"{what} of a token that {note.replace('expired', 'EXPIRED', 1)}" if note else what

    @Slot()
    def copy_token(self) -> None:
        if token := self._token_text():
            note = self.response.expired_note()
            what = f"Token ({note.replace('expired', 'EXPIRED', 1)})" if note else "Token"
            self.clipboard.copy_secret(token, what)

    @Slot()
    def copy_header(self) -> None:
        if token := self._token_text():
            self.clipboard.copy_secret(f"Authorization: Bearer {token}",
                                       self._what("Authorization header"))  # fmt: skip

    def _prepared(self):
        report = self.response.report
        return report.result.request if report is not None and report.result else None

    @Slot()
    def copy_curl(self) -> None:
        from core.token.export import to_curl

        if (prepared := self._prepared()) is not None:
            self.clipboard.copy_text(to_curl(prepared), "curl command")

    @Slot()
    def copy_powershell(self) -> None:
        from core.token.export import to_powershell

        if (prepared := self._prepared()) is not None:
            self.clipboard.copy_text(to_powershell(prepared), "PowerShell command")

    @Slot()
    def copy_support(self) -> None:
        report = self.response.report
        if report is not None and report.support:
            self.clipboard.copy_text(report.support, "Support details")

    @Slot(str)
    def _on_clipboard_message(self, text: str) -> None:
        self._copied, clears = text.split(";")[0], ";" in text  # the countdown says when
        self._on_clipboard_countdown(self.clipboard.seconds_left() if clears else 0)

    @Slot(int)
    def _on_clipboard_countdown(self, seconds: int) -> None:
        clears = f"Clipboard clears in {seconds} s" if seconds else ""
        self._label.setText("\n".join(t for t in (self._copied, clears) if t))
