"""Send, cancel and decode: runs the core off the UI thread and shows the answer."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QProgressBar, QPushButton, QVBoxLayout, QWidget

from gui import theme
from gui.worker import PROGRESS, CallWorker

SIGNIN_GRANT_VALUES = ("authorization_code", "urn:ietf:params:oauth:grant-type:device_code")
SIGNIN_WAIT_S = 180.0  # the whole sign-in, browser or device (as the command line's default)

if TYPE_CHECKING:
    from core.token.models import TokenRequestInput
    from core.token.replication import Progress
    from gui.answer.analysis import Report
    from gui.answer.response_view import ResponseView
    from gui.form.request_form import RequestForm


class SendController(QObject):
    """Keeps the Send button, the busy bar and the answer in step with the workers.

    `worker` sends the form's request (preflight, build, send, inspect); `decoder` explains a
    pasted token. A result from a cancelled or superseded call is dropped by the worker.

    Signals:
        busyChanged(bool): a send started (True) or ended, failed or was cancelled (False).
        answered(object, str): a send's report and the id of the profile it was sent from.
        message(str): a status line for the window.
    """

    busyChanged = Signal(bool)
    answered = Signal(object, str)
    message = Signal(str)

    def __init__(
        self,
        form: RequestForm,
        response: ResponseView,
        button: QPushButton,
        busy: QProgressBar,
        parent: QWidget,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(parent)
        self.form, self.response, self.button, self.busy = form, response, button, busy
        self._clock = clock
        self._retry_at = 0.0  # the server's Retry-After ends then (epoch seconds)
        self._retry_timer = QTimer(self)
        self._retry_timer.setInterval(1000)
        self._retry_timer.timeout.connect(self._show_send_label)
        self.worker = CallWorker("send", self)
        self.decoder = CallWorker("decode", self)
        self._profile_id = ""
        self._cancel = threading.Event()
        self.worker.succeeded.connect(self._on_worker_succeeded)
        self.worker.failed.connect(self._on_worker_failed)
        self.worker.finished.connect(self._on_worker_finished)
        self.worker.progressed.connect(self._on_worker_progressed)
        self._waiting: Progress | None = None  # the last refusal of a running wait
        self.decoder.succeeded.connect(self._on_decoder_succeeded)
        # Delegated sign-in: the browser opener (tests inject one), the strip above the answer,
        # and the refresh token held in memory for this session only.
        self.open_url: Callable[[str], object] = _open_in_browser
        self.refresh_session: Any = None
        self._refresh_context: tuple[Any, ...] = ((), None, None)  # authorities, CA file, names
        from gui.signin_panel import SignInPanel

        self.signin_panel = SignInPanel(parent=response)
        layout = response.layout()
        if isinstance(layout, QVBoxLayout):
            layout.insertWidget(1, self.signin_panel)
        self.signin_panel.refresh.connect(self.refresh_now)
        self.decoder.failed.connect(self._on_worker_failed)

    @Slot()
    def check_form(self) -> None:
        """Show the pre-flight findings beside their fields and the token URL preview."""
        from core.token.preflight import check
        from core.token.request import RequestBuildError, request_url

        inputs = self.form.to_input()
        findings = check(inputs)
        if inputs.grant.value == "authorization_code":  # the sign-in part loads only then
            from core.signin.preflight import form_findings

            findings += form_findings(inputs)
        self.form.show_findings(findings)
        try:
            self.form.show_token_url(request_url(inputs))
        except RequestBuildError as exc:
            self.form.show_token_url(f"({exc})")

    def send(
        self,
        profile_id: str,
        authorities: tuple[str, ...],
        ca_file: str = "",
        names: dict[str, str] | None = None,
    ) -> None:
        """Send the form's request on the worker (ignored while one runs)."""
        from core.token.request import RequestBuildError, request_url
        from gui.answer.analysis import send_and_inspect

        if self.worker.busy:
            return
        self.form.reveal_findings()
        inputs = self.form.to_input()
        if inputs.authority and inputs.authority not in authorities:
            authorities = (*authorities, inputs.authority)
        self._profile_id = profile_id
        self._cancel = threading.Event()  # Cancel also cuts the exchange itself short
        self._waiting = None
        if inputs.grant.value in SIGNIN_GRANT_VALUES:
            self._sign_in(inputs, authorities, ca_file, names)
            return
        self.worker.start(send_and_inspect, inputs, authorities, ca_file=ca_file or None,
                          cancel=self._cancel, names=names,
                          wait_new_s=self.form.wait_new_check.limit_s(),
                          on_progress=PROGRESS)  # fmt: skip
        self._set_busy(True)
        try:
            target = request_url(inputs)
        except RequestBuildError:
            target = "the token endpoint"
        self.response.show_busy(f"Sending to {target} …  (Esc cancels)")
        self.message.emit("Sending…")

    def _sign_in(self, inputs: TokenRequestInput, authorities: tuple[str, ...], ca_file: str,
                 names: dict[str, str] | None) -> None:  # fmt: skip
        """Browser or device code sign-in on the worker; the device code is shown as it comes."""
        from gui.answer.signin_analysis import signin_and_inspect

        self.signin_panel.clear()
        self.refresh_session = None
        self._refresh_context = (authorities, ca_file or None, names)  # a refresh's checks
        self.worker.start(signin_and_inspect, inputs, authorities, open_url=self.open_url,
                          ca_file=ca_file or None, cancel=self._cancel, names=names,
                          timeout_s=SIGNIN_WAIT_S, on_progress=PROGRESS)  # fmt: skip
        self._set_busy(True)
        browser = inputs.grant.value == "authorization_code"
        self.response.show_busy("Waiting for sign-in in your browser… (Esc cancels)" if browser
                                else "Asking for a device code… (Esc cancels)")  # fmt: skip
        self.message.emit("Signing in…")

    @Slot(str)
    def refresh_now(self, target: str = "") -> None:
        """Redeem the refresh token held in memory for a new access token, for `target`
        (another consented API's scope on v2 or resource on v1) or the same API."""
        from gui.answer.signin_analysis import refresh_and_inspect

        if self.worker.busy or self.refresh_session is None:
            return
        self._cancel = threading.Event()
        authorities, ca_file, names = self._refresh_context
        self.worker.start(refresh_and_inspect, self.refresh_session, self.form.to_input().tenant,
                          authorities, target=target, ca_file=ca_file, cancel=self._cancel,
                          names=names)  # fmt: skip
        self._set_busy(True)
        what = f" for {target}" if target else ""
        self.response.show_busy(f"Refreshing{what} with the refresh token held in memory… "
                                "(Esc cancels)")  # fmt: skip

    def cancel(self) -> None:
        """Stop waiting for the running request; a late answer is dropped."""
        if not self.worker.busy:
            return
        self._cancel.set()
        self.worker.cancel()
        if self.signin_panel.device_box.isVisible():  # the code is of no use any more
            self.signin_panel.clear()
            self.refresh_session = None
        waiting, self._waiting = self._waiting, None
        if waiting is not None:  # stopped between retries: say how far the wait got
            self.response.show_idle(
                f"Stopped waiting for replication after {waiting.elapsed_s:.0f} s "
                f"({waiting.attempt} attempt{'s' if waiting.attempt != 1 else ''}): still "
                f"refused as unknown (AADSTS{waiting.code}). Nothing more is sent."
            )
            self.message.emit("Wait for replication stopped")
            return
        self.response.show_idle("Cancelled. A late answer, if any, will be ignored.")
        self.message.emit("Request cancelled")

    @Slot(object)
    def _on_worker_progressed(self, progress: Progress) -> None:
        """A refusal as unknown during a wait: the live line goes in the banner; a device code
        or the browser's URL during a sign-in."""
        if isinstance(progress, str):  # the authorize URL, opened in the browser
            return
        if hasattr(progress, "user_code"):
            self.signin_panel.show_device(progress)
            self.response.show_busy("Waiting for sign-in with the code… (Esc cancels)")
            self.message.emit("Waiting for sign-in with the device code")
            return
        self._waiting = progress
        self.response.show_busy(progress.line("Esc"))
        self.message.emit(f"Waiting for replication (attempt {progress.attempt})")

    def decode(self, text: str, authorities: tuple[str, ...], ca_file: str = "",
               names: dict[str, str] | None = None) -> None:  # fmt: skip
        """Decode and explain a pasted token without sending anything."""
        from gui.answer.analysis import inspect_token

        self.decoder.start(inspect_token, text, tenant=self.form.to_input().tenant,
                           extra_authorities=authorities, ca_file=ca_file or None,
                           names=names)  # fmt: skip
        self.response.show_busy("Decoding the pasted token…")

    def _set_busy(self, busy: bool) -> None:
        button = self.button
        if busy:
            self._retry_timer.stop()
            button.setText("Cancel")
            button.setToolTip("Cancel the request (Esc)")
        else:
            self._show_send_label()
        button.setAccessibleName("Cancel" if busy else "Send")
        button.setProperty("busy", busy)
        button.style().unpolish(button)
        button.style().polish(button)
        self.busy.setVisible(busy)
        self.refresh_icon(busy)
        self.busyChanged.emit(busy)

    def refresh_icon(self, busy: bool | None = None) -> None:
        """The Send button's icon in the theme's colours: an arrow, or a red cross while busy."""
        busy = self.worker.busy if busy is None else busy
        colour = theme.current().error if busy else "#ffffff"
        self.button.setIcon(theme.icon("cancel" if busy else "send", colour))

    @Slot(object)
    def _on_worker_succeeded(self, report: Report) -> None:
        self._on_decoder_succeeded(report)
        if report.signin_text or report.refresh is not None:
            if report.refresh is not None:
                self.refresh_session = report.refresh
            self.signin_panel.show_signed_in(report.signin_text, report.refresh is not None)
        else:
            self.signin_panel.clear()
            self.refresh_session = None
        self.answered.emit(report, self._profile_id)

    @property
    def retry_wait_s(self) -> int:
        """Seconds left of the server's Retry-After (0 when none)."""
        return max(0, int(self._retry_at - self._clock() + 0.999))

    @Slot()
    def _show_send_label(self) -> None:
        """Send, or Send with the server's Retry-After counting down until it passes."""
        if self.worker.busy:
            return
        left = self.retry_wait_s
        if left <= 0:
            self._retry_timer.stop()
            self.button.setText("Send")
            self.button.setToolTip("Send (Ctrl+Enter)")
            return
        self.button.setText(f"Send (server asks to wait {left} s)")
        self.button.setToolTip(
            f"The server asked to wait before sending again (Retry-After): {left} s left. "
            "Sending earlier is likely refused again."
        )
        self._retry_timer.start()

    @Slot(object)
    def _on_decoder_succeeded(self, report: Report) -> None:
        if report.result is not None:  # a send's answer: its Retry-After, if any, counts now
            wait = getattr(report.diagnosis, "retry_after_s", None)
            self._retry_at = self._clock() + wait if wait else 0.0
            self._show_send_label()
        self.response.show_report(report)
        result = report.result
        if result is not None and result.status is not None:
            self.message.emit(f"HTTP {result.status} in {result.elapsed_ms:.0f} ms")
        elif result is not None:
            self.message.emit(result.outcome.value.replace("_", " ").capitalize())

    @Slot(object)
    def _on_worker_failed(self, exc: object) -> None:
        self.response.show_failure(
            f"Internal error ({type(exc).__name__}): see Diagnosis",
            "The tester itself failed",
            f"Something unexpected went wrong inside the tester ({type(exc).__name__}). "
            "Nothing was lost: check the form and try again. Details are in the log.",
        )

    @Slot()
    def _on_worker_finished(self) -> None:
        self._set_busy(False)


def _open_in_browser(url: str) -> bool:
    """The system browser (webbrowser loads when a sign-in first needs it: ~6 ms at start-up)."""
    import webbrowser

    return webbrowser.open(url)
