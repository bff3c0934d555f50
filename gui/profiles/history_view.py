"""The recent results of one profile: one line each, the IDs in a tooltip, and Clear history."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.store.history import HistoryEntry, details, summary


class HistoryView(QWidget):
    """A read-only list of history entries (newest first) with a Clear history button.

    Signals:
        clearRequested(): the user asked to forget these results.
    """

    clearRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title = QLabel("Recent results")
        title.setProperty("role", "sectionTitle")
        self.list = QListWidget(objectName="historyList")
        self.list.setAccessibleName("Recent results of the selected profile")
        self.list.setWordWrap(True)  # a narrow column: lines wrap, the tooltip has the details
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.clear_button = QPushButton("Clear history", objectName="clearHistoryButton")
        self.clear_button.setToolTip("Forget the recent results of this profile")
        self.clear_button.setEnabled(False)
        self.clear_button.clicked.connect(self.clearRequested)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(title)
        layout.addWidget(self.list, stretch=1)
        layout.addWidget(self.clear_button)

    def show_entries(self, entries: Iterable[HistoryEntry]) -> None:
        """Replace the list with these entries; Clear is enabled only when there are some."""
        self.list.clear()
        for entry in entries:
            item = QListWidgetItem(summary(entry))
            item.setToolTip(details(entry))
            self.list.addItem(item)
        self.clear_button.setEnabled(self.list.count() > 0)
