"""The clipboard guard: secrets marked for clipboard managers, cleared only if still ours."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from gui.answer.clipboard import ClipboardGuard, secret_mime_formats


@pytest.fixture
def guard(qapp):
    QGuiApplication.clipboard().clear()
    return ClipboardGuard(clear_delay_s=0.5)


def test_secret_copy_is_marked_for_clipboard_managers(guard: ClipboardGuard) -> None:
    """The copied token carries the hint that clipboard managers skip it."""
    guard.copy_secret("eyJ.secret.token", "Token")
    mime = QGuiApplication.clipboard().mimeData()
    assert mime.text() == "eyJ.secret.token"
    assert bytes(mime.data("x-kde-passwordManagerHint").data()) == b"secret"


def test_windows_formats_exclude_history_and_cloud() -> None:
    """On Windows the three registered formats keep the data out of history and cloud sync."""
    formats = secret_mime_formats("win32")
    names = {f.split('value="')[1].rstrip('"'): v for f, v in formats.items()}
    assert names == {
        "ExcludeClipboardContentFromMonitorProcessing": b"",
        "CanIncludeInClipboardHistory": b"\x00\x00\x00\x00",
        "CanUploadToCloudClipboard": b"\x00\x00\x00\x00",
    }


def test_secret_is_cleared_after_the_delay(qtbot: QtBot, guard: ClipboardGuard) -> None:
    """After the delay, the clipboard no longer holds the token; the countdown ends at 0."""
    counts: list[int] = []
    guard.countdown.connect(counts.append)
    with qtbot.waitSignal(guard.cleared, timeout=3000):
        guard.copy_secret("token-value", "Token")
    assert QGuiApplication.clipboard().text() == ""
    assert counts[0] == 1 and counts[-1] == 0


def test_other_copy_is_never_cleared(qtbot: QtBot, guard: ClipboardGuard) -> None:
    """If the user copies something else meanwhile, it stays on the clipboard."""
    with qtbot.assertNotEmitted(guard.cleared, wait=900):
        guard.copy_secret("token-value", "Token")
        QGuiApplication.clipboard().setText("something of the user's")
    assert QGuiApplication.clipboard().text() == "something of the user's"
    assert not guard.pending


def test_zero_delay_never_clears(qtbot: QtBot, guard: ClipboardGuard) -> None:
    """A delay of 0 (Never) leaves the copied token in place."""
    guard.set_clear_delay(0)
    with qtbot.assertNotEmitted(guard.cleared, wait=300):
        guard.copy_secret("token-value", "Token")
    assert QGuiApplication.clipboard().text() == "token-value"
