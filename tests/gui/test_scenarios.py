"""Every sandbox scenario, chosen from the Sandbox menu and sent, shows its expected answer."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from core.sandbox import Scenario, scenarios
from core.token.result import FailureKind, Outcome
from gui.main_window import MainWindow

NO_ANSWER = {"connection closed": FailureKind.CONNECTION, "TLS error": FailureKind.TLS}


def _choose(qtbot: QtBot, window: MainWindow, scenario: Scenario) -> None:
    action = next(a for a in window.sandboxing.actions() if a.data() == scenario.key)
    if scenario.needs_tls:
        with qtbot.waitSignal(window.aux.finished, timeout=10_000):
            action.trigger()
    else:
        action.trigger()
    assert scenario.title in window.response.verdict_label.text()


@pytest.mark.parametrize("scenario", scenarios(), ids=lambda s: s.key)
def test_scenario_shows_expected_verdict(qtbot: QtBot, window: MainWindow, scenario) -> None:
    """The banner, summary or diagnosis match what the scenario documents it does."""
    _choose(qtbot, window, scenario)
    with (
        qtbot.assertNotEmitted(window.worker.failed),
        qtbot.waitSignal(window.worker.finished, timeout=15_000),
    ):
        qtbot.mouseClick(window.send_button, Qt.MouseButton.LeftButton)
    view = window.response
    report, banner = view.report, view.verdict_label.text()
    expect = scenario.expect
    if expect == "token":
        assert report.issued, banner
        assert banner.startswith("Token issued in ")
        soon = view.verdict_label.expiry == "soon"  # amber in the last five minutes
        assert view.banner_state == ("warning" if report.verdict.warnings or soon else "ok")
        assert view.copy_token_button.isEnabled()
        assert view.summary.value("expires")
        assert view.tabs.currentWidget() is view.summary
        if scenario.form["credential"] == "certificate":
            assert ", certificate," in banner
        elif scenario.form["credential"] == "federated":
            assert ", federated credential," in banner
        return
    if expect == "token after AADSTS7000215 retries":  # the option is ticked: it waits
        assert window.form.wait_new_check.isChecked()
        assert report.issued and banner.startswith("Worked after 2 s: it was replication")
        assert report.result.replication.attempts == 2
        return
    assert not report.issued and view.banner_state == "error"
    assert not view.copy_token_button.isEnabled()
    assert view.tabs.currentWidget() is view.diagnosis
    assert view.diagnosis.title.text() == report.diagnosis.title
    assert view.diagnosis.details.text()  # cause and fix steps are shown
    if expect.startswith("AADSTS"):
        assert expect in banner
        assert expect.removeprefix("AADSTS") in view.diagnosis.support.toPlainText()
    elif expect.startswith("HTTP "):
        status = int(expect.split()[1].rstrip(","))
        assert report.result.status == status
        assert f"HTTP {status}" in view.raw.text.toPlainText()
    elif expect == "not sent":
        assert report.result.outcome is Outcome.BLOCKED
        assert banner.startswith("Not sent")
    elif expect in NO_ANSWER:
        assert report.result.outcome is Outcome.NO_ANSWER
        assert report.result.failure.kind is NO_ANSWER[expect]
        assert banner.startswith("No answer: ")
    else:
        pytest.fail(f"unknown expectation {expect!r}: teach this test what it means")
