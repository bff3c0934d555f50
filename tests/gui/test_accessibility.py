"""Keyboard and screen readers: access keys, names for every control, focus you can see."""

from __future__ import annotations

import re
from collections import defaultdict

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QAccessibleInterface, QImage
from PySide6.QtWidgets import QAbstractButton, QLabel, QMenu, QTabBar, QWidget
from pytestqt.qtbot import QtBot

from gui.main_window import MainWindow


def _key(text: str) -> str | None:
    match = re.search(r"&([^&])", text.replace("&&", ""))
    return match.group(1).lower() if match else None


def _window_keys(window: MainWindow) -> dict[str, list[str]]:
    """Every access key of the window (buttons, buddy labels, tabs, the menu bar), by letter."""
    keys: dict[str, list[str]] = defaultdict(list)
    texts = [b.text() for b in window.findChildren(QAbstractButton)]
    texts += [label.text() for label in window.findChildren(QLabel) if label.buddy() is not None]
    for bar in window.findChildren(QTabBar):
        texts += [bar.tabText(i) for i in range(bar.count())]
    texts += [action.text() for action in window.menuBar().actions()]
    for text in texts:
        if (key := _key(text)) is not None:
            keys[key].append(text)
    return keys


def test_one_access_key_per_letter_in_the_window(window: MainWindow) -> None:
    """No two controls of the window (shown or not, every tab built) share an Alt+letter."""
    window.response.build_tabs()
    for kind in ("certificate", "federated"):  # their rows exist from the start; shown now
        window.form.credential_combo.setCurrentIndex(window.form.credential_combo.findData(kind))
    clashes = {k: v for k, v in _window_keys(window).items() if len(v) > 1}
    assert clashes == {}
    assert len(_window_keys(window)) >= 20  # the form's labels, tabs and menus have keys


def test_one_access_key_per_letter_in_each_menu(window: MainWindow) -> None:
    """Within each menu and submenu (the Sandbox menu's included), no letter repeats."""
    menus = [a.menu() for a in window.menuBar().actions() if a.menu() is not None]
    seen = 0
    while menus:
        menu = menus.pop()
        assert isinstance(menu, QMenu)
        keys: dict[str, list[str]] = defaultdict(list)
        for action in menu.actions():
            if action.menu() is not None:
                menus.append(action.menu())
            if (key := _key(action.text())) is not None:
                keys[key].append(action.text())
        assert {k: v for k, v in keys.items() if len(v) > 1} == {}, menu.title()
        seen += 1
    assert seen >= 4


# Roles that are containers or text, named by what they hold.
_UNNAMED_OK = {
    QAccessible.Role.Client, QAccessible.Role.Grouping, QAccessible.Role.Pane,
    QAccessible.Role.Separator, QAccessible.Role.Whitespace, QAccessible.Role.StaticText,
    QAccessible.Role.Cell, QAccessible.Role.Row, QAccessible.Role.ColumnHeader,
    QAccessible.Role.RowHeader, QAccessible.Role.ListItem, QAccessible.Role.Window,
    QAccessible.Role.ScrollBar,  # read out by its orientation and position
}  # fmt: skip


def _unnamed(iface: QAccessibleInterface | None, path: str = "") -> list[str]:
    if iface is None or not iface.isValid() or iface.state().invisible:
        return []
    obj = iface.object()
    here = f"{path}/{iface.role().name}:{obj.objectName() if obj is not None else ''}"
    found = []
    if iface.role() not in _UNNAMED_OK and not iface.text(QAccessible.Text.Name).strip():
        parent = obj.parent() if obj is not None else None
        owner = parent.objectName() if parent is not None else ""
        found.append(f"{here} (in {owner or type(parent).__name__})")
    for index in range(iface.childCount()):
        found += _unnamed(iface.child(index), here)
    return found


def test_every_control_has_a_name(qtbot: QtBot, window: MainWindow) -> None:
    """Walking the accessibility tree (what AT-SPI and Orca read) finds no unnamed control."""
    window.response.build_tabs()
    with qtbot.waitSignal(window.worker.finished, timeout=10_000):
        window.send()
    window.form.advanced_toggle.setChecked(True)
    qtbot.wait(50)
    assert _unnamed(QAccessible.queryAccessibleInterface(window)) == []
    clear = [b for b in window.form.tenant_edit.findChildren(QAbstractButton)]
    assert clear and clear[0].accessibleName() == "Clear Tenant"


def test_summary_pane_has_a_name(window: MainWindow) -> None:
    """The Summary pane is announced by name, as are the answer's tabs."""
    assert window.response.summary.accessibleName() == "Summary of the answer"
    assert window.response.tabs.accessibleName()


def _grab(widget: QWidget) -> QImage:
    return widget.grab().toImage()


def _focusable(window: MainWindow) -> list[QWidget]:
    """The widgets the Tab key stops at (shown, enabled, taking focus by Tab)."""
    return [
        w for w in window.findChildren(QWidget)
        if w.isVisible() and w.isEnabled() and w.focusPolicy() & Qt.FocusPolicy.TabFocus
        and w.width() > 0 and w.height() > 0
    ]  # fmt: skip


def test_every_focusable_widget_shows_focus(qtbot: QtBot, window: MainWindow) -> None:
    """Each widget the Tab key reaches looks different when focused (grab focused vs not)."""
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow())
    with qtbot.waitSignal(window.worker.finished, timeout=10_000):
        window.send()  # a token: the copy buttons are enabled
    window.panel.new_button.click()  # a profile: the profile buttons are enabled
    window.panel.set_unsaved(False)
    unseen = []
    widgets = _focusable(window)
    assert len(widgets) >= 15
    for widget in widgets:
        if not shiboken6.isValid(widget):
            continue  # the new profile's name editor, closed by now
        window.send_button.setFocus() if widget is not window.send_button else (
            window.form.tenant_edit.setFocus())  # fmt: skip
        qtbot.wait(5)
        before = _grab(widget)
        widget.setFocus(Qt.FocusReason.TabFocusReason)
        qtbot.waitUntil(widget.hasFocus, timeout=1000)
        qtbot.wait(5)
        if _grab(widget) == before:
            unseen.append(widget.objectName() or type(widget).__name__)
    assert unseen == [], ", ".join(unseen)


def test_no_invisible_tab_stops(window: MainWindow) -> None:
    """Tab never stops on a widget without its own look (the form's scroll area, panes)."""
    plain = [
        w.objectName() or type(w).__name__
        for w in _focusable(window)
        if type(w) is QWidget or w.objectName() == "formScroll"
    ]
    assert plain == []
