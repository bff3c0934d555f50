"""Check all profiles from the window: `core.check` on the one worker kind, each result shown as
it arrives, Cancel that stops the run at once, history, and a row opened in the answer pane."""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from gui.worker import PROGRESS, CallWorker

if TYPE_CHECKING:
    from core.check.outcome import CheckOutcome
    from core.check.runner import CheckSettings
    from core.store.profile import Profile
    from core.store.secret_store import SecretStore
    from core.token.result import TokenResult
    from gui.answer.analysis import Report
    from gui.check.dialog import CheckAllDialog

GIVE_UP_MS = 3000  # after Cancel, a run still going is let go (its late result is dropped)


def check_saved(
    profiles: Sequence[Profile],
    secrets: SecretStore | None,
    settings: CheckSettings,
    *,
    sandbox_authority: str = "",
    cancel: threading.Event | None = None,
    on_progress: Callable[[tuple[int, CheckOutcome]], None] | None = None,
) -> list[CheckOutcome]:
    """On the worker: the profiles' secrets from the keychain, then `core.check.run_checks`,
    telling `on_progress((index, outcome))` as each one ends."""
    from core.check.plan import CheckEntry, plan
    from core.check.runner import run_checks

    remembered = any(p.remember_secret for p in profiles)
    items = plan([CheckEntry(p) for p in profiles], environ={},
                 secrets=secrets if remembered else None, for_window=True)  # fmt: skip
    if sandbox_authority:  # a Sandbox profile goes to the running sandbox, as the form does
        here = {"authority": sandbox_authority}
        items = [
            dataclasses.replace(i, inputs=dataclasses.replace(i.inputs, **here))
            if i.inputs is not None and i.inputs.cloud == "sandbox" else i for i in items
        ]  # fmt: skip
    report = (lambda index, outcome: on_progress((index, outcome))) if on_progress else None
    return run_checks(items, settings, cancel=cancel, on_outcome=report)


def inspect_checked(result: TokenResult, origin: str, **kwargs: Any) -> Report:
    """On the worker: a checked result explained as a Send's answer is, its origin named."""
    from gui.answer.analysis import inspect_result

    return dataclasses.replace(inspect_result(result, **kwargs), origin=origin)


class CheckAllController(QObject):
    """Runs File > Check all profiles for the window and keeps its dialog in step.

    Uses the window's profile and history stores, keychain, profile panel, sandbox session,
    CA file preference, answer pane and its decode worker (`window.decoder`), and freshness.

    Signals:
        message(str): a status line for the window.
        finished(): a run ended (completed, cancelled or failed) and its history is saved.
    """

    message = Signal(str)
    finished = Signal()

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.worker = CallWorker("check-all", self)
        self.worker.progressed.connect(self._on_worker_progressed)
        self.worker.succeeded.connect(self._on_worker_succeeded)
        self.worker.failed.connect(self._on_worker_failed)
        self.dialog: CheckAllDialog | None = None
        self._cancel = threading.Event()
        self._started = self._elapsed = 0.0
        self._now = time.time()
        self._warn_days: float | None = None
        self._give_up = QTimer(self, singleShot=True, interval=GIVE_UP_MS)
        self._give_up.timeout.connect(self._on_give_up_timeout)
        self.outcomes: list[CheckOutcome] = []
        window.panel.toolbar.check_button.clicked.connect(self.open)

    def workers(self) -> tuple[CallWorker, ...]:
        return (self.worker,)

    @property
    def running(self) -> bool:
        return self.worker.busy

    # -- the dialog -------------------------------------------------------------------------

    @Slot()
    def open(self) -> None:
        """Show the dialog (made on first use) listing the saved profiles; focus Check all."""
        if self.dialog is None:
            from gui.check.dialog import CheckAllDialog

            self.dialog = dialog = CheckAllDialog(self.window)
            dialog.startRequested.connect(self.start)
            dialog.cancelRequested.connect(self.cancel)
            dialog.rowOpened.connect(self.open_row)
            dialog.copy_button.clicked.connect(self.copy_report)
            dialog.save_button.clicked.connect(self.save_report)
            dialog.set_options(self.window.state.check_options(dialog.options()))
        self.dialog.show()
        if not self.running:
            self.dialog.show_profiles([p.name for p in self.window.profiles.list()])
            self.dialog.run_button.setFocus()
        self.dialog.raise_()
        self.dialog.activateWindow()

    def close(self) -> None:
        """The window closes: stop a run (its requests are cut short) and the dialog."""
        self._cancel.set()
        if self.dialog is not None:
            self.dialog.close()

    # -- running ----------------------------------------------------------------------------

    @Slot()
    def start(self, deadline_s: float | None = None) -> None:
        """Check every saved profile on the worker; rows fill in as results arrive."""
        dialog = self.dialog
        if dialog is None or self.running:
            return
        profiles = self.window.profiles.list()
        dialog.show_profiles([p.name for p in profiles])
        if not profiles:
            return
        ca_file = self.window.state.ca_file() or None
        settings = dataclasses.replace(dialog.settings(deadline_s), ca_file=ca_file)
        self.window.state.set_check_options(dialog.options())  # the next window starts so
        session = self.window.session
        self._cancel = threading.Event()
        self._warn_days = settings.warn_days
        self._started, self._now = time.monotonic(), time.time()
        self.outcomes = []
        self.worker.start(check_saved, profiles, self.window.secrets, settings,
                          sandbox_authority=session.base_url if session is not None else "",
                          cancel=self._cancel, on_progress=PROGRESS)  # fmt: skip
        dialog.set_running(True)
        dialog.show_progress(0, len(profiles))
        dialog.table.setFocus()
        self.message.emit(f"Checking {len(profiles)} profiles…")

    @Slot()
    def cancel(self) -> None:
        """Stop the run: waits and requests on their way end within a fraction of a second."""
        if not self.running:
            return
        self._cancel.set()
        if self.dialog is not None:
            self.dialog.show_cancelling()
        self._give_up.start()

    @Slot(object)
    def _on_worker_progressed(self, report: tuple[int, CheckOutcome]) -> None:
        index, outcome = report
        if self.dialog is None:
            return
        table = self.dialog.table
        table.show_outcome(index, outcome, self._now)
        done = sum(1 for o in table.outcomes if o is not None)
        if not self._cancel.is_set():
            self.dialog.show_progress(done, table.rowCount())

    @Slot(object)
    def _on_worker_succeeded(self, outcomes: list[CheckOutcome]) -> None:
        self._finish(outcomes)

    @Slot(object)
    def _on_worker_failed(self, exc: object) -> None:
        shown = [o for o in (self.dialog.table.outcomes if self.dialog else []) if o is not None]
        self._finish(shown, f"The check stopped: the tester failed ({type(exc).__name__}); "
                            "details are in the log.")  # fmt: skip

    @Slot()
    def _on_give_up_timeout(self) -> None:
        """Cancel did not end the run in time: drop it and keep what arrived."""
        if self.running and self.dialog is not None:
            self.worker.cancel()
            self._finish([o for o in self.dialog.table.outcomes if o is not None])

    def _finish(self, outcomes: list[CheckOutcome], problem: str = "") -> None:
        from core.check.report import record_history
        from gui.check.table import summary_text

        self._give_up.stop()
        self.outcomes = list(outcomes)
        self._elapsed = elapsed = time.monotonic() - self._started
        cancelled = self._cancel.is_set()
        window = self.window
        if saved := record_history(window.history, self.outcomes):
            problem = problem or f"History not saved: {saved}"
        panel = window.panel
        panel.history_view.show_entries(window.history.entries(panel.current_id()))
        dialog = self.dialog
        if dialog is not None:
            shown = list(dialog.table.outcomes)
            for index, outcome in enumerate(outcomes):
                if index < len(shown) and shown[index] is not outcome:
                    dialog.table.show_outcome(index, outcome, self._now)
            text = summary_text(dialog.table.outcomes, warn_days=self._warn_days,
                                elapsed_s=elapsed, cancelled=cancelled)  # fmt: skip
            dialog.set_running(False)
            dialog.show_progress(len(outcomes), dialog.table.rowCount(), problem or text)
            dialog.copy_button.setEnabled(bool(self.outcomes))
            dialog.save_button.setEnabled(bool(self.outcomes))
        else:
            text = f"{len(outcomes)} checked"
        self.message.emit(problem or f"Check all: {text}")
        self.finished.emit()

    # -- a row's full result ----------------------------------------------------------------

    @Slot(int)
    def open_row(self, row: int) -> None:
        """Show one row's full result in the window's answer pane, as a Send's answer."""
        if self.dialog is None or not 0 <= row < len(self.dialog.table.outcomes):
            return
        outcome = self.dialog.table.outcomes[row]
        if outcome is None:
            return
        window = self.window
        window.freshness.forget()  # this answer is not the form's: never marked stale by it
        origin = f"Check all, “{outcome.name}”: "
        if outcome.result is None:
            window.response.show_failure(f"{origin}not checked", "Not checked",
                                         _esc(outcome.title))  # fmt: skip
        else:
            profile = window.profiles.get(outcome.profile_id)
            window.response.show_busy(f"Opening the result of “{outcome.name}”…")
            window.decoder.start(inspect_checked, outcome.result, origin,
                                 tenant=profile.tenant if profile is not None else "",
                                 extra_authorities=window.sandboxing.authorities(),
                                 ca_file=window.state.ca_file() or None,
                                 names=window.sandboxing.api_names())  # fmt: skip
        self.message.emit(f"The result of “{outcome.name}” is in the answer pane.")
        window.raise_()
        window.activateWindow()

    # -- reports ----------------------------------------------------------------------------

    @Slot()
    def copy_report(self) -> None:
        from gui.check.export import copy_report

        self.message.emit(copy_report(self.outcomes, self._now, self._elapsed))

    @Slot()
    def save_report(self) -> None:
        """Save the run as the JSON document of `check --json`, or as JUnit XML (.xml)."""
        from gui.check.export import save_report

        if said := save_report(self.dialog, self.outcomes, self._now, self._elapsed):
            self.message.emit(said)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
