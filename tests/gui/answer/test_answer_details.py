"""What the answer's tabs say and offer: Entra's own words, each thing once, Retry-After on Send,
the certificate of a TLS failure, long lists folded, claims copied as sent, times with zones."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QPlainTextEdit
from pytestqt.qtbot import QtBot

from core.timefmt import local_text, utc_text
from gui.main_window import MainWindow
from tests.core.tokenkit import mint
from tests.gui.answer.test_expiry_and_state import SCENARIOS, FakeClock, send

NBSP = "\u00a0"


def test_what_microsoft_said_is_shown_wrapped_and_selectable(
    qtbot: QtBot, window: MainWindow
) -> None:
    send(qtbot, window, "secret-id")
    diagnosis = window.response.diagnosis
    said = window.response.report.result.error.error_description.strip()
    assert diagnosis.said.text() == said and diagnosis.said.isVisibleTo(diagnosis)
    assert diagnosis.said_title.text() == "What Microsoft said"
    assert diagnosis.said.wordWrap()
    assert diagnosis.said.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse
    for view in (window.response.raw.text, window.response.request.text, diagnosis.support):
        assert view.lineWrapMode() is QPlainTextEdit.LineWrapMode.WidgetWidth


def test_each_thing_said_once_and_no_internal_codes(qtbot: QtBot, window: MainWindow) -> None:
    send(qtbot, window, "fault-503")
    banner = window.response.verdict_label.text()
    assert banner == "Failed: Server error (HTTP 503)"
    send(qtbot, window, "fault-throttled")
    details = window.response.diagnosis.details.text()
    assert window.response.diagnosis.title.text() == "Tenant throttled"  # AADSTS90055's block
    assert details.count("Wait 30 s (Retry-After)") == 1
    assert "Too many requests (HTTP 429)" not in details  # no second block saying the same
    assert "(HTTP 429) (HTTP 429)" not in details and "HTTP 429: Too many" not in details
    send(qtbot, window, "fault-dropped")
    banner = window.response.verdict_label.text()
    assert banner == "No answer: Connection lost" and "(connection)" not in banner
    details = window.response.diagnosis.details.text()
    assert details.count("broke before a full answer") == 1


def test_retry_after_counts_down_on_send(qtbot: QtBot, make_window, sandbox) -> None:
    clock = FakeClock()
    window = make_window(sandbox=sandbox, clear_delay_s=1, clock=clock)
    send(qtbot, window, "fault-throttled")
    assert window.send_button.text() == "Send (server asks to wait 30 s)"
    assert "30 s" in window.response.diagnosis.details.text()
    clock.now += 12
    window.sending._show_send_label()
    assert window.send_button.text() == "Send (server asks to wait 18 s)"
    clock.now += 19
    window.sending._show_send_label()
    assert window.send_button.text() == "Send"
    send(qtbot, window, "fault-503")  # a gateway's Retry-After counts too
    assert window.send_button.text() == "Send (server asks to wait 10 s)"


def test_tls_failure_names_the_certificate_and_a_fix_in_the_window(
    qtbot: QtBot, window: MainWindow, monkeypatch
) -> None:
    send(qtbot, window, "fault-tls")
    response = window.response
    assert response.verdict_label.text() == (
        "No answer: TLS certificate not trusted (unknown issuer)")  # fmt: skip
    details = response.diagnosis.details.text()
    assert "does not trust" in details and "Subject: CN=127.0.0.1" in details
    assert "Issuer: CN=Entra Token Tester sandbox CA" in details
    assert "File &gt; Preferences &gt; CA file" in details
    opened = []
    monkeypatch.setattr("gui.dialogs.edit_preferences", lambda *args: opened.append(args))
    assert response.diagnosis.trust_button.isVisibleTo(response.diagnosis)
    qtbot.mouseClick(response.diagnosis.trust_button, Qt.MouseButton.LeftButton)
    assert len(opened) == 1  # File > Preferences, where the CA file is chosen
    send(qtbot, window, "secret-id")
    assert not response.diagnosis.trust_button.isVisibleTo(response.diagnosis)


def _token(roles: int, long_value: str = "") -> str:
    now = int(time.time())
    payload = {
        "aud": "https://graph.microsoft.com", "iss": "https://sts.windows.net/t/", "tid": "t",
        "appid": "a", "idtyp": "app", "iat": now, "nbf": now, "exp": now + 3600,
        "roles": [f"Custom.Role{i}" for i in range(roles)],
    }  # fmt: skip
    if long_value:
        payload["xms_long"] = long_value
    return mint(payload)


def _paste(qtbot: QtBot, window: MainWindow, text: str) -> None:
    with qtbot.waitSignal(window.decoder.finished, timeout=10_000):
        window.decode_text(text)


def test_a_long_list_of_roles_folds(qtbot: QtBot, window: MainWindow) -> None:
    _paste(qtbot, window, _token(1300))
    summary = window.response.summary
    allows = summary.value("allows")
    assert allows.startswith(f"1{NBSP}300 application roles:")
    assert summary.allows_items_shown() == 10 and f"and 1{NBSP}290 more" in allows
    summary._rows["allows"].linkActivated.emit("#all")
    assert summary.allows_items_shown() == 1300
    summary._rows["allows"].linkActivated.emit("#fewer")
    assert summary.allows_items_shown() == 10


def test_claims_elide_long_values_and_copy_the_value_as_sent(
    qtbot: QtBot, window: MainWindow
) -> None:
    long_value = "x" * 600
    _paste(qtbot, window, _token(3, long_value))
    claims = window.response.claims
    window.response.tabs.setCurrentWidget(claims)
    rows = {row[0]: row for row in claims.visible_rows()}
    assert len(rows["xms_long"][1]) <= 120 and rows["xms_long"][1].endswith("…")
    row = next(i for i in range(claims.proxy.rowCount())
               if claims.proxy.index(i, 0).data() == "xms_long")  # fmt: skip
    claims.table.selectRow(row)
    assert claims.detail.toPlainText().startswith(f"xms_long: {long_value}\n")  # the whole value
    exp_row = next(i for i in range(claims.proxy.rowCount())
                   if claims.proxy.index(i, 0).data() == "exp")  # fmt: skip
    claims.table.selectRow(exp_row)
    claims.table.setFocus()
    qtbot.keyClick(claims.table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    exp = window.response.report.decoded.payload["exp"]
    assert QGuiApplication.clipboard().text() == str(exp)  # the claim, not "… UTC · in 59 min"
    claims.copy_shown_action.trigger()
    assert QGuiApplication.clipboard().text().startswith(local_text(exp))
    qtbot.mouseClick(claims.json_button, Qt.MouseButton.LeftButton)
    assert claims.pages.currentWidget() is claims.json_text
    assert '"alg": "RS256"' in claims.json_text.toPlainText()
    assert f'"exp": {exp}' in claims.json_text.toPlainText()


def test_pasted_authorization_header_copies_the_clean_token(
    qtbot: QtBot, window: MainWindow
) -> None:
    token = _token(1)
    _paste(qtbot, window, f'Authorization: Bearer "{token}"\n')
    qtbot.mouseClick(window.response.copy_token_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == token
    qtbot.mouseClick(window.response.copy_header_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == f"Authorization: Bearer {token}"


def test_summary_times_have_date_zone_and_utc_on_hover(qtbot: QtBot, window: MainWindow) -> None:
    send(qtbot, window)
    summary, verdict = window.response.summary, window.response.report.verdict
    assert summary.value("issued") == local_text(verdict.issued_at)
    assert summary._rows["issued"].toolTip() == utc_text(verdict.issued_at)
    assert summary.value("expires").startswith(local_text(verdict.expires_at) + ", in ")
    assert summary._rows["expires"].toolTip().startswith(utc_text(verdict.expires_at))


def test_custom_api_named_in_the_banner(qtbot: QtBot, window: MainWindow) -> None:
    send(qtbot, window, "cc-v2-api")
    assert "Contoso Orders API" in window.response.verdict_label.text()
    assert SCENARIOS["cc-v2-api"].form["scope"].split("/.default")[0] not in (
        window.response.verdict_label.text())  # fmt: skip
