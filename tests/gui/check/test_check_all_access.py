"""The check-all dialog by keyboard and screen reader: names, access keys, visible focus."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget
from pytestqt.qtbot import QtBot

from core.sandbox import Sandbox
from tests.gui.check.checkwin import seed
from tests.gui.test_accessibility import _key, _unnamed


def _dialog(qtbot: QtBot, make_window, sandbox: Sandbox, folder: Path):
    secrets, _, _ = seed(folder, sandbox, ["cc-v2-graph", "secret-wrong", "cert-ps256"])
    window = make_window(sandbox=sandbox, secrets=secrets)
    window.checking.open()
    dialog = window.checking.dialog
    dialog.expiry_check.setChecked(True)
    with qtbot.waitSignal(window.checking.finished, timeout=20_000):
        dialog.run_button.click()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def test_every_control_of_the_dialog_has_a_name_and_one_access_key(
    qtbot: QtBot, make_window, sandbox: Sandbox, config_folder: Path
) -> None:
    """The accessibility tree of a finished run names every control; no Alt+letter repeats;
    each row's cells carry the whole result as their description."""
    dialog = _dialog(qtbot, make_window, sandbox, config_folder)
    assert _unnamed(QAccessible.queryAccessibleInterface(dialog)) == []
    keys: dict[str, list[str]] = defaultdict(list)
    texts = [b.text() for b in dialog.findChildren(QAbstractButton)]
    texts += [label.text() for label in dialog.findChildren(QLabel) if label.buddy() is not None]
    for text in texts:
        if (key := _key(text)) is not None:
            keys[key].append(text)
    assert {k: v for k, v in keys.items() if len(v) > 1} == {}
    assert len(keys) >= 7
    described = dialog.table.item(0, 2).data(Qt.ItemDataRole.AccessibleDescriptionRole)
    assert described and dialog.table.item(0, 1).text() in described


def test_every_focusable_control_of_the_dialog_shows_focus(
    qtbot: QtBot, make_window, sandbox: Sandbox, config_folder: Path
) -> None:
    """Each widget Tab reaches in the dialog looks different when focused; Tab walks them."""
    dialog = _dialog(qtbot, make_window, sandbox, config_folder)
    widgets = [
        w for w in dialog.findChildren(QWidget)
        if w.isVisible() and w.isEnabled() and w.focusPolicy() & Qt.FocusPolicy.TabFocus
        and w.width() > 0 and w.height() > 0
    ]  # fmt: skip
    assert len(widgets) >= 8
    unseen = []
    for widget in widgets:
        if not shiboken6.isValid(widget):
            continue
        other = dialog.close_button if widget is not dialog.close_button else dialog.run_button
        other.setFocus()
        qtbot.wait(5)
        before = widget.grab().toImage()
        widget.setFocus(Qt.FocusReason.TabFocusReason)
        qtbot.waitUntil(widget.hasFocus, timeout=1000)
        qtbot.wait(5)
        if widget.grab().toImage() == before:
            unseen.append(widget.objectName() or type(widget).__name__)
    assert unseen == [], ", ".join(unseen)
    dialog.expiry_check.setFocus()
    reached = set()
    for _ in range(len(widgets) + 2):
        qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Tab)
        reached.add(dialog.focusWidget())
    assert dialog.table in reached and dialog.run_button in reached
