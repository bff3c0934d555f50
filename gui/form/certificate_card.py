"""Cards under the credential rows: the certificate as the portal shows it, and a federated
assertion's iss/sub/aud/expiry beside what Entra compares."""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QFrame, QLabel, QWidget

# certificate validity / key state -> the `expiry` style the answer's countdown uses too
_STYLE = {"valid": "ok", "expiring": "soon", "expired": "expired", "not_yet_valid": "expired"}


def _label(name: str) -> QLabel:
    label = QLabel(objectName=name, wordWrap=True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def _style(label: QLabel, state: str) -> None:
    label.setProperty("expiry", state)
    label.style().unpolish(label)
    label.style().polish(label)


class _Card(QFrame):
    """A framed block of label: value rows; `message` replaces the rows for an error."""

    ROWS: tuple[tuple[str, str], ...] = ()

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName=name)
        self.setProperty("role", "credentialCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QFormLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setVerticalSpacing(2)
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.message = _label(f"{name}Message")
        layout.addRow(self.message)
        self.values: dict[str, QLabel] = {}
        for key, text in self.ROWS:
            value = _label(f"{name}_{key}")
            self.values[key] = value
            layout.addRow(text, value)
        self._layout = layout
        self.hide()

    def _rows_visible(self, visible: bool) -> None:
        for index in range(1, self._layout.rowCount()):
            self._layout.setRowVisible(index, visible)

    def show_message(self, text: str, state: str = "expired") -> None:
        """Only a message (an error in red, or a hint)."""
        self.message.setText(text)
        _style(self.message, state)
        self.message.show()
        self._rows_visible(False)
        self.show()

    def text(self) -> str:
        """Everything the card shows, for tests and screen readers."""
        parts = [self.message.text()] if self.message.isVisible() else []
        parts += [f"{k}: {v.text()}" for k, v in self.values.items() if v.isVisible()]
        return "\n".join(parts)


class CertificateCard(_Card):
    """Subject, issuer, thumbprints, validity (coloured) and key match of the chosen file."""

    ROWS = (("subject", "Subject:"), ("issuer", "Issuer:"), ("thumbprint", "Thumbprint:"),
            ("sha256", "SHA-256:"), ("validity", "Valid:"), ("key", "Private key:"))  # fmt: skip

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("certificateCard", parent)
        self.values["thumbprint"].setToolTip(
            "SHA-1, as the Thumbprint column of App registrations > Certificates & secrets shows it"
        )

    def show_summary(self, summary: Any) -> None:
        """Show a core.token.credential.summary.CertificateSummary."""
        state, words = summary.validity()
        if summary.key_matches is True:
            key, key_state = f"{summary.key_type}, matches the certificate", "ok"
        elif summary.key_matches is False:
            key, key_state = "does NOT match the certificate", "expired"
        else:
            key, key_state = "none in this file: add the key file to sign", "expired"
        texts = {"subject": summary.subject, "issuer": summary.issuer,
                 "thumbprint": summary.sha1, "sha256": summary.sha256,
                 "validity": words[0].upper() + words[1:], "key": key}  # fmt: skip
        for name, text in texts.items():
            self.values[name].setText(text)
        _style(self.values["validity"], _STYLE[state])
        _style(self.values["key"], key_state)
        self.message.hide()
        self._rows_visible(True)
        self.show()


class AssertionCard(_Card):
    """The assertion's iss, sub, aud and expiry, each with what Entra compares it with."""

    ROWS = (("issuer", "Issuer (iss):"), ("subject", "Subject (sub):"),
            ("audience", "Audience (aud):"), ("expiry", "Expires:"))  # fmt: skip

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("assertionCard", parent)

    def show_assertion(self, decoded: Any, expected_audience: str) -> None:
        """Show a core.token.credential.federated.DecodedAssertion."""
        audiences = decoded.audiences
        if decoded.looks_self_signed:
            self.values["issuer"].setText(f"{decoded.issuer}  (a certificate assertion: iss "
                                          "and sub must be the client ID)")  # fmt: skip
            same = decoded.subject == decoded.issuer
            self.values["subject"].setText(decoded.subject + ("" if same else "  ≠ iss"))
            _style(self.values["subject"], "ok" if same else "expired")
            self.values["audience"].setText(", ".join(audiences) + "  (must be the token URL)")
            _style(self.values["audience"], "")
        else:
            self.values["issuer"].setText(f"{decoded.issuer}  (must equal the federated "
                                          "credential's Issuer exactly)")  # fmt: skip
            self.values["subject"].setText(f"{decoded.subject}  (compared case-sensitively "
                                           "with its Subject identifier)")  # fmt: skip
            _style(self.values["subject"], "")
            good = expected_audience in audiences
            hint = "the default" if good else f"expected {expected_audience}"
            self.values["audience"].setText(f"{', '.join(audiences) or '(none)'}  ({hint})")
            _style(self.values["audience"], "ok" if good else "soon")
        exp = decoded.expires_at
        if exp is None:
            self.values["expiry"].setText("no exp claim: Entra refuses it")
            _style(self.values["expiry"], "expired")
        else:
            left = exp - time.time()
            stamp = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(exp))
            words = (
                f"in {int(left // 60)} min" if left > 0 else f"EXPIRED {int(-left // 60)} min ago"
            )
            self.values["expiry"].setText(f"{stamp} ({words})")
            _style(self.values["expiry"], "ok" if left > 120 else "soon" if left > 0 else "expired")
        self.message.hide()
        self._rows_visible(True)
        self.show()
