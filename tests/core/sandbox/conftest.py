"""Sandbox fixtures: one sandbox per module over real HTTP, and a scenario-form converter."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import pytest

from core.redaction import Secret
from core.sandbox import Sandbox
from core.token.models import (
    AssertionAlg,
    AuthMethod,
    CredentialKind,
    Endpoint,
    GrantType,
    TokenRequestInput,
)

SLOW_DELAY_S = 0.4


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    """A running plain-HTTP sandbox with a short slow delay."""
    with Sandbox(slow_delay_s=SLOW_DELAY_S) as sb:
        yield sb


def to_inputs(
    form: Mapping[str, str], sandbox: Sandbox | str, timeout_s: float = 10.0
) -> TokenRequestInput:
    """The TokenRequestInput a scenario form fills in, pointed at a running sandbox (whose
    folder replaces `{files}` when the sandbox itself is given)."""
    if isinstance(sandbox, Sandbox):
        form, base_url = sandbox.scenario_form(form), sandbox.base_url
    else:
        base_url = sandbox

    def secret(name: str) -> Secret | None:
        return Secret(form[name]) if form.get(name) else None

    return TokenRequestInput(
        cloud=form["cloud"],
        authority=base_url,
        endpoint=Endpoint(form["endpoint"]),
        tenant=form["tenant"],
        client_id=form["client_id"],
        grant=GrantType(form["grant"]),
        client_secret=secret("client_secret"),
        username=form["username"],
        password=secret("password"),
        scope=form["scope"],
        resource=form["resource"],
        auth_method=AuthMethod(form["auth_method"]),
        timeout_s=timeout_s,
        credential=CredentialKind(form.get("credential") or "secret"),
        certificate_path=form.get("certificate_path", ""),
        certificate_password=secret("certificate_password"),
        assertion_alg=AssertionAlg(form.get("assertion_alg") or "PS256"),
        send_x5c=form.get("send_x5c") == "true",
        assertion_file=form.get("assertion_file", ""),
    )
