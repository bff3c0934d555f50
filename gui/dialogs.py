"""Small dialogs: Preferences (clipboard clearing), Decode a token, shortcuts, About."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from gui import messages
from gui.messages import Icon

if TYPE_CHECKING:
    from gui.answer.clipboard import ClipboardGuard
    from gui.ui_state import UiState


class PreferencesDialog(QDialog):
    """Settings that are not part of a request: how soon a copied token is cleared, and which
    CA certificates are trusted (the OS trust store, or a CA file that replaces it)."""

    def __init__(self, clear_delay_s: float, ca_file: str = "",
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self.delay_spin = QSpinBox(objectName="clearDelaySpin")
        self.delay_spin.setRange(0, 3600)
        self.delay_spin.setSuffix(" s")
        self.delay_spin.setSpecialValueText("Never")
        self.delay_spin.setValue(int(clear_delay_s))
        self.delay_spin.setAccessibleName("Clear a copied token after")
        self.ca_edit = QLineEdit(ca_file, objectName="caFileEdit")
        self.ca_edit.setPlaceholderText("The operating system's trust store")
        self.ca_edit.setAccessibleName("CA file")
        self.ca_edit.setClearButtonEnabled(True)
        browse = QPushButton("&Browse…", objectName="caFileBrowse")
        browse.clicked.connect(self._browse)
        ca_row = QHBoxLayout()
        ca_row.addWidget(self.ca_edit, 1)
        ca_row.addWidget(browse)
        form = QFormLayout()
        label = QLabel("&Clear a copied token after:")
        label.setBuddy(self.delay_spin)
        form.addRow(label, self.delay_spin)
        ca_label = QLabel("CA &file (PEM):")
        ca_label.setBuddy(self.ca_edit)
        form.addRow(ca_label, ca_row)
        hint = QLabel(
            "The clipboard is cleared only if it still holds the token or header copied "
            "from this window. Copied tokens are marked so that clipboard history and cloud "
            "clipboard skip them.\n\nCertificates are checked against the operating system's "
            "trust store (so a company's TLS-inspecting proxy works when IT installed its CA). "
            "A CA file replaces it, for token requests and key downloads alike."
        )
        hint.setWordWrap(True)
        hint.setProperty("role", "hint")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Save preferences")
        buttons.accepted.connect(self._accept_if_valid)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)  # room for a CA file path

    @property
    def clear_delay_s(self) -> int:
        return self.delay_spin.value()

    @property
    def ca_file(self) -> str:
        return self.ca_edit.text().strip()

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "CA certificates", self.ca_file, "PEM files (*.pem *.crt *.cer);;All files (*)"
        )
        if path:
            self.ca_edit.setText(path)

    def _accept_if_valid(self) -> None:
        if self.ca_file and not os.path.isfile(self.ca_file):
            messages.tell(self, "CA file", f"There is no file {self.ca_file}.")
            return
        self.accept()


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
    ("Ctrl+Shift+A", "Check all profiles…"),
    ("Ctrl+D", "Decode a token…"),
    ("Alt+V (in a secret field)", "Show or hide the secret"),
    ("Ctrl+,", "Preferences"),
    ("Ctrl+Q", "Quit"),
)


def shortcuts_html() -> str:
    rows = "".join(f"<tr><td><b>{k}</b>&nbsp;&nbsp;</td><td>{v}</td></tr>" for k, v in SHORTCUTS)
    return f"<table cellpadding='3'>{rows}</table>"


def ask_preferences(parent: QWidget, current_s: float, ca_file: str) -> tuple[int, str] | None:
    """Ask how soon a copied token is cleared and which CA file to trust; None on Cancel."""
    dialog = PreferencesDialog(current_s, ca_file, parent)
    return (dialog.clear_delay_s, dialog.ca_file) if dialog.exec() else None


def ask_token(parent: QWidget) -> str:
    """Ask for a token to decode; '' when the user cancels or pastes nothing."""
    dialog = DecodeDialog(parent)
    return dialog.text if dialog.exec() and dialog.text.strip() else ""


def show_shortcuts(parent: QWidget) -> None:
    messages.tell(parent, "Keyboard shortcuts", shortcuts_html(), icon=Icon.NoIcon)


def show_about(parent: QWidget, title: str) -> None:
    text = (
        f"<b>{title}</b><p>Request a token from Microsoft Entra ID with an app's "
        "credential and read what it allows, for how long, or why it failed.</p>"
    )
    messages.tell(parent, f"About {title}", text, icon=Icon.NoIcon)


# -- the window's dialogs, opened from its menus (menus.dialog_slot) --------------------


def decode_pasted(parent: QWidget, decode: Callable[[str], None]) -> None:
    """Ask for a token and hand it to `decode` (Tools > Decode a token)."""
    if text := ask_token(parent):
        decode(text)


def edit_preferences(parent: QWidget, clipboard: ClipboardGuard, state: UiState) -> None:
    """Ask for the clipboard clearing delay and the CA file, then apply and remember them."""
    chosen = ask_preferences(parent, clipboard.clear_delay_s, state.ca_file())
    if chosen is not None:
        delay, ca_file = chosen
        clipboard.set_clear_delay(delay)
        state.set_clear_delay_s(delay)
        state.set_ca_file(ca_file)
