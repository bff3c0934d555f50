"""Each way a sign-in goes wrong, in the window: the (injected) browser goes through the
sandbox's pages over HTTP as a user's browser does, and the answer names the AADSTS code or the
OAuth error. Browser: redirect not registered (host or path), wrong verifier, code used twice,
expired code, consent declined. Device code: declined, expired, slow_down, MFA."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import replace
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pytest
import requests
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from core.redaction import Secret
from core.sandbox import Sandbox
from core.sandbox import directory as d
from core.signin.device import DeviceCode
from core.signin.pkce import Pkce
from core.token.models import GrantType, TokenRequestInput
from gui import send_flow
from gui.main_window import MainWindow
from tests.fakes.signin_browser import PageBrowser

ALEX, RILEY = f"alex@{d.CONTOSO.domain}", f"riley@{d.CONTOSO.domain}"
MORGAN = f"morgan@{d.CONTOSO.domain}"


def _load(window: MainWindow, sandbox: Sandbox, grant: GrantType, **fields: object) -> None:
    values: dict[str, object] = {
        "cloud": "sandbox", "authority": sandbox.base_url, "tenant": d.CONTOSO.domain,
        "client_id": d.DESKTOP.client_id, "grant": grant, "scope": "User.Read",
        "redirect_host": "localhost", **fields,
    }  # fmt: skip
    window.form.load_input(TokenRequestInput(**values))  # type: ignore[arg-type]


def _send(qtbot: QtBot, window: MainWindow, timeout: int = 15_000) -> None:
    with qtbot.waitSignal(window.worker.finished, timeout=timeout):
        qtbot.mouseClick(window.send_button, Qt.MouseButton.LeftButton)


def _code(window: MainWindow) -> str:
    report = window.response.report
    assert report is not None and report.diagnosis is not None
    return report.diagnosis.code


@pytest.mark.parametrize(("host", "path"), [("127.0.0.1", "/"), ("localhost", "/auth")])
def test_redirect_not_registered_shows_on_the_page_and_the_window_times_out(
    qtbot: QtBot, window: MainWindow, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch,
    host: str, path: str,
) -> None:  # fmt: skip
    """Contoso Desktop registers http://localhost only: another host or another path gets
    AADSTS50011 on the sign-in page, nothing comes back, and the window says so in time."""
    monkeypatch.setattr(send_flow, "SIGNIN_WAIT_S", 2.0)
    browser = PageBrowser(ALEX, d.PASSWORD)
    window.sending.open_url = browser.open
    _load(window, sandbox, GrantType.AUTHORIZATION_CODE, redirect_host=host, redirect_path=path)
    register = window.findChild(QLabel, "registerRedirectLabel").text()
    assert f"Register this redirect URI: http://{host}{'' if path == '/' else path}" in register
    _send(qtbot, window)
    assert "AADSTS50011" in browser.last_page
    report = window.response.report
    assert report is not None and report.diagnosis is not None
    assert "No sign-in came back from the browser within 2 s" in report.result.failure.message
    assert report.diagnosis.title == "No sign-in came back in time"
    assert "register the redirect URI the tester shows" in report.diagnosis.fix[0]


def test_a_registered_path_signs_in(qtbot: QtBot, window: MainWindow, sandbox: Sandbox) -> None:
    """Contoso Daemon registers http://localhost/auth: the same path signs in (with its secret,
    a confidential client), and the redirect URI sent carries it."""
    browser = PageBrowser(ALEX, d.PASSWORD)
    window.sending.open_url = browser.open
    _load(window, sandbox, GrantType.AUTHORIZATION_CODE, client_id=d.DAEMON.client_id,
          client_secret=Secret(d.VALID_SECRET.value), redirect_path="/auth")  # fmt: skip
    _send(qtbot, window)
    report = window.response.report
    assert report is not None and report.issued, window.response.verdict_label.text()
    assert "redirect_uri=http%3A%2F%2Flocalhost%3A" in browser.urls[0]
    assert "%2Fauth&" in browser.urls[0]


def test_wrong_verifier_is_diagnosed(qtbot: QtBot, window: MainWindow, sandbox: Sandbox) -> None:
    """The authorize URL's challenge is changed on its way to the sign-in page: the code is
    bound to another challenge, so the app's verifier does not match (AADSTS501481)."""

    def tamper(url: str) -> str:
        parts = urlsplit(url)
        query = parse_qs(parts.query)
        if "code_challenge" not in query:
            return url
        query["code_challenge"] = [Pkce.new().challenge]
        return urlunsplit(parts._replace(query=urlencode(query, doseq=True)))

    window.sending.open_url = PageBrowser(ALEX, d.PASSWORD, before_get=tamper).open
    _load(window, sandbox, GrantType.AUTHORIZATION_CODE)
    _send(qtbot, window)
    assert _code(window) == "AADSTS501481"


def test_code_used_twice_is_diagnosed(qtbot: QtBot, window: MainWindow, sandbox: Sandbox) -> None:
    """The code is redeemed by someone else before the app (a double submit): AADSTS54005."""
    token_url = f"{sandbox.base_url}/{d.CONTOSO.domain}/oauth2/v2.0/token"
    burnt: list[int] = []

    def redeem_first(url: str) -> str:
        parts = urlsplit(url)
        code = parse_qs(parts.query).get("code")
        if parts.hostname == "localhost" and code:
            answer = requests.post(token_url, timeout=10, data={
                "client_id": d.DESKTOP.client_id, "grant_type": "authorization_code",
                "code": code[0], "redirect_uri": url.split("?")[0],
                "code_verifier": "x" * 43})  # fmt: skip
            burnt.append(answer.status_code)
        return url

    window.sending.open_url = PageBrowser(ALEX, d.PASSWORD, before_get=redeem_first).open
    _load(window, sandbox, GrantType.AUTHORIZATION_CODE)
    _send(qtbot, window)
    assert burnt == [400] and _code(window) == "AADSTS54005"


@pytest.mark.parametrize(("user", "consent", "scope", "expected"), [
    (RILEY, "accept", "User.Read", "AADSTS70008"),  # signs in so slowly the code expires
    (ALEX, "decline", "Calendars.Read", "AADSTS65004"),  # Cancel on the consent page
])  # fmt: skip
def test_browser_refusals_are_diagnosed(qtbot: QtBot, window: MainWindow, sandbox: Sandbox,
                                        user: str, consent: str, scope: str,
                                        expected: str) -> None:  # fmt: skip
    window.sending.open_url = PageBrowser(user, d.PASSWORD, consent).open
    _load(window, sandbox, GrantType.AUTHORIZATION_CODE, scope=scope)
    _send(qtbot, window)
    assert _code(window) == expected
    assert not window.sending.signin_panel.refresh_button.isVisible()


def _device(qtbot: QtBot, window: MainWindow, sandbox: Sandbox, browser: PageBrowser,
            scope: str = "User.Read", before_sign_in: Callable[[], None] | None = None,
            sign_in_after_s: float = 0.0) -> None:  # fmt: skip
    """Send a device code sign-in; once the code shows, sign in with it on the page."""
    _load(window, sandbox, GrantType.DEVICE_CODE, scope=scope)
    shown: list[DeviceCode] = []
    window.sending.worker.progressed.connect(
        lambda p: shown.append(p) if isinstance(p, DeviceCode) else None)  # fmt: skip
    with qtbot.waitSignal(window.worker.finished, timeout=20_000):
        qtbot.mouseClick(window.send_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: bool(shown), timeout=5000)
        if before_sign_in is not None:
            before_sign_in()
        if browser.user:
            timer = threading.Timer(
                sign_in_after_s,
                browser.device_sign_in,
                args=(shown[0].verification_uri, shown[0].user_code),
            )
            timer.daemon = True
            timer.start()


def test_device_code_declined(qtbot: QtBot, window: MainWindow, sandbox: Sandbox) -> None:
    """The user cancels on the consent page: polling ends with authorization_declined."""
    _device(qtbot, window, sandbox, PageBrowser(ALEX, d.PASSWORD, "decline"), "Calendars.Read")
    report = window.response.report
    assert report is not None and report.result.error is not None
    assert report.result.error.error == "authorization_declined"
    assert not window.findChild(QLabel, "deviceCodeLabel").isVisible()


def test_device_code_mfa(qtbot: QtBot, window: MainWindow, sandbox: Sandbox) -> None:
    _device(qtbot, window, sandbox, PageBrowser(MORGAN, d.PASSWORD))
    assert _code(window) == "AADSTS50076"


def test_device_code_expired(qtbot: QtBot, window: MainWindow, sandbox: Sandbox,
                             monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    """Nobody signs in before the code's 15 minutes pass (the sandbox's clock jumps ahead):
    polling ends with expired_token (AADSTS70019)."""
    later = lambda: time.time() + 3600  # noqa: E731
    _device(qtbot, window, sandbox, PageBrowser(),
            before_sign_in=lambda: monkeypatch.setattr(sandbox.signin, "clock", later))  # fmt: skip
    report = window.response.report
    assert report is not None and report.result.error is not None
    assert report.result.error.error == "expired_token" and _code(window) == "AADSTS70019"


def test_device_code_slow_down_then_signs_in(qtbot: QtBot, window: MainWindow,
                                             sandbox: Sandbox) -> None:  # fmt: skip
    """The server wants polls 3 s apart while it said 1 s: its second poll gets slow_down, the
    tester then waits 5 s more (RFC 8628) and still gets the token once the user signed in."""
    state = sandbox.signin

    def stricter() -> None:
        with state.lock:
            for key, grant in state.devices.items():
                state.devices[key] = replace(grant, interval=3)

    started = time.monotonic()
    _device(qtbot, window, sandbox, PageBrowser(ALEX, d.PASSWORD), before_sign_in=stricter,
            sign_in_after_s=1.6)  # after the poll answered slow_down  # fmt: skip
    report = window.response.report
    assert report is not None and report.issued
    assert time.monotonic() - started >= 6.0  # 1 s, slow_down, then 1 + 5 s
