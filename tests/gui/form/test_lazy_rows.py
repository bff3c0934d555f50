"""The certificate, assertion and Advanced rows are built on first use, and nothing is lost."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from core.redaction import Secret
from core.sandbox import PFX_PASSWORD, Sandbox
from core.store.profile import Profile
from core.token.models import AssertionAlg, AuthMethod, CredentialKind, GrantType, TokenRequestInput
from gui.main_window import MainWindow

CREDENTIAL_FIELDS = ("credential", "certificate_path", "certificate_key_path",
                     "certificate_password", "assertion_alg", "send_x5c", "client_assertion",
                     "assertion_file")  # fmt: skip
ADVANCED_FIELDS = ("auth_method", "timeout_s", "token_url")
SIGNIN_FIELDS = ("redirect_host", "redirect_port", "redirect_path", "prompt", "login_hint",
                 "domain_hint")  # fmt: skip


def _choose(window: MainWindow, kind: CredentialKind) -> None:
    combo = window.form.credential_combo
    combo.setCurrentIndex(combo.findData(kind.value))


def _next_tab_stop(window: MainWindow, widget: QWidget) -> QWidget:
    """The next widget Tab moves to from `widget` (visible, enabled, taking Tab focus)."""
    candidate = widget.nextInFocusChain()
    while not (candidate.focusPolicy() & Qt.FocusPolicy.TabFocus
               and candidate.isVisibleTo(window) and candidate.isEnabled()):  # fmt: skip
        candidate = candidate.nextInFocusChain()
    return candidate


def _credential(form) -> dict[str, object]:
    inputs = form.to_input()
    values = {name: getattr(inputs, name) for name in CREDENTIAL_FIELDS}
    for name in ("certificate_password", "client_assertion"):
        values[name] = values[name].reveal() if values[name] else None
    return values


def test_a_fresh_form_builds_no_certificate_rows(make_window) -> None:
    """A new window (client secret) has no certificate or assertion widgets, and its request
    holds the same credential fields the empty rows would give."""
    window = make_window()
    form = window.form
    assert not form.credentials.built()
    assert form.findChild(QLineEdit, "certificatePathEdit") is None
    defaults = TokenRequestInput()
    assert _credential(form) == {name: getattr(defaults, name) for name in CREDENTIAL_FIELDS}
    form.load_input(dataclasses.replace(form.to_input(), client_secret=Secret("s")))
    assert not form.credentials.built()  # a client secret loaded: still none


def test_choosing_a_certificate_builds_its_rows_in_place(qtbot: QtBot, make_window) -> None:
    """Certificate builds the rows right under the combo, in the label column and the tab
    order; Federated assertion shows its own; Client secret hides them again."""
    window = make_window()
    form, rows = window.form, window.form.credentials
    _choose(window, CredentialKind.CERTIFICATE)
    assert rows.built() and rows.cert_path_edit.isVisible()
    assert not form.secret_edit.isVisible() and not rows.assertion_edit.isVisible()
    layout: QFormLayout = form._form
    combo_row = layout.getWidgetPosition(form.credential_combo.parentWidget())[0]
    path_row = layout.getWidgetPosition(rows.cert_path_edit.parentWidget().parentWidget())[0]
    assert path_row == combo_row + 1
    tenant_label = layout.labelForField(form.tenant_edit.parentWidget())
    path_label = layout.labelForField(rows.cert_path_edit.parentWidget().parentWidget())
    assert path_label.minimumWidth() == tenant_label.minimumWidth() > 0
    assert _next_tab_stop(window, form.credential_combo) is rows.cert_path_edit
    assert _next_tab_stop(window, rows.cert_path_edit) is rows.cert_browse
    _choose(window, CredentialKind.FEDERATED)
    assert rows.assertion_edit.isVisible() and not rows.cert_path_edit.isVisible()
    assert _next_tab_stop(window, form.credential_combo) is rows.assertion_edit
    _choose(window, CredentialKind.SECRET)
    assert form.secret_edit.isVisible() and not rows.assertion_edit.isVisible()
    assert _next_tab_stop(window, form.credential_combo) is form.secret_edit


def test_a_certificate_profile_fills_a_fresh_window(make_window, sandbox: Sandbox) -> None:
    """A certificate profile loaded into a new window builds and fills the rows; saved from
    there and loaded into another new window, every credential field comes back."""
    path = str(sandbox.files_dir / "contoso-daemon.pfx")
    profile = Profile(name="Cert", credential=CredentialKind.CERTIFICATE, certificate_path=path,
                      certificate_key_path="/keys/daemon.key", assertion_alg=AssertionAlg.RS256,
                      send_x5c=True, assertion_file="/tmp/token.jwt")  # fmt: skip
    first = make_window()
    first.form.load_profile(profile, certificate_password=Secret(PFX_PASSWORD))
    rows = first.form.credentials
    assert rows.built() and rows.cert_path_edit.isVisible()
    assert rows.cert_path_edit.text() == path and rows.x5c_check.isChecked()
    assert rows.cert_password_edit.text() == PFX_PASSWORD
    expected = _credential(first.form)
    assert expected["credential"] is CredentialKind.CERTIFICATE
    assert expected["assertion_alg"] is AssertionAlg.RS256
    assert expected["assertion_file"] == "/tmp/token.jwt"
    saved = first.form.to_profile(profile)
    second = make_window()
    second.form.load_profile(saved, certificate_password=Secret(PFX_PASSWORD))
    assert _credential(second.form) == expected
    second.form.load_profile(Profile(name="Secret"))  # the rows stay, emptied and hidden
    assert not second.form.credentials.cert_path_edit.text()
    assert not second.form.credentials.cert_path_edit.isVisible()


def test_a_dropped_certificate_builds_the_rows(make_window, tmp_path: Path) -> None:
    """A certificate file dropped on a fresh form chooses Certificate and fills the path."""
    window = make_window()
    path = str(tmp_path / "app.pem")
    assert window.form.credentials.drop_file(path)
    assert window.form.credentials.kind() is CredentialKind.CERTIFICATE
    assert window.form.credentials.cert_path_edit.text() == path


def test_advanced_rows_are_built_when_first_opened(qtbot: QtBot, make_window) -> None:
    """A fresh form builds only Advanced's toggle; opening it builds its rows and the sign-in
    options under it, in the label column and in the tab order before Send."""
    window = make_window()
    form = window.form
    assert not form.advanced.built() and form.findChild(QLineEdit, "tokenUrlEdit") is None
    defaults = TokenRequestInput()
    names = (*ADVANCED_FIELDS, *SIGNIN_FIELDS)
    assert {n: getattr(form.to_input(), n) for n in names} == {
        n: getattr(defaults, n) for n in names
    }
    assert _next_tab_stop(window, form.advanced_toggle) is window.send_button
    qtbot.mouseClick(form.advanced_toggle, Qt.MouseButton.LeftButton)
    assert form.advanced.built() and form.token_url_edit.isVisible()
    layout: QFormLayout = form._form
    toggle_row = layout.getWidgetPosition(form.advanced_toggle)[0]
    assert layout.getWidgetPosition(form.auth_combo.parentWidget())[0] == toggle_row + 1
    label = layout.labelForField(form.token_url_edit.parentWidget())
    assert (
        label.minimumWidth() == layout.labelForField(form.tenant_edit.parentWidget()).minimumWidth()
    )
    assert _next_tab_stop(window, form.advanced_toggle) is form.auth_combo
    assert _next_tab_stop(window, form.token_url_edit) is window.send_button
    form.grant_combo.setCurrentIndex(form.grant_combo.findData(GrantType.AUTHORIZATION_CODE.value))
    signin = form.signin
    assert _next_tab_stop(window, form.token_url_edit) is signin.host_combo
    assert _next_tab_stop(window, signin.domain_hint_edit) is window.send_button


def test_loaded_options_build_the_rows_and_round_trip(make_window) -> None:
    """A setup with a custom token URL, or sign-in options (even for another grant), builds the
    rows in a fresh form; saved and loaded into another fresh form, every value comes back."""
    options = TokenRequestInput(token_url="https://login.example/token", timeout_s=12,
                                auth_method=AuthMethod.BASIC, redirect_host="localhost",
                                redirect_port=8400, redirect_path="/cb", prompt="login",
                                login_hint="a@b.example", domain_hint="b.example")  # fmt: skip
    names = (*ADVANCED_FIELDS, *SIGNIN_FIELDS)
    first = make_window()
    first.form.load_input(options)
    assert first.form.advanced.built() and first.form.advanced_toggle.isChecked()
    assert {n: getattr(first.form.to_input(), n) for n in names} == {
        n: getattr(options, n) for n in names
    }
    second = make_window()
    second.form.load_profile(first.form.to_profile(Profile(name="Options")))
    assert {n: getattr(second.form.to_input(), n) for n in names} == {
        n: getattr(options, n) for n in names
    }
    third = make_window()  # sign-in options alone, client credentials: built, Advanced closed
    third.form.load_input(TokenRequestInput(login_hint="a@b.example"))
    assert third.form.signin.login_hint_edit.text() == "a@b.example"
    assert not third.form.advanced_toggle.isChecked()
    assert "http://127.0.0.1" in third.form.signin.register_text()
