"""The Claims tab: claim, value and explanation in a filterable, sortable table.

Long values are elided in the table; the selected claim's whole value (as sent, and as shown)
is below it, Ctrl+C copies the value as sent, and "Decoded JSON" shows header and payload.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QEvent, QObject, QSortFilterProxyModel, Qt
from PySide6.QtGui import (
    QAction,
    QFont,
    QFontDatabase,
    QGuiApplication,
    QKeySequence,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

COLUMNS = ("Claim", "Value", "Explanation")
ELIDE_AT = 120  # characters of a value shown in the table; the whole value is below it
RAW_ROLE = Qt.ItemDataRole.UserRole + 1  # the claim's value as sent (JSON for non-strings)
SHOWN_ROLE = Qt.ItemDataRole.UserRole + 2  # the rendered value, whole


def elide(text: str, limit: int = ELIDE_AT) -> str:
    """One line of at most `limit` characters, '…' where it was cut."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


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
        self.json_button = QPushButton("Decoded &JSON", objectName="claimsJsonButton")
        self.json_button.setCheckable(True)
        self.json_button.setToolTip("Show the token's header and payload as JSON")
        self.json_button.toggled.connect(self._on_json_button_toggled)

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
        self.table.viewport().installEventFilter(self)  # its width: the columns' share
        header.sectionResized.connect(lambda index, *_: index == 0 and self._fit_columns())
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.copy_value_action = QAction("Copy value (as in the token)", self.table)
        self.copy_value_action.setShortcut(QKeySequence.StandardKey.Copy)
        self.copy_value_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.copy_value_action.triggered.connect(lambda: self._copy(RAW_ROLE))
        self.copy_shown_action = QAction("Copy value as shown", self.table)
        self.copy_shown_action.triggered.connect(lambda: self._copy(SHOWN_ROLE))
        self.table.addActions([self.copy_value_action, self.copy_shown_action])
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row_changed)

        self.detail = QPlainTextEdit(objectName="claimDetail", readOnly=True)
        self.detail.setAccessibleName("Selected claim, whole value")
        self.detail.setPlaceholderText("Select a claim to read its whole value here.")
        self.detail.setMaximumHeight(self.detail.fontMetrics().lineSpacing() * 6 + 14)
        self.json_text = QPlainTextEdit(objectName="claimsJson", readOnly=True)
        self.json_text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.json_text.setAccessibleName("Decoded token: header and payload")
        table_page = QWidget()
        table_layout = QVBoxLayout(table_page)
        table_layout.setContentsMargins(0, 0, 0, 0)
        table_layout.addWidget(self.table, 1)
        table_layout.addWidget(self.detail)
        self.pages = QStackedWidget()
        self.pages.addWidget(table_page)
        self.pages.addWidget(self.json_text)

        top = QHBoxLayout()
        top.addWidget(self.filter_edit, 1)
        top.addWidget(self.json_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(top)
        layout.addWidget(self.pages, 1)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_columns()
        return super().eventFilter(watched, event)

    def _fit_columns(self, *_args: object) -> None:
        """Value gets two fifths of the width Claim leaves (at most 260 px), Explanation the
        rest: on a narrow window the explanation stays in view, not behind a scroll bar."""
        header = self.table.horizontalHeader()
        spare = self.table.viewport().width() - header.sectionSize(0)
        header.resizeSection(1, max(90, min(260, spare * 2 // 5)))

    def show_claims(self, rows: Iterable[Any], decoded_json: str = "") -> None:
        """Fill the table from core ClaimRow values (name, value text, explanation, raw), and
        the JSON view from the decoded header and payload (already scrubbed)."""
        self.model.removeRows(0, self.model.rowCount())
        self.detail.clear()
        for row in rows:
            raw = row.raw if isinstance(row.raw, str) else json.dumps(row.raw, ensure_ascii=False)
            name = QStandardItem(row.name)
            name.setToolTip(row.label or row.name)
            value = QStandardItem(elide(row.value_text))
            value.setData(raw, RAW_ROLE)
            value.setData(row.value_text, SHOWN_ROLE)
            value.setToolTip(elide(row.value_text, 400))
            explanation = QStandardItem(row.explanation or "Not in the claims catalog.")
            explanation.setToolTip(row.explanation or "This claim is not in the catalog.")
            if not row.known:
                italic = QFont()
                italic.setItalic(True)
                for item in (name, explanation):
                    item.setFont(italic)
            self.model.appendRow([name, value, explanation])
        self.table.resizeRowsToContents()
        self.json_text.setPlainText(decoded_json)
        self.json_button.setEnabled(bool(decoded_json))
        if not decoded_json:
            self.json_button.setChecked(False)

    def clear(self) -> None:
        self.model.removeRows(0, self.model.rowCount())
        self.detail.clear()
        self.json_text.clear()

    def visible_rows(self) -> list[tuple[str, str, str]]:
        """The rows as shown (after filter and sort), for tests."""
        return [
            tuple(self.proxy.index(r, c).data() for c in range(len(COLUMNS)))  # type: ignore[misc]
            for r in range(self.proxy.rowCount())
        ]

    def _value(self, row: int, role: int) -> str:
        return str(self.proxy.index(row, 1).data(role) or "")

    def _copy(self, role: int) -> None:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        if not rows and self.table.currentIndex().isValid():
            rows = [self.table.currentIndex().row()]
        if rows:
            QGuiApplication.clipboard().setText("\n".join(self._value(r, role) for r in rows))

    def _on_current_row_changed(self, current: Any, _previous: Any) -> None:
        if not current.isValid():
            self.detail.clear()
            return
        claim = self.proxy.index(current.row(), 0).data()
        raw, shown = self._value(current.row(), RAW_ROLE), self._value(current.row(), SHOWN_ROLE)
        text = f"{claim}: {raw}"
        if shown and shown != raw:
            text += f"\nShown as: {shown}"
        if explanation := self.proxy.index(current.row(), 2).data():
            text += f"\n{explanation}"
        self.detail.setPlainText(text)

    def _on_json_button_toggled(self, checked: bool) -> None:
        self.pages.setCurrentIndex(1 if checked else 0)
