"""The form's layout: nothing clipped when rows appear, no jumps, no early errors, Send close."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPoint, QSize, Qt
from PySide6.QtGui import QFocusEvent, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QLineEdit,
    QStyle,
    QWidget,
)
from pytestqt.qtbot import QtBot

from gui.app import create_app
from gui.form.form_rows import GUID_SAMPLE
from gui.main_window import APP_TITLE, MainWindow


def _right_edge(widget: QWidget, viewport: QWidget) -> int:
    return widget.mapTo(viewport, QPoint(widget.width(), 0)).x()


def _clipped(window: MainWindow) -> list[str]:
    """The visible form controls (clear buttons and messages included) cut off at the right."""
    viewport = window.form.parentWidget()  # the scroll area's viewport
    kinds = (QLineEdit, QComboBox, QAbstractButton)
    controls = [
        w for w in window.form.findChildren(QWidget)
        if w.isVisibleTo(window.form) and (isinstance(w, kinds) or w.property("role") == "finding")
    ]  # fmt: skip
    return [
        f"{w.objectName() or type(w).__name__} ends at {_right_edge(w, viewport)}"
        for w in controls
        if _right_edge(w, viewport) > viewport.width()
    ]


@pytest.mark.parametrize("credential", ["secret", "certificate", "federated"])
def test_opening_advanced_never_clips_the_form(
    qtbot: QtBot, window: MainWindow, credential: str
) -> None:
    """At the minimum size, with Advanced open and any credential, every control fits."""
    window.resize(window.minimumSize())
    qtbot.waitUntil(lambda: window.width() == window.minimumWidth())
    window.form.credential_combo.setCurrentIndex(window.form.credential_combo.findData(credential))
    assert _clipped(window) == []
    window.form.advanced_toggle.setChecked(True)
    qtbot.waitUntil(lambda: window.form.token_url_edit.isVisible())
    qtbot.wait(50)  # the layout runs on the next turn of the event loop
    assert _clipped(window) == []


def test_a_message_does_not_move_the_rows_below(qtbot: QtBot, window: MainWindow) -> None:
    """A message appearing under the tenant leaves the fields below where they were."""
    scope = window.form.scope_edit
    before = scope.mapTo(window, QPoint(0, 0)).y()
    window.form.tenant_edit.setText("contoso!")
    qtbot.waitUntil(lambda: "malformed" in window.form.finding_text("tenant"), timeout=2000)
    qtbot.wait(50)
    assert scope.mapTo(window, QPoint(0, 0)).y() == before


def test_a_fresh_form_shows_no_errors_until_left_or_sent(qtbot: QtBot, make_window) -> None:
    """Empty required fields say nothing at first; leaving one, or Send, shows the message."""
    window = make_window()
    form = window.form
    qtbot.wait(300)  # past the debounce: the checks have run
    assert form.finding_text("tenant") == "" and form.finding_text("client_id") == ""
    window.activateWindow()
    form.tenant_edit.setFocus()
    form.client_id_edit.setFocus()
    qtbot.waitUntil(lambda: "Tenant is empty" in form.finding_text("tenant"), timeout=2000)
    assert form.finding_text("client_id") == ""
    with qtbot.waitSignal(window.worker.finished, timeout=10_000):
        window.send()
    assert "Client ID is empty" in form.finding_text("client_id")


def test_switching_windows_or_opening_a_menu_is_not_leaving_a_field(
    qtbot: QtBot, make_window
) -> None:
    """Focus lost to another window, a menu or a pop-up leaves an empty field quiet; leaving
    it for another field (Tab, a click) shows its message."""
    window = make_window()
    form = window.form
    qtbot.wait(300)
    for reason in (Qt.FocusReason.ActiveWindowFocusReason, Qt.FocusReason.PopupFocusReason,
                   Qt.FocusReason.MenuBarFocusReason):  # fmt: skip
        QApplication.sendEvent(form.tenant_edit, QFocusEvent(QEvent.Type.FocusOut, reason))
    qtbot.wait(300)
    assert form.finding_text("tenant") == ""
    tab_away = QFocusEvent(QEvent.Type.FocusOut, Qt.FocusReason.TabFocusReason)
    QApplication.sendEvent(form.tenant_edit, tab_away)
    qtbot.waitUntil(lambda: "Tenant is empty" in form.finding_text("tenant"), timeout=2000)


def test_send_sits_under_the_form_on_a_tall_window(qtbot: QtBot, window: MainWindow) -> None:
    """On a 1920 x 1080 screen, Send is right below the last row, not at the window's bottom."""
    window.resize(QSize(1900, 1040))
    qtbot.waitUntil(lambda: window.height() == 1040)
    qtbot.wait(50)
    last = window.form.url_preview
    bottom = last.mapTo(window, QPoint(0, last.height())).y()
    top = window.send_button.mapTo(window, QPoint(0, 0)).y()
    assert 0 <= top - bottom <= 60, (bottom, top)


def test_short_window_keeps_send_visible(qtbot: QtBot, window: MainWindow) -> None:
    """On the smallest window, with Advanced open, the form scrolls and Send stays in view."""
    window.resize(window.minimumSize())
    window.form.advanced_toggle.setChecked(True)
    qtbot.wait(50)
    send = window.send_button
    assert send.isVisible()
    assert send.mapTo(window, QPoint(0, send.height())).y() <= window.centralWidget().height() + 30


def test_title_names_the_app_once(window: MainWindow) -> None:
    """The sandbox window is titled "Entra Token Tester — Sandbox", without Qt adding the name.

    Qt appends the application display name to a title that does not end with it; with no
    display name set, it adds nothing (an unset display name follows the application name).
    """
    assert window.windowTitle() == f"{APP_TITLE} — Sandbox"
    app = create_app([])  # the names the app gives itself
    assert isinstance(app, QGuiApplication)
    name = app.applicationName()
    app.setApplicationName("probe")
    try:
        unset = app.applicationDisplayName() == "probe"
    finally:
        app.setApplicationName(name)
    assert unset or window.windowTitle().endswith(app.applicationDisplayName())


def test_advanced_rows_are_as_tall_as_the_fields_above(qtbot: QtBot, window: MainWindow) -> None:
    """The Timeout spin box (whose arrows add height) lines up with the combo and line edits."""
    window.form.advanced_toggle.setChecked(True)
    advanced = window.form.advanced
    qtbot.waitUntil(lambda: advanced.timeout_spin.isVisible())
    assert abs(advanced.timeout_spin.height() - advanced.auth_combo.height()) <= 2


def test_id_fields_fit_a_guid_and_the_clear_button(window: MainWindow) -> None:
    """Tenant and Client ID are as wide as a GUID, the clear button (the style's small icon
    and 8 px) and the padding, frame and inner margin (20 px)."""
    for edit in (window.form.tenant_edit, window.form.client_id_edit):
        text = edit.fontMetrics().horizontalAdvance(GUID_SAMPLE)
        icon = edit.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        margins = edit.textMargins().left() + edit.textMargins().right()
        assert edit.minimumWidth() == text + icon + 8 + margins + 20
