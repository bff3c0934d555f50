"""Try it: call an API with the token on screen and read the credential's expiry, on the one
worker kind (gui/worker.py), off the UI thread."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QGuiApplication

from gui.worker import CallWorker

if TYPE_CHECKING:
    from core.redaction import Secret
    from gui.answer.analysis import Report
    from gui.answer.response_view import ResponseView
    from gui.form.request_form import RequestForm


class TryController(QObject):
    """Keeps the Try it tab in step with the token shown, and runs its calls.

    Signals:
        message(str): a status line for the window.
    """

    message = Signal(str)

    def __init__(self, form: RequestForm, response: ResponseView, ca_file: Any,
                 parent: QObject) -> None:  # fmt: skip
        super().__init__(parent)
        self.form, self.response, self._ca_file = form, response, ca_file
        self.worker = CallWorker("try", self)
        self.worker.succeeded.connect(self._on_worker_succeeded)
        self.worker.failed.connect(self._on_worker_failed)
        self._token: Secret | None = None
        self._report: Report | None = None
        response.try_send.connect(self.send)
        response.try_inputs_changed.connect(self.precheck)
        response.try_expiry.connect(self.check_expiry)
        response.try_copy_curl.connect(lambda: self._copy("curl"))
        response.try_copy_powershell.connect(lambda: self._copy("powershell"))

    # -- the token on screen ------------------------------------------------------------------

    @Slot(object)
    def load(self, report: Report) -> None:
        """A new answer or paste: its token becomes the one to try (none: the tab is cleared)."""
        from core.api.target import default_call, token_facts

        self.worker.cancel()
        self._report, self._token = report, report.token
        view = self.response.try_it
        view.expiry.show_message(
            "Press Check credential expiry to read the app's secrets "
            "and certificates from Microsoft Graph with this token."
        )
        if report.token is None:
            view.clear()
            return
        inputs = self.form.to_input()
        method, url = default_call(token_facts(report.token), inputs.cloud, inputs.authority)
        view.load(method, url)
        self.precheck()

    def _request(self) -> Any:
        from core.api.call import ApiRequest, parse_header

        view = self.response.try_it
        assert self._token is not None
        headers = tuple(parse_header(line) for line in view.header_lines())
        body = view.body.toPlainText().encode("utf-8")
        secrets = self._report.result.request.secrets() if (
            self._report is not None and self._report.result is not None
            and self._report.result.request is not None) else ()  # fmt: skip
        return ApiRequest(view.method.currentText(), view.url.text().strip(), self._token,
                          headers=headers, body=body, timeout_s=self.form.to_input().timeout_s,
                          extra_secrets=secrets)  # fmt: skip

    @Slot()
    def precheck(self) -> None:
        """The permission check for what is typed (nothing is sent)."""
        from core.api.call import CallInputError
        from core.api.report import precheck

        if self._token is None:
            return
        try:
            request = self._request()
        except CallInputError:
            return
        inputs = self.form.to_input()
        self.response.try_it.show_permission(precheck(request, inputs.cloud, inputs.authority))

    @Slot()
    def send(self) -> None:
        from core.api.call import CallInputError, check_request
        from core.api.report import call_api

        view = self.response.try_it
        if self._token is None:
            return
        try:
            request = self._request()
        except CallInputError as exc:
            view.set_state("error", f"Not sent: {exc}")
            return
        problem = check_request(request)
        if problem:
            view.set_state("error", f"Not sent: {problem}")
            return
        inputs = self.form.to_input()
        view.set_state("busy", f"Calling {request.method} {request.url} …")
        self.worker.start(call_api, request, cloud=inputs.cloud, authority=inputs.authority,
                          ca_file=self._ca_file() or None)  # fmt: skip

    @Slot()
    def check_expiry(self) -> None:
        from core.api.expiry import UsedCredential, read_credential_expiry
        from core.api.own_expiry import expiry_after_token
        from core.api.target import is_graph_audience, token_facts

        if self._token is None:
            return
        view = self.response.try_it
        inputs = self.form.to_input()
        result = self._report.result if self._report is not None else None
        facts = token_facts(self._token)
        ca_file = self._ca_file() or None
        if result is not None:  # sent from the form: a Graph token is asked for when needed
            view.expiry.show_message(f"Reading the credentials of {inputs.client_id} from "
                                     "Microsoft Graph…")  # fmt: skip
            self.worker.start(expiry_after_token, inputs, result, ca_file=ca_file)
            return
        if not (facts.readable and is_graph_audience(facts.audience)):
            view.expiry.show_message(
                "Reading the expiry needs a Microsoft Graph token: paste "
                "one for https://graph.microsoft.com, or Send the form."
            )
            return
        client_id = facts.app_id or inputs.client_id
        view.expiry.show_message(f"Reading the credentials of {client_id} from Microsoft Graph…")
        self.worker.start(read_credential_expiry, self._token, client_id, UsedCredential("none"),
                          inputs.cloud, inputs.timeout_s, authority=inputs.authority,
                          ca_file=ca_file)  # fmt: skip

    def _copy(self, kind: str) -> None:
        from core.api.call import CallInputError
        from core.api.export import to_curl, to_powershell

        if self._token is None:
            return
        try:
            request = self._request()
        except CallInputError as exc:
            self.message.emit(f"Not copied: {exc}")
            return
        text = (to_curl if kind == "curl" else to_powershell)(request)
        QGuiApplication.clipboard().setText(text)
        self.message.emit(f"Copied as {'curl' if kind == 'curl' else 'PowerShell'}: the token "
                          "comes from $ACCESS_TOKEN")  # fmt: skip

    @Slot(object)
    def _on_worker_succeeded(self, value: object) -> None:
        from core.api.expiry import CredentialExpiry

        view = self.response.try_it
        if isinstance(value, CredentialExpiry):
            view.expiry.show_expiry(value)
            self.message.emit(value.warning or "Credential expiry read" if value.ok
                              else "Credential expiry not read")  # fmt: skip
            return
        view.show_report(value)
        self.message.emit(view.verdict.text())

    @Slot(object)
    def _on_worker_failed(self, exc: object) -> None:
        self.response.try_it.set_state(
            "error", f"The tester itself failed ({type(exc).__name__}); details are in the log."
        )
