"""Without a keychain the window says what it does; history lines are plain at a glance."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from core.sandbox import Sandbox
from core.store.profile import Profile
from core.store.profiles import ProfileStore
from gui.main_window import MainWindow
from gui.profiles.history_view import ResultDetails
from tests.gui.profiles.test_profiles_window import _name_new_profile, _pick, _save, _send
from tests.gui.scripted import Dialogs


def _no_keychain_window(qtbot: QtBot, make_window, sandbox: Sandbox) -> MainWindow:
    """A window on keyring's fail backend; an unsaved-changes question is answered Discard."""
    window = make_window(sandbox=sandbox)  # the tests' keyring is the fail backend
    qtbot.waitUntil(lambda: "memory for this run only" in window.panel.keychain_label.text())
    return window


def test_the_option_says_session_only_without_a_keychain(
    qtbot: QtBot, make_window, sandbox: Sandbox
) -> None:
    """No keychain: "Remember secret for this session only"; a certificate's says "password"."""
    window = _no_keychain_window(qtbot, make_window, sandbox)
    check = window.form.remember_check
    assert check.text() == "Remember secret for this session only"
    assert "no keychain" in check.toolTip().lower()
    combo = window.form.credential_combo
    combo.setCurrentIndex(combo.findData("certificate"))
    assert check.text() == "Remember its password for this session only"


def test_after_a_restart_the_secret_was_not_kept(
    qtbot: QtBot, config_folder: Path, make_window, sandbox: Sandbox, dialogs: Dialogs
) -> None:
    """A profile whose secret lived in memory says so after a restart, not "is empty"."""
    dialogs.answers += ["Discard changes"] * 3
    ProfileStore(config_folder).save(
        Profile(name="Daemon", cloud="sandbox", tenant="contoso.example", remember_secret=True)
    )
    window = _no_keychain_window(qtbot, make_window, sandbox)
    _pick(qtbot, window, "Daemon")
    assert window.profile_ctl.loader.wait(5)
    text = "The secret was not kept (no keychain on this computer)"
    qtbot.waitUntil(lambda: text in window.form.finding_text("client_secret"), timeout=2000)
    assert "empty" not in window.form.finding_text("client_secret")
    window.form.secret_edit.setText("typed again")
    qtbot.waitUntil(lambda: window.form.finding_text("client_secret") == "", timeout=2000)


def test_the_tick_does_not_carry_into_a_scenario(
    qtbot: QtBot, config_folder: Path, make_window, sandbox: Sandbox, dialogs: Dialogs
) -> None:
    """A profile's ticked option is not left ticked when a sandbox scenario is loaded."""
    dialogs.answers += ["Discard changes"] * 3
    ProfileStore(config_folder).save(Profile(name="Kept", tenant="x.example", remember_secret=True))
    window = make_window(sandbox=sandbox)
    _pick(qtbot, window, "Kept")
    assert window.form.remember_check.isChecked()
    window.load_scenario(window.session.scenario("secret-wrong"))
    assert not window.form.remember_check.isChecked()


def test_history_keeps_sent_requests_only_and_shows_ok_or_failed(
    qtbot: QtBot, make_window, sandbox: Sandbox, dialogs: Dialogs
) -> None:
    """A blocked send is not recorded; OK and FAILED lines differ at a glance and open."""
    dialogs.answers += ["Discard changes"] * 3
    window = _no_keychain_window(qtbot, make_window, sandbox)
    _save(qtbot, window)
    _name_new_profile(qtbot, window, "Demo")
    _send(qtbot, window)
    window.form.tenant_edit.setText("")  # blocked: the form has an error
    _send(qtbot, window)
    assert window.response.report.result.outcome.value == "blocked"
    history = window.panel.history_list
    assert history.count() == 1
    window.form.tenant_edit.setText("11111111-2222-3333-4444-555555555555")  # unknown tenant
    _send(qtbot, window)
    assert history.count() == 2
    failed, ok = history.item(0), history.item(1)
    assert "FAILED" in failed.text() and "OK" in ok.text()
    assert failed.icon().cacheKey() != ok.icon().cacheKey()
    assert "Correlation ID" in failed.data(Qt.ItemDataRole.AccessibleDescriptionRole)
    # From the keyboard: the list takes focus, the newest is current, Enter opens its details.
    window.activateWindow()
    history.setFocus()
    assert history.currentRow() == 0
    qtbot.keyClick(history, Qt.Key.Key_Return)
    dialog = window.findChild(ResultDetails)
    assert dialog is not None and dialog.isVisible()
    assert "Correlation ID" in dialog.text.toPlainText() and "FAILED" in dialog.windowTitle()
    dialog.findChild(type(dialog.text)).selectAll()
    dialog.findChild(type(window.send_button), "copyResultDetailsButton").click()
    assert "Correlation ID" in QApplication.clipboard().text()
    dialog.reject()
