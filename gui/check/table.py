"""The check-all table: one row per profile, filled in as each result arrives, and the words
of the run's summary line."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from core.check.outcome import CheckOutcome
from core.check.report import expiry_text, line, result_text
from gui import theme

COLUMNS = ("Status", "Profile", "Result", "Credential expiry")
STATUS_TEXT = {"ok": "OK", "warning": "Warning", "failed": "FAILED"}
STATUS_ICON = {"ok": ("success", "ok"), "warning": ("warning", "warning"),
               "failed": ("error", "error")}  # fmt: skip
WAITING = "Waiting…"
STATE_ROLE = Qt.ItemDataRole.UserRole  # on the Status cell: ok / warning / failed / '' (waiting)


def expiry_cell(o: CheckOutcome, now: float) -> str:
    """The credential's own end date, "Not read" when it could not be (the row's tooltip and
    description say why), or '' when it was not asked for."""
    if text := expiry_text(o, now):
        return text[:1].upper() + text[1:]
    return "Not read" if o.expiry_note else ""


def result_cell(o: CheckOutcome, now: float) -> str:
    """What came back (`core.check.report.result_text`), with a warning or a retry said."""
    if o.outcome == "not_checked":
        return o.title[:1].upper() + o.title[1:]  # why (the Status column says "Not checked")
    parts = [result_text(o, now).replace("  ", " · ")]  # a warning: the expiry column says it
    if o.attempts > 1 and o.retry_after_s is not None:
        parts.append(f"retried after {o.retry_after_s:g} s (HTTP 429)")
    if o.replication:
        parts.append(o.replication)
    return "; ".join(p for p in parts if p)


def summary_text(
    outcomes: Sequence[CheckOutcome | None],
    *,
    warn_days: float | None,
    elapsed_s: float,
    cancelled: bool = False,
) -> str:
    """ "7 of 9 OK, 1 expires within 30 days, 1 failed in 2.1 s" (None: never finished)."""
    done = [o for o in outcomes if o is not None]
    states = [o.state for o in done]
    unsent = sum(1 for o in done if o.outcome == "not_checked") + len(outcomes) - len(done)
    failed = states.count("failed") - sum(1 for o in done if o.outcome == "not_checked")
    parts = [f"{states.count('ok')} of {len(outcomes)} OK"]
    if warned := states.count("warning"):
        within = f"within {warn_days:g} days" if warn_days is not None else "soon"
        parts.append(f"{warned} expire{'s' if warned == 1 else ''} {within}")
    if failed:
        parts.append(f"{failed} failed")
    if unsent:
        parts.append(f"{unsent} not checked")
    text = ", ".join(parts) + f" in {elapsed_s:.1f} s"
    return text + (" (cancelled)" if cancelled else "")


class CheckTable(QTableWidget):
    """Status (icon and word), profile, result and the credential's expiry, one row each.

    Enter or a double click emits `activated` for the row (the window opens its full result);
    the table takes Enter itself, so it never reaches the dialog's default button.
    """

    def __init__(self) -> None:
        super().__init__(0, len(COLUMNS), objectName="checkTable")
        self.setHorizontalHeaderLabels(list(COLUMNS))
        self.setAccessibleName("Check results, one row per profile")
        self.setToolTip("Enter or double click: open the full result in the window")
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setTabKeyNavigation(False)  # Tab leaves the table, arrows move in it
        self.setWordWrap(False)
        self.verticalHeader().setVisible(False)
        header = self.horizontalHeader()
        for column, mode in enumerate((QHeaderView.ResizeMode.ResizeToContents,
                                       QHeaderView.ResizeMode.Interactive,
                                       QHeaderView.ResizeMode.Stretch,
                                       QHeaderView.ResizeMode.ResizeToContents)):  # fmt: skip
            header.setSectionResizeMode(column, mode)
        self.outcomes: list[CheckOutcome | None] = []

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.activated.emit(self.currentIndex())
            event.accept()
            return
        super().keyPressEvent(event)

    def start(self, names: Sequence[str], expiry: bool = False) -> None:
        """One waiting row per profile, in this order; the expiry column when it is asked for
        (it also appears for the first credential dated anyway: a certificate)."""
        self.setColumnHidden(3, not expiry)
        self.clearContents()
        self.setRowCount(len(names))
        self.outcomes = [None] * len(names)
        muted = QBrush(QColor(theme.current().muted))
        for row, name in enumerate(names):
            cells = (WAITING, name, "", "")
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column != 1:
                    item.setForeground(muted)
                self.setItem(row, column, item)
            self.item(row, 0).setData(STATE_ROLE, "")
        self.resizeColumnToContents(1)  # whole names, up to a third of the table
        self.setColumnWidth(1, max(160, min(self.columnWidth(1), self.width() // 3)))
        if names:
            self.setCurrentCell(0, 1)

    def show_outcome(self, row: int, outcome: CheckOutcome, now: float) -> None:
        """Fill in one row (its status icon, the result, the expiry)."""
        if not 0 <= row < self.rowCount():
            return
        self.outcomes[row] = outcome
        look = theme.current()
        icon_name, colour = STATUS_ICON[outcome.state]
        word = STATUS_TEXT[outcome.state]
        if outcome.outcome == "not_checked":  # never sent: neither a pass nor a refusal
            icon_name, colour, word = "info", "muted", "Not checked"
        status = QTableWidgetItem(theme.icon(icon_name, getattr(look, colour)), word)
        status.setForeground(QBrush(QColor(getattr(look, colour))))
        status.setData(STATE_ROLE, outcome.state)
        whole = line(outcome, now, width=0)
        cells = (status, QTableWidgetItem(outcome.name),
                 QTableWidgetItem(result_cell(outcome, now)),
                 QTableWidgetItem(expiry_cell(outcome, now)))  # fmt: skip
        if cells[3].text():
            self.setColumnHidden(3, False)
        for column, item in enumerate(cells):
            item.setToolTip(whole)
            item.setData(Qt.ItemDataRole.AccessibleDescriptionRole, whole)
            self.setItem(row, column, item)

    def row_texts(self) -> list[tuple[str, ...]]:
        """Every row as shown (status, profile, result, expiry)."""
        return [tuple(self.item(r, c).text() for c in range(self.columnCount()))
                for r in range(self.rowCount())]  # fmt: skip
