"""Every state of the window worth looking at, each as a function that puts a window in it.

Used by gui_screenshots.py --review: a fresh form, Advanced open, each answer tab after a
success, failures, a blocked send, expiry (amber, red), TLS, 429, a pasted non-token, the two
sign-in waits, history details and a collapsed Profiles column.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QLabel, QWidget

from core.sandbox import Sandbox, scenarios
from core.sandbox import directory as d
from core.store.history import HistoryEntry
from core.token.models import GrantType, TokenRequestInput
from gui.main_window import MainWindow

SCENARIOS = {s.key: s for s in scenarios()}


class Clock:
    """Real time plus an offset the states move (to show a token about to expire or expired)."""

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset


@dataclass
class Stage:
    """What a state gets: the window (made without a sandbox for 'fresh'), its clock and the
    sandbox. A state returns the widget to picture (the window, or a dialog it opened)."""

    window: MainWindow
    clock: Clock
    sandbox: Sandbox


def wait(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def wait_until(test: Callable[[], bool], timeout_ms: int = 10_000) -> None:
    end = time.monotonic() + timeout_ms / 1000
    while not test() and time.monotonic() < end:
        wait(20)


def send(window: MainWindow, key: str | None = None) -> None:
    """Load a scenario (waiting for a TLS sandbox when it needs one), Send and wait."""
    if key is not None:
        scenario = SCENARIOS[key]
        if scenario.needs_tls:
            loop = QEventLoop()
            window.aux.finished.connect(loop.quit)
            window.load_scenario(scenario)
            loop.exec()
        else:
            window.load_scenario(scenario)
    loop = QEventLoop()
    window.worker.finished.connect(loop.quit)
    window.send()
    loop.exec()
    window.worker.finished.disconnect(loop.quit)


def _tab(window: MainWindow, name: str) -> QWidget:
    view = window.response
    view.tabs.setCurrentWidget(getattr(view, name))
    return window


def _success(tab: str) -> Callable[[Stage], QWidget]:
    def state(stage: Stage) -> QWidget:
        send(stage.window, "cc-v2-api")
        if tab == "claims":  # a claim chosen: its whole value and explanation below the table
            claims = stage.window.response.claims
            rows = [r for r in range(claims.proxy.rowCount())
                    if claims.proxy.index(r, 0).data() == "roles"]  # fmt: skip
            claims.table.selectRow(rows[0] if rows else 0)
        return _tab(stage.window, tab)

    return state


def fresh(stage: Stage) -> QWidget:
    return stage.window


def advanced(stage: Stage) -> QWidget:
    stage.window.load_scenario(SCENARIOS["cc-v2-graph"])
    stage.window.form.advanced_toggle.setChecked(True)
    return stage.window


def failure(stage: Stage) -> QWidget:
    send(stage.window, "secret-wrong")  # AADSTS7000215
    return _tab(stage.window, "diagnosis")


def failure_summary(stage: Stage) -> QWidget:
    send(stage.window, "secret-wrong")
    return _tab(stage.window, "summary")


def blocked(stage: Stage) -> QWidget:
    form = stage.window.form
    form.tenant_edit.setText("contoso")
    form.client_id_edit.setText("Contoso Daemon")
    form.secret_edit.clear()
    send(stage.window)
    return _tab(stage.window, "diagnosis")


def _expiring(seconds_left: float) -> Callable[[Stage], QWidget]:
    def state(stage: Stage) -> QWidget:
        send(stage.window, "cc-v2-graph")
        report = stage.window.response.report
        assert report is not None and report.verdict.expires_at
        stage.clock.offset = report.verdict.expires_at - seconds_left - time.time()
        stage.window.response.verdict_label.refresh()
        stage.window.response.summary.refresh_countdown()
        return _tab(stage.window, "summary")

    return state


def tls(stage: Stage) -> QWidget:
    send(stage.window, "fault-tls")
    return _tab(stage.window, "diagnosis")


def throttled(stage: Stage) -> QWidget:
    send(stage.window, "fault-throttled")
    return _tab(stage.window, "diagnosis")


def not_a_token(stage: Stage) -> QWidget:
    window = stage.window
    loop = QEventLoop()
    window.decoder.finished.connect(loop.quit)
    window.decode_text("hello, this is not a token")
    loop.exec()
    return _tab(window, "summary")


def _sign_in(grant: GrantType) -> Callable[[Stage], QWidget]:
    def state(stage: Stage) -> QWidget:
        window = stage.window
        window.sending.open_url = lambda _url: None  # a browser nobody uses
        window.form.load_input(TokenRequestInput(
            cloud="sandbox", authority=stage.sandbox.base_url, tenant=d.CONTOSO.domain,
            client_id=d.DESKTOP.client_id, grant=grant, scope="User.Read",
            redirect_host="localhost"))  # fmt: skip
        window.send()
        if grant is GrantType.DEVICE_CODE:
            code = window.findChild(QLabel, "deviceCodeLabel")
            wait_until(code.isVisible)
        else:
            wait_until(lambda: "browser" in window.response.verdict_label.text())
        wait(100)
        return window

    return state


def browser_advanced(stage: Stage) -> QWidget:
    """The browser sign-in's rows: the redirect URI to register, and Advanced's redirect,
    prompt and hints (a malformed path says so beside it)."""
    window = stage.window
    window.form.load_input(TokenRequestInput(
        cloud="sandbox", authority=stage.sandbox.base_url, tenant=d.CONTOSO.domain,
        client_id=d.DESKTOP.client_id, grant=GrantType.AUTHORIZATION_CODE, scope="User.Read",
        redirect_host="localhost", redirect_path="auth", prompt="select_account",
        login_hint=f"alex@{d.CONTOSO.domain}"))  # fmt: skip
    window.form.advanced_toggle.setChecked(True)
    wait_until(lambda: "malformed" in window.form.finding_text("redirect_path"))
    return window


def signed_in(stage: Stage) -> QWidget:
    """Signed in in the browser: who, the ID token's checks, Refresh and its other-API field."""
    from tests.fakes.signin_browser import PageBrowser

    window = stage.window
    window.sending.open_url = PageBrowser(f"alex@{d.CONTOSO.domain}", d.PASSWORD).open
    window.form.load_input(TokenRequestInput(
        cloud="sandbox", authority=stage.sandbox.base_url, tenant=d.CONTOSO.domain,
        client_id=d.DESKTOP.client_id, grant=GrantType.AUTHORIZATION_CODE, scope="User.Read",
        redirect_host="localhost"))  # fmt: skip
    window.send()
    wait_until(lambda: window.sending.signin_panel.refresh_button.isVisible())
    wait(100)
    return window


def history(stage: Stage) -> QWidget:
    window = stage.window
    profile = window.profiles.list()[0]
    window.history.add(profile.id, HistoryEntry(at=time.time() - 3600, ok=True, outcome="issued",
                                                status=200))  # fmt: skip
    window.history.add(profile.id, HistoryEntry(
        at=time.time() - 60, ok=False, outcome="refused", status=401, aadsts=(7000215,),
        error="invalid_client: AADSTS7000215: Invalid client secret provided.",
        correlation_id="5f1c2a3b-0d4e-4f6a-9b8c-7d6e5f4a3b2c",
        trace_id="0b9a8c7d-6e5f-4a3b-2c1d-0e9f8a7b6c5d"))  # fmt: skip
    window.panel.select(profile.id)
    wait(100)
    items = window.panel.history_view.list
    items.setCurrentRow(0)
    items.itemActivated.emit(items.currentItem())
    from gui.profiles.history_view import ResultDetails

    dialog = window.findChild(ResultDetails)
    wait(100)
    return dialog


def collapsed(stage: Stage) -> QWidget:
    send(stage.window, "cc-v2-api")
    stage.window.side_splitter.setSizes([0, 10_000])
    return _tab(stage.window, "claims")


# name -> state; "fresh" gets a window without a sandbox (an untouched, empty form).
STATES: dict[str, Callable[[Stage], QWidget]] = {
    "fresh": fresh,
    "advanced": advanced,
    "ok-summary": _success("summary"),
    "ok-claims": _success("claims"),
    "ok-raw": _success("raw"),
    "ok-request": _success("request"),
    "ok-diagnosis": _success("diagnosis"),
    "ok-try": _success("try_it"),
    "failure": failure,
    "failure-summary": failure_summary,
    "blocked": blocked,
    "amber": _expiring(100),
    "expired": _expiring(-180),
    "tls": tls,
    "throttled": throttled,
    "not-a-token": not_a_token,
    "device-code": _sign_in(GrantType.DEVICE_CODE),
    "browser-wait": _sign_in(GrantType.AUTHORIZATION_CODE),
    "browser-advanced": browser_advanced,
    "signed-in": signed_in,
    "history": history,
    "collapsed": collapsed,
}
