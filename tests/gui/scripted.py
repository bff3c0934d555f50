"""Scripted answers for the static QMessageBox and QFileDialog calls, so no modal dialog blocks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

Button = QMessageBox.StandardButton


class Dialogs:
    """Scripted answers for QMessageBox/QFileDialog static calls, and a record of them."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.answers: list[Any] = []
        self.calls: list[tuple[str, str]] = []
        for name in ("question", "warning", "information"):
            monkeypatch.setattr(QMessageBox, name, self._box(name))
        monkeypatch.setattr(QFileDialog, "getOpenFileName", self._file("open"))
        monkeypatch.setattr(QFileDialog, "getSaveFileName", self._file("save"))

    def _box(self, kind: str) -> Callable[..., Any]:
        def answer(parent: object, title: str, text: str, *args: object) -> Any:
            self.calls.append((kind, text))
            return self.answers.pop(0) if kind == "question" else Button.Ok

        return answer

    def _file(self, kind: str) -> Callable[..., Any]:
        def answer(*args: object) -> tuple[str, str]:
            self.calls.append((kind, ""))
            return str(self.answers.pop(0)), ""

        return answer

    def texts(self, kind: str) -> list[str]:
        return [text for k, text in self.calls if k == kind]
