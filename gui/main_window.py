"""The main window: composes the panels in `_build_ui` and wires them in `_connect_signals`."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from gui import theme
from gui.clipboard import DEFAULT_CLEAR_DELAY_S, ClipboardGuard
from gui.ui_state import REMEMBERED_FIELDS, UiState
from gui.worker import CallWorker

if TYPE_CHECKING:
    from core.models import TokenRequestInput
    from core.sandbox import Sandbox, Scenario
    from core.secret_store import SecretStore
    from gui.analysis import Report
    from gui.sandbox_mode import SandboxSession

# The panels, core checks and dialogs are imported where first used (`finish_setup` and the
# slots), so that a deferred window paints its first frame before they load (see gui/app.py).

log = logging.getLogger(__name__)
APP_TITLE = "Entra Token Tester"
DEFAULT_SIZE = QSize(1320, 780)  # fits a 1366 x 768 laptop once clamped to its work area
PROFILES_WIDTH = 184
ANSWER_MIN_WIDTH = 380


class MainWindow(QMainWindow):
    """Profiles, then the request form, then the answer; every dependency is injectable.

    Args:
        settings_path: INI file for window state (None: the platform's user settings).
        config_dir: the folder for profiles and history (None: `core.config.config_dir()`,
            i.e. ENTRA_TOKEN_TESTER_CONFIG_DIR or the platform's config folder).
        secrets: where remembered secrets go (None: the system keychain through keyring,
            opened on a worker; memory for this run when there is no secure keychain).
        sandbox: a running sandbox to use (sandbox mode); `attach_sandbox` can add it later.
        clear_delay_s: clipboard clearing delay (None: the remembered preference, or 60 s).
        clock: time source for the expiry countdown (tests move it).
        deferred: show an empty frame first; `finish_setup()` builds the panels (start-up).
    """

    def __init__(
        self,
        *,
        settings_path: str | Path | None = None,
        config_dir: str | Path | None = None,
        secrets: SecretStore | None = None,
        sandbox: Sandbox | None = None,
        clear_delay_s: float | None = None,
        clock: Callable[[], float] = time.time,
        deferred: bool = False,
    ) -> None:
        super().__init__()
        self.state = UiState(settings_path)
        self.setWindowTitle(APP_TITLE)
        self.setMinimumSize(QSize(760, 520))
        if (geometry := self.state.geometry()) is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(default_size(self.screen().availableGeometry().size()))
        self._clear_delay_s = clear_delay_s
        self._clock = clock
        self._pending_sandbox = sandbox
        self._config_dir = config_dir
        self._secrets = secrets
        self._deferred = deferred
        self._send_profile_id = ""
        self.session: SandboxSession | None = None
        self.ready = False
        if not deferred:
            self.finish_setup()

    def finish_setup(self) -> None:
        """Build the panels, menus and workers; enter sandbox mode if a sandbox was given."""
        if self.ready:
            return
        delay = self._clear_delay_s
        if delay is None:
            delay = self.state.clear_delay_s(DEFAULT_CLEAR_DELAY_S)
        self.clipboard = ClipboardGuard(delay, parent=self)
        self.worker = CallWorker("send", self)
        self.decoder = CallWorker("decode", self)
        self.aux = CallWorker("sandbox", self)
        self._build_ui()
        self._build_menus()
        self._connect_signals()
        self._restore()
        self.refresh_icons()
        # Start in the form: a focused profile list would select (and load) its first entry.
        self.form.tenant_edit.setFocus()
        self.ready = True
        if self._pending_sandbox is not None:
            self.attach_sandbox(self._pending_sandbox)
        if not self._deferred:  # the app opens it after the first paint (see gui/app.py)
            self.open_keychain()

    def workers(self) -> tuple[CallWorker, ...]:
        """Every worker of the window (tests join their threads); none before `finish_setup`."""
        if not self.ready:
            return ()
        return (self.worker, self.decoder, self.aux, *self.profile_ctl.workers())

    def open_keychain(self) -> None:
        """Open the keychain on a worker (keyring loads there), then name it in the panel."""
        if self.ready:
            self.profile_ctl.open_keychain()

    # -- composition ------------------------------------------------------------------------

    def _build_profiles(self) -> QWidget:
        from core.config import config_dir
        from core.history import HistoryStore
        from core.profiles import ProfileStore
        from gui.keychain import LazySecretStore
        from gui.profile_controller import ProfileController
        from gui.profile_panel import ProfilePanel

        folder = Path(self._config_dir) if self._config_dir else config_dir()
        self.profiles = ProfileStore(folder)
        self.history = HistoryStore(folder)
        self.secrets = LazySecretStore(store=self._secrets)
        self.panel = ProfilePanel(self.profiles, self.history, self.secrets)
        self.profile_ctl = ProfileController(
            self.form, self.panel, self.profiles, self.secrets, self
        )
        pane = QWidget(objectName="profilesPanel")
        layout = QVBoxLayout(pane)
        layout.setContentsMargins(10, 12, 4, 12)
        layout.addWidget(self.panel)
        pane.setMinimumWidth(150)
        return pane

    def _build_ui(self) -> None:
        from gui.request_form import RequestForm
        from gui.response_view import ResponseView
        from gui.sandbox_mode import BANNER

        self.banner = QLabel(BANNER, objectName="sandboxBanner")
        self.banner.setAccessibleName("Sandbox mode")
        self.banner.hide()
        self.form = RequestForm()
        scroll = QScrollArea(objectName="formScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self.form)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.send_button = QPushButton("&Send", objectName="sendButton")
        self.send_button.setToolTip("Send the token request (Ctrl+Enter)")
        self.send_button.setAccessibleName("Send")
        self.busy = QProgressBar(objectName="busyIndicator", textVisible=False)
        self.busy.setRange(0, 0)
        self.busy.setMaximumHeight(6)
        self.busy.setAccessibleName("Request running")
        self.busy.hide()
        send_row = QHBoxLayout()
        send_row.addWidget(self.busy, 1)
        send_row.addWidget(self.send_button)
        left = QWidget(objectName="requestPanel")
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(12, 12, 8, 12)
        left_layout.addWidget(scroll, 1)
        left_layout.addLayout(send_row)
        self.response = ResponseView(self._clock)
        right = QWidget(objectName="answerPanel")
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(8, 12, 12, 12)
        right_layout.addWidget(self.response)
        # The form column is never narrower than a whole GUID needs (plus a scroll bar); the
        # answer takes the spare width.
        margins = left_layout.contentsMargins()
        form_width = (self.form.minimumSizeHint().width() + margins.left() + margins.right()
                      + scroll.verticalScrollBar().sizeHint().width())  # fmt: skip
        left.setMinimumWidth(form_width)
        right.setMinimumWidth(ANSWER_MIN_WIDTH)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, objectName="mainSplitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([form_width + 20, 10_000])
        self.side_splitter = QSplitter(Qt.Orientation.Horizontal, objectName="sideSplitter")
        self.side_splitter.addWidget(self._build_profiles())
        self.side_splitter.addWidget(self.splitter)
        self.side_splitter.setStretchFactor(0, 0)
        self.side_splitter.setStretchFactor(1, 1)
        self.side_splitter.setCollapsible(1, False)
        self.side_splitter.setSizes([PROFILES_WIDTH, 10_000])
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.banner)
        layout.addWidget(self.side_splitter, 1)
        self.setCentralWidget(central)
        self.clipboard_label = QLabel(objectName="clipboardStatus")
        self.statusBar().addPermanentWidget(self.clipboard_label)
        QWidget.setTabOrder(self.form.token_url_edit, self.send_button)
        handles = 2 * self.side_splitter.handleWidth()
        minimum = self.side_splitter.widget(0).minimumWidth() + form_width + ANSWER_MIN_WIDTH
        self.setMinimumWidth(max(self.minimumWidth(), minimum + handles))

    def _action(self, menu, text: str, slot, shortcut=None, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            keys = shortcut if isinstance(shortcut, list) else [shortcut]
            action.setShortcuts([QKeySequence(k) for k in keys])
        action.setStatusTip(tip)
        action.triggered.connect(slot)
        menu.addAction(action)
        self.addAction(action)  # shortcuts work wherever the focus is
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file = bar.addMenu("&File")
        self.save_profile_action = self._action(
            file, "&Save profile", self.save_profile, "Ctrl+S",
            "Save the form into the selected profile (a new one when none is selected)",
        )  # fmt: skip
        self._action(file, "&New profile", self.panel.new_button.click, "Ctrl+N",
                     "Add an empty profile")  # fmt: skip
        file.addSeparator()
        self.import_action = self._action(
            file, "&Import profiles…", self.panel.import_profiles, None,
            "Add profiles from a JSON file",
        )  # fmt: skip
        self.export_action = self._action(
            file, "E&xport profiles…", self.panel.export_profiles, None,
            "Save every profile as JSON (never a secret)",
        )  # fmt: skip
        self.clear_history_action = self._action(
            file, "C&lear history", self.panel.clear_history_button.click, None,
            "Forget the recent results of the selected profile",
        )  # fmt: skip
        file.addSeparator()
        self.decode_action = self._action(
            file,
            "&Decode a token…",
            self._on_decode_triggered,
            "Ctrl+D",
            "Decode and explain a token without sending",
        )
        self.prefs_action = self._action(file, "&Preferences…", self._on_prefs_triggered,
                                         "Ctrl+,")  # fmt: skip
        file.addSeparator()
        self._action(file, "&Quit", self.close, "Ctrl+Q")
        request = bar.addMenu("&Request")
        self.send_action = self._action(request, "&Send", self.send, ["Ctrl+Return", "Ctrl+Enter"])
        self.cancel_action = self._action(request, "&Cancel", self.cancel, "Esc")
        self.cancel_action.setEnabled(False)
        request.addSeparator()
        self.copy_token_action = self._action(request, "Copy &token", self.copy_token,
                                              "Ctrl+Shift+C")  # fmt: skip
        self.copy_header_action = self._action(request, "Copy Authorization &header",
                                               self.copy_header, "Ctrl+Shift+H")  # fmt: skip
        self._action(request, "Copy as c&url", self._on_request_copy_curl)
        self._action(request, "Copy as &PowerShell", self._on_request_copy_powershell)
        self.sandbox_menu = bar.addMenu("Sand&box")
        self.sandbox_menu.menuAction().setVisible(False)
        help_menu = bar.addMenu("&Help")
        self._action(help_menu, "&Keyboard shortcuts", self._on_shortcuts_triggered, "F1")
        self._action(help_menu, "&About", self._on_about_triggered)
        self._update_copy_actions()

    def _connect_signals(self) -> None:
        self.form.changed.connect(self._on_form_changed)
        self.panel.message.connect(self._show_status)
        self.profile_ctl.message.connect(self._show_status)
        self.send_button.clicked.connect(self._on_send_button_clicked)
        self.worker.succeeded.connect(self._on_worker_succeeded)
        self.worker.succeeded.connect(self._on_send_succeeded)
        self.worker.failed.connect(self._on_worker_failed)
        self.worker.finished.connect(self._on_worker_finished)
        self.decoder.succeeded.connect(self._on_worker_succeeded)
        self.decoder.failed.connect(self._on_worker_failed)
        self.aux.succeeded.connect(self._on_aux_succeeded)
        self.aux.failed.connect(self._on_aux_failed)
        self.response.copy_token.connect(self.copy_token)
        self.response.copy_header.connect(self.copy_header)
        self.response.paste_token.connect(self.decode_text)
        self.response.request.copy_curl.connect(self._on_request_copy_curl)
        self.response.request.copy_powershell.connect(self._on_request_copy_powershell)
        self.response.diagnosis.copy_support.connect(self._on_diagnosis_copy_support)
        self.clipboard.countdown.connect(self._on_clipboard_countdown)
        self.clipboard.message.connect(self._show_status)

    def refresh_icons(self) -> None:
        """Redraw every icon in the current theme's colours."""
        self.setWindowIcon(theme.icon("app", theme.current().accent))
        self.send_button.setIcon(
            theme.icon(
                "cancel" if self.worker.busy else "send",
                "#ffffff" if not self.worker.busy else theme.current().error,
            )
        )
        self.decode_action.setIcon(theme.icon("decode"))
        self.prefs_action.setIcon(theme.icon("settings"))
        self.copy_token_action.setIcon(theme.icon("key"))
        self.copy_header_action.setIcon(theme.icon("copy"))
        self.form.secret_edit.refresh_icons()
        self.form.password_edit.refresh_icons()
        self.panel.refresh_icons()
        self.response.refresh_icons()

    # -- state ------------------------------------------------------------------------------

    def _restore(self) -> None:
        from gui.form_data import input_from_strings

        if (splitter := self.state.splitter()) is not None:
            self.splitter.restoreState(splitter)
        if (side := self.state.splitter("sideSplitter")) is not None:
            self.side_splitter.restoreState(side)
        last = self.state.last_profile_id()
        if last and self.profiles.get(last) is not None:
            self.panel.select(last)
        elif values := self.state.form_values():
            self.form.load_input(input_from_strings(values))
        problem = self.profiles.report.problem or self.history.problem
        if problem:
            self._show_status(problem)
        self._on_form_changed()

    def _save(self) -> None:
        from gui.form_data import remembered_strings

        self.state.set_geometry(self.saveGeometry())
        if not self.ready:
            self.state.sync()
            return
        self.state.set_splitter(self.splitter.saveState())
        self.state.set_splitter(self.side_splitter.saveState(), "sideSplitter")
        self.state.set_last_profile_id(self.panel.current_id())
        self.state.set_clear_delay_s(self.clipboard.clear_delay_s)
        if self.session is None:  # demo values from sandbox mode are not worth remembering
            inputs = self.form.to_input()
            self.state.set_form_values(remembered_strings(inputs, REMEMBERED_FIELDS))
        self.state.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.ready and not self.profile_ctl.confirm_close():
            event.ignore()  # the user chose Cancel: the window and its edits stay
            return
        self._save()
        if not self.ready:
            super().closeEvent(event)
            return
        self.profile_ctl.saver.wait(10)  # a secret being saved reaches the keychain first
        self.worker.cancel()
        self.clipboard.clear_now()
        if self.session is not None:
            self.session.close()
        super().closeEvent(event)

    # -- sandbox ----------------------------------------------------------------------------

    def attach_sandbox(self, sandbox: Sandbox) -> None:
        """Enter sandbox mode: banner, Sandbox menu, and the working demo in the form."""
        from gui.sandbox_mode import SandboxSession

        if not self.ready:
            self._pending_sandbox = sandbox
            return
        self.session = SandboxSession(sandbox)
        self.setWindowTitle(f"{APP_TITLE} — Sandbox")
        self.banner.show()
        self.form.set_sandbox_authority(sandbox.base_url)
        self.sandbox_menu.clear()
        for scenario in self.session.scenarios():
            action = QAction(scenario.title, self)
            action.setStatusTip(scenario.description)
            action.setToolTip(scenario.description)
            action.setData(scenario.key)
            action.triggered.connect(self._on_sandbox_scenario_triggered)
            self.sandbox_menu.addAction(action)
        self.sandbox_menu.setToolTipsVisible(True)
        self.sandbox_menu.menuAction().setVisible(True)
        profile = self.panel.current_profile()
        if profile is not None and profile.cloud == "sandbox":
            self._on_form_changed()  # a Sandbox profile stays, now on this sandbox's address
            return
        self.load_scenario(self.session.demo())

    def load_scenario(self, scenario: Scenario) -> None:
        """Fill the form for one scenario (a TLS scenario first starts the HTTPS sandbox).

        A scenario is not a profile: the selected profile is left first (asking about its
        unsaved changes); Save profile then keeps the scenario as a new profile.
        """
        if self.session is None or not self.panel.select(""):
            return
        if scenario.needs_tls:
            self._show_status("Starting the HTTPS sandbox…")
            self.aux.start(self.session.input_for, scenario)
            return
        self._load_scenario_input(self.session.input_for(scenario), scenario.title)

    def _load_scenario_input(self, inputs: TokenRequestInput, title: str) -> None:
        self.form.load_input(inputs)
        self._on_form_changed()
        self.response.show_idle(f"Sandbox scenario loaded: {title}. Press Send (Ctrl+Enter).")
        self._update_copy_actions()

    @Slot()
    def _on_sandbox_scenario_triggered(self) -> None:
        assert self.session is not None
        key = self.sender().data()
        self.load_scenario(self.session.scenario(key))

    @Slot(object)
    def _on_aux_succeeded(self, inputs) -> None:
        self._load_scenario_input(inputs, "TLS failure (untrusted certificate)")

    @Slot(object)
    def _on_aux_failed(self, exc: object) -> None:
        self._show_status(f"The HTTPS sandbox could not start ({type(exc).__name__})")

    # -- sending ----------------------------------------------------------------------------

    @Slot()
    def _on_form_changed(self) -> None:
        from core.preflight import check
        from core.request import RequestBuildError, request_url

        inputs = self.form.to_input()
        self.form.show_findings(check(inputs))
        try:
            self.form.show_token_url(request_url(inputs))
        except RequestBuildError as exc:
            self.form.show_token_url(f"({exc})")

    @Slot()
    def _on_send_button_clicked(self) -> None:
        if self.worker.busy:
            self.cancel()
        else:
            self.send()

    def send(self) -> None:
        """Send the form's request on the worker (ignored while one runs)."""
        from core.request import RequestBuildError, request_url
        from gui.analysis import send_and_inspect

        if self.worker.busy:
            return
        inputs = self.form.to_input()
        authorities = self.session.authorities() if self.session is not None else ()
        if inputs.authority and inputs.authority not in authorities:
            authorities = (*authorities, inputs.authority)
        self._send_profile_id = self.panel.current_id()
        self.worker.start(send_and_inspect, inputs, authorities)
        self._set_busy(True)
        try:
            target = request_url(inputs)
        except RequestBuildError:
            target = "the token endpoint"
        self.response.show_busy(f"Sending to {target} …  (Esc cancels)")
        self._show_status("Sending…")

    def cancel(self) -> None:
        """Stop waiting for the running request; a late answer is dropped."""
        if not self.worker.busy:
            return
        self.worker.cancel()
        self.response.show_idle("Cancelled. A late answer, if any, will be ignored.")
        self._show_status("Request cancelled")

    def _set_busy(self, busy: bool) -> None:
        self.send_button.setText("&Cancel" if busy else "&Send")
        self.send_button.setToolTip("Cancel the request (Esc)" if busy else "Send (Ctrl+Enter)")
        self.send_button.setAccessibleName("Cancel" if busy else "Send")
        self.send_button.setProperty("busy", busy)
        self.send_button.style().unpolish(self.send_button)
        self.send_button.style().polish(self.send_button)
        self.busy.setVisible(busy)
        self.send_action.setEnabled(not busy)
        self.cancel_action.setEnabled(busy)
        self.refresh_icons()

    @Slot(object)
    def _on_worker_succeeded(self, report: Report) -> None:
        self.response.show_report(report)
        self._update_copy_actions()
        result = report.result
        if result is not None and result.status is not None:
            self._show_status(f"HTTP {result.status} in {result.elapsed_ms:.0f} ms")
        elif result is not None:
            self._show_status(result.outcome.value.replace("_", " ").capitalize())

    @Slot(object)
    def _on_send_succeeded(self, report: Report) -> None:
        self.profile_ctl.record(report, self._send_profile_id)

    def save_profile(self) -> bool:
        """Save the form into the selected profile, or into a new one (File > Save profile)."""
        return self.profile_ctl.save()

    @Slot(object)
    def _on_worker_failed(self, exc: object) -> None:
        self.response.show_failure(
            f"Internal error ({type(exc).__name__}): see Diagnosis",
            "The tester itself failed",
            f"Something unexpected went wrong inside the tester ({type(exc).__name__}). "
            "Nothing was lost: check the form and try again. Details are in the log.",
        )
        self._update_copy_actions()

    @Slot()
    def _on_worker_finished(self) -> None:
        self._set_busy(False)

    def decode_text(self, text: str) -> None:
        """Decode and explain a pasted token without sending anything."""
        from gui.analysis import inspect_token

        authorities = self.session.authorities() if self.session is not None else ()
        self.decoder.start(inspect_token, text, tenant=self.form.to_input().tenant,
                           extra_authorities=authorities)  # fmt: skip
        self.response.show_busy("Decoding the pasted token…")

    @Slot()
    def _on_decode_triggered(self) -> None:
        from gui.dialogs import DecodeDialog

        dialog = DecodeDialog(self)
        if dialog.exec() and dialog.text.strip():
            self.decode_text(dialog.text)

    # -- copying ----------------------------------------------------------------------------

    def _token_text(self) -> str:
        report = self.response.report
        return report.token.reveal() if report is not None and report.token else ""

    def _update_copy_actions(self) -> None:
        has_token = bool(self._token_text())
        self.copy_token_action.setEnabled(has_token)
        self.copy_header_action.setEnabled(has_token)

    def copy_token(self) -> None:
        if token := self._token_text():
            self.clipboard.copy_secret(token, "Token")

    def copy_header(self) -> None:
        if token := self._token_text():
            self.clipboard.copy_secret(f"Authorization: Bearer {token}", "Authorization header")

    def _prepared(self):
        report = self.response.report
        return report.result.request if report is not None and report.result else None

    @Slot()
    def _on_request_copy_curl(self) -> None:
        from core.export import to_curl

        if (prepared := self._prepared()) is not None:
            self.clipboard.copy_text(to_curl(prepared), "curl command")

    @Slot()
    def _on_request_copy_powershell(self) -> None:
        from core.export import to_powershell

        if (prepared := self._prepared()) is not None:
            self.clipboard.copy_text(to_powershell(prepared), "PowerShell command")

    @Slot()
    def _on_diagnosis_copy_support(self) -> None:
        report = self.response.report
        if report is not None and report.support:
            self.clipboard.copy_text(report.support, "Support details")

    @Slot(int)
    def _on_clipboard_countdown(self, seconds: int) -> None:
        self.clipboard_label.setText(f"Clipboard clears in {seconds} s" if seconds else "")

    def _show_status(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)

    # -- dialogs ----------------------------------------------------------------------------

    @Slot()
    def _on_prefs_triggered(self) -> None:
        from gui.dialogs import PreferencesDialog

        dialog = PreferencesDialog(self.clipboard.clear_delay_s, self)
        if dialog.exec():
            self.clipboard.set_clear_delay(dialog.clear_delay_s)
            self.state.set_clear_delay_s(dialog.clear_delay_s)

    @Slot()
    def _on_shortcuts_triggered(self) -> None:
        from gui.dialogs import shortcuts_html

        QMessageBox.information(self, "Keyboard shortcuts", shortcuts_html())

    @Slot()
    def _on_about_triggered(self) -> None:
        QMessageBox.about(
            self,
            f"About {APP_TITLE}",
            f"<b>{APP_TITLE}</b><p>Request a token from Microsoft Entra ID with an app's "
            "credential and read what it allows, for how long, or why it failed.</p>",
        )


def default_size(available: QSize) -> QSize:
    """DEFAULT_SIZE, made smaller where the screen's work area (less a title bar) is smaller."""
    return DEFAULT_SIZE.boundedTo(QSize(available.width() - 16, available.height() - 48))
