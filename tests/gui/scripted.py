"""Answer the window's real message boxes as a user would, and script the file dialogs.

Message boxes open for real (their `exec` runs): a timer finds the modal box, records its text
and button labels, and clicks the button the test scripted (by its label) or, for a notice, its
one button. File dialogs are the platform's own, so their static calls are replaced.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

# Button labels that do not say what they do: a dialog showing one of these fails its test.
VAGUE_LABELS = frozenset({"yes", "no", "ok", "yes to all", "no to all", "abort", "ignore"})

_KINDS = {
    QMessageBox.Icon.Question: "question",
    QMessageBox.Icon.Warning: "warning",
    QMessageBox.Icon.Critical: "critical",
    QMessageBox.Icon.Information: "information",
    QMessageBox.Icon.NoIcon: "information",
}


def label(text: str) -> str:
    """A button's text as read aloud: without its access key marker."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


class Dialogs:
    """Clicks through real message boxes (scripted answers by label) and scripts file dialogs.

    `answers` is one queue: a box with a choice takes the next entry (the label of the button
    to click), a file dialog takes the next entry as its path. `calls` records (kind, text) and
    `buttons` the button labels of every message box shown.
    """

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.answers: list[Any] = []
        self.calls: list[tuple[str, str]] = []
        self.buttons: list[tuple[str, ...]] = []
        self._timer = QTimer()
        self._timer.setInterval(5)
        self._timer.timeout.connect(self._answer_box)
        self._timer.start()
        monkeypatch.setattr(QFileDialog, "getOpenFileName", self._file("open"))
        monkeypatch.setattr(QFileDialog, "getSaveFileName", self._file("save"))

    def stop(self) -> None:
        self._timer.stop()

    def _answer_box(self) -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox) or not box.isVisible():
            return
        kind = _KINDS.get(box.icon(), "information")
        labels = tuple(label(button.text()) for button in box.buttons())
        self.calls.append((kind, box.text()))
        self.buttons.append(labels)
        button = box.escapeButton() or box.buttons()[0]
        if len(box.buttons()) > 1 and self.answers:  # a choice: the script says which
            chosen = [b for b in box.buttons() if label(b.text()) == str(self.answers[0])]
            if chosen:
                self.answers.pop(0)
                button = chosen[0]
        button.click()

    def _file(self, kind: str) -> Callable[..., Any]:
        def answer(*args: object, **kwargs: object) -> tuple[str, str]:
            self.calls.append((kind, ""))
            path = str(self.answers.pop(0))
            # A script out of step would hand a button label here, and the test would write a
            # file of that name into the working directory (the repository).
            assert not path or Path(path).is_absolute(), f"a file dialog was answered {path!r}"
            return path, ""

        return answer

    def texts(self, kind: str) -> list[str]:
        return [text for k, text in self.calls if k == kind]

    def vague_buttons(self) -> list[tuple[str, ...]]:
        """The button sets of shown boxes that have a Yes, No or OK button."""
        return [b for b in self.buttons if VAGUE_LABELS & {text.lower() for text in b}]
