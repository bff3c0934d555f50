"""The main window: composes the panels in `_build_ui` and wires them in `_connect_signals`."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, QTimer, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QMainWindow,
)

from gui import theme
from gui.ui_state import UiState
from gui.window_state import place

if TYPE_CHECKING:
    from core.sandbox import Sandbox, Scenario
    from core.store.secret_store import SecretStore
    from gui.sandbox_mode import SandboxSession
    from gui.worker import CallWorker

# The panels, clipboard, core checks and dialogs are imported where first used (`finish_setup`
# and the slots), so that a deferred window paints its first frame before they load.

APP_TITLE = "Entra Token Tester"


class MainWindow(QMainWindow):
    """Profiles, then the request form, then the answer; every dependency is injectable.

    Args:
        settings_path: INI file for window state (None: the platform's user settings).
        config_dir: the folder for profiles and history (None: `core.store.config.config_dir()`,
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
        place(self)
        self._clear_delay_s = clear_delay_s
        self._clock = clock
        self._pending_sandbox = sandbox
        self._config_dir = config_dir
        self._secrets = secrets
        self._deferred = deferred
        self.ready = False
        if not deferred:
            self.finish_setup()

    def finish_setup(self) -> None:
        """Build the panels, menus and workers; enter sandbox mode if a sandbox was given."""
        if self.ready:
            return
        from gui.answer.clipboard import DEFAULT_CLEAR_DELAY_S, ClipboardGuard

        delay = self._clear_delay_s
        if delay is None:
            delay = self.state.clear_delay_s(DEFAULT_CLEAR_DELAY_S)
        self.clipboard = ClipboardGuard(delay, parent=self)
        self._build_ui()
        self._build_controllers()
        self._connect_signals()
        self._restore()
        self.refresh_icons()
        # Start in the form: a focused profile list would select (and load) its first entry.
        self.form.tenant_edit.setFocus()
        self.ready = True
        if self._pending_sandbox is not None:
            self.attach_sandbox(self._pending_sandbox)
        if not self._deferred:  # the app does both once the window is painted (gui/app.py)
            self.open_keychain()
            QTimer.singleShot(0, self.response.build_tabs)

    def workers(self) -> tuple[CallWorker, ...]:
        """Every worker of the window (tests join their threads); none before `finish_setup`."""
        if not self.ready:
            return ()
        return (self.worker, self.decoder, self.aux, self.trying.worker, *self.checking.workers(),
                *self.profile_ctl.workers(), *self.form.workers())  # fmt: skip

    def open_keychain(self) -> None:
        """Open the keychain on a worker (keyring loads there), then name it in the panel."""
        if self.ready:
            self.profile_ctl.open_keychain()

    # -- composition ------------------------------------------------------------------------

    def _build_ui(self) -> None:
        from core.store.config import config_dir
        from core.store.history import HistoryStore
        from core.store.profiles import ProfileStore
        from gui.layout import build_columns, name_window_parts
        from gui.profiles.keychain import LazySecretStore
        from gui.profiles.profile_controller import ProfileController
        from gui.profiles.profile_panel import ProfilePanel

        folder = config_dir(self._config_dir)  # None: the environment or the platform's
        self.profiles = ProfileStore(folder)
        self.history = HistoryStore(folder)
        self.secrets = LazySecretStore(store=self._secrets)
        self.panel = ProfilePanel(self.profiles, self.history, self.secrets)
        columns = build_columns(self.panel, self._clock)
        self.banner, self.response = columns.banner, columns.response
        self.splitter, self.side_splitter = columns.splitter, columns.side_splitter
        request = columns.request
        self.form, self.send_button, self.busy = request.form, request.send_button, request.busy
        self.profile_ctl = ProfileController(
            self.form, self.panel, self.profiles, self.secrets, self
        )
        self.setCentralWidget(columns.central)
        columns.fit()  # the stylesheet and the columns' sizes, once they are in the window
        self.setMinimumWidth(max(self.minimumWidth(), columns.minimum_width()))
        name_window_parts(self)

    def _build_controllers(self) -> None:
        from gui.answer.copying import CopyController
        from gui.check.flow import CheckAllController
        from gui.freshness import Freshness
        from gui.menus import MenuSlots, build_menus, dialog_slot
        from gui.sandbox_controller import SandboxController
        from gui.send_flow import SendController
        from gui.try_flow import TryController

        self.sending = SendController(self.form, self.response, self.send_button, self.busy,
                                      self, self._clock)  # fmt: skip
        self.freshness = Freshness(self.form, self.response, self)
        self.worker, self.decoder = self.sending.worker, self.sending.decoder
        self.trying = TryController(self.form, self.response, self.state.ca_file, self)
        self.clipboard_label = self.response.copy_feedback  # beside the Copy buttons
        self.copier = CopyController(self.response, self.clipboard, self.clipboard_label, self)
        self.checking = CheckAllController(self)  # File > Check all profiles (gui/check/)
        slots = MenuSlots(
            save_profile=self.save_profile, new_profile=self.panel.new_button.click,
            import_profiles=self.panel.import_profiles,
            export_profiles=self.panel.export_profiles,
            clear_history=self.panel.clear_history_button.click, check_all=self.checking.open,
            decode=dialog_slot(self, "decode_pasted", self.decode_text),
            preferences=dialog_slot(self, "edit_preferences", self.clipboard, self.state),
            quit=self.close, send=self.send, cancel=self.cancel,
            copy_token=self.copier.copy_token, copy_header=self.copier.copy_header,
            copy_curl=self.copier.copy_curl, copy_powershell=self.copier.copy_powershell,
            shortcuts=dialog_slot(self, "show_shortcuts"),
            about=dialog_slot(self, "show_about", APP_TITLE),
        )  # fmt: skip
        self.menus = menus = build_menus(self, slots)
        self.save_profile_action = menus.save_profile
        self.clear_history_action = menus.clear_history
        self.import_action, self.export_action = menus.import_profiles, menus.export_profiles
        self.send_action, self.cancel_action = menus.send, menus.cancel
        self.copy_token_action, self.copy_header_action = menus.copy_token, menus.copy_header
        self.sandbox_menu = menus.sandbox
        self.sandboxing = SandboxController(self.form, self.panel, self.response, self.banner,
                                            self.sandbox_menu, self)  # fmt: skip
        self.aux = self.sandboxing.aux

    def _connect_signals(self) -> None:
        self.form.changed.connect(self.sending.check_form)
        self.form.changed.connect(self.freshness.check)  # an answer to another form is marked
        self.send_button.clicked.connect(self._on_send_button_clicked)
        for source in (self.panel, self.profile_ctl, self.sending, self.sandboxing, self.clipboard,
                       self.checking):  # fmt: skip
            source.message.connect(self._show_status)
        self.sending.busyChanged.connect(self._on_sending_busy_changed)
        self.sending.answered.connect(self.profile_ctl.record)
        self.trying.message.connect(self._show_status)
        for reported in (self.worker.succeeded, self.decoder.succeeded):
            reported.connect(self.trying.load)
        for signal in (self.worker.succeeded, self.worker.failed, self.decoder.succeeded,
                       self.decoder.failed):  # fmt: skip
            signal.connect(self.copier.update_actions)
        self.sandboxing.loaded.connect(self.sending.check_form)
        self.sandboxing.loaded.connect(self.freshness.bind)  # its line lasts while it is loaded
        self.worker.succeeded.connect(self.freshness.check)  # edited while it was on its way
        self.sandboxing.loaded.connect(self.copier.update_actions)
        self.response.copy_token.connect(self.copier.copy_token)
        self.response.copy_header.connect(self.copier.copy_header)
        self.response.paste_token.connect(self.decode_text)
        self.response.copy_curl.connect(self.copier.copy_curl)
        self.response.copy_powershell.connect(self.copier.copy_powershell)
        self.response.copy_support.connect(self.copier.copy_support)
        self.response.open_preferences.connect(self.menus.preferences.trigger)
        self.copier.tokenAvailable.connect(self.copy_token_action.setEnabled)
        self.copier.tokenAvailable.connect(self.copy_header_action.setEnabled)
        self.copier.update_actions()

    def refresh_icons(self) -> None:
        """Redraw every icon in the current theme's colours."""
        self.setWindowIcon(theme.icon("app", theme.current().accent))
        self.sending.refresh_icon()
        self.menus.refresh_icons()
        self.form.refresh_icons()
        self.panel.refresh_icons()
        self.response.refresh_icons()

    # -- state ------------------------------------------------------------------------------

    def _restore(self) -> None:
        from gui.window_state import restore

        restore(self)
        self.sending.check_form()

    def _save(self) -> None:
        from gui.window_state import save

        save(self)

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
        self.checking.close()  # a check run in progress is cut short
        self.clipboard.clear_now()
        self.sandboxing.close()
        super().closeEvent(event)

    # -- sandbox ----------------------------------------------------------------------------

    @property
    def session(self) -> SandboxSession | None:
        """The sandbox session in sandbox mode, else None."""
        return self.sandboxing.session if self.ready else None

    def attach_sandbox(self, sandbox: Sandbox) -> None:
        """Enter sandbox mode: banner, Sandbox menu, and the working demo in the form."""
        if not self.ready:
            self._pending_sandbox = sandbox
            return
        self.setWindowTitle(f"{APP_TITLE} — Sandbox")
        self.sandboxing.attach(sandbox)

    def load_scenario(self, scenario: Scenario) -> None:
        """Fill the form for one sandbox scenario (see `SandboxController.load_scenario`)."""
        self.sandboxing.load_scenario(scenario)

    # -- requests, copying, dialogs ---------------------------------------------------------

    def send(self) -> None:
        """Send the form's request on the worker (ignored while one runs)."""
        if not self.worker.busy:
            self.freshness.bind()  # the answer will belong to the form as it is now
        self.sending.send(self.panel.current_id(), self.sandboxing.authorities(),
                          self.state.ca_file(), self.sandboxing.api_names())  # fmt: skip

    def cancel(self) -> None:
        """Stop waiting for the running request; a late answer is dropped."""
        self.sending.cancel()

    def decode_text(self, text: str) -> None:
        """Decode and explain a pasted token without sending anything."""
        self.sending.decode(text, self.sandboxing.authorities(), self.state.ca_file(),
                            self.sandboxing.api_names())  # fmt: skip

    def save_profile(self) -> bool:
        """Save the form into the selected profile, or into a new one (File > Save profile)."""
        return self.profile_ctl.save()

    @Slot()
    def _on_send_button_clicked(self) -> None:
        if self.worker.busy:
            self.cancel()
        else:
            self.send()

    @Slot(bool)
    def _on_sending_busy_changed(self, busy: bool) -> None:
        self.send_action.setEnabled(not busy)
        self.cancel_action.setEnabled(busy)

    def _show_status(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)
