"""Delegated sign-in for the window, on the worker thread: run the browser or device code flow
(core.signin), explain the answer like any other, and add who signed in, the ID token's checks
and the in-memory refresh session."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from core.token.models import GrantType, TokenRequestInput
from gui.answer.analysis import Report, inspect_result

SIGNIN_GRANTS = (GrantType.AUTHORIZATION_CODE, GrantType.DEVICE_CODE)


def _signed_in_text(done: Any, endpoints: Any, ca_file: str | None) -> str:
    from core.insight.idtoken import check_id_token

    token = done.result.token
    if token is None:
        return ""
    if not token.id_token:
        return "No ID token (ask for the openid scope to see who signed in)."
    report = check_id_token(
        token.id_token,
        client_id=done.inputs.client_id,
        nonce=done.nonce,
        issuers=endpoints.issuers,
        jwks_uri=endpoints.jwks_uri,
        scrubber=done.result.scrubber(),
        ca_file=ca_file,
    )
    if report.user is None:
        return report.problem
    failed = report.failures()
    checks = (
        "ID token checked: " + ", ".join(c.name for c in report.checks if c.ok) + "."
        if not failed
        else "ID token check FAILED: " + " ".join(c.text for c in failed)
    )
    return f"Signed in: {report.user.summary()}\n{checks}"


def signin_and_inspect(
    inputs: TokenRequestInput,
    extra_authorities: tuple[str, ...] = (),
    *,
    open_url: Callable[[str], object],
    ca_file: str | None = None,
    cancel: threading.Event | None = None,
    timeout_s: float = 180.0,
    names: dict[str, str] | None = None,
    on_progress: Callable[[Any], None] | None = None,
) -> Report:
    """Sign in (browser or device code), then explain the answer; `on_progress` gets the
    DeviceCode to show (device code) or the authorize URL (browser)."""
    from core.signin import (
        AuthCodeOptions,
        RefreshSession,
        endpoints_for,
        run_auth_code,
        run_device_code,
    )

    endpoints = endpoints_for(inputs)
    report_to = on_progress or (lambda _: None)
    if inputs.grant is GrantType.AUTHORIZATION_CODE:
        options = AuthCodeOptions.of(inputs, timeout_s=timeout_s)  # the form's redirect, hints
        done = run_auth_code(
            inputs,
            endpoints,
            options,
            open_url=open_url,
            on_url=report_to,
            ca_file=ca_file,
            cancel=cancel,
        )
    else:
        done = run_device_code(
            inputs,
            endpoints,
            timeout_s=timeout_s,
            on_code=report_to,
            ca_file=ca_file,
            cancel=cancel,
        )
    report = inspect_result(
        done.result,
        tenant=inputs.tenant,
        extra_authorities=extra_authorities,
        ca_file=ca_file,
        names=names,
    )
    token = done.result.token
    session = (
        RefreshSession(done.inputs, token.refresh_token)
        if token is not None and token.refresh_token
        else None
    )
    return replace(report, signin_text=_signed_in_text(done, endpoints, ca_file), refresh=session)


def refresh_and_inspect(
    session: Any,
    tenant: str = "",
    extra_authorities: tuple[str, ...] = (),
    *,
    target: str = "",
    ca_file: str | None = None,
    cancel: threading.Event | None = None,
    names: dict[str, str] | None = None,
) -> Report:
    """Redeem the held refresh token (it is replaced by the new one) and explain the answer."""
    result = session.refresh(target=target, ca_file=ca_file, cancel=cancel)
    report = inspect_result(
        result, tenant=tenant, extra_authorities=extra_authorities, ca_file=ca_file, names=names
    )
    return replace(
        report,
        refresh=session if session.held else None,
        signin_text="Refreshed with the refresh token held in memory"
        + (f" for {target}." if target.strip() else "."),
    )
