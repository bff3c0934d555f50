"""The Claims tab: claim, value and explanation in a filterable, sortable table."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtGui import QFont, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

COLUMNS = ("Claim", "Value", "Explanation")


class ClaimsView(QWidget):
    """A QTableView over the core's ClaimRow tuples, with a filter box above it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = QStandardItemModel(0, len(COLUMNS), self)
        self.model.setHorizontalHeaderLabels(list(COLUMNS))
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

        self.filter_edit = QLineEdit(objectName="claimsFilter")
        self.filter_edit.setPlaceholderText("Filter claims (name, value or explanation)")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setAccessibleName("Filter claims")
        self.filter_edit.textChanged.connect(self.proxy.setFilterFixedString)

        self.table = QTableView(objectName="claimsTable")
        self.table.setModel(self.proxy)
        self.table.setAccessibleName("Token claims")
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(1, 260)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.table)

    def show_claims(self, rows: Iterable[Any]) -> None:
        """Fill the table from core ClaimRow values (name, value text, explanation, raw)."""
        self.model.removeRows(0, self.model.rowCount())
        for row in rows:
            raw = row.raw if isinstance(row.raw, str) else json.dumps(row.raw, ensure_ascii=False)
            name = QStandardItem(row.name)
            name.setToolTip(
                f"{row.label}\n\nRaw value: {raw}" if row.label else f"Raw value: {raw}"
            )
            value = QStandardItem(row.value_text)
            value.setToolTip(f"{row.value_text}\n\nRaw value: {raw}")
            explanation = QStandardItem(row.explanation or "Not in the claims catalog.")
            explanation.setToolTip(row.explanation or "This claim is not in the catalog.")
            if not row.known:
                italic = QFont()
                italic.setItalic(True)
                for item in (name, explanation):
                    item.setFont(italic)
            self.model.appendRow([name, value, explanation])
        self.table.resizeRowsToContents()

    def clear(self) -> None:
        self.model.removeRows(0, self.model.rowCount())

    def visible_rows(self) -> list[tuple[str, str, str]]:
        """The rows as shown (after filter and sort), for tests."""
        return [
            tuple(self.proxy.index(r, c).data() for c in range(len(COLUMNS)))  # type: ignore[misc]
            for r in range(self.proxy.rowCount())
        ]
