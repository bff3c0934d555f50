"""Profiles in the window: switching, unsaved changes, the keychain, history, no secret on disk."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote_plus

import keyring
import pytest
from keyring.errors import KeyringLocked
from PySide6.QtCore import SIGNAL, Qt
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from core.sandbox import Sandbox, scenarios
from core.store.profile import Profile
from core.store.profiles import ProfileStore
from core.store.secret_store import SERVICE, KeyringSecretStore
from gui.main_window import MainWindow
from tests.fakes.memory_keyring import MemoryKeyring
from tests.gui.scripted import Dialogs

SCENARIOS = {s.key: s for s in scenarios()}
DEMO = SCENARIOS["cc-v2-graph"]
SECRET = DEMO.form["client_secret"]
PASSWORD = SCENARIOS["password-ok"].form["password"]
TENANT = DEMO.form["tenant"]


def _seed(folder: Path, *names: str, **fields: object) -> list[Profile]:
    store = ProfileStore(folder)
    return [store.save(Profile(name=n, tenant=f"{n.lower()}.example", **fields)) for n in names]


def _pick(qtbot: QtBot, window: MainWindow, name: str) -> None:
    """Click a profile in the list."""
    names = [window.panel.list.item(i).text() for i in range(window.panel.list.count())]
    window.panel.list.setCurrentRow(names.index(name))


def _name_new_profile(qtbot: QtBot, window: MainWindow, name: str) -> None:
    """Type a name into the in-place editor that Save opens for a new profile."""
    editor = window.panel.list.findChild(QLineEdit)
    assert editor is not None and editor.isVisible(), "the rename editor is open"
    editor.selectAll()
    qtbot.keyClicks(editor, name)
    with qtbot.waitSignal(window.panel.profilesChanged):
        qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.panel.current_profile().name == name)


def _save(qtbot: QtBot, window: MainWindow) -> None:
    """Ctrl+S, then wait for the keychain worker."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)  # shortcuts reach the active window only
    window.form.tenant_edit.setFocus()
    qtbot.keyClick(window.form.tenant_edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert window.profile_ctl.saver.wait(5)
    qtbot.waitUntil(lambda: not window.profile_ctl.saver.busy)


def _send(qtbot: QtBot, window: MainWindow) -> None:
    with qtbot.waitSignal(window.worker.finished, timeout=10_000):
        window.send()


@pytest.fixture
def keychain() -> MemoryKeyring:
    return MemoryKeyring()


@pytest.fixture
def profile_window(make_window, sandbox: Sandbox, keychain: MemoryKeyring) -> MainWindow:
    """A sandbox window whose keychain is the in-memory keyring."""
    return make_window(sandbox=sandbox, secrets=KeyringSecretStore(keychain), clear_delay_s=1)


def test_switching_loads_fields_and_remembered_secret(
    qtbot: QtBot, config_folder: Path, make_window, sandbox: Sandbox, keychain: MemoryKeyring
) -> None:
    """Each profile brings its fields and its own remembered secret; no double connections."""
    contoso, fabrikam = _seed(config_folder, "Contoso", "Fabrikam", remember_secret=True)
    keychain.set_password(SERVICE, f"{contoso.id}:client_secret", SECRET)
    window = make_window(sandbox=sandbox, secrets=KeyringSecretStore(keychain))
    for _ in range(2):
        _pick(qtbot, window, "Contoso")
        assert window.form.tenant_edit.text() == "contoso.example"
        assert window.form.remember_check.isChecked()
        qtbot.waitUntil(lambda: window.form.secret_edit.text() == SECRET)
        _pick(qtbot, window, "Fabrikam")
        assert window.form.tenant_edit.text() == "fabrikam.example"
        assert window.form.secret_edit.text() == ""  # Fabrikam has no remembered secret
        assert window.profile_ctl.loader.wait(5)
    qtbot.wait(50)
    assert window.form.secret_edit.text() == "" and not window.panel.has_unsaved_changes()
    # the profile controller and the Sandbox menu (which clears its tick): once each
    assert window.panel.receivers(SIGNAL("profileSelected(QString)")) == 2
    assert window.form.receivers(SIGNAL("edited()")) == 1
    assert window.profile_ctl.loader.receivers(SIGNAL("succeeded(PyObject)")) == 1
    assert fabrikam.id in {p.id for p in window.profiles.list()}


def test_unsaved_changes_prompt_cancel_keeps_edits(
    qtbot: QtBot, config_folder: Path, make_window, dialogs: Dialogs
) -> None:
    """Edits mark the profile unsaved; Cancel on switch, New or close keeps them in the form."""
    _seed(config_folder, "Contoso", "Fabrikam")
    window = make_window()
    _pick(qtbot, window, "Contoso")
    assert not window.panel.unsaved_label.isVisible()
    qtbot.keyClicks(window.form.tenant_edit, "-edited")
    assert window.panel.unsaved_label.isVisible()
    dialogs.answers.append("Cancel")
    _pick(qtbot, window, "Fabrikam")
    dialogs.answers.append("Cancel")
    qtbot.mouseClick(window.panel.new_button, Qt.MouseButton.LeftButton)
    dialogs.answers.append("Cancel")
    window.close()
    assert len(dialogs.texts("question")) == 3
    assert all("“Contoso”" in text for text in dialogs.texts("question"))
    assert window.isVisible() and window.panel.current_profile().name == "Contoso"
    assert window.form.tenant_edit.text() == "contoso.example-edited"
    assert [p.name for p in window.profiles.list()] == ["Contoso", "Fabrikam"]
    qtbot.keyClicks(window.form.tenant_edit, "\b" * len("-edited"))  # typed back: nothing unsaved
    assert not window.panel.unsaved_label.isVisible()


def test_save_remembers_then_forgets_the_secret(
    qtbot: QtBot, config_folder: Path, profile_window: MainWindow, keychain: MemoryKeyring
) -> None:
    """Ctrl+S makes a profile from the form; the secret goes to the keychain only when ticked."""
    window = profile_window
    window.form.remember_check.setChecked(True)
    _save(qtbot, window)
    _name_new_profile(qtbot, window, "Demo daemon")
    profile = window.panel.current_profile()
    assert profile.remember_secret and profile.cloud == "sandbox"
    assert keychain.entries == {(SERVICE, f"{profile.id}:client_secret"): SECRET}
    window.form.remember_check.setChecked(False)
    assert window.panel.has_unsaved_changes()
    _save(qtbot, window)
    assert keychain.entries == {} and not window.panel.has_unsaved_changes()
    assert window.form.secret_edit.text() == SECRET  # still usable for this run
    saved = (config_folder / "profiles.json").read_text()
    assert SECRET not in saved and "127.0.0.1" not in saved  # no secret, no sandbox port


def test_no_secret_password_or_token_on_disk(
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    config_folder: Path,
    settings_path: Path,
    make_window,
    sandbox: Sandbox,
    keychain: MemoryKeyring,
    dialogs: Dialogs,
) -> None:
    """A whole session (remember, send, copy, switch, export, close) writes no secret anywhere."""
    home = tmp_path / "home"
    for name, sub in (("HOME", ""), ("XDG_CONFIG_HOME", ".config"),
                      ("XDG_DATA_HOME", ".local/share"), ("XDG_CACHE_HOME", ".cache")):  # fmt: skip
        monkeypatch.setenv(name, str(home / sub))
    monkeypatch.setenv("ENTRA_TOKEN_TESTER_CONFIG_DIR", str(config_folder))
    window = make_window(sandbox=sandbox, secrets=KeyringSecretStore(keychain), clear_delay_s=1)
    window.form.secret_edit.clear()
    qtbot.keyClicks(window.form.secret_edit, SECRET)
    qtbot.mouseClick(window.form.remember_check, Qt.MouseButton.LeftButton)
    _save(qtbot, window)
    _name_new_profile(qtbot, window, "Daemon")
    _send(qtbot, window)
    tokens = [window.response.report.token.reveal()]
    window.copier.copy_token()
    window.load_scenario(SCENARIOS["password-ok"])
    window.form.remember_check.setChecked(True)
    _save(qtbot, window)
    _name_new_profile(qtbot, window, "User sign-in")
    _send(qtbot, window)
    tokens.append(window.response.report.token.reveal())
    _pick(qtbot, window, "Daemon")
    qtbot.waitUntil(lambda: window.form.secret_edit.text() == SECRET)
    _pick(qtbot, window, "User sign-in")
    qtbot.waitUntil(lambda: window.form.password_edit.text() == PASSWORD)
    export = tmp_path / "exported-profiles.json"
    dialogs.answers.append(export)
    window.export_action.trigger()
    window.close()
    assert not window.isVisible()

    assert sorted(keychain.entries.values()) == sorted([SECRET, PASSWORD])  # it was remembered
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    names = {p.name for p in files}
    assert {"profiles.json", "history.json", export.name, settings_path.name} <= names
    assert len(window.history.entries(window.panel.current_id())) == 1
    for needle in (SECRET, PASSWORD, *tokens):
        for form in {needle, quote_plus(needle), json.dumps(needle)[1:-1]}:
            for path in files:
                assert form.encode() not in path.read_bytes(), f"{needle[:4]}… found in {path}"


def test_missing_keychain_keeps_secrets_in_memory_for_the_run(
    qtbot: QtBot, config_folder: Path, make_window, sandbox: Sandbox
) -> None:
    """With keyring's fail backend the window says memory-only, and remembering still works."""
    _seed(config_folder, "Other")
    window = make_window(sandbox=sandbox)
    qtbot.waitUntil(lambda: "memory for this run only" in window.panel.keychain_label.text())
    assert "No system keychain was found" in window.panel.keychain_label.text()
    window.form.remember_check.setChecked(True)
    _save(qtbot, window)
    _name_new_profile(qtbot, window, "Demo")
    _pick(qtbot, window, "Other")
    assert window.form.secret_edit.text() == ""
    _pick(qtbot, window, "Demo")
    qtbot.waitUntil(lambda: window.form.secret_edit.text() == SECRET)
    assert SECRET not in (config_folder / "profiles.json").read_text()


def test_locked_keychain_gives_a_clear_message_and_keeps_the_form(
    qtbot: QtBot,
    config_folder: Path,
    profile_window: MainWindow,
    keychain: MemoryKeyring,
    dialogs: Dialogs,
) -> None:
    """A keychain that raises KeyringLocked: the profile is saved, the secret stays in the form."""
    window = profile_window
    keychain.fail_with = KeyringLocked("Failed to unlock the collection!")
    window.form.remember_check.setChecked(True)
    _save(qtbot, window)
    qtbot.waitUntil(lambda: bool(dialogs.texts("warning")))
    (warning,) = dialogs.texts("warning")
    assert "the keychain is locked" in warning and "nothing was lost" in warning
    assert "the keychain is locked" in window.panel.keychain_label.text()
    assert window.form.secret_edit.text() == SECRET
    assert [p.name for p in ProfileStore(config_folder).list()] == ["New profile"]
    # Selecting a remembered profile while locked: its fields load, the problem is shown.
    window.panel.keychain_label.clear()
    window.profiles.save(Profile(name="Locked", tenant="locked.example", remember_secret=True))
    window.panel._fill_list()
    _pick(qtbot, window, "Locked")
    qtbot.waitUntil(lambda: "locked" in window.panel.keychain_label.text())
    assert window.form.tenant_edit.text() == "locked.example"


def test_corrupt_profiles_file_is_reported_and_kept_aside(
    config_folder: Path, make_window, sandbox: Sandbox
) -> None:
    """A corrupt profiles file: the window starts, says so, and the file is kept aside."""
    config_folder.mkdir(parents=True)
    (config_folder / "profiles.json").write_text('{"profiles": [', encoding="utf-8")
    window = make_window(sandbox=sandbox)
    assert window.ready and window.panel.problem_label.isVisible()
    assert "kept as profiles.json.corrupt-" in window.panel.problem_label.text()
    assert "could not be used" in window.statusBar().currentMessage()
    kept = list(config_folder.glob("profiles.json.corrupt-*"))
    assert len(kept) == 1 and kept[0].read_text() == '{"profiles": ['


def test_history_after_send_and_clear_history_action(
    qtbot: QtBot, config_folder: Path, profile_window: MainWindow
) -> None:
    """Each send is recorded for the profile it was sent from; File > Clear history forgets it."""
    window = profile_window
    _save(qtbot, window)
    _name_new_profile(qtbot, window, "Demo")
    _send(qtbot, window)
    line = window.panel.history_list.item(0).text()
    assert "OK" in line and "HTTP 200" in line
    token = window.response.report.token.reveal()
    assert token not in (config_folder / "history.json").read_text()
    window.clear_history_action.trigger()
    assert window.panel.history_list.count() == 0
    assert window.history.entries(window.panel.current_id()) == ()


def test_sandbox_profile_uses_the_running_sandbox_and_is_restored(
    qtbot: QtBot, config_folder: Path, make_window, sandbox: Sandbox, settings_path: Path
) -> None:
    """A saved sandbox profile reopens selected in a new window, on the running sandbox."""
    first = make_window(sandbox=sandbox)
    _save(qtbot, first)
    _name_new_profile(qtbot, first, "Sandbox demo")
    first.close()
    assert "Sandbox demo" not in settings_path.read_text()  # only the id is remembered
    (saved,) = ProfileStore(config_folder).list()
    assert saved.cloud == "sandbox" and saved.authority == ""
    second = make_window(sandbox=sandbox)
    assert second.panel.current_id() == saved.id
    assert second.form.tenant_edit.text() == TENANT
    assert second.form.token_url_text().startswith(sandbox.base_url)
    second.form.secret_edit.setText(SECRET)  # not remembered: typed again
    _send(qtbot, second)
    assert second.response.report.issued
    assert not second.panel.has_unsaved_changes()


@pytest.mark.keychain
def test_real_secret_service_remembers_across_windows(
    qtbot: QtBot, secret_service, make_window, sandbox: Sandbox
) -> None:
    """Against a private Secret Service: the window names it and a new window reloads the secret."""
    first = make_window(sandbox=sandbox)
    qtbot.waitUntil(lambda: "Secret Service" in first.panel.keychain_label.text())
    first.form.remember_check.setChecked(True)
    _save(qtbot, first)
    _name_new_profile(qtbot, first, "Kept")
    profile_id = first.panel.current_id()
    assert keyring.get_password(SERVICE, f"{profile_id}:client_secret") == SECRET
    first.close()
    second = make_window()
    assert second.panel.current_id() == profile_id
    qtbot.waitUntil(lambda: second.form.secret_edit.text() == SECRET, timeout=10_000)
