"""The two sign-in flows from start to token: authorization code with PKCE through the system
browser and the loopback listener, and device code. Each has one total deadline, can be
cancelled at any time, and returns a SignInResult (never raises for what a server does)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from urllib.parse import urlencode, urlsplit

from core.signin.device import DeviceCode, DeviceFlow
from core.signin.endpoints import SignInEndpoints
from core.signin.grants import redeem_code
from core.signin.loopback import DEFAULT_WAIT_S, ListenerError, LoopbackListener, Redirect
from core.signin.pkce import Pkce
from core.signin.preflight import signin_findings, with_oidc_scopes
from core.token.models import Endpoint, Finding, GrantType, Severity, TokenRequestInput
from core.token.preflight import check
from core.token.result import ErrorFields, FailureKind, Outcome, TokenResult, TransportFailure


@dataclass(frozen=True)
class AuthCodeOptions:
    """How the browser sign-in runs. `timeout_s` bounds the whole sign-in (browser included)."""

    redirect_host: str = "127.0.0.1"
    redirect_port: int = 0
    redirect_path: str = "/"
    prompt: str = ""
    login_hint: str = ""
    domain_hint: str = ""
    timeout_s: float = DEFAULT_WAIT_S
    add_oidc_scopes: bool = True

    @classmethod
    def of(cls, inputs: TokenRequestInput, timeout_s: float = DEFAULT_WAIT_S) -> AuthCodeOptions:
        """The options the inputs carry (redirect host, port and path, prompt, hints)."""
        return cls(
            redirect_host=inputs.redirect_host,
            redirect_port=inputs.redirect_port,
            redirect_path=inputs.redirect_path,
            prompt=inputs.prompt,
            login_hint=inputs.login_hint,
            domain_hint=inputs.domain_hint,
            timeout_s=timeout_s,
        )


@dataclass(frozen=True)
class SignInResult:
    """How a sign-in ended: `result` is the token answer, a refusal (also an error the browser
    brought back), no answer (timeout, cancel), or blocked by pre-flight."""

    grant: GrantType
    result: TokenResult
    stage: str  # "preflight", "listen", "authorize", "redeem", "device", "poll"
    inputs: TokenRequestInput
    authorize_url: str = ""  # carries the challenge, never the verifier
    redirect_uri: str = ""
    nonce: str = ""
    device: DeviceCode | None = None
    redirect_to_result_ms: float | None = None  # the redirect reached us -> the token answer

    @property
    def ok(self) -> bool:
        return self.result.ok


def authorize_url(endpoints: SignInEndpoints, inputs: TokenRequestInput, redirect_uri: str,
                  pkce: Pkce, options: AuthCodeOptions) -> str:  # fmt: skip
    """The URL the browser opens (identity-platform.md 2.6); v1 names the API with `resource`."""
    params = [
        ("client_id", inputs.client_id.strip()),
        ("response_type", "code"),
        ("redirect_uri", redirect_uri),
        ("response_mode", "query"),
    ]
    if inputs.endpoint is Endpoint.V1 and endpoints.entra:
        params += [("resource", inputs.resource.strip()), ("scope", "openid")]
    else:
        params.append(("scope", " ".join(inputs.scope.split())))
    params += [
        ("state", pkce.state),
        ("nonce", pkce.nonce),
        ("code_challenge", pkce.challenge),
        ("code_challenge_method", pkce.method),
    ]
    for name in ("prompt", "login_hint", "domain_hint"):
        value = getattr(options, name).strip()
        if value:
            params.append((name, value))
    base = endpoints.authorize_url
    return base + ("&" if urlsplit(base).query else "?") + urlencode(params)


def _blocked(grant: GrantType, inputs: TokenRequestInput,
             findings: tuple[Finding, ...]) -> SignInResult:  # fmt: skip
    result = TokenResult(outcome=Outcome.BLOCKED, request=None, findings=findings)
    return SignInResult(grant, result, "preflight", inputs)


def _no_answer(kind: FailureKind, message: str, detail: str = "") -> TokenResult:
    return TokenResult(outcome=Outcome.NO_ANSWER, request=None,
                       failure=TransportFailure(kind, message, detail))  # fmt: skip


def redirect_failure(redirect: Redirect, waited_s: float) -> TokenResult | None:
    """The result when the redirect brought no usable code (None when it did)."""
    if redirect.cancelled:
        return _no_answer(FailureKind.CANCELLED, "Sign-in cancelled.")
    if redirect.timed_out:
        return _no_answer(
            FailureKind.TIMEOUT,
            f"No sign-in came back from the browser within {waited_s:.0f} s.",
            "The browser never returned to the tester's address: the sign-in was not "
            "finished, or the redirect URI sent the browser elsewhere.",
        )
    if redirect.error or redirect.code is None or redirect.state_mismatch:
        if redirect.state_mismatch:
            error = ErrorFields(
                error="invalid_state",
                error_description="The answer that came back carries another state than the "
                "one sent: it belongs to another sign-in attempt (an old tab?), so it was "
                "not used.",
            )
        else:
            error = ErrorFields(
                error=redirect.error or "invalid_request",
                error_description=redirect.error_description or "No code came back.",
                error_codes=redirect.error_codes,
                trace_id=redirect.trace_id,
                correlation_id=redirect.correlation_id,
                error_uri=redirect.error_uri,
            )
        return TokenResult(outcome=Outcome.REFUSED, request=None, error=error)
    return None


def _open(open_url: Callable[[str], object], url: str) -> None:
    try:
        open_url(url)
    except Exception:  # no browser: the URL was shown already; keep listening
        pass


def run_auth_code(
    inputs: TokenRequestInput,
    endpoints: SignInEndpoints,
    options: AuthCodeOptions,
    *,
    open_url: Callable[[str], object],
    on_url: Callable[[str], None] | None = None,
    ca_file: str | None = None,
    cancel: threading.Event | None = None,
) -> SignInResult:
    """Listen, open the browser at the authorize URL, receive the redirect, check `state`,
    redeem the code with the verifier. `open_url` may fail: `on_url` has shown the URL first."""
    grant = GrantType.AUTHORIZATION_CODE
    started = time.monotonic()
    if options.add_oidc_scopes and (inputs.endpoint is Endpoint.V2 or not endpoints.entra):
        inputs = replace(inputs, scope=with_oidc_scopes(inputs.scope))
    inputs = replace(endpoints.for_inputs(inputs), grant=grant)
    redirect = (options.redirect_host, options.redirect_port, options.redirect_path)
    findings = check(inputs) + signin_findings(
        inputs, endpoints, grant, redirect=redirect, prompt=options.prompt.strip()
    )
    if any(f.severity is Severity.ERROR for f in findings):
        return _blocked(grant, inputs, findings)
    try:
        listener = LoopbackListener(*redirect)
    except ListenerError as exc:
        result = _no_answer(FailureKind.CONNECTION, f"The tester cannot listen for the "
                            f"browser's answer: {exc}")  # fmt: skip
        return SignInResult(grant, result, "listen", inputs)
    pkce = Pkce.new()
    with listener:
        url = authorize_url(endpoints, inputs, listener.redirect_uri, pkce, options)
        done = lambda stage, result, ms=None: SignInResult(  # noqa: E731
            grant, replace(result, findings=findings), stage, inputs, url,
            listener.redirect_uri, pkce.nonce, redirect_to_result_ms=ms,
        )  # fmt: skip
        if on_url is not None:
            on_url(url)
        # On its own thread: a browser start that blocks must not delay the listening.
        threading.Thread(target=_open, args=(open_url, url), name="open-browser",
                         daemon=True).start()  # fmt: skip
        left = options.timeout_s - (time.monotonic() - started)
        came = listener.wait(expected_state=pkce.state, timeout_s=max(0.0, left), cancel=cancel)
    failed = redirect_failure(came, options.timeout_s)
    if failed is not None:
        return done("authorize", failed)
    assert came.code is not None
    left = options.timeout_s - (time.monotonic() - started)
    answer = redeem_code(inputs, came.code, pkce.verifier, listener.redirect_uri,
                         timeout_s=max(0.001, left), ca_file=ca_file, cancel=cancel)  # fmt: skip
    ms = (time.perf_counter() - came.received_at) * 1000.0
    return done("redeem", answer, ms)


def run_device_code(
    inputs: TokenRequestInput,
    endpoints: SignInEndpoints,
    *,
    timeout_s: float,
    on_code: Callable[[DeviceCode], None],
    add_oidc_scopes: bool = True,
    ca_file: str | None = None,
    cancel: threading.Event | None = None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] | None = None,
) -> SignInResult:
    """Ask for a user code, hand it to `on_code` (show it), poll until done; `timeout_s`
    bounds the whole sign-in."""
    grant = GrantType.DEVICE_CODE
    if add_oidc_scopes and (inputs.endpoint is Endpoint.V2 or not endpoints.entra):
        inputs = replace(inputs, scope=with_oidc_scopes(inputs.scope))
    inputs = replace(endpoints.for_inputs(inputs), grant=grant)
    findings = check(inputs) + signin_findings(inputs, endpoints, grant)
    if any(f.severity is Severity.ERROR for f in findings):
        return _blocked(grant, inputs, findings)
    deadline = clock() + timeout_s
    flow = DeviceFlow(inputs, endpoints, ca_file=ca_file, cancel=cancel, clock=clock, sleep=sleep)
    code = flow.request_code(timeout_s=timeout_s)
    if isinstance(code, TokenResult):
        return SignInResult(grant, replace(code, findings=findings), "device", inputs)
    on_code(code)
    result = flow.wait_for_sign_in(code, deadline=deadline)
    return SignInResult(grant, replace(result, findings=findings), "poll", inputs, device=code)
