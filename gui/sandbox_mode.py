"""Sandbox mode: the running emulator(s) and the form each demo scenario fills (no Qt)."""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING, Any

from core.token.models import TokenRequestInput
from gui.form.form_data import input_from_strings

if TYPE_CHECKING:
    from core.sandbox import Sandbox, Scenario

log = logging.getLogger(__name__)

BANNER = "Sandbox: tokens come from a local emulator, not from Microsoft"
DEMO_KEY = "cc-v2-graph"


WINDOW_SKIPS: tuple[str, ...] = ()
AUTH_CODE = "authorization_code"


def as_scenario(s: Any) -> Scenario:
    """A sign-in scenario as a menu entry: the form, and what to do on the sandbox's page."""
    from core.sandbox import Scenario

    how = ""
    if s.user:
        how = f" On the sandbox's page, sign in as {s.user} with {s.password}"
        how += "; on the consent page, click Cancel." if s.consent != "accept" else "."
    form = dict(s.form)
    if form.get("grant") == AUTH_CODE:  # where the tester listens (the registration names it)
        form["redirect_host"] = s.redirect_host
    return Scenario(s.key, s.title, s.description + how, s.expect, form)


class SandboxSession:
    """The in-process sandbox and, once a TLS scenario asks for it, a second one over HTTPS.

    The plain sandbox is given (started by the app or a test fixture, which also stops it);
    the TLS sandbox is started here, lazily, and stopped by `close()`.
    """

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        self._tls: Sandbox | None = None
        self._lock = threading.Lock()

    @property
    def base_url(self) -> str:
        return self.sandbox.base_url

    def scenarios(self) -> tuple[Scenario, ...]:
        """The token scenarios, then the sign-in ones (the browser or the device login page
        opens; the description says who signs in)."""
        from core.sandbox import scenarios, signin_scenarios

        return (*scenarios(), *(as_scenario(s) for s in signin_scenarios()
                                if s.key not in WINDOW_SKIPS))  # fmt: skip

    def scenario(self, key: str) -> Scenario:
        return next(s for s in self.scenarios() if s.key == key)

    def demo(self) -> Scenario:
        """The working setup the form starts with."""
        return self.scenario(DEMO_KEY)

    def tls_base_url(self) -> str:
        """The HTTPS sandbox's address, starting it first (slow: run it on the worker)."""
        with self._lock:
            if self._tls is None:
                from core.sandbox import Sandbox

                self._tls = Sandbox(tls=True).start()
            return self._tls.base_url

    def authorities(self) -> tuple[str, ...]:
        """Every sandbox address, for signature checks of the tokens they issue."""
        with self._lock:
            tls = (self._tls.base_url,) if self._tls is not None else ()
        return (self.base_url, *tls)

    def api_names(self) -> dict[str, str]:
        """The sandbox directory's APIs by app ID and App ID URI (a token names its API)."""
        from core.sandbox.directory import APIS

        return {key: api.name for api in APIS for key in (api.app_id, api.uri)}

    def input_for(self, scenario: Scenario) -> TokenRequestInput:
        """The scenario's form as inputs (for a TLS scenario, call `tls_base_url` first)."""
        authority = self.tls_base_url() if scenario.needs_tls else self.base_url
        # The scenario's files ({files}: certificates, tokens) are this sandbox's, minted now.
        return input_from_strings(self.sandbox.scenario_form(scenario.form), authority=authority)

    def close(self) -> None:
        """Stop the TLS sandbox if this session started one."""
        with self._lock:
            tls, self._tls = self._tls, None
        if tls is not None:
            tls.stop()
