"""The credential expiry table: every secret and certificate of the app, coloured by how soon it
expires (amber under the warning days, red when expired), the one used marked."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.timefmt import utc_text
from gui import theme

COLUMNS = ("Used", "Kind", "Name", "Hint / thumbprint", "Starts", "Ends", "Days left", "State")
STATE_TEXT = {"valid": "Valid", "expiring": "Expiring soon", "expired": "Expired",
              "not_yet_valid": "Not valid yet", "unknown": "No end date"}  # fmt: skip


def state_colour(state: str) -> str:
    """The theme colour of a state: red expired, amber expiring, green valid ("" otherwise)."""
    look = theme.current()
    return {"expired": look.error, "expiring": look.warning, "valid": look.ok}.get(state, "")


class ExpiryView(QWidget):
    """Shows one `core.api.expiry.CredentialExpiry` (or a message while reading / on failure)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.message = QLabel("", objectName="expiryMessage", wordWrap=True)
        self.message.setAccessibleName("Credential expiry message")
        self.warning = QLabel("", objectName="expiryWarning", wordWrap=True)
        self.warning.setProperty("role", "finding")
        self.warning.setProperty("severity", "warning")
        self.table = QTableWidget(0, len(COLUMNS), objectName="expiryTable")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setAccessibleName("The app's secrets and certificates")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.warning)
        self.show_message("Press Check credential expiry to read the app's secrets and "
                          "certificates from Microsoft Graph with this token.")  # fmt: skip

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.warning.setText("")
        self.warning.setVisible(False)
        self.table.setRowCount(0)

    def show_expiry(self, expiry: Any) -> None:
        """Fill the table from a CredentialExpiry (its texts are Graph's, already scrubbed)."""
        if not expiry.ok:
            self.show_message(expiry.message or "The expiry could not be read.")
            return
        name = expiry.app_name or expiry.client_id
        self.message.setText(f"{name}: {len(expiry.entries)} credential(s); amber under "
                             f"{expiry.warn_days} days, red when expired.")  # fmt: skip
        self.table.setRowCount(len(expiry.entries))
        for row, e in enumerate(expiry.entries):
            days = "" if e.days_left is None else str(e.days_left)
            values = (
                "→ used" if e.used else "", "Secret" if e.kind == "secret" else "Certificate",
                e.name, (e.hint + "…") if e.hint else e.thumbprint,
                utc_text(e.start) if e.start is not None else "",
                utc_text(e.end) if e.end is not None else "", days,
                STATE_TEXT.get(e.state, e.state),
            )  # fmt: skip
            colour = state_colour(e.state) if e.state != "valid" else ""
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if colour:
                    item.setForeground(QBrush(QColor(colour)))
                if e.used:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                item.setData(256, e.state)  # Qt.UserRole: the state, for tests and tools
                self.table.setItem(row, column, item)
        self.warning.setText(expiry.warning)
        self.warning.setVisible(bool(expiry.warning))

    def row_states(self) -> list[tuple[str, str, bool]]:
        """(name, state, used) per row, as shown."""
        out = []
        for row in range(self.table.rowCount()):
            name = self.table.item(row, 2).text()
            state = str(self.table.item(row, 0).data(256))
            out.append((name, state, self.table.item(row, 0).text() == "→ used"))
        return out
