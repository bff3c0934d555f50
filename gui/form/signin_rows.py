"""The browser sign-in's rows of the request form: the redirect URI to register (shown for the
authorization code grant), and in Advanced the loopback redirect (host, port, path) and what the
sign-in page does (prompt, login and domain hints)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication, QIntValidator
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QWidget,
)

from core.token.models import GrantType, TokenRequestInput
from gui.form.form_rows import make_combo, make_edit, select

AUTH_CODE = GrantType.AUTHORIZATION_CODE.value
HOSTS = (
    ("127.0.0.1 (recommended; register it in the manifest)", "127.0.0.1"),
    ("localhost (the portal's http://localhost)", "localhost"),
)
PROMPTS = (
    ("(none: as the sign-in page decides)", ""),
    ("login: ask for credentials again", "login"),
    ("select_account: pick an account", "select_account"),
    ("consent: show the consent page", "consent"),
    ("none: no page at all (fails if one is needed)", "none"),
)
DEFAULTS = TokenRequestInput()
NAMES = ("redirect_host", "redirect_port", "redirect_path", "prompt", "login_hint", "domain_hint")
# The option rows' label texts, for the form's label column (measured before the rows exist).
LABELS = ("Redirect host:", "Redirect port:", "Redirect path:", "Prompt:", "Login hint:",
          "Domain hint:")  # fmt: skip


def _option(name: str) -> property:
    """An option row's widget (asking for it builds Advanced's rows, these among them)."""

    def get(self: SignInRows) -> Any:
        if not self._options:
            self._build()
        return self.__dict__[name]

    return property(get, doc=f"The option row's {name}.")


class SignInRows(QObject):
    """The rows, their visibility (grant and Advanced) and their values.

    Built in two steps so the rows sit where they belong: `__init__` adds the redirect URI to
    register (before Advanced), `add_options` the Advanced rows (after Advanced's own), when
    Advanced builds its rows (`build` asks for that).

    Signals:
        edited(): a value changed.
    """

    edited = Signal()

    host_combo, port_edit = _option("host_combo"), _option("port_edit")
    path_edit, prompt_combo = _option("path_edit"), _option("prompt_combo")
    login_hint_edit, domain_hint_edit = _option("login_hint_edit"), _option("domain_hint_edit")

    def __init__(self, form: QFormLayout, add_row: Callable[..., QWidget], grant_combo: QComboBox,
                 build: Callable[[], None], parent: QObject | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self._form, self._add_row, self._grant, self._build = form, add_row, grant_combo, build
        self.register_label = QLabel(objectName="registerRedirectLabel")
        self.register_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.register_label.setWordWrap(True)
        self.copy_button = QToolButton(objectName="copyRedirectButton", text="Copy")
        self.copy_button.setToolTip("Copy the redirect URI to register")
        self.copy_button.setAccessibleName("Copy the redirect URI to register")
        self.copy_button.clicked.connect(self._on_copy_clicked)
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.register_label, 1)
        row.addWidget(self.copy_button, 0, Qt.AlignmentFlag.AlignTop)
        self._register_row = add_row("Redirect URI:", box, "")
        self._options: list[QWidget] = []
        self._advanced_open = False
        grant_combo.currentIndexChanged.connect(self.update_visibility)
        self._show_register_uri()
        self.update_visibility()

    def add_options(self, advanced_toggle: QPushButton | QToolButton, row: int) -> None:
        """Add the Advanced rows from `row` on; they show while Advanced is open and the grant
        is auth code."""
        d = self.__dict__  # the widgets' names are properties that build them when asked for
        d["host_combo"] = host = make_combo("redirectHostCombo", HOSTS)
        port = make_edit("redirectPortEdit", "any free port (Entra ignores the port)")
        d["port_edit"] = port
        port.setValidator(QIntValidator(0, 65535, port))
        d["path_edit"] = make_edit("redirectPathEdit", "/ (Entra compares the path)")
        d["prompt_combo"] = prompt = make_combo("promptCombo", PROMPTS)
        for combo in (host, prompt):  # long items never widen the form
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(16)
        d["login_hint_edit"] = make_edit("loginHintEdit", "user@contoso.com (fills the name)")
        d["domain_hint_edit"] = make_edit("domainHintEdit", "contoso.com (a federated domain)")
        at = itertools.count(row)
        rows = zip(LABELS, self.widgets(), NAMES, strict=True)
        self._options = [self._add_row(text, widget, name, next(at)) for text, widget, name in rows]
        edits = (self.port_edit, self.path_edit, self.login_hint_edit, self.domain_hint_edit)
        for signal in (self.host_combo.currentIndexChanged, self.prompt_combo.currentIndexChanged,
                       *(e.textChanged for e in edits)):  # fmt: skip
            signal.connect(self.edited)
        self.host_combo.currentIndexChanged.connect(self._show_register_uri)
        self.path_edit.textChanged.connect(self._show_register_uri)
        self.port_edit.textChanged.connect(self._show_register_uri)
        advanced_toggle.toggled.connect(self._on_advanced_toggled)
        self._advanced_open = advanced_toggle.isChecked()
        self._show_register_uri()
        self.update_visibility()

    def widgets(self) -> tuple[QWidget, ...]:
        """The Advanced rows' widgets, in tab order (none before they are built)."""
        names = ("host_combo", "port_edit", "path_edit", "prompt_combo", "login_hint_edit",
                 "domain_hint_edit")  # fmt: skip
        return tuple(self.__dict__[n] for n in names) if names[0] in self.__dict__ else ()

    def _on_advanced_toggled(self, open_: bool) -> None:
        self._advanced_open = open_
        self.update_visibility()

    def update_visibility(self) -> None:
        browser = self._grant.currentData() == AUTH_CODE
        self._form.setRowVisible(self._register_row, browser)
        for row in self._options:
            self._form.setRowVisible(row, browser and self._advanced_open)

    def register_text(self) -> str:
        """The redirect URI to register, as the app registration must name it: no port (Entra
        ignores it for loopback), the path as sent (Entra compares it)."""
        fields = self.to_fields()
        path = fields["redirect_path"]  # '/' is the bare host (it comes back with /)
        return f"http://{fields['redirect_host']}{'' if path == '/' else path}"

    def _show_register_uri(self) -> None:
        fields = self.to_fields()
        if not fields["redirect_path"].startswith("/"):
            self.register_label.setText("Register this redirect URI: (fix the redirect path first: "
                                        "it starts with /)")  # fmt: skip
            self.copy_button.setEnabled(False)
            return
        self.copy_button.setEnabled(True)
        uri = self.register_text()
        port = self.port_edit.text().strip() if self._options else ""
        where = "Mobile and desktop applications"
        if fields["redirect_host"] == "127.0.0.1":
            where += ", through the manifest (the portal's box takes only localhost)"
        note = f"; the tester listens on port {port}, Entra ignores it" if port.strip("0") else ""
        self.register_label.setText(f"Register this redirect URI: {uri}\n(under {where}{note})")
        self.register_label.setAccessibleName(f"Register this redirect URI: {uri}")

    def _on_copy_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self.register_text())

    def load(self, inputs: TokenRequestInput) -> None:
        """Show the inputs' options (the rows are built only for values they do not start with)."""
        if not self._options and all(getattr(inputs, n) == getattr(DEFAULTS, n) for n in NAMES):
            self._show_register_uri()
            return
        select(self.host_combo, inputs.redirect_host)
        self.port_edit.setText(str(inputs.redirect_port) if inputs.redirect_port else "")
        self.path_edit.setText("" if inputs.redirect_path == "/" else inputs.redirect_path)
        select(self.prompt_combo, inputs.prompt)
        self.login_hint_edit.setText(inputs.login_hint)
        self.domain_hint_edit.setText(inputs.domain_hint)
        self._show_register_uri()

    def to_fields(self) -> dict[str, Any]:
        """The inputs' sign-in fields as typed (an unusable port is -1: pre-flight says why)."""
        if not self._options:
            return {n: getattr(DEFAULTS, n) for n in NAMES}
        port = self.port_edit.text().strip()
        return {
            "redirect_host": self.host_combo.currentData(),
            "redirect_port": int(port) if port.isdigit() else (-1 if port else 0),
            "redirect_path": self.path_edit.text().strip() or "/",
            "prompt": self.prompt_combo.currentData(),
            "login_hint": self.login_hint_edit.text().strip(),
            "domain_hint": self.domain_hint_edit.text().strip(),
        }

    @staticmethod
    def needed_for(inputs: TokenRequestInput) -> bool:
        """Whether these inputs set a browser sign-in option (then Advanced opens to show it)."""
        return inputs.grant is GrantType.AUTHORIZATION_CODE and any(
            getattr(inputs, n) != getattr(DEFAULTS, n) for n in NAMES[1:]
        )
