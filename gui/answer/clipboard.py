"""Copy secrets to the clipboard safely: hidden from clipboard history, cleared after a delay."""

from __future__ import annotations

import logging
import sys

from PySide6.QtCore import QByteArray, QMimeData, QObject, QTimer, Signal, Slot
from PySide6.QtGui import QClipboard, QGuiApplication

log = logging.getLogger(__name__)

DEFAULT_CLEAR_DELAY_S = 60


def _win_format(name: str) -> str:
    # Qt maps this MIME type to the registered Windows clipboard format of that name.
    return f'application/x-qt-windows-mime;value="{name}"'


def secret_mime_formats(platform: str = sys.platform) -> dict[str, bytes]:
    """Extra clipboard formats that keep a copied secret out of history and cloud sync.

    Windows: clipboard history and cloud clipboard honour three registered formats
    (ExcludeClipboardContentFromMonitorProcessing; CanIncludeInClipboardHistory and
    CanUploadToCloudClipboard set to DWORD 0). KDE Klipper and other Linux clipboard
    managers honour `x-kde-passwordManagerHint: secret`.
    """
    if platform == "win32":
        zero = (0).to_bytes(4, "little")
        return {
            _win_format("ExcludeClipboardContentFromMonitorProcessing"): b"",
            _win_format("CanIncludeInClipboardHistory"): zero,
            _win_format("CanUploadToCloudClipboard"): zero,
        }
    return {"x-kde-passwordManagerHint": b"secret"}


class ClipboardGuard(QObject):
    """Puts text on the clipboard; secret text is cleared after a delay if still ours.

    Signals:
        countdown(int): seconds left before a copied secret is cleared (0: nothing pending).
        cleared(): the clipboard was cleared because it still held our secret.
        message(str): a short status text about the last copy (never the copied text).
    """

    countdown = Signal(int)
    cleared = Signal()
    message = Signal(str)

    def __init__(
        self,
        clear_delay_s: float = DEFAULT_CLEAR_DELAY_S,
        clipboard: QClipboard | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._clipboard = clipboard or QGuiApplication.clipboard()
        self._delay_s = float(clear_delay_s)
        self._pending = ""
        self._remaining_ms = 0
        self._tick = QTimer(self)
        self._tick.setInterval(250)
        self._tick.timeout.connect(self._on_tick)

    @property
    def clear_delay_s(self) -> float:
        return self._delay_s

    def set_clear_delay(self, seconds: float) -> None:
        """Change the delay for the next copies (0 disables clearing)."""
        self._delay_s = max(0.0, float(seconds))

    @property
    def pending(self) -> bool:
        """True while a copied secret waits to be cleared."""
        return bool(self._pending)

    def copy_secret(self, text: str, what: str) -> None:
        """Copy a token or header, marked as secret, and schedule its clearing."""
        mime = QMimeData()
        mime.setText(text)
        for fmt, data in secret_mime_formats().items():
            mime.setData(fmt, QByteArray(data))
        self._clipboard.setMimeData(mime)
        if self._delay_s > 0:
            self._pending = text
            self._remaining_ms = int(self._delay_s * 1000)
            self._tick.start()
            self.countdown.emit(self.seconds_left())
            self.message.emit(f"{what} copied; the clipboard is cleared in {self.seconds_left()} s")
        else:
            self._stop()
            self.message.emit(f"{what} copied")
        log.info("%s copied to the clipboard (marked secret)", what)

    def copy_text(self, text: str, what: str) -> None:
        """Copy plain, non-secret text (a curl command, support details)."""
        self._clipboard.setText(text)
        self.message.emit(f"{what} copied")

    def seconds_left(self) -> int:
        return -(-self._remaining_ms // 1000) if self._pending else 0

    def clear_now(self) -> bool:
        """Clear the clipboard if it still holds our secret; True when it did."""
        ours = bool(self._pending) and self._clipboard.text() == self._pending
        self._stop()
        if ours:
            self._clipboard.clear()
            log.info("clipboard cleared")
            self.cleared.emit()
            self.message.emit("Clipboard cleared")
        return ours

    @Slot()
    def _on_tick(self) -> None:
        if self._clipboard.text() != self._pending:  # something else was copied: leave it
            self._stop()
            return
        self._remaining_ms -= self._tick.interval()
        if self._remaining_ms <= 0:
            self.clear_now()
        else:
            self.countdown.emit(self.seconds_left())

    def _stop(self) -> None:
        was_pending = bool(self._pending)
        self._pending = ""
        self._remaining_ms = 0
        self._tick.stop()
        if was_pending:
            self.countdown.emit(0)
