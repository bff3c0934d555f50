"""Delegated sign-in in the window: Send opens the (injected) browser, which signs in on the
sandbox's pages over HTTP; the device code is shown large with Copy, a link and a countdown;
the signed-in user and Refresh appear while a refresh token is held."""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QPushButton
from pytestqt.qtbot import QtBot

from core.sandbox import Sandbox
from core.sandbox import directory as d
from core.signin.device import DeviceCode
from core.token.models import GrantType, TokenRequestInput
from gui.main_window import MainWindow
from tests.fakes.signin_browser import PageBrowser

ALEX, MORGAN = f"alex@{d.CONTOSO.domain}", f"morgan@{d.CONTOSO.domain}"


def _load(window: MainWindow, sandbox: Sandbox, grant: GrantType, scope: str = "User.Read") -> None:
    window.form.load_input(TokenRequestInput(
        cloud="sandbox", authority=sandbox.base_url, tenant=d.CONTOSO.domain,
        client_id=d.DESKTOP.client_id, grant=grant, scope=scope,
        redirect_host="localhost"))  # fmt: skip


def _send(qtbot: QtBot, window: MainWindow, timeout: int = 15_000) -> None:
    with qtbot.waitSignal(window.worker.finished, timeout=timeout):
        qtbot.mouseClick(window.send_button, Qt.MouseButton.LeftButton)


def test_browser_sign_in_shows_the_user_and_refreshes(qtbot: QtBot, window: MainWindow,
                                                      sandbox: Sandbox) -> None:  # fmt: skip
    browser = PageBrowser(ALEX, d.PASSWORD)
    window.sending.open_url = browser.open
    _load(window, sandbox, GrantType.AUTHORIZATION_CODE)
    assert window.form.grant_combo.currentText() == "Authorization code (browser)"
    _send(qtbot, window)
    report = window.response.report
    assert report is not None and report.issued
    user = window.findChild(QLabel, "signedInLabel").text()
    assert "Signed in: Alex Wilber (alex@contoso.example), member" in user
    assert "ID token checked: signature, audience, nonce, issuer, expiry" in user
    refresh = window.findChild(QPushButton, "refreshButton")
    assert refresh.isVisible() and "You can close this tab" in browser.last_page
    first = report.token
    with qtbot.waitSignal(window.worker.finished, timeout=10_000):
        qtbot.mouseClick(refresh, Qt.MouseButton.LeftButton)
    again = window.response.report
    assert again is not None and again.issued and again.token != first
    assert refresh.isVisible()


def test_browser_error_is_diagnosed(qtbot: QtBot, window: MainWindow, sandbox: Sandbox) -> None:
    window.sending.open_url = PageBrowser(MORGAN, d.PASSWORD).open
    _load(window, sandbox, GrantType.AUTHORIZATION_CODE)
    _send(qtbot, window)
    report = window.response.report
    assert report is not None and report.diagnosis.code == "AADSTS50076"
    assert not window.findChild(QPushButton, "refreshButton").isVisible()


def test_waiting_banner_and_esc_cancels(qtbot: QtBot, window: MainWindow,
                                        sandbox: Sandbox) -> None:  # fmt: skip
    opened: list[str] = []
    window.sending.open_url = opened.append  # a browser nobody uses
    _load(window, sandbox, GrantType.AUTHORIZATION_CODE)
    qtbot.mouseClick(window.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(opened), timeout=5000)
    assert "Waiting for sign-in in your browser" in window.response.verdict_label.text()
    with qtbot.waitSignal(window.worker.finished, timeout=5000):
        qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert "Cancelled" in window.response.verdict_label.text()


def test_device_code_is_shown_with_copy_link_and_countdown(qtbot: QtBot, window: MainWindow,
                                                           sandbox: Sandbox) -> None:  # fmt: skip
    _load(window, sandbox, GrantType.DEVICE_CODE)
    browser = PageBrowser(ALEX, d.PASSWORD)
    shown: list[DeviceCode] = []
    window.sending.worker.progressed.connect(
        lambda p: shown.append(p) if isinstance(p, DeviceCode) else None)  # fmt: skip
    qtbot.mouseClick(window.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(shown), timeout=5000)
    code = window.findChild(QLabel, "deviceCodeLabel")
    assert code.isVisible() and code.text() == shown[0].user_code
    assert code.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse
    link = window.findChild(QLabel, "deviceUrlLabel")
    assert f"href='{sandbox.base_url}/devicelogin'" in link.text() and link.openExternalLinks()
    assert "expires in 1" in window.findChild(QLabel, "deviceCountdownLabel").text()  # 15:00
    qtbot.mouseClick(window.findChild(QPushButton, "copyDeviceCodeButton"),
                     Qt.MouseButton.LeftButton)  # fmt: skip
    assert QApplication.clipboard().text() == shown[0].user_code
    assert "Waiting for sign-in with the code" in window.response.verdict_label.text()
    with qtbot.waitSignal(window.worker.finished, timeout=15_000):
        args = (shown[0].verification_uri, code.text())
        threading.Thread(target=browser.device_sign_in, args=args, daemon=True).start()
    assert window.response.report is not None and window.response.report.issued
    assert not code.isVisible()
    assert "Alex Wilber" in window.findChild(QLabel, "signedInLabel").text()


def test_sign_in_scenario_from_the_sandbox_menu(qtbot: QtBot, window: MainWindow) -> None:
    action = next(a for a in window.sandboxing.actions() if a.data() == "auth-code-consent")
    assert "sign in as jordan@contoso.example" in action.statusTip()
    action.trigger()
    assert window.form.grant_combo.currentText() == "Authorization code (browser)"
    browser = PageBrowser(f"jordan@{d.CONTOSO.domain}", d.PASSWORD)
    window.sending.open_url = browser.open
    _send(qtbot, window)
    assert window.response.report is not None and window.response.report.issued
    assert any("Permissions requested" in page for page in browser.pages)


def test_esc_during_device_code_hides_the_code(
    qtbot: QtBot, window: MainWindow, sandbox: Sandbox
) -> None:
    _load(window, sandbox, GrantType.DEVICE_CODE)
    code = window.findChild(QLabel, "deviceCodeLabel")
    qtbot.mouseClick(window.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(code.isVisible, timeout=5000)
    with qtbot.waitSignal(window.worker.finished, timeout=5000):
        qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert not code.isVisible() and "Cancelled" in window.response.verdict_label.text()
