"""Row builders for the request form: labelled rows with a message slot, edits and combos."""

from __future__ import annotations

import itertools
from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from gui.form.secret_edit import SecretLineEdit

GUID_SAMPLE = "00000000-0000-0000-0000-000000000000"  # the widest 36-character ID


def setup_edit(edit: QLineEdit, name: str, placeholder: str) -> None:
    """Name a line edit, give it a placeholder and (unless it holds a secret) a clear button."""
    edit.setObjectName(name)
    edit.setPlaceholderText(placeholder)
    edit.setClearButtonEnabled(not isinstance(edit, SecretLineEdit))


def make_edit(name: str, placeholder: str) -> QLineEdit:
    """A named line edit with a placeholder and a clear button."""
    edit = QLineEdit()
    setup_edit(edit, name, placeholder)
    return edit


def make_combo(name: str, items: Iterable[tuple[str, object]]) -> QComboBox:
    """A named combo box holding (text, data) items."""
    combo = QComboBox(objectName=name)
    for text, data in items:
        combo.addItem(text, data)
    return combo


def select(combo: QComboBox, data: object) -> None:
    """Choose the item holding `data`; an unknown value leaves the choice as it is."""
    index = combo.findData(data)
    if index >= 0:
        combo.setCurrentIndex(index)


def add_row(form: QFormLayout, text: str, widget: QWidget, finding: QLabel | None,
            row: int = -1) -> QWidget:  # fmt: skip
    """Add a labelled row (with the finding label below the widget, if any) at `row` (-1: at
    the end); returns the row's field widget, its handle for `setRowVisible` and `labelForField`
    (a row index would move when rows are inserted above it later)."""
    label = QLabel(text)
    label.setBuddy(widget)
    name = text.replace("&", "").rstrip(":")
    widget.setAccessibleName(name)
    name_clear_buttons(widget, name)
    box = QWidget()
    column = QVBoxLayout(box)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(2)
    column.addWidget(widget)
    if finding is not None:
        column.addWidget(finding)
    form.insertRow(row, label, box)
    return box


def name_clear_buttons(widget: QWidget, name: str) -> None:
    """Name the clear buttons of the line edits in `widget` ("Clear Tenant") for screen readers.

    Qt creates a line edit's clear button without a name, which a screen reader reads as just
    "button".
    """
    edits = [widget] if isinstance(widget, QLineEdit) else []
    for edit in (*edits, *widget.findChildren(QLineEdit)):
        for button in edit.findChildren(QToolButton):
            if not button.accessibleName():
                button.setAccessibleName(f"Clear {edit.accessibleName() or name}")
                button.setToolTip(f"Clear {edit.accessibleName() or name}")


def fix_label_column(form: QFormLayout, other_texts: Iterable[str] = ()) -> int:
    """Give the label column the width of the widest label of any row, shown or not.

    Opening Advanced or choosing a certificate then shows a longer label ("Custom token
    URL:") without pushing the fields (and their clear buttons and arrows) out of the column.
    `other_texts` are texts a label takes later, or the labels of rows built later (measured
    too). Returns the column's width.
    """
    items = [form.itemAt(row, QFormLayout.ItemRole.LabelRole) for row in range(form.rowCount())]
    widgets = [item.widget() for item in items if item is not None]
    width = 0
    for label in (w for w in widgets if isinstance(w, QLabel)):
        metrics = label.fontMetrics()
        extra = label.sizeHint().width() - metrics.horizontalAdvance(label.text())
        for text in (label.text(), *other_texts):
            width = max(width, metrics.horizontalAdvance(text.replace("&", "")) + extra)
    for label in widgets:
        fit_label(label, width)
    form.invalidate()
    return width


def fit_label(label: QWidget, width: int) -> None:
    """Give a label of the form's label column the column's width and alignment."""
    label.setMinimumWidth(width)
    if isinstance(label, QLabel):
        label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def chain_tab_order(widgets: Iterable[QWidget]) -> None:
    """Tab goes from each widget to the next, in this order."""
    for first, second in itertools.pairwise(widgets):
        QWidget.setTabOrder(first, second)


def guid_edit_width(edit: QLineEdit) -> int:
    """The width at which `edit` shows a whole GUID, its clear button and its padding."""
    text = edit.fontMetrics().horizontalAdvance(GUID_SAMPLE)
    # The clear button's icon is a small icon (16 px at 100 %, the style's PM_SmallIconSize). It
    # is read from the button: asking the edit for its QStyle would make PySide6 build the QStyle
    # class and its enums (~10 ms of the window's start).
    clear = edit.findChild(QToolButton)
    button = (clear.iconSize().width() if clear is not None else 16) + 8
    margins = edit.textMargins().left() + edit.textMargins().right()
    # 2 x 6 px stylesheet padding, 2 x 2 px frame and Qt's 2 x 2 px inner margin.
    return text + button + margins + 12 + 4 + 4
