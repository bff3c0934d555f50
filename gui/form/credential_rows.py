"""The Credential rows: client secret, certificate (file picker, drag and drop, password, card)
or federated assertion (paste or file, decoded card)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QPushButton,
    QWidget,
)

from core.redaction import Secret
from core.token.models import AssertionAlg, CredentialKind, TokenRequestInput
from gui.form.certificate_card import AssertionCard, CertificateCard
from gui.form.credential_files import (
    CERT_FILTER,
    CERT_SUFFIXES,
    add_file_row,
    browse,
    load_certificate_fields,
)
from gui.form.file_drop import FileDrop
from gui.form.form_rows import make_combo, make_edit, select, setup_edit
from gui.form.remember_option import RememberOption
from gui.form.secret_edit import SecretLineEdit
from gui.worker import CallWorker

KINDS = (("Client secret", CredentialKind.SECRET.value),
         ("Certificate", CredentialKind.CERTIFICATE.value),
         ("Federated assertion", CredentialKind.FEDERATED.value))  # fmt: skip


class CredentialSection(QObject):
    """The credential combo's rows; only the chosen credential's rows are visible.

    The certificate is opened on a worker whenever its files or password change, and the card
    shows the result; `to_fields()` hands the loaded certificate to the request when it is the
    one the fields name, so it is not opened twice.

    Signals:
        edited(): a value changed.
    """

    edited = Signal()

    def __init__(self, form: QFormLayout, add_row: Callable[[str, QWidget, str], int],
                 credential_combo: Any, host: QWidget) -> None:  # fmt: skip
        super().__init__(host)
        self._form, self._host = form, host
        self.combo = credential_combo
        for index in range(self.combo.count() - 1, -1, -1):
            self.combo.removeItem(index)
        for text, data in KINDS:
            self.combo.addItem(text, data)
        self.cert_path_edit = make_edit("certificatePathEdit", "PEM or PFX file (or drop it here)")
        self.cert_browse = QPushButton("Browse…", objectName="certificateBrowseButton")
        self.key_path_edit = make_edit("certificateKeyEdit", "Only when the key is a separate file")
        self.key_browse = QPushButton("Browse…", objectName="certificateKeyBrowseButton")
        self.cert_password_edit = SecretLineEdit("certificate password")
        setup_edit(self.cert_password_edit, "certificatePasswordEdit", "PFX or key password")
        self.alg_combo = make_combo("assertionAlgCombo", [
            ("PS256 with x5t#S256 (Entra's default)", AssertionAlg.PS256.value),
            ("RS256 with x5t (older servers)", AssertionAlg.RS256.value)])  # fmt: skip
        self.x5c_check = QCheckBox("Send the chain (x5c)", objectName="sendX5cCheck")
        self.x5c_check.setToolTip(
            "Put the certificate chain in the assertion header, leaf "
            "first: needed for subject name + issuer authentication."
        )
        self.cert_card = CertificateCard()
        self.assertion_edit = SecretLineEdit("assertion")
        setup_edit(self.assertion_edit, "assertionEdit", "Paste the external token (JWT)")
        self.assertion_file_edit = make_edit(
            "assertionFileEdit", "…or its file (AZURE_FEDERATED_TOKEN_FILE)"
        )
        self.assertion_browse = QPushButton("Browse…", objectName="assertionBrowseButton")
        self.assertion_card = AssertionCard()
        self._cert_rows = [
            add_file_row(form, add_row, "Certificate fi&le:", self.cert_path_edit,
                         self.cert_browse, "certificate_path"),
            add_file_row(form, add_row, "Private ke&y file:", self.key_path_edit,
                         self.key_browse, ""),
        ]  # fmt: skip
        self._password_row = add_row("Cert. pass&word:", self.cert_password_edit,
                                     "certificate_password")  # fmt: skip
        self._cert_rows += [
            add_row("Signing:", self.alg_combo, ""),
            add_row("", self.x5c_check, ""),
        ]
        self._cert_rows.append(self._card(self.cert_card))
        self._fed_rows = [
            add_row("Assertion:", self.assertion_edit, "client_assertion"),
            add_file_row(form, add_row, "Assertion file:", self.assertion_file_edit,
                         self.assertion_browse, ""),
            self._card(self.assertion_card),
        ]  # fmt: skip
        self.loader = CallWorker("certificate", self)
        self.loader.succeeded.connect(self._on_loader_succeeded)
        self._loaded: tuple[tuple[str, str, str], Any] | None = None
        self._needs_password = False
        self._cloud, self._client_id = "global", ""
        self._debounce = QTimer(self, singleShot=True, interval=250)
        self._debounce.timeout.connect(self.refresh)
        self._connect()
        self.drops = FileDrop(host, CERT_SUFFIXES, self.drop_file)
        self.set_kind(CredentialKind.SECRET)

    def _card(self, card: QWidget) -> int:
        """A card spans the form's width, so thumbprints fit on one line."""
        self._form.addRow(card)
        return self._form.rowCount() - 1

    def _connect(self) -> None:
        for edit in (self.cert_path_edit, self.key_path_edit, self.cert_password_edit,
                     self.assertion_edit, self.assertion_file_edit):  # fmt: skip
            edit.textChanged.connect(self._debounce.start)
            edit.textChanged.connect(self.edited)
        self.cert_path_edit.textChanged.connect(self._update_rows)  # a .pfx asks for its password
        self.alg_combo.currentIndexChanged.connect(self.edited)
        self.x5c_check.toggled.connect(self.edited)
        self.combo.currentIndexChanged.connect(self._on_combo_changed)
        for button, edit, title, file_filter in (
            (self.cert_browse, self.cert_path_edit, "Choose the certificate (PEM, PFX, CER)",
             CERT_FILTER),
            (self.key_browse, self.key_path_edit, "Choose the private key",
             "Keys (*.pem *.key *.der);;All files (*)"),
            (self.assertion_browse, self.assertion_file_edit, "Choose the token file",
             "All files (*)"),
        ):  # fmt: skip
            button.clicked.connect(partial(browse, self._host, edit, title, file_filter))

    # -- visibility ---------------------------------------------------------------------------

    def kind(self) -> CredentialKind:
        return CredentialKind(self.combo.currentData())

    def set_kind(self, kind: CredentialKind) -> None:
        select(self.combo, kind.value)
        self._update_rows()

    def _update_rows(self) -> None:
        kind = self.kind()
        cert, fed = kind is CredentialKind.CERTIFICATE, kind is CredentialKind.FEDERATED
        for row in self._cert_rows:
            self._form.setRowVisible(row, cert)
        path = self.cert_path_edit.text().strip().lower()
        wanted = (self._needs_password or path.endswith((".pfx", ".p12"))
                  or bool(self.cert_password_edit.text()))  # fmt: skip
        self._form.setRowVisible(self._password_row, cert and wanted)
        for row in self._fed_rows:
            self._form.setRowVisible(row, fed)
        if cert:
            self.cert_card.setVisible(bool(self.cert_path_edit.text().strip()))
        if fed:
            has = bool(self.assertion_edit.text().strip() or self.assertion_file_edit.text())
            self.assertion_card.setVisible(has)

    def show_secret_rows(self, secret_row: int, remember: RememberOption) -> None:
        """The client secret row only for a secret; the remember option for a secret or a
        certificate's password (a federated assertion is never remembered)."""
        kind = self.kind()
        self._form.setRowVisible(secret_row, kind is CredentialKind.SECRET)
        remember.set_kind(kind)

    @Slot()
    def _on_combo_changed(self) -> None:
        self._update_rows()
        self.refresh()

    # -- loading and decoding -------------------------------------------------------------------

    def set_context(self, cloud: str, client_id: str) -> None:
        """The cloud (for the expected federated audience) and client ID the form holds."""
        if (cloud, client_id) != (self._cloud, self._client_id):
            self._cloud, self._client_id = cloud, client_id
            if self.kind() is CredentialKind.FEDERATED:
                self.refresh()

    def _cert_key(self) -> tuple[str, str, str]:
        return (self.cert_path_edit.text().strip(), self.key_path_edit.text().strip(),
                self.cert_password_edit.text())  # fmt: skip

    @Slot()
    def refresh(self) -> None:
        """Open the certificate (on the worker) or decode the assertion, and show the card."""
        kind = self.kind()
        if kind is CredentialKind.CERTIFICATE:
            if not self._cert_key()[0]:
                self.cert_card.hide()
                return
            if self._loaded is not None and self._loaded[0] == self._cert_key():
                return
            self.loader.start(load_certificate_fields, self._cert_key())
        elif kind is CredentialKind.FEDERATED:
            text = self.assertion_edit.text().strip()
            path = self.assertion_file_edit.text().strip()
            self.assertion_card.show_input(text, path, self._cloud)
        self._update_rows()

    @Slot(object)
    def _on_loader_succeeded(self, value: tuple[tuple[str, str, str], Any]) -> None:
        from core.token.credential.certificate import CertificateError

        fields, found = value
        if isinstance(found, CertificateError):
            self._loaded = None
            self._needs_password = found.kind in ("password_needed", "wrong_password")
            self.cert_card.show_message(found.message)
        else:
            self._loaded = (fields, found)  # used only while the fields still say the same
            self.cert_card.show_summary(found.summary)
        self._update_rows()
        self.edited.emit()

    # -- files: picker and drag and drop ---------------------------------------------------------

    def drop_file(self, path: str) -> bool:
        """Use a dropped certificate file: Certificate is chosen and the path filled in (a key
        file dropped next to a chosen certificate goes to Private key)."""
        if not path.lower().endswith(CERT_SUFFIXES):
            return False
        self.set_kind(CredentialKind.CERTIFICATE)
        if path.lower().endswith(".key") and self.cert_path_edit.text().strip():
            self.key_path_edit.setText(path)
        else:
            self.cert_path_edit.setText(path)
        self.refresh()
        return True

    # -- data -----------------------------------------------------------------------------------

    def load(self, inputs: TokenRequestInput) -> None:
        """Show the inputs' credential (secrets masked)."""
        self._loaded = None
        self._needs_password = False
        select(self.alg_combo, inputs.assertion_alg.value)
        self.x5c_check.setChecked(inputs.send_x5c)
        self.cert_path_edit.setText(inputs.certificate_path)
        self.key_path_edit.setText(inputs.certificate_key_path)
        pw = inputs.certificate_password
        self.cert_password_edit.setText(pw.reveal() if pw else "")
        self.assertion_edit.setText(inputs.client_assertion.reveal() if inputs.client_assertion
                                    else "")  # fmt: skip
        self.assertion_file_edit.setText(inputs.assertion_file)
        self.set_kind(inputs.credential)
        self.refresh()

    def to_fields(self) -> dict[str, Any]:
        """The TokenRequestInput fields of the credential rows."""
        password = self.cert_password_edit.text()
        assertion = self.assertion_edit.text().strip()
        loaded = self._loaded[1] if self._loaded and self._loaded[0] == self._cert_key() else None
        return {
            "credential": self.kind(),
            "certificate_path": self.cert_path_edit.text().strip(),
            "certificate_key_path": self.key_path_edit.text().strip(),
            "certificate_password": Secret(password) if password else None,
            "certificate": loaded,
            "assertion_alg": AssertionAlg(self.alg_combo.currentData()),
            "send_x5c": self.x5c_check.isChecked(),
            "client_assertion": Secret(assertion) if assertion else None,
            "assertion_file": self.assertion_file_edit.text().strip(),
        }

    def file_name(self) -> str:
        return Path(self.cert_path_edit.text()).name
