"""The line under the profiles column that names the keychain in use, or its problem."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from core.store.secret_store import SecretStore
from gui import theme


class KeychainLabel(QLabel):
    """Names where remembered secrets go (styled as a hint), or what is wrong (as a finding)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="keychainLabel", wordWrap=True)
        self.setToolTip(
            "Remembered secrets are stored only in the system keychain, never in a file."
        )

    def show_store(self, secrets: SecretStore, problem: str = "") -> None:
        """Show the keychain of `secrets`, or `problem` when one is given."""
        if problem:
            text, role = f"⚠ {problem}", "finding"
        elif secrets.is_secure:
            text, role = f"Secrets are kept in: {secrets.backend_name}", "hint"
        else:
            text, role = f"⚠ {secrets.reason}", "finding"
        self.setText(text)
        theme.restyle(self, "role", role)
