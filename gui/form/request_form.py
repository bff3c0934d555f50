"""The request form: fields <-> TokenRequestInput, with pre-flight messages beside the fields."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QVBoxLayout,
    QWidget,
)

from core.token.authority import CLOUDS, default_target, get_cloud
from core.token.models import (
    Endpoint,
    Finding,
    GrantType,
)
from gui.form.advanced import LABELS as ADVANCED_LABELS
from gui.form.advanced import AdvancedSection, advanced_widget
from gui.form.credential_rows import LABELS as CREDENTIAL_LABELS
from gui.form.credential_rows import CredentialSection
from gui.form.form_findings import FindingLabels
from gui.form.form_io import FormData
from gui.form.form_rows import (
    add_row,
    chain_tab_order,
    fit_label,
    fix_label_column,
    guid_edit_width,
    make_combo,
    make_edit,
    setup_edit,
)
from gui.form.remember_option import RememberOption
from gui.form.secret_edit import SecretLineEdit
from gui.form.signin_rows import LABELS as SIGNIN_LABELS
from gui.form.signin_rows import SignInRows
from gui.form.url_preview import UrlPreview
from gui.form.wait_option import WaitNewCheck

# Texts the scope rows' labels take with the other endpoint, and the labels of the rows built
# on first use (measured for the label column).
_OTHER_LABELS = ("Sc&ope:", "Res&ource:", "Resource (v1 only):", "Scope (v2 only):",
                 *CREDENTIAL_LABELS, *ADVANCED_LABELS, *SIGNIN_LABELS)  # fmt: skip
_ALL_DEFAULTS = frozenset(default_target(c, e) for c in CLOUDS for e in Endpoint)


class RequestForm(FormData, QWidget):
    """Cloud, endpoint, tenant, app, credential, target and the Advanced options.

    Only `load_input` and `to_input` convert between widgets and data; the window runs the
    pre-flight checks and hands the findings back with `show_findings`.

    Signals:
        changed(): a value changed (debounced by 150 ms while typing).
        edited(): a value changed (at once, for every keystroke).
    """

    changed = Signal()
    edited = Signal()
    # Advanced's widgets (asking for one builds Advanced's rows).
    auth_combo, timeout_spin = advanced_widget("auth_combo"), advanced_widget("timeout_spin")
    token_url_edit = advanced_widget("token_url_edit")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._authority = ""  # the sandbox's base URL when the Sandbox cloud is chosen
        self._label_width = 0  # the label column's width, once fixed (`fix_label_column`)
        self._findings = FindingLabels(self)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(150)
        self._debounce.timeout.connect(self.changed)
        self._build_ui()
        self._connect_signals()
        self._on_endpoint_changed()
        self._on_grant_changed()

    # -- building ---------------------------------------------------------------------------

    def _build_ui(self) -> None:
        self._form = QFormLayout()
        self._form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self._form.setVerticalSpacing(4)

        self.cloud_combo = make_combo("cloudCombo", [(c.name, c.key) for c in CLOUDS])
        self.endpoint_combo = make_combo(
            "endpointCombo", [("v2.0 (scope)", "v2"), ("v1 (resource)", "v1")]
        )
        self.tenant_edit = make_edit("tenantEdit", "Directory (tenant) ID or domain")
        self.client_id_edit = make_edit("clientIdEdit", "Application (client) ID")
        self.grant_combo = make_combo(
            "grantTypeCombo",
            [
                ("Client credentials (app-only)", GrantType.CLIENT_CREDENTIALS.value),
                ("Password (user sign-in, ROPC)", GrantType.PASSWORD.value),
                ("Authorization code (browser)", GrantType.AUTHORIZATION_CODE.value),
                ("Device code", GrantType.DEVICE_CODE.value),
            ],
        )
        self.credential_combo = make_combo("credentialCombo", [])
        self.secret_edit = SecretLineEdit("secret")
        setup_edit(self.secret_edit, "secretEdit", "The secret's Value (not its ID)")
        self.username_edit = make_edit("usernameEdit", "someone@contoso.com")
        self.password_edit = SecretLineEdit("password")
        setup_edit(self.password_edit, "passwordEdit", "The user's password")
        self.scope_edit = make_edit("scopeEdit", "")
        # The other endpoint's parameter: shown only when a loaded setup carries one, so a
        # request such as "resource sent to v2" can be reproduced (and is warned about).
        self.other_target_edit = make_edit("otherTargetEdit", "")

        self._add_row("&Cloud:", self.cloud_combo, "cloud")
        self._add_row("&Endpoint:", self.endpoint_combo, "")
        self._add_row("&Tenant:", self.tenant_edit, "tenant")
        self._add_row("Client &ID:", self.client_id_edit, "client_id")
        self._add_row("&Grant type:", self.grant_combo, "")
        self._add_row("Crede&ntial:", self.credential_combo, "")
        self.credentials = CredentialSection(self._form, self._add_row, self.credential_combo,
                                             self)  # fmt: skip
        self._secret_row = self._add_row("&Secret:", self.secret_edit, "client_secret")
        self._username_row = self._add_row("&Username:", self.username_edit, "username")
        self._password_row = self._add_row("&Password:", self.password_edit, "password")
        self.remember_check = RememberOption()
        self._form.addRow("", self.remember_check)
        self.wait_new_check = WaitNewCheck()
        self._form.addRow("", self.wait_new_check)
        self._scope_row = self._add_row("Sc&ope:", self.scope_edit, "target")
        self._other_row = self._add_row("Resource:", self.other_target_edit, "other_target")

        self.signin = SignInRows(self._form, self._add_row, self.grant_combo,
                                 lambda: self.advanced.build(), self)  # fmt: skip
        self.advanced = AdvancedSection(self._form, self._add_row, self._on_advanced_built)
        self.advanced_toggle = self.advanced.toggle

        self.url_preview = UrlPreview()
        self._add_row("Token URL:", self.url_preview, "")
        self.url_preview.setAccessibleName("Token URL preview (read only)")
        for edit in (self.tenant_edit, self.client_id_edit):
            edit.setMinimumWidth(guid_edit_width(edit))

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addLayout(self._form)
        outer.addStretch(1)
        self.advanced.set_visible(False)
        QWidget.setTabOrder(self.cloud_combo, self.endpoint_combo)
        # The rows built on first use join it then (`CredentialRows.chain_after`, Advanced's).
        chain = [self.cloud_combo, self.endpoint_combo, self.tenant_edit, self.client_id_edit,
                 self.grant_combo, self.credential_combo, self.secret_edit, self.username_edit,
                 self.password_edit, self.remember_check, self.wait_new_check, self.scope_edit,
                 self.other_target_edit, self.advanced_toggle]  # fmt: skip
        chain_tab_order(chain)

    def _on_advanced_built(self, row: int) -> None:
        """Advanced's rows exist (opened or needed): the sign-in options follow them from `row`;
        their values count as edits, and Tab goes through them after the toggle."""
        self.signin.add_options(self.advanced_toggle, row)
        a = self.advanced
        for signal in (a.auth_combo.currentIndexChanged, a.timeout_spin.valueChanged,
                       a.token_url_edit.textChanged):  # fmt: skip
            signal.connect(self._debounce.start)
            signal.connect(self.edited)
        chain_tab_order((self.advanced_toggle, a.auth_combo, a.timeout_spin, a.token_url_edit,
                         *self.signin.widgets()))  # fmt: skip

    def fix_label_column(self) -> None:
        """Give the label column the width of its widest label, shown or not (see form_rows)."""
        self._label_width = fix_label_column(self._form, _OTHER_LABELS)

    def _add_row(self, text: str, widget: QWidget, field: str, at: int = -1) -> QWidget:
        """Add a row (at the end, or at row `at`); returns its handle (see form_rows.add_row)."""
        if field:
            self._findings.watch(widget, field)
        finding = self._findings.create(field) if field else None
        row = add_row(self._form, text, widget, finding, at)
        if self._label_width:  # a row built after the column was fixed: the same width
            fit_label(self._form.labelForField(row), self._label_width)
        return row

    def set_keychain(self, available: bool) -> None:
        """Whether a system keychain keeps remembered secrets (the option's words follow)."""
        self.remember_check.set_keychain(available)

    def note_not_kept(self, fields: Iterable[str]) -> None:
        """Say beside these empty fields that their remembered secret was not kept."""
        self._findings.note_not_kept(fields)

    def reveal_findings(self) -> None:
        """Show every message, a required field's "is empty" included (Send was pressed)."""
        self._findings.reveal()

    def _connect_signals(self) -> None:
        combos = (self.cloud_combo, self.endpoint_combo, self.grant_combo)
        edits = (self.tenant_edit, self.client_id_edit, self.secret_edit, self.username_edit,
                 self.password_edit, self.scope_edit, self.other_target_edit)  # fmt: skip
        for signal in (*(c.currentIndexChanged for c in combos), *(e.textChanged for e in edits),
                       self.remember_check.toggled):  # fmt: skip
            signal.connect(self._debounce.start)
            signal.connect(self.edited)
        for section in (self.credentials, self.signin):
            section.edited.connect(self._debounce.start)
            section.edited.connect(self.edited)
        self.credential_combo.currentIndexChanged.connect(self._debounce.start)
        self.credential_combo.currentIndexChanged.connect(self.edited)
        self.credential_combo.currentIndexChanged.connect(self._on_credential_changed)
        self._debounce.timeout.connect(self._on_debounce_timeout)
        self.cloud_combo.currentIndexChanged.connect(self._on_endpoint_changed)
        self.endpoint_combo.currentIndexChanged.connect(self._on_endpoint_changed)
        self.grant_combo.currentIndexChanged.connect(self._on_grant_changed)

    # -- behaviour --------------------------------------------------------------------------

    def _on_endpoint_changed(self) -> None:
        endpoint = self._endpoint()
        text = "Sc&ope:" if endpoint is Endpoint.V2 else "Res&ource:"
        self._form.labelForField(self._scope_row).setText(text)
        self.scope_edit.setAccessibleName(text.replace("&", "").rstrip(":"))
        default = default_target(get_cloud(self.cloud_combo.currentData()), endpoint)
        self.scope_edit.setPlaceholderText(default)
        if self.scope_edit.text().strip() in _ALL_DEFAULTS | {""}:
            self.scope_edit.setText(default)
        other = "Resource (v1 only):" if endpoint is Endpoint.V2 else "Scope (v2 only):"
        self._form.labelForField(self._other_row).setText(other)
        self.other_target_edit.setAccessibleName(other.rstrip(":"))
        self._form.setRowVisible(self._other_row, bool(self.other_target_edit.text().strip()))

    def _on_credential_changed(self) -> None:
        self.credentials.show_secret_rows(self._secret_row, self.remember_check)
        self.wait_new_check.show_for(self.credentials.kind())

    def _on_debounce_timeout(self) -> None:
        self.credentials.set_context(self.cloud_combo.currentData(),
                                     self.client_id_edit.text().strip())  # fmt: skip

    def refresh_icons(self) -> None:
        """Redraw the secret fields' show/hide icons in the current theme's colours."""
        self.secret_edit.refresh_icons()
        self.password_edit.refresh_icons()

    def workers(self) -> tuple[Any, ...]:
        """The form's own workers (the certificate loader), for orderly shutdown and tests."""
        return (self.credentials.loader,)

    def _on_grant_changed(self) -> None:
        password = self.grant_combo.currentData() == GrantType.PASSWORD.value
        self._form.setRowVisible(self._username_row, password)
        self._form.setRowVisible(self._password_row, password)
        self.secret_edit.setPlaceholderText(
            "Only for a confidential client" if password else "The secret's Value (not its ID)"
        )

    def set_sandbox_authority(self, url: str) -> None:
        """The base URL used as authority when the Sandbox cloud is chosen."""
        self._authority = url
        self._debounce.start()

    def show_token_url(self, url: str) -> None:
        self.url_preview.show_text(url)

    def token_url_text(self) -> str:
        """The token URL preview as shown."""
        return self.url_preview.toPlainText()

    def show_findings(self, findings: Iterable[Finding]) -> None:
        """Show each finding beside the field it concerns (the first per field wins)."""
        if self._findings.show(findings, self._endpoint()):
            self.advanced.set_visible(True)

    def _endpoint(self) -> Endpoint:
        return Endpoint(self.endpoint_combo.currentData())

    def finding_text(self, field: str) -> str:
        """The message shown beside a field ('' when none), for tests and screen readers."""
        return self._findings.text(field, self._endpoint())
