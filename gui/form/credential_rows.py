"""The Credential rows: client secret, certificate (file picker, drag and drop, password, card)
or federated assertion (paste or file, decoded card)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QFormLayout, QWidget

from core.redaction import Secret
from core.token.models import AssertionAlg, CredentialKind, TokenRequestInput
from gui.form.credential_files import CERT_SUFFIXES, load_certificate_fields
from gui.form.file_drop import FileDrop
from gui.form.form_rows import select
from gui.form.remember_option import RememberOption
from gui.worker import CallWorker

if TYPE_CHECKING:
    from gui.form.credential_widgets import AddRow, CredentialRows

KINDS = (("Client secret", CredentialKind.SECRET.value),
         ("Certificate", CredentialKind.CERTIFICATE.value),
         ("Federated assertion", CredentialKind.FEDERATED.value))  # fmt: skip
# The certificate and assertion rows' label texts, for the form's label column (measured before
# the rows exist; credential_widgets.py, with the rows' widgets, loads when they are built).
LABELS = ("Certificate fi&le:", "Private ke&y file:", "Cert. pass&word:", "Signing:",
          "Assertion:", "Assertion file:")  # fmt: skip
# What the certificate and assertion rows hold before they are built (empty, the first
# signing choice, no chain): `to_fields()` without them, and `load()` need not build them.
EMPTY: dict[str, Any] = {
    "certificate_path": "", "certificate_key_path": "", "certificate_password": None,
    "certificate": None, "assertion_alg": AssertionAlg.PS256, "send_x5c": False,
    "client_assertion": None, "assertion_file": "",
}  # fmt: skip


def _widget(name: str) -> property:
    """A widget of the certificate and assertion rows (asking for it builds the rows)."""
    return property(lambda self: getattr(self.rows(), name), doc=f"The rows' {name}.")


class CredentialSection(QObject):
    """The credential combo's rows; only the chosen credential's rows are visible.

    The certificate and assertion rows are built on first use (`rows()`): when that kind is
    chosen or loaded, a certificate file is dropped, or one of their widgets is asked for.
    The certificate is opened on a worker whenever its files or password change, and the card
    shows the result; `to_fields()` hands the loaded certificate to the request when it is the
    one the fields name, so it is not opened twice.

    Signals:
        edited(): a value changed.
    """

    edited = Signal()

    cert_path_edit, cert_browse = _widget("cert_path_edit"), _widget("cert_browse")
    key_path_edit, key_browse = _widget("key_path_edit"), _widget("key_browse")
    cert_password_edit, cert_card = _widget("cert_password_edit"), _widget("cert_card")
    alg_combo, x5c_check = _widget("alg_combo"), _widget("x5c_check")
    assertion_edit, assertion_card = _widget("assertion_edit"), _widget("assertion_card")
    assertion_file_edit = _widget("assertion_file_edit")
    assertion_browse = _widget("assertion_browse")

    def __init__(self, form: QFormLayout, add_row: AddRow, credential_combo: Any,
                 host: QWidget) -> None:  # fmt: skip
        super().__init__(host)
        self._form, self._add_row, self._host = form, add_row, host
        self.combo = credential_combo
        for index in range(self.combo.count() - 1, -1, -1):
            self.combo.removeItem(index)
        for text, data in KINDS:
            self.combo.addItem(text, data)
        self._rows: CredentialRows | None = None
        self.loader = CallWorker("certificate", self)
        self.loader.succeeded.connect(self._on_loader_succeeded)
        self._loaded: tuple[tuple[str, str, str], Any] | None = None
        self._needs_password = False
        self._cloud, self._client_id = "global", ""
        self._debounce = QTimer(self, singleShot=True, interval=250)
        self._debounce.timeout.connect(self.refresh)
        self.combo.currentIndexChanged.connect(self._on_combo_changed)
        self.drops = FileDrop(host, CERT_SUFFIXES, self.drop_file)
        self.set_kind(CredentialKind.SECRET)

    def built(self) -> bool:
        """Whether the certificate and assertion rows exist yet."""
        return self._rows is not None

    def rows(self) -> CredentialRows:
        """The certificate and assertion rows, built (hidden unless chosen) on first call."""
        if self._rows is None:
            from gui.form.credential_widgets import CredentialRows

            after = self.combo.parentWidget()  # the combo's row (form_rows.add_row's box)
            rows = self._rows = CredentialRows(self._form, self._add_row, after, self._host)
            self._connect(rows)
            rows.chain_after(self.combo)
            self._update_rows()
        return self._rows

    def _connect(self, rows: CredentialRows) -> None:
        for edit in (rows.cert_path_edit, rows.key_path_edit, rows.cert_password_edit,
                     rows.assertion_edit, rows.assertion_file_edit):  # fmt: skip
            edit.textChanged.connect(self._debounce.start)
            edit.textChanged.connect(self.edited)
        rows.cert_path_edit.textChanged.connect(self._update_rows)  # a .pfx asks for its password
        rows.alg_combo.currentIndexChanged.connect(self.edited)
        rows.x5c_check.toggled.connect(self.edited)

    # -- visibility ---------------------------------------------------------------------------

    def kind(self) -> CredentialKind:
        return CredentialKind(self.combo.currentData())

    def set_kind(self, kind: CredentialKind) -> None:
        if kind is not CredentialKind.SECRET:
            self.rows()
        select(self.combo, kind.value)
        self._update_rows()

    def _update_rows(self) -> None:
        if self._rows is None:
            return  # only a client secret was ever chosen: nothing to show or hide
        kind, rows = self.kind(), self._rows
        cert, fed = kind is CredentialKind.CERTIFICATE, kind is CredentialKind.FEDERATED
        for row in rows.cert_rows:
            self._form.setRowVisible(row, cert)
        path = self.cert_path_edit.text().strip().lower()
        wanted = (self._needs_password or path.endswith((".pfx", ".p12"))
                  or bool(self.cert_password_edit.text()))  # fmt: skip
        self._form.setRowVisible(rows.password_row, cert and wanted)
        for row in rows.fed_rows:
            self._form.setRowVisible(row, fed)
        if cert:
            self.cert_card.setVisible(bool(self.cert_path_edit.text().strip()))
        if fed:
            has = bool(self.assertion_edit.text().strip() or self.assertion_file_edit.text())
            self.assertion_card.setVisible(has)

    def show_secret_rows(self, secret_row: QWidget, remember: RememberOption) -> None:
        """The client secret row only for a secret; the remember option for a secret or a
        certificate's password (a federated assertion is never remembered)."""
        kind = self.kind()
        self._form.setRowVisible(secret_row, kind is CredentialKind.SECRET)
        remember.set_kind(kind)

    @Slot()
    def _on_combo_changed(self) -> None:
        if self.kind() is not CredentialKind.SECRET:
            self.rows()
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
        if kind is CredentialKind.SECRET and self._rows is None:
            return
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
        if self._rows is None and all(getattr(inputs, k) == v for k, v in EMPTY.items()):
            self.set_kind(inputs.credential)  # a client secret (or rows still to be built)
            self.refresh()
            return
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
        if self._rows is None:
            return {"credential": self.kind(), **EMPTY}
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
        return Path(self.cert_path_edit.text()).name if self._rows is not None else ""
