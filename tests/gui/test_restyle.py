"""`theme.restyle`: a stylesheet property change re-polishes only when it changes something."""

from __future__ import annotations

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from gui import theme
from gui.app import create_app


def _text_color(label: QLabel) -> str:
    return label.palette().color(QPalette.ColorRole.WindowText).name()


def test_a_new_value_repolishes_and_an_unchanged_one_costs_nothing(qtbot: QtBot) -> None:
    """On a polished label, severity "error" turns it red and "" back; setting the value it
    already has never asks for the widget's style."""
    app = create_app([])
    label = QLabel("message")
    label.setProperty("role", "finding")
    qtbot.addWidget(label)
    label.show()
    plain = _text_color(label)
    theme.restyle(label, "severity", "error")
    assert _text_color(label) == theme.current().error != plain
    asked: list[str] = []
    label.style = lambda: asked.append("style")  # type: ignore[method-assign]
    theme.restyle(label, "severity", "error")
    assert asked == [] and label.property("severity") == "error"
    del label.style
    theme.restyle(label, "severity", "")
    assert _text_color(label) == plain
    assert app.styleSheet()  # the app stylesheet drew these colours


def test_an_unpolished_widget_takes_the_value_at_its_first_polish(qtbot: QtBot) -> None:
    """Before its first polish the property is only set: polishing reads it then."""
    create_app([])
    label = QLabel("message")
    qtbot.addWidget(label)
    label.setProperty("role", "finding")
    asked: list[str] = []
    label.style = lambda: asked.append("style")  # type: ignore[method-assign]
    theme.restyle(label, "severity", "warning")
    assert asked == []
    del label.style
    label.show()
    assert _text_color(label) == theme.current().warning
