"""The device authorization grant (RFC 8628, identity-platform.md 2.5): ask for a user code,
show it, then poll the token endpoint at the given interval until someone signs in, the code
expires, the user declines, the whole wait runs out, or the caller cancels."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from core import safejson
from core.redaction import Secret
from core.signin.endpoints import SignInEndpoints
from core.signin.grants import poll_device_code
from core.token.authority import url_problem
from core.token.client import as_int, result_from_answer
from core.token.models import Endpoint, GrantType, TokenRequestInput
from core.token.request import RequestBuildError, build_request
from core.token.result import ErrorFields, FailureKind, Outcome, TokenResult, TransportFailure
from core.token.transport import exchange

DEFAULT_INTERVAL_S = 5
DEFAULT_EXPIRES_S = 900
SLOW_DOWN_STEP_S = 5  # RFC 8628 3.5, as MSAL does
MAX_INTERVAL_S = 60
MAX_USER_CODE = 64
MAX_ANSWER_BYTES = 64 * 1024
KEEP_POLLING = frozenset({"authorization_pending", "slow_down"})


@dataclass(frozen=True)
class DeviceCode:
    """The answer to the device code request: what to show the user, and the secret to poll."""

    device_code: Secret = field(repr=False)
    user_code: str
    verification_uri: str
    expires_in: int
    interval: int
    message: str = ""
    received_at: float = 0.0  # the flow's clock when it came (for the countdown)

    def expires_at(self) -> float:
        return self.received_at + self.expires_in


def _text(value: Any, limit: int = 2048) -> str:
    return value[:limit] if isinstance(value, str) else ""


def parse_device_code(body: dict[str, Any], received_at: float) -> DeviceCode | str:
    """A DeviceCode from the answer (v2 `verification_uri`, v1 `verification_url` and numbers
    as strings), or why the answer cannot be used."""
    device_code, user_code = body.get("device_code"), body.get("user_code")
    uri = body.get("verification_uri") or body.get("verification_url")
    if not isinstance(device_code, str) or not device_code:
        return "the answer has no device_code"
    if not isinstance(user_code, str) or not user_code.strip():
        return "the answer has no user_code"
    if len(user_code) > MAX_USER_CODE or not user_code.isprintable():
        return "the user_code is not a short printable code"
    if not isinstance(uri, str) or url_problem(uri):
        return "the answer has no usable verification_uri"
    interval = as_int(body.get("interval"))
    expires = as_int(body.get("expires_in"))
    return DeviceCode(
        device_code=Secret(device_code),
        user_code=user_code.strip(),
        verification_uri=uri,
        expires_in=expires if expires and expires > 0 else DEFAULT_EXPIRES_S,
        interval=min(max(interval or DEFAULT_INTERVAL_S, 1), MAX_INTERVAL_S),
        message=_text(body.get("message")),
        received_at=received_at,
    )


Clock = Callable[[], float]
Sleep = Callable[[float], None]


class DeviceFlow:
    """One device code sign-in. `clock` and `sleep` are injectable (tests); the default sleep
    wakes up at once when `cancel` is set."""

    def __init__(
        self,
        inputs: TokenRequestInput,
        endpoints: SignInEndpoints,
        *,
        ca_file: str | None = None,
        cancel: threading.Event | None = None,
        clock: Clock = time.monotonic,
        sleep: Sleep | None = None,
    ) -> None:
        self.inputs = endpoints.for_inputs(inputs)
        self.endpoints = endpoints
        self.ca_file = ca_file
        self.cancel = cancel or threading.Event()
        self.clock = clock
        self.sleep: Sleep = sleep or self._wait
        self.polls = 0

    def _wait(self, seconds: float) -> None:
        self.cancel.wait(seconds)

    def request_code(self, *, timeout_s: float) -> DeviceCode | TokenResult:
        """POST client_id and scope (v2) or resource (v1) to the device code endpoint."""
        inputs = replace(self.inputs, grant=GrantType.DEVICE_CODE, client_secret=None)
        try:
            base = build_request(inputs)
        except RequestBuildError:
            return TokenResult(outcome=Outcome.BLOCKED, request=None)
        form: list[tuple[str, str | Secret]] = [("client_id", inputs.client_id.strip())]
        if inputs.endpoint is Endpoint.V1 and self.endpoints.entra:
            form.append(("resource", inputs.resource.strip()))
        else:
            form.append(("scope", " ".join(inputs.scope.split())))
        prepared = replace(
            base, url=self.endpoints.device_url, form=tuple(form),
            timeout_s=max(0.001, min(base.timeout_s, timeout_s)),
            headers=tuple(h for h in base.headers if h[0].lower() != "authorization"),
        )  # fmt: skip
        answer = exchange(
            "POST", prepared.url, body=prepared.body().encode("utf-8"),
            headers=[(k, str(v)) for k, v in prepared.headers], timeout_s=prepared.timeout_s,
            max_bytes=MAX_ANSWER_BYTES, ca_file=self.ca_file, cancel=self.cancel,
        )  # fmt: skip
        if answer.failure is not None:
            return TokenResult(outcome=Outcome.NO_ANSWER, request=prepared,
                               elapsed_ms=answer.elapsed_ms, received_at=answer.finished_at,
                               failure=answer.failure)  # fmt: skip
        if answer.status == 200:
            try:
                body = safejson.loads(answer.text())
            except safejson.JsonError:
                body = None
            if isinstance(body, dict):
                found = parse_device_code(body, self.clock())
                if isinstance(found, DeviceCode):
                    return found
                return replace(result_from_answer(prepared, answer), error=ErrorFields(
                    error="invalid_device_code_answer",
                    error_description=f"The device code answer cannot be used: {found}.",
                ))  # fmt: skip
        return result_from_answer(prepared, answer)

    def wait_for_sign_in(self, code: DeviceCode, *, deadline: float) -> TokenResult:
        """Poll until a token, a final error, the code's expiry, the `deadline` (this flow's
        clock) or cancel. Waits `interval` seconds between polls, 5 s more after slow_down."""
        interval = float(code.interval)
        last: TokenResult | None = None
        while True:
            if self.cancel.is_set():
                return _stopped(last, FailureKind.CANCELLED, "Sign-in cancelled.")
            now = self.clock()
            if now >= code.expires_at():
                return _expired(last, code)
            if now >= deadline:
                message = "No one signed in with the code before the time ran out."
                return _stopped(last, FailureKind.TIMEOUT, message)
            last = poll_device_code(
                self.inputs, code.device_code, timeout_s=deadline - now,
                ca_file=self.ca_file, cancel=self.cancel,
            )  # fmt: skip
            self.polls += 1
            error = last.error.error if last.error is not None else ""
            if last.outcome is not Outcome.REFUSED or error not in KEEP_POLLING:
                return last
            if error == "slow_down":
                interval = min(interval + SLOW_DOWN_STEP_S, MAX_INTERVAL_S)
            pause = min(interval, max(0.0, min(deadline, code.expires_at()) - self.clock()))
            if pause > 0:
                self.sleep(pause)


def _stopped(last: TokenResult | None, kind: FailureKind, message: str) -> TokenResult:
    return TokenResult(
        outcome=Outcome.NO_ANSWER,
        request=last.request if last is not None else None,
        failure=TransportFailure(kind, message),
    )


def _expired(last: TokenResult | None, code: DeviceCode) -> TokenResult:
    return TokenResult(
        outcome=Outcome.REFUSED,
        request=last.request if last is not None else None,
        error=ErrorFields(
            error="expired_token",
            error_description=f"The code {code.user_code} expired after {code.expires_in} s "
            "before anyone signed in with it.",
        ),
    )
