"""The "This secret is new: retry while Entra replicates it" option beside the credential.

Explicit and off by default, and never saved into a profile: a secret is new at one moment, and
a profile opened next week must not spend minutes retrying a secret that is simply wrong. A
loaded profile or scenario sets it (off, or on for the "Secret just created" scenario).
"""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QWidget

from core.token.models import CredentialKind

WAIT_LIMIT_S = 120.0  # how long the window retries (the command line's --wait-new S)
SECRET_TEXT = "This secret is new: retry while Entra replicates it"  # every Alt key is taken
CERTIFICATE_TEXT = "New certificate: retry while Entra replicates it"


class WaitNewCheck(QCheckBox):
    """Ticked: an "unknown secret/certificate" refusal is retried for up to 2 minutes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(SECRET_TEXT, parent)
        self.setObjectName("waitNewCheck")
        self.setToolTip(
            "A new secret or certificate takes seconds to minutes to reach every Entra "
            "server, and until then it is refused exactly like a wrong one (AADSTS7000215, "
            f"AADSTS700027). Ticked, Send retries only that refusal, with growing waits, for up "
            f"to {WAIT_LIMIT_S:.0f} s; Esc stops. Not saved in profiles."
        )
        self.show_for(CredentialKind.SECRET)

    def show_for(self, kind: CredentialKind) -> None:
        """Shown for a secret or a certificate (a federated credential has nothing to wait for)."""
        text = CERTIFICATE_TEXT if kind is CredentialKind.CERTIFICATE else SECRET_TEXT
        self.setText(text)
        self.setAccessibleName(text.replace("&", ""))
        self.setVisible(kind is not CredentialKind.FEDERATED)

    def limit_s(self) -> float:
        """Seconds to retry for when ticked, else 0 (send once)."""
        return WAIT_LIMIT_S if self.isChecked() else 0.0
