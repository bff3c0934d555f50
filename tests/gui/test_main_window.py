"""The window end to end against the in-process sandbox: type, Send, read, copy, cancel."""

from __future__ import annotations

import logging
import time
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QComboBox, QLineEdit, QPushButton, QTableView
from pytestqt.qtbot import QtBot

from core.sandbox import Sandbox, scenarios
from core.sandbox import directory as d
from gui.main_window import MainWindow
from tests.gui.stall import StallMeter

DEMO = next(s for s in scenarios() if s.key == "cc-v2-graph")
SLOW = next(s for s in scenarios() if s.key == "fault-slow")
SECRET = DEMO.form["client_secret"]


def _send(qtbot: QtBot, window: MainWindow, timeout: int = 10_000) -> None:
    with qtbot.waitSignal(window.worker.finished, timeout=timeout):
        qtbot.mouseClick(window.send_button, Qt.MouseButton.LeftButton)


def _select(combo: QComboBox, data: str) -> None:
    combo.setCurrentIndex(combo.findData(data))


def test_type_send_and_read_the_verdict(qtbot: QtBot, window: MainWindow) -> None:
    """Typing the demo app by hand and pressing Send shows an issued token with its roles."""
    form = window.form
    for name in ("tenantEdit", "clientIdEdit", "secretEdit"):
        window.findChild(QLineEdit, name).clear()
    qtbot.keyClicks(window.findChild(QLineEdit, "tenantEdit"), DEMO.form["tenant"])
    qtbot.keyClicks(window.findChild(QLineEdit, "clientIdEdit"), DEMO.form["client_id"])
    qtbot.keyClicks(window.findChild(QLineEdit, "secretEdit"), SECRET)
    assert form.to_input().client_secret.reveal() == SECRET
    with qtbot.assertNotEmitted(window.worker.failed):
        _send(qtbot, window)
    verdict = window.findChild(type(window.response.verdict_label), "verdictLabel").text()
    assert verdict.startswith("Token issued in ")
    assert "app-only" in verdict and "Microsoft Graph" in verdict
    assert window.response.banner_state == "ok"
    allows = window.response.summary.value("allows")
    granted = d.DAEMON.roles[d.GRAPH_APP_ID]
    assert allows.startswith(f"{len(granted)} application roles")
    for role in granted:
        assert role in allows
    assert "in 59 min" in window.response.summary.value("expires")
    assert window.response.summary.expiry_state == "ok"
    table = window.findChild(QTableView, "claimsTable")
    assert table.model().rowCount() > 10
    assert window.findChild(QPushButton, "copyTokenButton").isEnabled()


def test_ctrl_enter_sends(qtbot: QtBot, window: MainWindow) -> None:
    """Ctrl+Enter sends the request from anywhere in the form."""
    window.form.tenant_edit.setFocus()
    with qtbot.waitSignal(window.worker.finished, timeout=10_000):
        qtbot.keyClick(
            window.form.tenant_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier
        )
    assert window.response.report is not None and window.response.report.issued


def test_claims_filter(qtbot: QtBot, window: MainWindow) -> None:
    """The filter box narrows the claims table to matching rows."""
    _send(qtbot, window)
    claims = window.response.claims
    qtbot.keyClicks(claims.filter_edit, "roles")
    rows = claims.visible_rows()
    assert rows and all("roles" in " ".join(r).lower() for r in rows)
    assert any(r[0] == "roles" for r in rows)


def test_preflight_message_beside_the_field_as_you_type(qtbot: QtBot, window: MainWindow) -> None:
    """Pasting the secret ID (a GUID) into the secret field warns beside that field."""
    secret = window.form.secret_edit
    secret.clear()
    qtbot.keyClicks(secret, "0b5f1b0e-6f0a-4c4e-8a51-3c1f1d7c2e11")
    qtbot.waitUntil(lambda: "Secret ID" in window.form.finding_text("client_secret"), timeout=2000)
    window.activateWindow()
    window.form.tenant_edit.setFocus()
    window.form.tenant_edit.clear()
    window.form.client_id_edit.setFocus()  # the tenant is left empty: now it says so
    qtbot.waitUntil(lambda: "Tenant is empty" in window.form.finding_text("tenant"), timeout=2000)


def test_token_url_preview_follows_the_form(qtbot: QtBot, window: MainWindow, sandbox) -> None:
    """The read-only token URL changes with endpoint and tenant as the user edits."""
    preview = window.form.url_preview
    assert preview.isReadOnly()
    assert (
        window.form.token_url_text()
        == f"{sandbox.base_url}/{DEMO.form['tenant']}/oauth2/v2.0/token"
    )
    _select(window.findChild(QComboBox, "endpointCombo"), "v1")
    window.form.tenant_edit.setText("fabrikam.example")
    qtbot.waitUntil(
        lambda: window.form.token_url_text() == f"{sandbox.base_url}/fabrikam.example/oauth2/token",
        timeout=2000,
    )
    assert window.form.scope_edit.text() == "https://graph.microsoft.com"


def test_password_fields_only_for_password_grant(window: MainWindow) -> None:
    """Username and password appear only when the password grant is chosen."""
    assert not window.form.username_edit.isVisible()
    _select(window.findChild(QComboBox, "grantTypeCombo"), "password")
    assert window.form.username_edit.isVisible() and window.form.password_edit.isVisible()


def test_default_scope_per_cloud_and_endpoint(window: MainWindow) -> None:
    """The target defaults to the chosen cloud's Graph: /.default for v2, bare for v1."""
    form = window.form
    _select(form.cloud_combo, "china")
    assert form.scope_edit.text() == "https://microsoftgraph.chinacloudapi.cn/.default"
    _select(form.endpoint_combo, "v1")
    assert form.scope_edit.text() == "https://microsoftgraph.chinacloudapi.cn"
    form.scope_edit.setText("api://my-api")
    _select(form.cloud_combo, "global")
    assert form.scope_edit.text() == "api://my-api"  # a typed value is never replaced


def test_copy_token_and_header_then_cleared(qtbot: QtBot, window: MainWindow) -> None:
    """Copy token / header put the right text on the clipboard; it is cleared after the delay."""
    _send(qtbot, window)
    token = window.response.report.token.reveal()
    clipboard = QGuiApplication.clipboard()
    qtbot.mouseClick(window.findChild(QPushButton, "copyHeaderButton"), Qt.MouseButton.LeftButton)
    assert clipboard.text() == f"Authorization: Bearer {token}"
    qtbot.keyClick(
        window,
        Qt.Key.Key_C,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert clipboard.text() == token
    feedback = window.clipboard_label
    assert feedback.text() == "Token copied\nClipboard clears in 1 s"
    assert feedback.parentWidget() is window.response.copy_token_button.parentWidget()
    qtbot.waitUntil(lambda: clipboard.text() == "", timeout=3000)
    assert "clears in" not in feedback.text()


def test_clipboard_kept_when_user_copied_something_else(qtbot: QtBot, window: MainWindow) -> None:
    """A copy made by the user after ours is left alone when the delay ends."""
    _send(qtbot, window)
    qtbot.mouseClick(window.findChild(QPushButton, "copyTokenButton"), Qt.MouseButton.LeftButton)
    QGuiApplication.clipboard().setText("user text")
    qtbot.wait(1500)
    assert QGuiApplication.clipboard().text() == "user text"


def test_cancel_drops_the_late_answer(qtbot: QtBot, window: MainWindow, sandbox: Sandbox) -> None:
    """Esc during a slow request resets the button at once and ignores the late answer."""
    window.load_scenario(SLOW)
    qtbot.mouseClick(window.send_button, Qt.MouseButton.LeftButton)
    assert window.send_button.text() == "Cancel" and window.busy.isVisible()
    with qtbot.assertNotEmitted(window.worker.succeeded, wait=0):
        qtbot.keyClick(window, Qt.Key.Key_Escape)
        assert window.send_button.text() == "Send" and not window.busy.isVisible()
        assert window.worker.wait(10)
        qtbot.wait(100)
    assert window.response.report is None
    assert "Cancelled" in window.response.verdict_label.text()


def test_slow_request_keeps_the_ui_responsive(qtbot: QtBot, window: MainWindow) -> None:
    """During a slow sandbox request the event loop never stalls for long."""
    window.load_scenario(SLOW)
    meter = StallMeter(5)
    meter.start()
    _send(qtbot, window)
    meter.stop()
    assert window.response.report.issued
    assert len(meter.gaps) > 50
    assert meter.longest < 0.25, f"longest event-loop stall {meter.longest * 1000:.0f} ms"


def test_close_during_a_request(qtbot: QtBot, make_window, sandbox: Sandbox) -> None:
    """Closing the window while a request waits returns at once and drops the answer."""
    window = make_window(sandbox=sandbox, clear_delay_s=1)
    window.load_scenario(SLOW)
    window.send()
    started = time.perf_counter()
    window.close()
    assert time.perf_counter() - started < 0.5
    assert not window.worker.busy
    assert window.worker.wait(10)
    qtbot.wait(50)
    assert window.response.report is None


def test_secret_never_in_title_status_settings_or_logs(
    qtbot: QtBot, make_window, sandbox: Sandbox, settings_path: Path, caplog
) -> None:
    """The secret and the token appear nowhere: title, status bar, settings file, logs."""
    caplog.set_level(logging.DEBUG)
    window = make_window(sandbox=sandbox, clear_delay_s=1)
    window.form.secret_edit.set_revealed(True)
    _send(qtbot, window)
    token = window.response.report.token.reveal()
    window.copier.copy_token()
    texts = [
        window.windowTitle(),
        window.statusBar().currentMessage(),
        window.clipboard_label.text(),
    ]
    window.close()
    saved = settings_path.read_text(encoding="utf-8")
    for secret in (SECRET, token):
        assert all(secret not in text for text in texts)
        assert secret not in saved
        assert secret not in caplog.text
    assert "geometry" in saved  # the file was written


def test_paste_decodes_without_sending(qtbot: QtBot, window: MainWindow) -> None:
    """Ctrl+V on the answer decodes a token from the clipboard; no request is sent."""
    _send(qtbot, window)
    token = window.response.report.token.reveal()
    window.response.show_idle()
    QGuiApplication.clipboard().setText(f"Bearer {token}")
    window.response.tabs.setFocus()
    with (
        qtbot.assertNotEmitted(window.worker.started),
        qtbot.waitSignal(window.decoder.finished, timeout=10_000),
    ):
        qtbot.keyClick(window.response.tabs, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    report = window.response.report
    assert report.result is None and report.decoded is not None
    assert "not sent" in window.response.verdict_label.text().lower()
    assert "User.Read.All" in window.response.summary.value("allows")


def test_paste_of_junk_explains_instead_of_failing(qtbot: QtBot, window: MainWindow) -> None:
    """Text that is no token says so in one line (no talk of an opaque token or a response
    that does not exist), and the Diagnosis says what a token looks like."""
    with qtbot.waitSignal(window.decoder.finished, timeout=5000):
        window.decode_text("hello, this is not a token")
    assert window.response.banner_state == "error"
    banner = window.response.verdict_label.text()
    assert banner.startswith("This is not a token.") and "\n" not in banner
    assert "opaque" not in banner.lower() and "expires_in" not in banner
    assert window.response.tabs.currentWidget() is window.response.diagnosis
    assert "three base64url parts" in window.response.diagnosis.details.text()
    assert not window.findChild(QPushButton, "copyTokenButton").isEnabled()


def test_form_values_and_geometry_remembered(qtbot: QtBot, make_window, settings_path) -> None:
    """Non-secret fields and geometry come back in a new window; the secret does not."""
    first = make_window()
    qtbot.keyClicks(first.form.tenant_edit, "contoso.example")
    qtbot.keyClicks(first.form.secret_edit, "do-not-keep-me")
    # The offscreen screen is 800 px wide, narrower than the window's minimum, so the restored
    # width is the minimum again; the height and the splitter show the restore.
    first.resize(first.minimumWidth(), 600)
    size = first.size()
    first.splitter.setSizes([first.splitter.widget(0).minimumWidth() + 40, 10_000])
    sizes = first.splitter.sizes()
    first.close()
    second = make_window()
    assert second.form.tenant_edit.text() == "contoso.example"
    assert second.form.secret_edit.text() == ""
    assert second.size() == size and size.height() == 600
    assert second.splitter.sizes() == sizes
    assert "do-not-keep-me" not in settings_path.read_text(encoding="utf-8")


def test_every_input_has_a_label_and_accessible_name(window: MainWindow) -> None:
    """Screen readers: every form input has an accessible name and a label pointing at it."""
    from PySide6.QtWidgets import QAbstractSpinBox, QLabel

    window.form.credentials.rows()  # the rows built on first use are checked too
    window.form.advanced.build()
    inputs = [
        w
        for kind in (QLineEdit, QComboBox, QAbstractSpinBox)
        for w in window.form.findChildren(kind)
        if w.objectName() and not w.objectName().startswith("qt_")
    ]
    buddies = {label.buddy() for label in window.form.findChildren(QLabel) if label.buddy()}
    assert len(inputs) >= 12
    for widget in inputs:
        assert widget.accessibleName(), widget.objectName()
        assert widget in buddies, widget.objectName()


def test_sandbox_banner_and_menu(window: MainWindow) -> None:
    """Sandbox mode says so plainly and offers one menu entry per scenario."""
    assert window.banner.isVisible()
    assert window.banner.text() == "Sandbox: tokens come from a local emulator, not from Microsoft"
    titles = [a.text().split("\t")[0] for a in window.sandboxing.actions()]
    from core.sandbox import signin_scenarios
    from gui.sandbox_mode import WINDOW_SKIPS

    signin = [s.title for s in signin_scenarios() if s.key not in WINDOW_SKIPS]
    assert sorted(titles) == sorted([*(s.title for s in scenarios()), *signin])


def test_answer_tabs_are_built_when_first_opened(qtbot: QtBot, make_window) -> None:
    """On the start-up path only Summary is built; opening a tab puts its real view in place."""
    from gui.answer.claims_view import ClaimsView

    window = make_window(deferred=True)
    window.finish_setup()
    tabs = window.response.tabs
    assert not tabs.findChildren(ClaimsView)
    titles = [tabs.tabText(i) for i in range(tabs.count())]
    tabs.setCurrentIndex(1)
    assert isinstance(tabs.currentWidget(), ClaimsView) and tabs.currentIndex() == 1
    assert tabs.currentWidget() is window.response.claims
    assert [tabs.tabText(i) for i in range(tabs.count())] == titles
    assert not tabs.tabIcon(1).isNull()


def test_copy_as_curl_from_the_lazily_built_request_tab(qtbot: QtBot, window: MainWindow) -> None:
    """The Request tab shows the request sent; Copy as curl copies it without the secret."""
    _send(qtbot, window)
    window.response.tabs.setCurrentIndex(3)
    view = window.response.request
    assert window.response.tabs.currentWidget() is view
    assert "grant_type=client_credentials" in view.text.toPlainText()
    view.curl_button.click()
    copied = QGuiApplication.clipboard().text()
    assert copied.startswith("curl ") and "${CLIENT_SECRET}" in copied
    assert SECRET not in copied


def test_f1_lists_the_shortcuts(qtbot: QtBot, window: MainWindow, dialogs) -> None:
    """Help > Keyboard shortcuts (F1) shows the list, Ctrl+Enter for Send among them."""
    window.activateWindow()
    qtbot.keyClick(window.form.tenant_edit, Qt.Key.Key_F1)
    (text,) = dialogs.texts("information")
    assert "Ctrl+Enter" in text and "Send" in text


def test_answer_tabs_are_built_when_idle_before_the_first_answer(
    qtbot: QtBot, window: MainWindow
) -> None:
    """Once the window is up, the other tabs are built while idle, ahead of the first answer."""
    from gui.answer.claims_view import ClaimsView
    from gui.answer.detail_views import DiagnosisView, RawView, RequestView

    tabs = window.response.tabs
    kinds = (ClaimsView, RawView, RequestView, DiagnosisView)
    qtbot.waitUntil(lambda: all(isinstance(tabs.widget(i + 1), k) for i, k in enumerate(kinds)))
    assert tabs.currentIndex() == 0
