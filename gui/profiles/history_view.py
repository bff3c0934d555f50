"""The recent results of one profile: OK or FAILED at a glance, the IDs a keypress away."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.store.config import FileProblem
from core.store.history import HistoryEntry, HistoryStore, details, entry_from_result, summary
from gui import theme
from gui.profiles.hinted_list import HintedList

if TYPE_CHECKING:
    from core.token.result import TokenResult

_NO_PROFILE = "Select a saved profile to see its recent results."
_NO_RESULTS = "No results kept for this profile yet: each Send or check adds one."


class HistoryView(QWidget):
    """One profile's recent results from the history store (newest first), Clear history below.

    Each line starts with a green tick or a red cross and OK or FAILED; Enter or a double click
    opens the result's details (time, status, error, correlation and trace IDs) to read and
    copy, and a screen reader reads them as the line's description.

    Signals:
        clearRequested(): the user asked to forget these results.
    """

    clearRequested = Signal()

    def __init__(self, store: HistoryStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._profile_id = ""
        title = QLabel("Recent results")
        title.setProperty("role", "sectionTitle")
        self.list = HintedList(_NO_PROFILE, objectName="historyList")
        self.list.setAccessibleName("Recent results of the selected profile")
        self.list.setToolTip("Enter or double click: the result's details and IDs")
        self.list.setWordWrap(True)  # a narrow column: lines wrap, the details open on Enter
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.itemActivated.connect(self._on_list_item_activated)
        self.clear_button = QPushButton("Clear history", objectName="clearHistoryButton")
        self.clear_button.setToolTip("Forget the recent results of this profile")
        self.clear_button.setEnabled(False)
        self.clear_button.clicked.connect(self.clearRequested)
        self._entries: list[HistoryEntry] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(title)
        layout.addWidget(self.list, stretch=1)
        layout.addWidget(self.clear_button)

    def show_profile(self, profile_id: str) -> None:
        """Show the results kept for this profile ('' for none: an empty list)."""
        self._profile_id = profile_id
        self.list.set_hint(_NO_RESULTS if profile_id else _NO_PROFILE)
        self.show_entries(self._store.entries(profile_id))

    def record(self, profile_id: str, result: TokenResult, roles: tuple[str, ...] = ()) -> str:
        """Keep a result in a profile's history; '' or the problem that stopped it."""
        problem = ""
        try:
            self._store.add(profile_id, entry_from_result(result, roles))
        except FileProblem as exc:
            problem = f"History not saved: {exc.message}"
        self.show_profile(self._profile_id)
        return problem

    def show_entries(self, entries: Iterable[HistoryEntry]) -> None:
        """Replace the list with these entries; Clear is enabled only when there are some."""
        self.list.clear()
        self._entries = list(entries)
        colours = theme.current()
        for entry in self._entries:
            item = QListWidgetItem(summary(entry))
            text = details(entry)
            item.setToolTip(text)
            item.setData(Qt.ItemDataRole.AccessibleDescriptionRole, text)
            item.setIcon(theme.icon("success", colours.ok) if entry.ok
                         else theme.icon("error", colours.error))  # fmt: skip
            self.list.addItem(item)
        self.clear_button.setEnabled(self.list.count() > 0)
        if self.list.count():
            self.list.setCurrentRow(0)  # the keyboard starts on the newest result

    @Slot(QListWidgetItem)
    def _on_list_item_activated(self, item: QListWidgetItem) -> None:
        entry = self._entries[self.list.row(item)]
        ResultDetails(entry, self).open()


class ResultDetails(QDialog):
    """One past result: what the history kept, selectable, with a Copy button."""

    def __init__(self, entry: HistoryEntry, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="resultDetails")
        self.setWindowTitle("Result " + ("OK" if entry.ok else "FAILED"))
        self.text = QPlainTextEdit(details(entry), objectName="resultDetailsText")
        self.text.setReadOnly(True)
        self.text.setAccessibleName("Result details")
        note = QLabel("No token is kept in the history: press Send for a new one.")
        note.setProperty("role", "hint")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = QPushButton("Copy details", objectName="copyResultDetailsButton")
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(self._copy)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.resize(460, 320)
        self.text.setFocus()

    @Slot()
    def _copy(self) -> None:
        QGuiApplication.clipboard().setText(self.text.toPlainText())
