"""The profile panel: switching with unsaved changes, list actions, import/export, history."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import keyring.core
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from core.redaction import Secret
from core.sandbox import Sandbox, scenarios
from core.store.history import HistoryEntry, HistoryStore
from core.store.profile import Profile
from core.store.profiles import ProfileStore
from core.store.secret_store import (
    KeyringSecretStore,
    MemorySecretStore,
    SecretKind,
    SecretRef,
    SecretStore,
    open_secret_store,
)
from core.token.client import request_token
from gui.form.form_data import input_from_strings
from gui.profiles.profile_panel import ProfilePanel
from tests.core.keychain import REQUIRE_ENV, missing_programs, private_secret_service
from tests.fakes.memory_keyring import MemoryKeyring
from tests.gui.scripted import Dialogs

SECRET = "Pp4Q~panel-test-secret-0123456789abcdefgh"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "config"


@pytest.fixture
def keychain() -> MemoryKeyring:
    return MemoryKeyring()


@pytest.fixture
def make_panel(qtbot: QtBot, folder: Path, keychain: MemoryKeyring) -> Callable[..., ProfilePanel]:
    def make(secrets: SecretStore | None = None) -> ProfilePanel:
        store = secrets if secrets is not None else KeyringSecretStore(keychain)
        panel = ProfilePanel(ProfileStore(folder), HistoryStore(folder), store)
        qtbot.addWidget(panel)
        panel.show()
        return panel

    return make


def _names(panel: ProfilePanel) -> list[str]:
    return [panel.list.item(i).text() for i in range(panel.list.count())]


def _seed(folder: Path, *names: str, **fields: Any) -> list[Profile]:
    store = ProfileStore(folder)
    return [store.save(Profile(name=name, **fields)) for name in names]


def _row(panel: ProfilePanel, name: str) -> int:
    return _names(panel).index(name)


def _type_into_editor(qtbot: QtBot, panel: ProfilePanel, text: str) -> None:
    editor = panel.list.findChild(QLineEdit)
    assert editor is not None and editor.isVisible(), "the rename editor is open"
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)


def test_lists_profiles_and_selecting_emits_the_id(
    qtbot: QtBot, folder: Path, make_panel: Callable[..., ProfilePanel]
) -> None:
    """Profiles appear sorted; choosing one emits profileSelected with its id."""
    fabrikam, _ = _seed(folder, "Fabrikam", "Contoso")
    panel = make_panel()
    assert _names(panel) == ["Contoso", "Fabrikam"]
    assert not panel.delete_button.isEnabled()
    with qtbot.waitSignal(panel.profileSelected) as blocker:
        panel.list.setCurrentRow(1)
    assert blocker.args == [fabrikam.id]
    assert panel.current_profile() == fabrikam and panel.delete_button.isEnabled()


@pytest.mark.parametrize(
    ("answer", "lands_on"), [("Cancel", "Contoso"), ("Discard changes", "Fabrikam")]
)
def test_unsaved_changes_prompt_before_switching(
    qtbot: QtBot,
    folder: Path,
    make_panel: Callable[..., ProfilePanel],
    dialogs: Dialogs,
    answer: str,
    lands_on: str,
) -> None:
    """With unsaved changes, Cancel keeps the selection; Discard moves on and clears the mark."""
    _seed(folder, "Contoso", "Fabrikam")
    panel = make_panel()
    panel.select(ProfileStore(folder).require("Contoso").id)
    panel.set_unsaved(True)
    assert panel.unsaved_label.isVisible()
    dialogs.answers.append(answer)
    panel.list.setCurrentRow(_row(panel, "Fabrikam"))
    assert "Contoso" in dialogs.texts("question")[0]
    assert panel.current_profile().name == lands_on  # type: ignore[union-attr]
    assert panel.list.currentItem().text() == lands_on
    assert panel.has_unsaved_changes() is (answer == "Cancel")


def test_save_answer_asks_the_window_to_save_then_switches(
    qtbot: QtBot, folder: Path, make_panel: Callable[..., ProfilePanel], dialogs: Dialogs
) -> None:
    """Save emits saveRequested; when the window saves, the switch goes ahead; else it stays."""
    contoso, _ = _seed(folder, "Contoso", "Fabrikam")
    panel = make_panel()
    panel.select(contoso.id)
    panel.set_unsaved(True)
    dialogs.answers.append("Save changes")
    with qtbot.waitSignal(panel.saveRequested) as blocker:
        panel.list.setCurrentRow(_row(panel, "Fabrikam"))
    assert blocker.args == [contoso.id]
    assert panel.current_id() == contoso.id  # nobody saved: still here, changes kept
    panel.saveRequested.connect(
        lambda pid: panel.save_profile(Profile(id=pid, name="Contoso", tenant="contoso.com"))
    )
    dialogs.answers.append("Save changes")
    panel.list.setCurrentRow(_row(panel, "Fabrikam"))
    assert panel.current_profile().name == "Fabrikam"  # type: ignore[union-attr]
    assert ProfileStore(folder).require("Contoso").tenant == "contoso.com"


def test_new_profile_is_created_selected_and_renamed_in_place(
    qtbot: QtBot, folder: Path, make_panel: Callable[..., ProfilePanel]
) -> None:
    """New adds 'New profile', selects it and opens the name editor; Enter renames it."""
    panel = make_panel()
    with qtbot.waitSignal(panel.profileSelected):
        qtbot.mouseClick(panel.new_button, Qt.MouseButton.LeftButton)
    assert _names(panel) == ["New profile"]
    with qtbot.waitSignal(panel.profilesChanged):
        _type_into_editor(qtbot, panel, "Orders API")
    assert [p.name for p in ProfileStore(folder).list()] == ["Orders API"]
    assert _names(panel) == ["Orders API"]
    assert panel.current_profile().name == "Orders API"  # type: ignore[union-attr]


def test_rename_to_a_taken_name_is_refused_with_a_message(
    qtbot: QtBot, folder: Path, make_panel: Callable[..., ProfilePanel], dialogs: Dialogs
) -> None:
    """Renaming onto another profile's name shows why and keeps the old name."""
    contoso, _ = _seed(folder, "Contoso", "Fabrikam")
    panel = make_panel()
    panel.select(contoso.id)
    qtbot.mouseClick(panel.rename_button, Qt.MouseButton.LeftButton)
    _type_into_editor(qtbot, panel, "fabrikam")
    qtbot.waitUntil(lambda: bool(dialogs.texts("warning")))
    assert 'A profile named "Fabrikam" already exists.' in dialogs.texts("warning")[0]
    qtbot.waitUntil(lambda: _names(panel) == ["Contoso", "Fabrikam"])
    assert ProfileStore(folder).require(contoso.id).name == "Contoso"


def test_duplicate_copies_setup_and_remembered_secret(
    qtbot: QtBot,
    folder: Path,
    make_panel: Callable[..., ProfilePanel],
    keychain: MemoryKeyring,
) -> None:
    """Duplicate selects a copy with a new id, the same setup and its own keychain entry."""
    (contoso,) = _seed(folder, "Contoso", tenant="contoso.com", remember_secret=True)
    panel = make_panel()
    KeyringSecretStore(keychain).set(
        SecretRef(contoso.id, SecretKind.CLIENT_SECRET), Secret(SECRET)
    )
    panel.select(contoso.id)
    qtbot.mouseClick(panel.duplicate_button, Qt.MouseButton.LeftButton)
    copy = panel.current_profile()
    assert copy is not None and copy.id != contoso.id
    assert (copy.name, copy.tenant) == ("Contoso (copy)", "contoso.com")
    assert keychain.get_password("entra-token-tester", f"{copy.id}:client_secret") == SECRET


def test_delete_asks_then_removes_profile_secret_and_history(
    qtbot: QtBot,
    folder: Path,
    make_panel: Callable[..., ProfilePanel],
    dialogs: Dialogs,
    keychain: MemoryKeyring,
) -> None:
    """No keeps the profile; Yes deletes it with its keychain entries and its history."""
    contoso, fabrikam = _seed(folder, "Contoso", "Fabrikam", remember_secret=True)
    secrets = KeyringSecretStore(keychain)
    for profile in (contoso, fabrikam):
        secrets.set(SecretRef(profile.id, SecretKind.CLIENT_SECRET), Secret(SECRET))
    HistoryStore(folder).add(contoso.id, _entry())
    panel = make_panel()
    panel.select(contoso.id)
    dialogs.answers.append("Keep profile")
    qtbot.mouseClick(panel.delete_button, Qt.MouseButton.LeftButton)
    assert _names(panel) == ["Contoso", "Fabrikam"]
    dialogs.answers.append("Delete profile")
    with qtbot.waitSignal(panel.profileSelected) as blocker:
        qtbot.mouseClick(panel.delete_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [""]
    assert "“Contoso”" in dialogs.texts("question")[1]
    assert _names(panel) == ["Fabrikam"] and panel.current_profile() is None
    assert [p.name for p in ProfileStore(folder).list()] == ["Fabrikam"]
    assert list(keychain.entries) == [("entra-token-tester", f"{fabrikam.id}:client_secret")]
    assert HistoryStore(folder).entries(contoso.id) == ()


def test_export_then_import_through_file_dialogs(
    qtbot: QtBot,
    tmp_path: Path,
    folder: Path,
    make_panel: Callable[..., ProfilePanel],
    dialogs: Dialogs,
    keychain: MemoryKeyring,
) -> None:
    """Export writes JSON without ids or secrets; importing it adds renamed copies."""
    (contoso,) = _seed(folder, "Contoso", tenant="contoso.com", remember_secret=True)
    KeyringSecretStore(keychain).set(
        SecretRef(contoso.id, SecretKind.CLIENT_SECRET), Secret(SECRET)
    )
    panel = make_panel()
    target = tmp_path / "out" / "profiles.json"
    target.parent.mkdir()
    dialogs.answers.append(target)
    with qtbot.waitSignal(panel.message) as blocker:
        qtbot.mouseClick(panel.export_button, Qt.MouseButton.LeftButton)
    assert blocker.args == ["Exported 1 profile to profiles.json."]
    text = target.read_text()
    assert SECRET not in text and contoso.id not in text
    assert json.loads(text)["profiles"][0]["tenant"] == "contoso.com"
    dialogs.answers.append(target)
    with qtbot.waitSignal(panel.profilesChanged):
        qtbot.mouseClick(panel.import_button, Qt.MouseButton.LeftButton)
    assert _names(panel) == ["Contoso", "Contoso (2)"]


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b'{"profiles": [{"name": "x", "timeout_s": "soon"}]}', "must be a number"),
        (b"\x00\xff not text", "not UTF-8"),
        (b"[" * 2_000_000, "larger than"),
    ],
)
def test_bad_import_file_shows_one_message_and_changes_nothing(
    qtbot: QtBot,
    tmp_path: Path,
    folder: Path,
    make_panel: Callable[..., ProfilePanel],
    dialogs: Dialogs,
    content: bytes,
    words: str,
) -> None:
    """A malformed, binary or huge file is refused with a plain message; nothing is added."""
    _seed(folder, "Contoso")
    before = (folder / "profiles.json").read_bytes()
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    panel = make_panel()
    dialogs.answers.append(bad)
    qtbot.mouseClick(panel.import_button, Qt.MouseButton.LeftButton)
    (warning,) = dialogs.texts("warning")
    assert words in warning and "Nothing was imported" in warning
    assert _names(panel) == ["Contoso"]
    assert (folder / "profiles.json").read_bytes() == before


def test_cancelled_file_dialogs_do_nothing(
    qtbot: QtBot, folder: Path, make_panel: Callable[..., ProfilePanel], dialogs: Dialogs
) -> None:
    """Cancelling the import or export dialog changes nothing and shows nothing."""
    _seed(folder, "Contoso")
    panel = make_panel()
    dialogs.answers.extend(["", ""])
    with qtbot.assertNotEmitted(panel.profilesChanged), qtbot.assertNotEmitted(panel.message):
        qtbot.mouseClick(panel.import_button, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(panel.export_button, Qt.MouseButton.LeftButton)
    assert [k for k, _ in dialogs.calls] == ["open", "save"]


def _entry() -> Any:
    from core.store.history import HistoryEntry

    return HistoryEntry(at=1.8e9, ok=False, outcome="refused", status=401, aadsts=(7000215,))


@pytest.fixture
def sandbox_result() -> Iterator[Any]:
    """A real token result from the sandbox (its first scenario)."""
    with Sandbox() as sandbox:
        form = scenarios()[0].form
        yield request_token(input_from_strings(form, authority=sandbox.base_url))


def test_results_are_recorded_shown_and_cleared(
    qtbot: QtBot,
    folder: Path,
    make_panel: Callable[..., ProfilePanel],
    sandbox_result: Any,
) -> None:
    """A sandbox result lands in the profile's history without its token; Clear empties it."""
    contoso, fabrikam = _seed(folder, "Contoso", "Fabrikam")
    panel = make_panel()
    panel.select(contoso.id)
    assert not panel.clear_history_button.isEnabled()
    panel.record_result(sandbox_result, roles=("User.Read.All",))
    assert panel.history_list.count() == 1
    line = panel.history_list.item(0).text()
    assert "OK" in line and "HTTP 200" in line and "roles User.Read.All" in line
    token = sandbox_result.token.access_token.reveal()
    assert token not in (folder / "history.json").read_text()
    panel.select(fabrikam.id)
    assert panel.history_list.count() == 0
    panel.select(contoso.id)
    assert panel.clear_history_button.isEnabled()
    qtbot.mouseClick(panel.clear_history_button, Qt.MouseButton.LeftButton)
    assert panel.history_list.count() == 0
    assert HistoryStore(folder).entries(contoso.id) == ()


def test_keychain_label_says_memory_only_in_plain_words(
    make_panel: Callable[..., ProfilePanel],
) -> None:
    """Without a system keychain the panel says secrets last for this run only."""
    panel = make_panel(MemorySecretStore("No system keychain was found: kept in memory."))
    assert panel.keychain_label.text() == "⚠ No system keychain was found: kept in memory."


@pytest.mark.keychain
def test_keychain_label_names_the_real_keychain(
    make_panel: Callable[..., ProfilePanel], monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the Secret Service available, the panel names it."""
    missing = missing_programs()
    if missing:
        if os.environ.get(REQUIRE_ENV) == "1":
            pytest.fail(f"{REQUIRE_ENV}=1 but {', '.join(missing)} is missing")
        pytest.skip(f"needs {' and '.join(missing)}")
    from keyring.backends import SecretService

    with private_secret_service():
        monkeypatch.setattr(keyring.core, "_keyring_backend", SecretService.Keyring())
        panel = make_panel(open_secret_store())
        assert panel.keychain_label.text() == (
            "Secrets are kept in: Secret Service (GNOME Keyring or compatible)"
        )


def test_corrupt_profiles_file_is_shown_and_list_starts_empty(
    folder: Path, make_panel: Callable[..., ProfilePanel]
) -> None:
    """A corrupt profiles file is reported in the panel and kept aside; the list is empty."""
    folder.mkdir()
    (folder / "profiles.json").write_text("{oops")
    panel = make_panel()
    assert panel.problem_label.isVisible()
    assert "kept as profiles.json.corrupt-" in panel.problem_label.text()
    assert panel.list.count() == 0 and QApplication.instance() is not None


def test_empty_lists_say_what_belongs_in_them(
    qtbot: QtBot, folder: Path, make_panel: Callable[..., ProfilePanel]
) -> None:
    """An empty Profiles list tells how to add one; Recent results tells why it is empty; each
    hint goes as the first item comes (and is the list's accessible description meanwhile)."""
    panel = make_panel()
    profiles_hint, history_hint = panel.list.hint_label, panel.history_list.hint_label
    assert profiles_hint.isVisibleTo(panel) and "Ctrl+S" in profiles_hint.text()
    assert panel.list.accessibleDescription() == profiles_hint.text()
    assert history_hint.isVisibleTo(panel) and "Select a saved profile" in history_hint.text()
    with qtbot.waitSignal(panel.profileSelected):
        qtbot.mouseClick(panel.new_button, Qt.MouseButton.LeftButton)
    assert not profiles_hint.isVisibleTo(panel)
    assert panel.list.accessibleDescription() == ""
    assert history_hint.isVisibleTo(panel) and "No results" in history_hint.text()
    panel.history_view.show_entries([HistoryEntry(at=1.8e9, ok=True, outcome="token")])
    assert panel.history_list.count() == 1 and not history_hint.isVisibleTo(panel)
    panel.history_view.show_entries([])
    assert history_hint.isVisibleTo(panel)
