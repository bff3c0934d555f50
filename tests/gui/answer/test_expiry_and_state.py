"""The answer tells the truth as time passes and as the form changes (fake clock, sandbox)."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from core.sandbox import Sandbox, scenarios
from gui.answer.response_view import IDLE_TEXT
from gui.main_window import MainWindow

SCENARIOS = {s.key: s for s in scenarios()}


class FakeClock:
    """A clock the test moves; it starts at the real time (tokens are issued against it)."""

    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def timed(make_window, sandbox: Sandbox, clock: FakeClock) -> MainWindow:
    return make_window(sandbox=sandbox, clear_delay_s=1, clock=clock)


def send(qtbot: QtBot, window: MainWindow, key: str | None = None) -> None:
    if key is not None:
        scenario = SCENARIOS[key]
        if scenario.needs_tls:
            with qtbot.waitSignal(window.aux.finished, timeout=10_000):
                window.load_scenario(scenario)
        else:
            window.load_scenario(scenario)
    with qtbot.waitSignal(window.worker.finished, timeout=10_000):
        qtbot.mouseClick(window.send_button, Qt.MouseButton.LeftButton)


def _tick(window: MainWindow) -> None:
    """What the one-second timers do, now (the fake clock has moved)."""
    window.response.verdict_label.refresh()
    window.response.summary.refresh_countdown()


def test_banner_turns_amber_then_red_and_keeps_counting(
    qtbot: QtBot, timed: MainWindow, clock: FakeClock
) -> None:
    send(qtbot, timed)
    banner, summary = timed.response.verdict_label, timed.response.summary
    end = timed.response.report.verdict.expires_at
    assert banner.state == "ok"
    clock.now = end - 250
    _tick(timed)
    assert banner.state == "warning" and banner.text().endswith("(4 min)")
    clock.now = end - 100
    _tick(timed)
    assert banner.text().endswith("(1 min 40 s)")
    assert summary.expiry_state == "soon" and summary.value("expires").endswith("in 1 min 40 s")
    clock.now = end + 19
    _tick(timed)
    assert banner.state == "error"
    assert banner.text().startswith("Token expired 19 s ago: app-only, client secret, ")
    assert summary.value("expires").endswith("expired 19 s ago")
    clock.now = end + 180
    _tick(timed)
    assert banner.text().startswith("Token expired 3 min ago: ")
    assert summary.value("expires").endswith("expired 3 min 00 s ago")  # never frozen at 0 s
    assert banner._timer.isActive() and summary._timer.isActive()


def test_copying_an_expired_token_says_so(
    qtbot: QtBot, timed: MainWindow, clock: FakeClock
) -> None:
    send(qtbot, timed)
    token = timed.response.report.token.reveal()
    clock.now = timed.response.report.verdict.expires_at + 180
    _tick(timed)
    qtbot.mouseClick(timed.response.copy_token_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == token  # it still copies
    assert "EXPIRED 3 min ago" in timed.statusBar().currentMessage()
    qtbot.mouseClick(timed.response.copy_header_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == f"Authorization: Bearer {token}"
    assert "EXPIRED 3 min ago" in timed.statusBar().currentMessage()


def test_an_edited_form_marks_the_answer_as_for_the_previous_request(
    qtbot: QtBot, window: MainWindow
) -> None:
    send(qtbot, window)
    response = window.response
    tenant = window.form.tenant_edit.text()
    with qtbot.waitSignal(window.form.changed, timeout=2000):
        window.form.tenant_edit.setText("contoso.example")
    assert response.stale and response.banner_state == "stale"
    assert response.verdict_label.text().startswith("For the previous request: Send again")
    assert response.dimmed
    with qtbot.waitSignal(window.form.changed, timeout=2000):
        window.form.tenant_edit.setText(tenant)  # back as sent: the answer is its own again
    assert not response.stale and response.banner_state == "ok"
    assert not response.dimmed


def test_another_scenario_replaces_the_answer(qtbot: QtBot, window: MainWindow) -> None:
    send(qtbot, window, "secret-id")
    window.load_scenario(SCENARIOS["cc-v1-graph"])
    assert window.response.report is None
    assert window.response.verdict_label.text().startswith("Sandbox scenario loaded: ")


def test_a_scenario_line_goes_when_the_form_leaves_it(qtbot: QtBot, window: MainWindow) -> None:
    window.load_scenario(SCENARIOS["secret-wrong"])
    with qtbot.waitSignal(window.form.changed, timeout=2000):
        pass  # the load's own change: the line stays
    assert "Wrong secret" in window.response.verdict_label.text()
    with qtbot.waitSignal(window.form.changed, timeout=2000):
        window.form.client_id_edit.setText("00000000-0000-0000-0000-000000000001")
    assert window.response.verdict_label.text() == IDLE_TEXT


def test_a_blocked_send_replaces_the_previous_diagnosis(qtbot: QtBot, window: MainWindow) -> None:
    send(qtbot, window, "secret-id")
    diagnosis = window.response.diagnosis
    assert "Secret ID" in diagnosis.title.text() and diagnosis.said.isVisibleTo(diagnosis)
    window.form.client_id_edit.clear()
    send(qtbot, window)
    banner = window.response.verdict_label.text()
    assert banner == "Not sent: Client ID is empty"
    assert "Secret ID" not in diagnosis.title.text() + diagnosis.details.text()
    assert "Client ID is empty" in diagnosis.details.text()
    assert not diagnosis.said.isVisibleTo(diagnosis)
    assert not window.response.stale


def test_a_failure_summary_does_not_describe_a_missing_token(
    qtbot: QtBot, window: MainWindow
) -> None:
    send(qtbot, window, "secret-id")
    summary = window.response.summary
    outcome = summary.value("outcome")
    assert outcome.startswith("Refused by the token endpoint in ")
    assert outcome.endswith(": Secret ID pasted instead of the secret Value")
    for key in ("allows", "kind", "expires", "credential"):
        assert summary.value(key) == ""


def test_yellow_banner_says_why_and_diagnosis_gives_the_fix(
    qtbot: QtBot, window: MainWindow
) -> None:
    send(qtbot, window, "no-admin-consent")
    response = window.response
    assert response.banner_state == "warning"
    assert response.verdict_label.text().endswith("⚠ no application permission granted")
    diagnosis = response.diagnosis
    tenant = SCENARIOS["no-admin-consent"].form["tenant"]
    assert diagnosis.title.text().startswith("The token was issued, but: ")
    assert f"API permissions &gt; Grant admin consent for {tenant}" in diagnosis.details.text()
    assert "No failure to explain" not in diagnosis.title.text()


def test_delegated_success_names_the_user_and_the_other_tokens(
    qtbot: QtBot, window: MainWindow
) -> None:
    send(qtbot, window, "password-ok")
    summary, verdict = window.response.summary, window.response.report.verdict
    user = SCENARIOS["password-ok"].form["username"]
    assert summary.value("user") == user
    assert f"delegated for {user}" in window.response.verdict_label.text()
    companions = summary.value("companions")
    assert "refresh token" in companions and "ID token" in companions
    assert ("a refresh token (kept masked" in companions) is verdict.refresh_token
    assert ("an ID token" in companions) is verdict.id_token
