"""The icon buttons under the profile list: new, duplicate, rename, delete, check all, import,
export."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QToolButton, QWidget

from gui import theme


def _button(text: str, name: str, tip: str) -> QToolButton:
    """A compact icon button; its text is the accessible name and menu-style label."""
    button = QToolButton(objectName=name, text=text, autoRaise=True)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
    button.setAccessibleName(text.rstrip("…"))
    button.setToolTip(tip)
    return button


class ProfileToolbar(QWidget):
    """The profile actions as icon buttons (the panel connects their `clicked` signals)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.new_button = _button("New", "newProfileButton", "New profile (Ctrl+N)")
        self.duplicate_button = _button(
            "Duplicate", "duplicateProfileButton", "Duplicate: a copy of the selected profile"
        )
        self.rename_button = _button("Rename", "renameProfileButton", "Rename (F2)")
        self.delete_button = _button(
            "Delete", "deleteProfileButton", "Delete the profile, its secret and its history"
        )
        self.check_button = _button(
            "Check all…", "checkAllButton", "Check all profiles: a token for each (Ctrl+Shift+A)"
        )
        self.import_button = _button(
            "Import…", "importProfilesButton", "Import: add profiles from a JSON file"
        )
        self.export_button = _button(
            "Export…", "exportProfilesButton", "Export: save all profiles as JSON (never secrets)"
        )
        self._icons = {
            self.new_button: "add",
            self.duplicate_button: "duplicate",
            self.rename_button: "rename",
            self.delete_button: "delete",
            self.check_button: "success",
            self.import_button: "import",
            self.export_button: "export",
        }
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        for button in self._icons:
            if button is self.check_button:
                row.addStretch(1)
            row.addWidget(button)

    def refresh_icons(self) -> None:
        """Redraw the icons in the current theme's colours."""
        for button, name in self._icons.items():
            button.setIcon(theme.icon(name))
