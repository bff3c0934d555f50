"""The certificate and federated assertion rows of the request form, built on first use.

The form opens on a client secret, so these rows (and their ~70 widgets: two cards, a combo
with its popup, file pickers) are built only when a certificate or an assertion is first
chosen, loaded or dropped; `CredentialSection` asks for them through `CredentialRows.build`.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from functools import partial

from PySide6.QtWidgets import QCheckBox, QFormLayout, QPushButton, QWidget

from core.token.models import AssertionAlg
from gui.form.certificate_card import AssertionCard, CertificateCard
from gui.form.credential_files import CERT_FILTER, add_file_row, browse
from gui.form.form_rows import chain_tab_order, make_combo, make_edit, setup_edit
from gui.form.secret_edit import SecretLineEdit

# The form's row builder: (label text, field widget, finding field, row to insert at) -> the
# row's field widget (its handle for `QFormLayout.setRowVisible`).
AddRow = Callable[[str, QWidget, str, int], QWidget]

ALGS = (("PS256 with x5t#S256 (Entra's default)", AssertionAlg.PS256.value),
        ("RS256 with x5t (older servers)", AssertionAlg.RS256.value))  # fmt: skip


class CredentialRows:
    """The widgets of the certificate and assertion rows, placed right under `after`'s row.

    Attributes name the widgets; `cert_rows`, `password_row` and `fed_rows` are the rows'
    handles for `QFormLayout.setRowVisible`.
    """

    def __init__(self, form: QFormLayout, add_row: AddRow, after: QWidget, host: QWidget) -> None:
        self.cert_path_edit = make_edit("certificatePathEdit", "PEM or PFX file (or drop it here)")
        self.cert_browse = QPushButton("Browse…", objectName="certificateBrowseButton")
        self.key_path_edit = make_edit("certificateKeyEdit", "Only when the key is a separate file")
        self.key_browse = QPushButton("Browse…", objectName="certificateKeyBrowseButton")
        self.cert_password_edit = SecretLineEdit("certificate password")
        setup_edit(self.cert_password_edit, "certificatePasswordEdit", "PFX or key password")
        self.alg_combo = make_combo("assertionAlgCombo", ALGS)
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
        at = itertools.count(form.getWidgetPosition(after)[0] + 1)  # the rows below `after`

        def add(text: str, widget: QWidget, field: str) -> QWidget:
            return add_row(text, widget, field, next(at))

        def card(widget: QWidget) -> QWidget:  # spans the form's width: thumbprints fit
            form.insertRow(next(at), widget)
            return widget

        self.cert_rows = [
            add_file_row(form, add, "Certificate fi&le:", self.cert_path_edit,
                         self.cert_browse, "certificate_path"),
            add_file_row(form, add, "Private ke&y file:", self.key_path_edit,
                         self.key_browse, ""),
        ]  # fmt: skip
        self.password_row = add("Cert. pass&word:", self.cert_password_edit,
                                "certificate_password")  # fmt: skip
        self.cert_rows += [add("Signing:", self.alg_combo, ""), add("", self.x5c_check, ""),
                           card(self.cert_card)]  # fmt: skip
        self.fed_rows = [
            add("Assertion:", self.assertion_edit, "client_assertion"),
            add_file_row(form, add, "Assertion file:", self.assertion_file_edit,
                         self.assertion_browse, ""),
            card(self.assertion_card),
        ]  # fmt: skip
        self._connect_browse(host)

    def _connect_browse(self, host: QWidget) -> None:
        for button, edit, title, file_filter in (
            (self.cert_browse, self.cert_path_edit, "Choose the certificate (PEM, PFX, CER)",
             CERT_FILTER),
            (self.key_browse, self.key_path_edit, "Choose the private key",
             "Keys (*.pem *.key *.der);;All files (*)"),
            (self.assertion_browse, self.assertion_file_edit, "Choose the token file",
             "All files (*)"),
        ):  # fmt: skip
            button.clicked.connect(partial(browse, host, edit, title, file_filter))

    def widgets(self) -> tuple[QWidget, ...]:
        """The rows' input widgets, in tab order."""
        return (self.cert_path_edit, self.cert_browse, self.key_path_edit, self.key_browse,
                self.cert_password_edit, self.alg_combo, self.x5c_check, self.assertion_edit,
                self.assertion_file_edit, self.assertion_browse)  # fmt: skip

    def chain_after(self, first: QWidget) -> None:
        """Tab goes from `first` through these rows, then on to what followed `first`."""
        chain_tab_order((first, *self.widgets()))
