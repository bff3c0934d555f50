"""The browser sign-in's rows: the redirect URI to register (auth code only), and in Advanced the
redirect host, port and path, prompt and hints, with pre-flight messages beside them."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from core.sandbox import Sandbox
from core.sandbox import directory as d
from core.store.profile import Profile
from core.token.models import GrantType, TokenRequestInput
from gui.main_window import MainWindow


def _auth_code(window: MainWindow, sandbox: Sandbox, **fields: object) -> None:
    window.form.load_input(TokenRequestInput(
        cloud="sandbox", authority=sandbox.base_url, tenant=d.CONTOSO.domain,
        client_id=d.DESKTOP.client_id, grant=GrantType.AUTHORIZATION_CODE, scope="User.Read",
        **fields))  # type: ignore[arg-type]  # fmt: skip


def test_rows_show_for_the_browser_grant_only(qtbot: QtBot, window: MainWindow,
                                              sandbox: Sandbox) -> None:  # fmt: skip
    """The redirect URI to register shows for auth code; the options only in Advanced."""
    rows, form = window.form.signin, window.form
    assert not rows.register_label.isVisible() and not rows.host_combo.isVisible()
    _auth_code(window, sandbox)
    assert rows.register_label.isVisible() and not rows.port_edit.isVisible()
    qtbot.mouseClick(form.advanced_toggle, Qt.MouseButton.LeftButton)
    assert all(w.isVisible() for w in rows.widgets())
    form.grant_combo.setCurrentIndex(form.grant_combo.findData(GrantType.DEVICE_CODE.value))
    assert not rows.register_label.isVisible() and not any(w.isVisible() for w in rows.widgets())
    assert form.token_url_edit.isVisible()  # Advanced itself stays open


def test_register_line_follows_host_and_path_and_copies(qtbot: QtBot, window: MainWindow,
                                                        sandbox: Sandbox) -> None:  # fmt: skip
    """The URI to register has no port (ignored) but the path (compared); Copy copies it."""
    rows = window.form.signin
    _auth_code(window, sandbox)
    label = window.findChild(QLabel, "registerRedirectLabel")
    assert "Register this redirect URI: http://127.0.0.1\n" in label.text()
    assert "manifest" in label.text()
    rows.host_combo.setCurrentIndex(rows.host_combo.findData("localhost"))
    qtbot.keyClicks(rows.path_edit, "/auth")
    qtbot.keyClicks(rows.port_edit, "8400")
    assert label.text().startswith("Register this redirect URI: http://localhost/auth\n")
    assert "port 8400" in label.text() and "manifest" not in label.text()
    qtbot.mouseClick(rows.copy_button, Qt.MouseButton.LeftButton)
    assert QApplication.clipboard().text() == "http://localhost/auth"
    inputs = window.form.to_input()
    assert (inputs.redirect_host, inputs.redirect_port, inputs.redirect_path) == (
        "localhost", 8400, "/auth")  # fmt: skip


@pytest.mark.parametrize(("field", "typed", "message"), [
    ("redirect_path", "callback", "Redirect path is malformed"),
    ("redirect_path", "/a b", "Redirect path is malformed"),
    ("redirect_port", "70000", "Redirect port out of range"),
])  # fmt: skip
def test_messages_beside_the_redirect_fields(
    qtbot: QtBot, window: MainWindow, sandbox: Sandbox, field: str, typed: str, message: str
) -> None:
    """A malformed path or a port that is no TCP port is said beside the field, and Advanced
    opens to show it; Send is blocked with the same reason."""
    rows = window.form.signin
    _auth_code(window, sandbox)
    edit = rows.path_edit if field == "redirect_path" else rows.port_edit
    window.form.advanced.set_visible(True)
    qtbot.keyClicks(edit, typed)
    qtbot.waitUntil(lambda: message in window.form.finding_text(field), timeout=3000)
    assert window.form.finding_text("redirect_host") == ""
    with qtbot.waitSignal(window.worker.finished, timeout=10_000):
        qtbot.mouseClick(window.send_button, Qt.MouseButton.LeftButton)
    report = window.response.report
    assert report is not None and report.result.outcome.value == "blocked"


def test_no_message_for_other_grants(qtbot: QtBot, window: MainWindow, sandbox: Sandbox) -> None:
    """The redirect is not checked for a grant that has none (client credentials)."""
    _auth_code(window, sandbox, redirect_path="oops")
    qtbot.waitUntil(lambda: "malformed" in window.form.finding_text("redirect_path"), timeout=3000)
    form = window.form
    form.grant_combo.setCurrentIndex(form.grant_combo.findData(GrantType.CLIENT_CREDENTIALS.value))
    qtbot.waitUntil(lambda: window.form.finding_text("redirect_path") == "", timeout=3000)


def test_settings_round_trip_through_a_profile(window: MainWindow, sandbox: Sandbox) -> None:
    """Host, port, path, prompt and hints go into a profile and come back into the form, and
    Advanced opens when a loaded setup uses one of them."""
    _auth_code(window, sandbox, redirect_host="localhost", redirect_port=8400,
               redirect_path="/auth", prompt="select_account", login_hint="alex@contoso.example",
               domain_hint="contoso.example")  # fmt: skip
    assert window.form.advanced_toggle.isChecked()
    profile = window.form.to_profile(Profile(name="Desktop"))
    assert (profile.redirect_host, profile.redirect_port, profile.redirect_path) == (
        "localhost", 8400, "/auth")  # fmt: skip
    assert (profile.prompt, profile.login_hint, profile.domain_hint) == (
        "select_account", "alex@contoso.example", "contoso.example")  # fmt: skip
    window.form.load_input(TokenRequestInput())
    assert (
        window.form.to_input().redirect_path == "/" and not window.form.advanced_toggle.isChecked()
    )
    window.form.load_profile(profile)
    again = window.form.to_input()
    names = ("redirect_host", "redirect_port", "redirect_path", "prompt", "login_hint",
             "domain_hint", "grant")  # fmt: skip
    assert {n: getattr(again, n) for n in names} == {n: getattr(profile, n) for n in names}


def test_sign_in_scenarios_set_where_the_tester_listens(window: MainWindow) -> None:
    """The redirect mismatch demo listens on 127.0.0.1; the others on localhost, which Contoso
    Desktop registers."""
    actions = {a.data(): a for a in window.sandboxing.actions()}
    actions["auth-code-redirect-mismatch"].trigger()
    assert window.form.to_input().redirect_host == "127.0.0.1"
    assert "http://127.0.0.1" in window.form.signin.register_label.text()
    actions["auth-code-ok"].trigger()
    assert window.form.to_input().redirect_host == "localhost"


def test_the_rows_never_widen_the_form(window: MainWindow, sandbox: Sandbox) -> None:
    """The long items of the host and prompt menus and the register line fit the width the
    form has without them (else the fields clip under the scroll bar)."""
    before = window.form.minimumSizeHint().width()
    _auth_code(window, sandbox, redirect_path="/a-rather-long-path/for-the-callback")
    window.form.advanced.set_visible(True)
    assert window.form.signin.prompt_combo.isVisible()
    assert window.form.minimumSizeHint().width() <= before
