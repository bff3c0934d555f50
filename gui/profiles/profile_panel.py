"""The profile list beside the form: switch, add, copy, rename, delete, import, export, history."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QLabel,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.store.history import HistoryStore
from core.store.profile import Profile, ProfileError
from core.store.profiles import ProfileStore
from core.store.secret_store import SecretStore
from gui import messages
from gui.profiles import profile_actions as actions
from gui.profiles.history_view import HistoryView
from gui.profiles.keychain_label import KeychainLabel
from gui.profiles.profile_io import export_profiles, import_profiles
from gui.profiles.profile_list import ProfileList
from gui.profiles.toolbar import ProfileToolbar

if TYPE_CHECKING:
    from core.token.result import TokenResult


class ProfilePanel(QWidget):
    """The saved profiles, the selected one's recent results, and the keychain in use.

    The panel owns every change to the profile list (through `ProfileStore`), the history
    view and clearing (through `HistoryStore`), and removes a deleted profile's secrets. It
    never reads the form: the window answers `saveRequested` by saving the form with
    `save_profile`, and loads the form when `profileSelected` arrives.

    Signals:
        profileSelected(str): the user moved to another profile (its id; '' for none), after
            any unsaved changes were saved or discarded.
        saveRequested(str): save the form into this profile id now (the user chose Save in
            the unsaved-changes prompt); the window calls `save_profile`.
        profilesChanged(): profiles were added, renamed, deleted or imported.
        message(str): a plain status message (imports, exports, problems).
    """

    profileSelected = Signal(str)
    saveRequested = Signal(str)
    profilesChanged = Signal()
    message = Signal(str)

    def __init__(
        self,
        profiles: ProfileStore,
        history: HistoryStore,
        secrets: SecretStore,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._profiles = profiles
        self._history = history
        self._secrets = secrets
        self._current_id = ""
        self._unsaved = False
        self._build_ui()
        self._connect_signals()
        problems = [profiles.load().problem, history.load()]
        self._show_problems([p for p in problems if p] + list(profiles.report.warnings))
        self._fill_list()
        self._update_buttons()

    # -- building ---------------------------------------------------------------------------

    def _build_ui(self) -> None:
        title = QLabel("Profiles")
        title.setProperty("role", "sectionTitle")
        self.problem_label = QLabel(objectName="profileProblemLabel", wordWrap=True)
        self.problem_label.setProperty("role", "finding")
        self.problem_label.hide()
        self.list = ProfileList()
        self.unsaved_label = QLabel("● Unsaved changes", objectName="unsavedLabel")
        self.unsaved_label.hide()
        self.toolbar = ProfileToolbar()
        bar = self.toolbar
        self.new_button, self.duplicate_button = bar.new_button, bar.duplicate_button
        self.rename_button, self.delete_button = bar.rename_button, bar.delete_button
        self.import_button, self.export_button = bar.import_button, bar.export_button
        self.history_view = HistoryView(self._history)
        self.history_list = self.history_view.list
        self.clear_history_button = self.history_view.clear_button
        self.keychain_label = KeychainLabel()
        self.show_keychain()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (title, self.problem_label, self.list, self.unsaved_label):
            layout.addWidget(widget, stretch=2 if widget is self.list else 0)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.history_view, stretch=1)
        layout.addWidget(self.keychain_label)

    def _connect_signals(self) -> None:
        self.list.currentItemChanged.connect(self._on_list_current_changed)
        self.list.itemChanged.connect(self._on_list_item_changed)
        self.new_button.clicked.connect(self._on_new_clicked)
        self.duplicate_button.clicked.connect(self._on_duplicate_clicked)
        self.rename_button.clicked.connect(self.start_rename)
        self.delete_button.clicked.connect(self._on_delete_clicked)
        self.import_button.clicked.connect(self.import_profiles)
        self.export_button.clicked.connect(self.export_profiles)
        self.history_view.clearRequested.connect(self._on_history_clear_requested)

    def refresh_icons(self) -> None:
        """Redraw the toolbar icons in the current theme's colours."""
        self.toolbar.refresh_icons()

    def _show_problems(self, problems: list[str]) -> None:
        self.problem_label.setText("\n".join(problems))
        self.problem_label.setVisible(bool(problems))

    # -- public API -------------------------------------------------------------------------

    def current_profile(self) -> Profile | None:
        """The selected profile, as saved."""
        return self._profiles.get(self._current_id) if self._current_id else None

    def current_id(self) -> str:
        return self._current_id

    def show_keychain(self, problem: str = "") -> None:
        """Say which keychain is in use (after it opened), or show a keychain problem."""
        self.keychain_label.show_store(self._secrets, problem)

    @Slot()
    def start_rename(self) -> None:
        """Open the name editor on the selected profile."""
        item = self.list.item_for(self._current_id)
        if item is not None:
            self.list.setFocus()
            self.list.editItem(item)

    @Slot()
    def import_profiles(self) -> None:
        """Ask for a JSON file and add its profiles."""
        if text := import_profiles(self, self._profiles):
            self._fill_list()
            self.profilesChanged.emit()
            self.message.emit(text)

    @Slot()
    def export_profiles(self) -> None:
        """Ask for a file and write every profile to it as JSON (never a secret)."""
        if text := export_profiles(self, self._profiles):
            self.message.emit(text)

    def select(self, profile_id: str) -> bool:
        """Select a profile (asking about unsaved changes first); False when the user stayed."""
        if profile_id == self._current_id:
            return True
        if not self.confirm_leave():
            return False
        self._activate(profile_id)
        return True

    def has_unsaved_changes(self) -> bool:
        return self._unsaved

    def set_unsaved(self, unsaved: bool) -> None:
        """Show or clear the unsaved-changes mark (the window calls this as the form changes)."""
        self._unsaved = unsaved
        self.unsaved_label.setVisible(unsaved)
        self.list.mark_quietly(self._current_id, unsaved=unsaved)

    def confirm_leave(self) -> bool:
        """Ask Save / Discard / Cancel when there are unsaved changes; True means go on."""
        if not self._unsaved:
            return True
        answer = actions.ask_save_changes(self, self.current_profile())
        if answer == "save":
            self.saveRequested.emit(self._current_id)
            return not self._unsaved
        if answer == "discard":
            self.set_unsaved(False)
            return True
        return False

    def save_profile(self, profile: Profile) -> Profile | None:
        """Save a profile (new or existing) and select it; None after a shown error."""
        try:
            saved = self._profiles.save(profile)
        except ProfileError as exc:
            messages.tell(self, "Profile not saved", exc.message)
            return None
        self._current_id = saved.id
        self._fill_list()
        self.set_unsaved(False)
        self.profilesChanged.emit()
        return saved

    def record_result(
        self, result: TokenResult, roles: tuple[str, ...] = (), profile_id: str | None = None
    ) -> None:
        """Add a result to a profile's history (default: the selected one; none: not recorded)."""
        profile_id = self._current_id if profile_id is None else profile_id
        if not profile_id or self._profiles.get(profile_id) is None:
            return
        if problem := self.history_view.record(profile_id, result, roles):
            self.message.emit(problem)

    # -- list -------------------------------------------------------------------------------

    def _fill_list(self) -> None:
        self._current_id = self.list.fill_quietly(self._profiles.list(), self._current_id)
        self._fill_history()
        self._update_buttons()

    def _activate(self, profile_id: str) -> None:
        self._current_id = profile_id if self.list.item_for(profile_id) is not None else ""
        self.list.select_quietly(self._current_id)
        self.set_unsaved(False)
        self._fill_history()
        self._update_buttons()
        self.profileSelected.emit(self._current_id)

    def _update_buttons(self) -> None:
        chosen = bool(self._current_id)
        for button in (self.duplicate_button, self.rename_button, self.delete_button):
            button.setEnabled(chosen)
        self.export_button.setEnabled(self.list.count() > 0)

    def _fill_history(self) -> None:
        self.history_view.show_profile(self._current_id)

    # -- slots ------------------------------------------------------------------------------

    @Slot(QListWidgetItem, QListWidgetItem)
    def _on_list_current_changed(
        self, current: QListWidgetItem | None, previous: QListWidgetItem | None
    ) -> None:
        new_id = self.list.id_of(current)
        if new_id == self._current_id:
            return
        if self.confirm_leave():
            self._activate(new_id)
        else:  # stay: put the selection back where it was
            self.list.select_quietly(self._current_id)

    @Slot(QListWidgetItem)
    def _on_list_item_changed(self, item: QListWidgetItem) -> None:
        # The editor is still committing: rebuild the list once it is done.
        QTimer.singleShot(0, partial(self._rename, self.list.id_of(item), item.text()))

    def _rename(self, profile_id: str, name: str) -> None:
        if actions.rename_profile(self, self._profiles, profile_id, name):
            self.profilesChanged.emit()
        self._fill_list()

    @Slot()
    def _on_new_clicked(self) -> None:
        if not self.confirm_leave():
            return
        saved = self.save_profile(actions.blank_profile(self._profiles))
        if saved is not None:
            self._activate(saved.id)
            self.start_rename()

    @Slot()
    def _on_duplicate_clicked(self) -> None:
        source = self.current_profile()
        if source is None or not self.confirm_leave():
            return
        copy = actions.duplicate_profile(
            self, self._profiles, self._secrets, source, self.message.emit
        )
        if copy is None:
            return
        self._fill_list()
        self.profilesChanged.emit()
        self._activate(copy.id)

    @Slot()
    def _on_delete_clicked(self) -> None:
        profile = self.current_profile()
        if profile is None:
            return
        if not actions.delete_profile(self, profile, self._profiles, self._secrets, self._history):
            return
        self._unsaved = False
        self._fill_list()
        self.profilesChanged.emit()
        self._activate("")

    @Slot()
    def _on_history_clear_requested(self) -> None:
        profile = self.current_profile()
        if profile is None:
            return
        actions.clear_history(self, self._history, profile)
        self._fill_history()
        self.message.emit(f"History of “{profile.name}” cleared.")
