"""Cards under the credential rows: the certificate as the portal shows it, and a federated
assertion's iss/sub/aud/expiry beside what Entra compares."""

from __future__ import annotations

import re
import time
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QFrame, QLabel, QSizePolicy, QWidget

from gui import theme

# certificate validity / key state -> the `expiry` style the answer's countdown uses too
_STYLE = {"valid": "ok", "expiring": "soon", "expired": "expired", "not_yet_valid": "expired"}


def _label(name: str) -> QLabel:
    label = QLabel(objectName=name, wordWrap=True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    # Long values wrap inside the column instead of widening the form.
    label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    label.setMinimumWidth(40)
    return label


def _name(rfc4514: str) -> str:
    """A distinguished name with a space after each separating comma (so it can wrap)."""
    return re.sub(r"(?<!\\),", ", ", rfc4514)


def _groups(hex_text: str, size: int = 32) -> str:
    """A long thumbprint in groups, so it wraps (the tooltip holds it in one piece)."""
    return " ".join(hex_text[i : i + size] for i in range(0, len(hex_text), size))


def _style(label: QLabel, state: str) -> None:
    theme.restyle(label, "expiry", state)


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
            if text:
                layout.addRow(text, value)
            else:  # a note under the rows, across the card
                value.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
                layout.addRow(value)
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
        texts = {"subject": _name(summary.subject), "issuer": _name(summary.issuer),
                 "thumbprint": summary.sha1, "sha256": _groups(summary.sha256),
                 "validity": words[0].upper() + words[1:], "key": key}  # fmt: skip
        for name, text in texts.items():
            self.values[name].setText(text)
        self.values["sha256"].setToolTip(summary.sha256)
        _style(self.values["validity"], _STYLE[state])
        _style(self.values["key"], key_state)
        self.message.hide()
        self._rows_visible(True)
        self.show()


class AssertionCard(_Card):
    """The assertion's iss, sub, aud and expiry, each with what Entra compares it with."""

    ROWS = (("issuer", "Issuer (iss):"), ("subject", "Subject (sub):"),
            ("audience", "Audience (aud):"), ("expiry", "Expires:"), ("note", ""))  # fmt: skip

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("assertionCard", parent)
        self.values["note"].setProperty("role", "hint")

    def show_input(self, text: str, path: str, cloud: str) -> None:
        """Read and decode the pasted assertion (or else its file) and show it, or why it
        cannot be read; hidden when neither is given. `cloud` names the expected audience."""
        from core.redaction import Secret
        from core.token.credential.federated import (
            AssertionReadError,
            decode_assertion,
            expected_audience,
            read_assertion_file,
        )

        if not text and not path:
            self.hide()
            return
        try:
            decoded = decode_assertion(Secret(text) if text else read_assertion_file(path))
        except AssertionReadError as exc:
            self.show_message(exc.message)
            return
        self.show_assertion(decoded, expected_audience(cloud))

    def show_assertion(self, decoded: Any, expected_audience: str) -> None:
        """Show a core.token.credential.federated.DecodedAssertion."""
        audiences = decoded.audiences
        self.values["issuer"].setText(decoded.issuer or "(none)")
        if decoded.looks_self_signed:
            same = decoded.subject == decoded.issuer
            self.values["subject"].setText(decoded.subject + ("" if same else "  (≠ iss)"))
            _style(self.values["subject"], "ok" if same else "expired")
            self.values["audience"].setText(", ".join(audiences) or "(none)")
            _style(self.values["audience"], "")
            note = ("A ready-made certificate assertion: iss and sub must both be the client "
                    "ID, aud the token URL.")  # fmt: skip
        else:
            self.values["subject"].setText(decoded.subject or "(none)")
            _style(self.values["subject"], "")
            good = expected_audience in audiences
            hint = "the default" if good else f"expected {expected_audience}"
            self.values["audience"].setText(f"{', '.join(audiences) or '(none)'} ({hint})")
            _style(self.values["audience"], "ok" if good else "soon")
            note = ("Entra compares issuer, subject and audience with the app's federated "
                    "credential, exactly and case-sensitively.")  # fmt: skip
        self.values["note"].setText(note)
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
