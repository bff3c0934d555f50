"""Every dialog the window opens has buttons that say what they do (never Yes, No or OK)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QListWidget
from pytestqt.qtbot import QtBot

from core.store.profile import Profile
from core.store.profiles import ProfileStore
from gui.main_window import MainWindow
from tests.gui.scripted import VAGUE_LABELS, Dialogs, label


def _window(make_window, config_folder: Path, *names: str) -> MainWindow:
    store = ProfileStore(config_folder)
    for name in names:
        store.save(Profile(name=name, tenant=f"{name.lower()}.example"))
    return make_window()


def _pick(qtbot: QtBot, window: MainWindow, name: str) -> None:
    profiles: QListWidget = window.panel.list
    row = [profiles.item(i).text() for i in range(profiles.count())].index(name)
    profiles.setCurrentRow(row)
    qtbot.waitUntil(lambda: window.panel.current_profile() is not None)


def _buttons_of_modal_dialog(qtbot: QtBot, open_dialog: Callable[[], object]) -> tuple[str, ...]:
    """Open a modal QDialog for real, read its button row, then close it with Esc."""
    seen: list[tuple[str, ...]] = []

    def read_and_close() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QDialog):
            QTimer.singleShot(5, read_and_close)
            return
        (row,) = dialog.findChildren(QDialogButtonBox)
        seen.append(tuple(label(button.text()) for button in row.buttons()))
        dialog.reject()

    QTimer.singleShot(0, read_and_close)
    open_dialog()
    qtbot.waitUntil(lambda: bool(seen))
    return seen[0]


def test_delete_profile_asks_with_delete_profile_and_keep_profile(
    qtbot: QtBot, config_folder: Path, make_window, dialogs: Dialogs
) -> None:
    """Deleting asks "Delete profile" or "Keep profile"; Esc keeps it."""
    window = _window(make_window, config_folder, "Contoso")
    _pick(qtbot, window, "Contoso")
    qtbot.mouseClick(window.panel.delete_button, Qt.MouseButton.LeftButton)  # nothing scripted
    assert [set(row) for row in dialogs.buttons] == [{"Delete profile", "Keep profile"}]
    assert [p.name for p in window.profiles.list()] == ["Contoso"]


def test_unsaved_changes_ask_save_changes_discard_changes_or_cancel(
    qtbot: QtBot, config_folder: Path, make_window, dialogs: Dialogs
) -> None:
    """Leaving an edited profile, or closing the window, offers Save / Discard changes / Cancel."""
    window = _window(make_window, config_folder, "Contoso", "Fabrikam")
    _pick(qtbot, window, "Contoso")
    qtbot.keyClicks(window.form.tenant_edit, "-edited")
    dialogs.answers.append("Cancel")
    _pick(qtbot, window, "Fabrikam")
    dialogs.answers.append("Discard changes")
    window.close()
    expected = {"Save changes", "Discard changes", "Cancel"}
    assert [set(row) for row in dialogs.buttons] == [expected, expected]
    assert not window.isVisible()


def test_notices_close_with_a_close_button(
    qtbot: QtBot, tmp_path: Path, config_folder: Path, make_window, dialogs: Dialogs
) -> None:
    """A refused import, a failed export, F1 and About each close with "Close", not "OK"."""
    window = _window(make_window, config_folder, "Contoso")
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    dialogs.answers += [bad, tmp_path / "missing" / "folder" / "out.json"]
    window.import_action.trigger()
    window.export_action.trigger()
    help_menu = window.menuBar().actions()[-1].menu()
    for entry in help_menu.actions():  # Keyboard shortcuts (F1), About
        entry.trigger()
    assert [kind for kind, _ in dialogs.calls] == ["open", "warning", "save", "warning",
                                                   "information", "information"]  # fmt: skip
    assert dialogs.buttons == [("Close",)] * 4


def test_preferences_save_preferences_and_decode_say_what_they_do(
    qtbot: QtBot, config_folder: Path, make_window
) -> None:
    """Preferences saves with "Save preferences"; Decode a token decodes with "Decode"."""
    window = _window(make_window, config_folder)
    preferences = _buttons_of_modal_dialog(qtbot, window.menus.preferences.trigger)
    assert set(preferences) == {"Save preferences", "Cancel"}
    assert set(_buttons_of_modal_dialog(qtbot, window.menus.decode.trigger)) == {"Decode", "Cancel"}


def test_no_dialog_label_in_the_gui_is_a_bare_yes_no_or_ok(qapp) -> None:
    """The guard itself: the labels it refuses are the ones Qt's standard buttons use."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox()
    standard = QMessageBox.StandardButton
    box.setStandardButtons(standard.Yes | standard.No | standard.Ok)
    assert {label(b.text()).lower() for b in box.buttons()} <= VAGUE_LABELS


def test_export_over_an_existing_file_asks_replace_file_or_cancel(
    tmp_path: Path, config_folder: Path, make_window, dialogs: Dialogs
) -> None:
    """Exporting onto an existing file asks "Replace file" or "Cancel" (not the file dialog's
    Yes / No); Cancel leaves the file as it was, Replace file writes it."""
    window = _window(make_window, config_folder, "Contoso")
    target = tmp_path / "profiles.json"
    target.write_text("keep me")
    dialogs.answers += [target, "Cancel"]
    window.export_action.trigger()
    assert target.read_text() == "keep me"
    dialogs.answers += [target, "Replace file"]
    window.export_action.trigger()
    assert "Contoso" in target.read_text()
    assert [set(row) for row in dialogs.buttons] == [{"Replace file", "Cancel"}] * 2
