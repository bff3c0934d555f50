"""The window against a hostile endpoint and a slow line: no secret in any widget or file, every
wait ends; and the clipboard, Cancel and saved settings behave as promised."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractButton,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableView,
)
from pytestqt.qtbot import QtBot

from core.redaction import Secret
from core.sandbox import Sandbox, scenarios
from core.token.models import AuthMethod, GrantType, TokenRequestInput
from gui.main_window import MainWindow
from gui.ui_state import UiState
from tests.hostile import HostileServer, leaks

SECRET = 'Zx9Q~h0st/le+s3cr3t"&<é>'
PASSWORD = 'P@ss wörd/+"&<x>'
CLIENT = "6e74172b-be56-4843-9ff4-e66a39bb12e3"
SCENARIOS = {s.key: s for s in scenarios()}


@pytest.fixture(scope="module")
def hostile() -> Iterator[HostileServer]:
    with HostileServer() as server:
        yield server


def _send(qtbot: QtBot, window: MainWindow, timeout: int = 15_000) -> None:
    with qtbot.waitSignal(window.worker.finished, timeout=timeout):
        qtbot.mouseClick(window.send_button, Qt.MouseButton.LeftButton)


def _widget_texts(window: MainWindow) -> str:
    """Every text the window shows: labels, text views, line edits (but the two secret
    fields, which hold what the user typed), buttons, tooltips, table cells, title, status."""
    texts = [window.windowTitle(), window.statusBar().currentMessage()]
    for label in window.findChildren(QLabel):
        texts += [label.text(), label.toolTip()]
    for view in window.findChildren(QPlainTextEdit):
        texts.append(view.toPlainText())
    for edit in window.findChildren(QLineEdit):
        if edit.objectName() not in ("secretEdit", "passwordEdit"):
            texts.append(edit.text())
    for button in window.findChildren(QAbstractButton):
        texts += [button.text(), button.toolTip()]
    for table in window.findChildren(QTableView):
        model = table.model()
        for row in range(model.rowCount()):
            for column in range(model.columnCount()):
                texts.append(str(model.index(row, column).data() or ""))
    return "\n".join(texts)


def _hostile_form(window: MainWindow, url: str, basic: bool, password: bool) -> None:
    window.form.load_input(
        TokenRequestInput(
            client_id=CLIENT,
            client_secret=Secret(SECRET),
            token_url=url,
            grant=GrantType.PASSWORD if password else GrantType.CLIENT_CREDENTIALS,
            username="ada@contoso.example" if password else "",
            password=Secret(PASSWORD) if password else None,
            auth_method=AuthMethod.BASIC if basic else AuthMethod.BODY,
            timeout_s=10,
        )
    )


def test_hostile_echo_leaves_no_secret_in_any_widget_or_file(
    qtbot: QtBot, make_window, hostile: HostileServer, settings_path: Path, config_folder: Path
) -> None:
    """Answers that echo the secret and password (JSON fields, headers, HTML, token claims) leave
    no trace in any widget (Raw, Diagnosis and support details included), in history.json,
    profiles.json or window.ini."""
    window = make_window(clear_delay_s=1)
    seen = []
    sends = [("/echo", False, True), ("/echo-html", True, False), ("/echo-token", True, True),
             ("/echo-text", False, False)]  # fmt: skip
    for path, basic, password in sends:
        _hostile_form(window, hostile.base_url + path, basic, password)
        window.save_profile()
        _send(qtbot, window)
        assert hostile.requests[-1]["path"] == path
        window.response.tabs.setCurrentWidget(window.response.raw)  # every tab built and shown
        seen.append(_widget_texts(window))
        seen.append(window.response.report.support)
    assert "********" in window.response.raw.text.toPlainText()
    window.close()
    files = "\n".join(p.read_text("utf-8") for p in config_folder.glob("*.json"))
    assert "history" not in files or "profiles" in files
    assert (config_folder / "history.json").exists() and settings_path.exists()
    for text in (*seen, files, settings_path.read_text("utf-8")):
        assert leaks(text, [SECRET, PASSWORD], CLIENT) == []


def test_a_dripping_server_ends_at_the_window_timeout(
    qtbot: QtBot, make_window, hostile: HostileServer
) -> None:
    """The window's timeout bounds the whole exchange: a server dripping a byte every 0.2 s
    ends in a timeout diagnosis after 1 s, not never."""
    window = make_window(clear_delay_s=1)
    _hostile_form(window, hostile.base_url + "/drip", basic=False, password=False)
    window.form.timeout_spin.setValue(1)
    started = time.monotonic()
    _send(qtbot, window, timeout=10_000)
    assert time.monotonic() - started < 3
    report = window.response.report
    assert report.result.failure.kind.value == "timeout"
    assert window.response.diagnosis.title.text() == "No answer in time"


def test_raw_tab_masks_refresh_and_id_tokens(qtbot: QtBot, window: MainWindow) -> None:
    """The password grant's answer carries a refresh and an ID token: the Raw tab shows
    neither (nor the access token), only the mask."""
    window.load_scenario(SCENARIOS["password-ok"])
    _send(qtbot, window)
    result = window.response.report.result
    raw = window.response.raw.text.toPlainText()
    for token in (result.token.access_token, result.token.refresh_token, result.token.id_token):
        assert token and token.reveal() not in raw
    assert '"refresh_token": "********"' in raw and '"id_token": "********"' in raw


def test_copy_header_goes_through_the_clipboard_guard(qtbot: QtBot, window: MainWindow) -> None:
    """Copy header marks the clipboard data for clipboard managers and clears it later."""
    _send(qtbot, window)
    qtbot.mouseClick(window.findChild(QPushButton, "copyHeaderButton"), Qt.MouseButton.LeftButton)
    mime = QGuiApplication.clipboard().mimeData()
    assert mime.text().startswith("Authorization: Bearer eyJ")
    assert bytes(mime.data("x-kde-passwordManagerHint").data()) == b"secret"
    assert window.clipboard.pending
    qtbot.waitUntil(lambda: QGuiApplication.clipboard().text() == "", timeout=3000)


def test_clicking_cancel_cancels(qtbot: QtBot, window: MainWindow) -> None:
    """The Send button turned Cancel, clicked, stops the wait like Esc does."""
    window.load_scenario(SCENARIOS["fault-slow"])
    qtbot.mouseClick(window.send_button, Qt.MouseButton.LeftButton)
    assert window.send_button.text() == "Cancel"
    with qtbot.assertNotEmitted(window.worker.succeeded, wait=0):
        qtbot.mouseClick(window.send_button, Qt.MouseButton.LeftButton)
        assert window.send_button.text() == "Send" and not window.worker.busy
        assert window.worker.wait(10)
        qtbot.wait(100)
    assert window.response.report is None
    assert "Cancelled" in window.response.verdict_label.text()


def test_saved_clipboard_delay_is_restored_at_start(make_window, settings_path: Path) -> None:
    """The clearing delay chosen in Preferences comes back at the next start."""
    state = UiState(settings_path)
    state.set_clear_delay_s(7)
    state.sync()
    window = make_window()
    assert window.clipboard.clear_delay_s == 7


def test_ca_file_setting_trusts_a_private_ca(
    qtbot: QtBot, make_window, settings_path: Path
) -> None:
    """Without the CA file, a TLS sandbox fails with a TLS diagnosis; with it set in the
    settings (Preferences), the same request gets a token."""
    form = SCENARIOS["cc-v2-graph"].form
    with Sandbox(tls=True) as sb:
        window = make_window(clear_delay_s=1)
        window.form.load_input(
            TokenRequestInput(
                cloud="sandbox",
                authority=sb.base_url,
                tenant=form["tenant"],
                client_id=form["client_id"],
                client_secret=Secret(form["client_secret"]),
                scope=form["scope"],
                timeout_s=10,
            )
        )
        _send(qtbot, window)
        assert window.response.report.result.failure.kind.value == "tls"
        window.state.set_ca_file(str(sb.ca_file))
        _send(qtbot, window)
        assert window.response.report.issued
