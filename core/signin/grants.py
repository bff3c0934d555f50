"""The token requests of delegated sign-in: redeem a code with its verifier, poll with a device
code, redeem a refresh token. Each is the usual token request (`core.token.request`: client ID,
scope or resource, the app's secret or certificate when it is confidential) plus its own fields,
sent through the one transport; a refusal is a result, never an exception."""

from __future__ import annotations

import threading
from dataclasses import replace

from core.redaction import Secret
from core.token.client import send
from core.token.credential.resolve import resolve_credential
from core.token.models import Endpoint, GrantType, PreparedRequest, TokenRequestInput
from core.token.preflight import check, has_errors
from core.token.request import RequestBuildError, build_request
from core.token.result import Outcome, TokenResult

V1_DEVICE_GRANT = "device_code"  # ADAL-era v1 spelling (identity-platform.md 2.5)


def prepare(
    inputs: TokenRequestInput,
    grant: GrantType,
    extra: tuple[tuple[str, str | Secret], ...],
    *,
    grant_value: str = "",
) -> TokenResult | PreparedRequest:
    """The request for `grant` with `extra` fields, or a BLOCKED result saying why not."""
    inputs, unreadable = resolve_credential(replace(inputs, grant=grant))
    findings = unreadable + check(inputs)
    try:
        prepared = build_request(inputs)
    except RequestBuildError:
        return TokenResult(outcome=Outcome.BLOCKED, request=None, findings=findings)
    form = [(k, grant_value or v) if k == "grant_type" else (k, v) for k, v in prepared.form]
    prepared = replace(prepared, form=(*form, *extra))
    if has_errors(findings):
        return TokenResult(outcome=Outcome.BLOCKED, request=prepared, findings=findings)
    return prepared


def _send(prepared: TokenResult | PreparedRequest, *, timeout_s: float | None,
          ca_file: str | None, cancel: threading.Event | None) -> TokenResult:  # fmt: skip
    if isinstance(prepared, TokenResult):
        return prepared
    if timeout_s is not None:
        prepared = replace(prepared, timeout_s=max(0.001, min(prepared.timeout_s, timeout_s)))
    return send(prepared, ca_file=ca_file, cancel=cancel)


def redeem_code(
    inputs: TokenRequestInput,
    code: Secret,
    verifier: Secret,
    redirect_uri: str,
    *,
    timeout_s: float | None = None,
    ca_file: str | None = None,
    cancel: threading.Event | None = None,
) -> TokenResult:
    """POST grant_type=authorization_code with the code, the same redirect URI and the verifier."""
    extra: tuple[tuple[str, str | Secret], ...] = (
        ("code", code),
        ("redirect_uri", redirect_uri),
        ("code_verifier", verifier),
    )
    prepared = prepare(inputs, GrantType.AUTHORIZATION_CODE, extra)
    return _send(prepared, timeout_s=timeout_s, ca_file=ca_file, cancel=cancel)


def poll_device_code(
    inputs: TokenRequestInput,
    device_code: Secret,
    *,
    timeout_s: float | None = None,
    ca_file: str | None = None,
    cancel: threading.Event | None = None,
) -> TokenResult:
    """One poll: v2 posts the RFC 8628 grant with `device_code`; Entra's v1 endpoint takes the
    ADAL spelling (`grant_type=device_code`, `code`)."""
    entra_v1 = inputs.endpoint is Endpoint.V1 and not inputs.token_url.strip()
    if entra_v1:
        prepared = prepare(inputs, GrantType.DEVICE_CODE, (("code", device_code),),
                           grant_value=V1_DEVICE_GRANT)  # fmt: skip
    else:
        prepared = prepare(inputs, GrantType.DEVICE_CODE, (("device_code", device_code),))
    return _send(prepared, timeout_s=timeout_s, ca_file=ca_file, cancel=cancel)


def redeem_refresh_token(
    inputs: TokenRequestInput,
    refresh_token: Secret,
    *,
    timeout_s: float | None = None,
    ca_file: str | None = None,
    cancel: threading.Event | None = None,
) -> TokenResult:
    """POST grant_type=refresh_token for the inputs' scope (v2) or resource (v1)."""
    prepared = prepare(inputs, GrantType.REFRESH_TOKEN, (("refresh_token", refresh_token),))
    return _send(prepared, timeout_s=timeout_s, ca_file=ca_file, cancel=cancel)
