"""Refresh in the window, for the same API or another consented one, and what a sign-in leaves
behind: the refresh token, the code and the verifier appear in no widget, export, log, history
or profile file; a saved sign-in profile keeps its redirect and hints."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit, QTextEdit, QWidget
from pytestqt.qtbot import QtBot

from core.redaction import Secret
from core.sandbox import Sandbox
from core.sandbox import directory as d
from core.store.profiles import ProfileStore
from core.token.export import to_curl, to_powershell
from core.token.models import GrantType, TokenRequestInput
from gui.main_window import MainWindow
from tests.fakes.signin_browser import PageBrowser
from tests.gui.profiles.test_profiles_window import _name_new_profile, _save

ALEX = f"alex@{d.CONTOSO.domain}"
ORDERS = f"{d.API_URI}/Orders.Read"


def _sign_in(qtbot: QtBot, window: MainWindow, sandbox: Sandbox, **fields: object) -> None:
    window.sending.open_url = PageBrowser(ALEX, d.PASSWORD).open
    values: dict[str, object] = {
        "cloud": "sandbox", "authority": sandbox.base_url, "tenant": d.CONTOSO.domain,
        "client_id": d.DESKTOP.client_id, "grant": GrantType.AUTHORIZATION_CODE,
        "scope": "User.Read", "redirect_host": "localhost", **fields,
    }  # fmt: skip
    window.form.load_input(TokenRequestInput(**values))  # type: ignore[arg-type]
    with qtbot.waitSignal(window.worker.finished, timeout=15_000):
        qtbot.mouseClick(window.send_button, Qt.MouseButton.LeftButton)
    assert window.response.report is not None and window.response.report.issued


def _refresh(qtbot: QtBot, window: MainWindow, target: str = "") -> None:
    panel = window.sending.signin_panel
    panel.target_edit.setText(target)
    with qtbot.waitSignal(window.worker.finished, timeout=10_000):
        qtbot.mouseClick(panel.refresh_button, Qt.MouseButton.LeftButton)


def _claims(window: MainWindow) -> dict[str, object]:
    report = window.response.report
    assert report is not None and report.issued and report.decoded is not None
    return dict(report.decoded.payload)


def test_refresh_for_another_consented_api(qtbot: QtBot, window: MainWindow,
                                           sandbox: Sandbox) -> None:  # fmt: skip
    """Typed beside Refresh, the Orders API's scope brings a token for that API; empty, the
    same API again; the refresh token is replaced each time and Refresh stays."""
    _sign_in(qtbot, window, sandbox)
    assert _claims(window)["aud"] != d.API_URI
    held = window.sending.refresh_session.secret()
    _refresh(qtbot, window, ORDERS)
    claims = _claims(window)
    assert claims["aud"] in (d.API_URI, d.API_APP_ID) and claims["scp"] == "Orders.Read"
    assert f"Refreshed with the refresh token held in memory for {ORDERS}." in window.findChild(
        QLabel, "signedInLabel").text()  # fmt: skip
    assert window.sending.refresh_session.secret() != held  # rotated
    report = window.response.report
    assert report is not None and report.result.request is not None
    assert report.result.request.field("scope") == f"{ORDERS} openid profile offline_access"
    _refresh(qtbot, window)
    assert _claims(window)["scp"] != "Orders.Read"
    assert window.sending.signin_panel.refresh_button.isVisible()


def test_refresh_for_an_api_not_consented_is_diagnosed(qtbot: QtBot, window: MainWindow,
                                                        sandbox: Sandbox) -> None:  # fmt: skip
    """Another API's scope the user never consented to is refused and explained; the refresh
    token is still held, so Refresh stays."""
    _sign_in(qtbot, window, sandbox)
    _refresh(qtbot, window, f"{d.API_URI}/Orders.ReadWrite")
    report = window.response.report
    assert report is not None and not report.issued and report.diagnosis is not None
    assert report.diagnosis.code.startswith("AADSTS")
    assert window.sending.signin_panel.refresh_button.isVisible()


def _everything_shown(window: MainWindow) -> str:
    texts: list[str] = []
    for widget in window.findChildren(QWidget):
        texts += [widget.toolTip(), widget.accessibleName(), widget.accessibleDescription()]
        if isinstance(widget, QLabel | QLineEdit):
            texts.append(widget.text())
        elif isinstance(widget, QTextEdit | QPlainTextEdit):
            texts.append(widget.toPlainText())
    return "\n".join(texts)


def _files(*folders: Path) -> str:
    return "\n".join(
        p.read_text("utf-8", "replace") for f in folders if f.exists() for p in f.rglob("*")
        if p.is_file()
    )  # fmt: skip


@pytest.mark.usefixtures("sandbox")
def test_sign_in_secrets_stay_out_of_every_view_export_log_and_file(
    qtbot: QtBot, make_window, sandbox: Sandbox, config_folder: Path, settings_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    """Sign in from a saved profile, refresh, refresh for another API, open every answer tab:
    no refresh token, code or verifier in a widget, the exports, the log, the history or the
    profile file; the history says what happened (no token there either)."""
    caplog.set_level(logging.DEBUG)
    window = make_window(sandbox=sandbox)
    _sign_in(qtbot, window, sandbox, redirect_port=0, prompt="login", login_hint=ALEX)
    _save(qtbot, window)
    _name_new_profile(qtbot, window, "Desktop sign-in")
    with qtbot.waitSignal(window.worker.finished, timeout=15_000):
        qtbot.mouseClick(window.send_button, Qt.MouseButton.LeftButton)
    first = window.response.report
    assert first is not None and first.issued and first.result.request is not None
    verifier = first.result.request.field("code_verifier")
    assert isinstance(verifier, Secret)
    _refresh(qtbot, window)
    _refresh(qtbot, window, ORDERS)
    tabs = window.response.findChildren(QWidget, "answerTabs")
    for tab in tabs:
        for index in range(tab.count()):  # type: ignore[attr-defined]
            tab.setCurrentIndex(index)  # type: ignore[attr-defined]
    # The app's own log (the test browser's HTTP library logs its own requests, code included).
    app_log = "\n".join(f"{r.getMessage()} {r.exc_text or ''}" for r in caplog.records
                         if not r.name.startswith("urllib3"))  # fmt: skip
    secrets = [*sandbox.signin.refresh_tokens, *sandbox.signin.codes, verifier.reveal()]
    assert len(secrets) >= 4
    last = window.response.report
    assert last is not None and last.result.request is not None
    seen = "\n".join([
        _everything_shown(window), app_log, repr(first), repr(last),
        to_curl(first.result.request), to_powershell(last.result.request),
        _files(config_folder, settings_path.parent),
    ])  # fmt: skip
    assert not [s for s in secrets if s in seen]
    entries = window.history.entries(window.panel.current_id())
    assert len(entries) == 3 and all(e.ok for e in entries)
    profile = ProfileStore(config_folder).require("Desktop sign-in")
    assert profile.grant is GrantType.AUTHORIZATION_CODE and profile.redirect_host == "localhost"
    assert profile.prompt == "login" and profile.login_hint == ALEX
