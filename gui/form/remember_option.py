"""The "Remember secret" tick under the credential: its words say where the secret will go."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox

from core.token.models import CredentialKind

# (what is remembered, with a keychain, without one): the words follow the store in use.
_TEXTS = {
    CredentialKind.SECRET: ("secret", "Remember secret in the &keychain",
                            "Remember secret for this session only"),
    CredentialKind.CERTIFICATE: ("password", "Remember its password in the &keychain",
                                 "Remember its password for this session only"),
}  # fmt: skip


class RememberOption(QCheckBox):
    """Keep the credential's secret when the profile is saved: in the system keychain, or, on a
    computer without one, in memory until the app closes (never in a file)."""

    def __init__(self) -> None:
        super().__init__(objectName="rememberSecretCheck")
        self._kind = CredentialKind.SECRET
        self._keychain = True
        self._update()

    def set_kind(self, kind: CredentialKind) -> None:
        """The credential chosen (a federated assertion is never remembered: hidden)."""
        self._kind = kind
        self.setVisible(kind is not CredentialKind.FEDERATED)
        self._update()

    def set_keychain(self, available: bool) -> None:
        """Whether a system keychain holds remembered secrets (else: this session only)."""
        self._keychain = available
        self._update()

    def _update(self) -> None:
        what, keychain, session = _TEXTS.get(self._kind, _TEXTS[CredentialKind.SECRET])
        text = keychain if self._keychain else session
        self.setText(text)
        self.setAccessibleName(text.replace("&", ""))
        if self._keychain:
            tip = (f"When the profile is saved, keep its {what} (and the user's password) in "
                   f"the system keychain, never in a file. Unticked: it is removed from the "
                   f"keychain.")  # fmt: skip
        else:
            tip = (f"There is no keychain on this computer: when the profile is saved, its {what} "
                   f"is kept in memory until the app closes, never in a file. After a restart, "
                   f"type it again.")  # fmt: skip
        self.setToolTip(tip)
