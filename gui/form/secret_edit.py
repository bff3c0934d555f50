"""A masked line edit for secrets with a show/hide toggle that never leaks its text."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLineEdit, QWidget

from gui import theme


class SecretLineEdit(QLineEdit):
    """A password-mode QLineEdit with a trailing eye button (Alt+V while focused).

    Copy and drag out of the field are disabled while it is masked, as in any password field.
    """

    def __init__(self, what: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._what = what
        self.setEchoMode(QLineEdit.EchoMode.Password)
        self.setInputMethodHints(
            Qt.InputMethodHint.ImhHiddenText
            | Qt.InputMethodHint.ImhNoPredictiveText
            | Qt.InputMethodHint.ImhSensitiveData
        )
        self.toggle_action = QAction(self)
        self.toggle_action.setCheckable(True)
        self.toggle_action.setShortcut("Alt+V")
        self.toggle_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.toggle_action.toggled.connect(self._on_toggle_action_toggled)
        self.addAction(self.toggle_action, QLineEdit.ActionPosition.TrailingPosition)
        self.refresh_icons()

    @property
    def revealed(self) -> bool:
        return self.echoMode() == QLineEdit.EchoMode.Normal

    def set_revealed(self, revealed: bool) -> None:
        self.toggle_action.setChecked(revealed)

    def refresh_icons(self) -> None:
        """Redraw the toggle in the current theme's colours."""
        shown = self.toggle_action.isChecked()
        self.toggle_action.setIcon(theme.icon("eye-off" if shown else "eye"))
        verb = "Hide" if shown else "Show"
        self.toggle_action.setText(f"{verb} {self._what} (Alt+V)")
        self.toggle_action.setToolTip(f"{verb} {self._what} (Alt+V)")

    def _on_toggle_action_toggled(self, shown: bool) -> None:
        self.setEchoMode(QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password)
        self.refresh_icons()
