"""The Try it tab against the in-process sandbox: call allowed, refused for a missing role,
expired token, token for another API, and the credential expiry table; nothing leaks."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from core.sandbox import Sandbox, scenarios
from core.sandbox import directory as d
from gui import theme
from gui.main_window import MainWindow
from tests.hostile import leaks

SCENARIOS = {s.key: s for s in scenarios()}
SECRETS = [s.value for a in d.APPS for s in a.secrets]


def _send(qtbot: QtBot, window: MainWindow) -> None:
    with qtbot.waitSignal(window.worker.finished, timeout=10_000):
        qtbot.mouseClick(window.send_button, Qt.MouseButton.LeftButton)


def _try(qtbot: QtBot, window: MainWindow, url: str | None = None) -> None:
    view = window.response.try_it
    if url is not None:
        view.url.setText(url)
    with qtbot.assertNotEmitted(window.trying.worker.failed), \
            qtbot.waitSignal(window.trying.worker.finished, timeout=10_000):  # fmt: skip
        qtbot.mouseClick(view.send_button, Qt.MouseButton.LeftButton)


def _shown(window: MainWindow) -> str:
    view = window.response.try_it
    table = view.expiry.table
    cells = [table.item(r, c).text() for r in range(table.rowCount())
             for c in range(table.columnCount())]  # fmt: skip
    return "\n".join([view.answer.toPlainText(), view.verdict.text(), view.permission.text(),
                      view.diagnosis.text(), view.expiry.message.text(),
                      view.expiry.warning.text(), *cells])  # fmt: skip


def _clean(window: MainWindow) -> None:
    token = window.response.report.token.reveal() if window.response.report.token else ""
    text = _shown(window)
    assert leaks(text, [*SECRETS, *([token] if token else [])]) == []
    assert "eyJ0eXAi" not in text


def test_call_allowed_with_the_default_url(qtbot: QtBot, window: MainWindow,
                                           sandbox: Sandbox) -> None:  # fmt: skip
    """After Send, Try it proposes GET {graph}/v1.0/organization; the call is allowed."""
    _send(qtbot, window)
    view = window.response.try_it
    assert view.url.text() == f"{sandbox.base_url}/graph/v1.0/organization"
    assert "needs Organization.Read.All (application); the token has it." in view.permission.text()
    _try(qtbot, window)
    assert view.verdict.text().startswith("Allowed: 200 OK in ")
    assert view.verdict.property("state") == "ok"
    assert "Contoso Sandbox" in view.answer.toPlainText()
    assert view.diagnosis.text() == ""
    _clean(window)


def test_refused_for_a_missing_role(qtbot: QtBot, window: MainWindow, sandbox: Sandbox) -> None:
    """The no-admin-consent app's token: the check says it lacks User.Read.All before sending;
    Graph refuses with 403 Authorization_RequestDenied and the diagnosis says what to grant."""
    window.load_scenario(SCENARIOS["no-admin-consent"])
    _send(qtbot, window)
    view = window.response.try_it
    view.url.setText(f"{sandbox.base_url}/graph/v1.0/users")
    assert "the token lacks it" in view.permission.text()
    _try(qtbot, window)
    assert view.verdict.text() == "Refused: 403 Authorization_RequestDenied"
    assert view.verdict.property("state") == "error"
    assert "The token lacks the permission for this call" in view.diagnosis.text()
    assert "grant admin consent" in view.diagnosis.text()
    _clean(window)


def test_expired_token_pasted(qtbot: QtBot, window: MainWindow, sandbox: Sandbox) -> None:
    """A pasted expired Graph token: 401 InvalidAuthenticationToken, diagnosed as expired."""
    token = (sandbox.files_dir / "expired-graph-token.jwt").read_text().strip()
    with qtbot.waitSignal(window.decoder.finished, timeout=10_000):
        window.decode_text(token)
    _try(qtbot, window, f"{sandbox.base_url}/graph/v1.0/users")
    view = window.response.try_it
    assert view.verdict.text() == "Refused: 401 InvalidAuthenticationToken"
    assert "The token has expired" in view.diagnosis.text()
    _clean(window)


def test_token_for_another_api(qtbot: QtBot, window: MainWindow, sandbox: Sandbox) -> None:
    """An Orders API token: the default URL is the sandbox's Orders API, which allows it; Graph
    refuses it (401), the check warned before sending."""
    window.load_scenario(SCENARIOS["cc-v2-api"])
    _send(qtbot, window)
    view = window.response.try_it
    assert view.url.text() == f"{sandbox.base_url}/orders"
    view.url.setText(f"{sandbox.base_url}/graph/v1.0/users")
    assert "not Microsoft Graph" in view.permission.text()
    _try(qtbot, window)
    assert view.verdict.text() == "Refused: 401 InvalidAuthenticationToken"
    assert "The token is for another API" in view.diagnosis.text()
    _try(qtbot, window, f"{sandbox.base_url}/orders")
    assert view.verdict.text().startswith("Allowed: 200 OK")
    _clean(window)


def test_credential_expiry_table(qtbot: QtBot, window: MainWindow) -> None:
    """The 10-day secret: its row is marked used and amber, the expired ones red, a warning."""
    window.load_scenario(SCENARIOS["secret-expiring"])
    _send(qtbot, window)
    view = window.response.try_it
    with qtbot.waitSignal(window.trying.worker.finished, timeout=10_000):
        qtbot.mouseClick(view.expiry_button, Qt.MouseButton.LeftButton)
    rows = {name: (state, used) for name, state, used in view.expiry.row_states()}
    assert rows["daemon-rotation"] == ("expiring", True)
    assert rows["daemon-old"] == ("expired", False) and rows["daemon-2025"] == ("valid", False)
    assert sum(used for _, used in rows.values()) == 1
    table = view.expiry.table
    colours = {table.item(r, 2).text(): table.item(r, 2).foreground().color().name()
               for r in range(table.rowCount())}  # fmt: skip
    look = theme.current()
    assert colours["daemon-rotation"] == look.warning.lower()
    assert colours["daemon-old"] == look.error.lower()
    assert "expires in 10 days" in view.expiry.warning.text()
    assert view.expiry.warning.isVisibleTo(view)
    _clean(window)


def test_copy_as_curl_reads_the_token_from_the_environment(
    qtbot: QtBot, window: MainWindow
) -> None:
    _send(qtbot, window)
    token = window.response.report.token.reveal()
    qtbot.mouseClick(window.response.try_it.curl_button, Qt.MouseButton.LeftButton)
    text = QGuiApplication.clipboard().text()
    assert "${ACCESS_TOKEN}" in text and token not in text


def test_no_token_no_try(window: MainWindow) -> None:
    """Before any token the tab says what to do and its buttons are off."""
    view = window.response.try_it
    assert not view.send_button.isEnabled() and "Get a token first" in view.verdict.text()


def test_expiry_with_an_api_token_asks_graph_and_pasted_expired_token_is_refused(
    qtbot: QtBot, window: MainWindow, sandbox: Sandbox
) -> None:
    """An Orders API token sent from the form: a Graph token is requested for the expiry read.
    A pasted expired Graph token: Graph refuses and the tab says so."""
    window.load_scenario(SCENARIOS["cc-v2-api"])
    _send(qtbot, window)
    view = window.response.try_it
    with qtbot.waitSignal(window.trying.worker.finished, timeout=10_000):
        qtbot.mouseClick(view.expiry_button, Qt.MouseButton.LeftButton)
    assert [name for name, _, used in view.expiry.row_states() if used] == ["daemon-2025"]
    token = (sandbox.files_dir / "expired-graph-token.jwt").read_text().strip()
    with qtbot.waitSignal(window.decoder.finished, timeout=10_000):
        window.decode_text(token)
    with qtbot.waitSignal(window.trying.worker.finished, timeout=10_000):
        qtbot.mouseClick(view.expiry_button, Qt.MouseButton.LeftButton)
    assert view.expiry.table.rowCount() == 0
    assert "refused" in view.expiry.message.text()
    _clean(window)
