"""The list of saved profiles: one editable item per profile, found by id."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from core.store.profile import Profile
from gui.profiles.hinted_list import HintedList

_ID_ROLE = Qt.ItemDataRole.UserRole


EMPTY_HINT = (
    "No saved profiles yet. Fill in the form and press Ctrl+S to keep it, or import "
    "profiles (File > Import profiles…)."
)


class ProfileList(HintedList):
    """Profile names (editable in place for renaming); each item carries its profile's id.

    The `*_quietly` changes emit no signal: they follow the panel's state, not the user's.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(EMPTY_HINT, parent, objectName="profileList")
        self.setAccessibleName("Saved profiles")
        self.setEditTriggers(QListWidget.EditTrigger.EditKeyPressed)
        # A narrow column: a long name ends in "…" (whole in its tooltip), never a scroll bar.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)

    @staticmethod
    def id_of(item: QListWidgetItem | None) -> str:
        """The profile id an item stands for ('' for none)."""
        return item.data(_ID_ROLE) if item is not None else ""

    def item_for(self, profile_id: str) -> QListWidgetItem | None:
        for row in range(self.count()):
            item = self.item(row)
            if item.data(_ID_ROLE) == profile_id:
                return item
        return None

    def fill_quietly(self, profiles: Iterable[Profile], current_id: str) -> str:
        """Show these profiles and select `current_id`; the id selected ('' when it is gone)."""
        with QSignalBlocker(self):
            self.clear()
            for profile in profiles:
                item = QListWidgetItem(profile.name)
                item.setData(_ID_ROLE, profile.id)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
                item.setToolTip(
                    "\n".join(filter(None, (profile.name, profile.notes or profile.tenant)))
                )
                self.addItem(item)
            current = self.item_for(current_id)
            self.setCurrentItem(current)
        return current_id if current is not None else ""

    def select_quietly(self, profile_id: str) -> None:
        with QSignalBlocker(self):
            self.setCurrentItem(self.item_for(profile_id))

    def mark_quietly(self, profile_id: str, *, unsaved: bool) -> None:
        """Show a profile's name in italics while it has unsaved changes."""
        item = self.item_for(profile_id)
        if item is not None:
            font = item.font()
            font.setItalic(unsaved)
            with QSignalBlocker(self):
                item.setFont(font)
