"""Small dialogs: Preferences (clipboard clearing), Decode a token, shortcuts, About."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from gui.answer.clipboard import ClipboardGuard
    from gui.ui_state import UiState


class PreferencesDialog(QDialog):
    """Settings that are not part of a request: how soon a copied token is cleared."""

    def __init__(self, clear_delay_s: float, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self.delay_spin = QSpinBox(objectName="clearDelaySpin")
        self.delay_spin.setRange(0, 3600)
        self.delay_spin.setSuffix(" s")
        self.delay_spin.setSpecialValueText("Never")
        self.delay_spin.setValue(int(clear_delay_s))
        self.delay_spin.setAccessibleName("Clear a copied token after")
        form = QFormLayout()
        label = QLabel("&Clear a copied token after:")
        label.setBuddy(self.delay_spin)
        form.addRow(label, self.delay_spin)
        hint = QLabel(
            "The clipboard is cleared only if it still holds the token or header copied "
            "from this window. Copied tokens are marked so that clipboard history and cloud "
            "clipboard skip them."
        )
        hint.setWordWrap(True)
        hint.setProperty("role", "hint")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)

    @property
    def clear_delay_s(self) -> int:
        return self.delay_spin.value()


class DecodeDialog(QDialog):
    """Paste any token to decode and explain it without sending a request."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Decode a token")
        self.edit = QPlainTextEdit(objectName="decodeEdit")
        self.edit.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.edit.setPlaceholderText("Paste an access token, an ID token or a whole token response")
        self.edit.setAccessibleName("Token to decode")
        label = QLabel("&Token (nothing is sent; the signature check fetches public keys):")
        label.setBuddy(self.edit)
        label.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Decode")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.edit)
        layout.addWidget(buttons)
        self.resize(620, 320)

    @property
    def text(self) -> str:
        return self.edit.toPlainText()


SHORTCUTS = (
    ("Ctrl+Enter", "Send the request"),
    ("Esc", "Cancel the running request"),
    ("Ctrl+Shift+C", "Copy the access token"),
    ("Ctrl+Shift+H", "Copy the Authorization: Bearer header"),
    ("Ctrl+V (on the answer)", "Decode a pasted token"),
    ("Ctrl+S", "Save the form into the selected profile (a new one when none is)"),
    ("Ctrl+N", "New profile"),
    ("F2 (in the profile list)", "Rename the profile"),
    ("Ctrl+D", "Decode a token…"),
    ("Alt+V (in a secret field)", "Show or hide the secret"),
    ("Ctrl+,", "Preferences"),
    ("Ctrl+Q", "Quit"),
)


def shortcuts_html() -> str:
    rows = "".join(f"<tr><td><b>{k}</b>&nbsp;&nbsp;</td><td>{v}</td></tr>" for k, v in SHORTCUTS)
    return f"<table cellpadding='3'>{rows}</table>"


def ask_clear_delay(parent: QWidget, current_s: float) -> int | None:
    """Ask how soon a copied token is cleared; None when the user cancels."""
    dialog = PreferencesDialog(current_s, parent)
    return dialog.clear_delay_s if dialog.exec() else None


def ask_token(parent: QWidget) -> str:
    """Ask for a token to decode; '' when the user cancels or pastes nothing."""
    dialog = DecodeDialog(parent)
    return dialog.text if dialog.exec() and dialog.text.strip() else ""


def show_shortcuts(parent: QWidget) -> None:
    QMessageBox.information(parent, "Keyboard shortcuts", shortcuts_html())


def show_about(parent: QWidget, title: str) -> None:
    QMessageBox.about(
        parent,
        f"About {title}",
        f"<b>{title}</b><p>Request a token from Microsoft Entra ID with an app's "
        "credential and read what it allows, for how long, or why it failed.</p>",
    )


# -- the window's dialogs, opened from its menus (main_window._open_dialog) --------------------


def decode_pasted(parent: QWidget, decode: Callable[[str], None]) -> None:
    """Ask for a token and hand it to `decode` (Tools > Decode a token)."""
    if text := ask_token(parent):
        decode(text)


def edit_preferences(parent: QWidget, clipboard: ClipboardGuard, state: UiState) -> None:
    """Ask for the clipboard clearing delay, then apply and remember it."""
    delay = ask_clear_delay(parent, clipboard.clear_delay_s)
    if delay is not None:
        clipboard.set_clear_delay(delay)
        state.set_clear_delay_s(delay)
