"""Sandbox mode in the window: the banner, the Sandbox menu, and scenarios loaded into the form."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QLabel, QMenu

from gui import sandbox_menu
from gui.sandbox_mode import SandboxSession
from gui.worker import CallWorker

if TYPE_CHECKING:
    from PySide6.QtGui import QAction

    from core.sandbox import Sandbox, Scenario
    from core.token.models import TokenRequestInput
    from gui.answer.response_view import ResponseView
    from gui.form.request_form import RequestForm
    from gui.profiles.profile_panel import ProfilePanel


class SandboxController(QObject):
    """Fills the form for a sandbox scenario; a TLS scenario first starts the HTTPS sandbox.

    Signals:
        loaded(): a scenario is in the form (the window re-checks it).
        message(str): a status line for the window.
    """

    loaded = Signal()
    message = Signal(str)

    def __init__(
        self,
        form: RequestForm,
        panel: ProfilePanel,
        response: ResponseView,
        banner: QLabel,
        menu: QMenu,
        parent: QObject,
    ) -> None:
        super().__init__(parent)
        self.form, self.panel, self.response = form, panel, response
        self.banner, self.menu = banner, menu
        self.session: SandboxSession | None = None
        self.aux = CallWorker("sandbox", self)
        self.aux.succeeded.connect(self._on_aux_succeeded)
        self.aux.failed.connect(self._on_aux_failed)
        panel.profileSelected.connect(self.unmark)

    def attach(self, sandbox: Sandbox) -> None:
        """Enter sandbox mode: banner, Sandbox menu, and the working demo in the form."""
        self.session = SandboxSession(sandbox)
        self.banner.show()
        self.form.set_sandbox_authority(sandbox.base_url)
        sandbox_menu.fill(self.menu, self.session.scenarios(), self._on_scenario_action_triggered)
        self.menu.setToolTipsVisible(True)
        self.menu.menuAction().setVisible(True)
        profile = self.panel.current_profile()
        if profile is not None and profile.cloud == "sandbox":
            self.loaded.emit()  # a Sandbox profile stays, now on this sandbox's address
            return
        self.load_scenario(self.session.demo())

    def authorities(self) -> tuple[str, ...]:
        """The sandbox's issuers, trusted when a token is checked ('()' outside sandbox mode)."""
        return self.session.authorities() if self.session is not None else ()

    def api_names(self) -> dict[str, str]:
        """The sandbox's API names by app ID ('{}' outside sandbox mode)."""
        return self.session.api_names() if self.session is not None else {}

    def load_scenario(self, scenario: Scenario) -> None:
        """Fill the form for one scenario (a TLS scenario first starts the HTTPS sandbox).

        A scenario is not a profile: the selected profile is left first (asking about its
        unsaved changes); Save profile then keeps the scenario as a new profile.
        """
        if self.session is None or not self.panel.select(""):
            return
        sandbox_menu.mark(self.menu, scenario.key)
        if scenario.needs_tls:
            self.message.emit("Starting the HTTPS sandbox…")
            self.aux.start(self.session.input_for, scenario)
            return
        self._load_input(self.session.input_for(scenario), scenario.title)
        self.form.wait_new_check.setChecked(scenario.wait_new)

    def actions(self) -> list[QAction]:
        """Every scenario's menu action (in their submenus)."""
        return sandbox_menu.scenario_actions(self.menu)

    @Slot(str)
    def unmark(self, _profile_id: str = "") -> None:
        """A profile is in the form now: no scenario is ticked."""
        sandbox_menu.mark(self.menu, "")

    def close(self) -> None:
        if self.session is not None:
            self.session.close()

    def _load_input(self, inputs: TokenRequestInput, title: str) -> None:
        self.form.load_input(inputs)
        self.response.show_idle(f"Sandbox scenario loaded: {title}. Press Send (Ctrl+Enter).")
        self.loaded.emit()

    @Slot()
    def _on_scenario_action_triggered(self) -> None:
        assert self.session is not None
        key = self.sender().data()
        self.load_scenario(self.session.scenario(key))

    @Slot(object)
    def _on_aux_succeeded(self, inputs: TokenRequestInput) -> None:
        self._load_input(inputs, "TLS failure (untrusted certificate)")

    @Slot(object)
    def _on_aux_failed(self, exc: object) -> None:
        self.message.emit(f"The HTTPS sandbox could not start ({type(exc).__name__})")
