"""Sandbox fixtures: one sandbox per module over real HTTP, and a scenario-form converter."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import pytest

from core.redaction import Secret
from core.sandbox import Sandbox
from core.token.models import AuthMethod, Endpoint, GrantType, TokenRequestInput

SLOW_DELAY_S = 0.4


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    """A running plain-HTTP sandbox with a short slow delay."""
    with Sandbox(slow_delay_s=SLOW_DELAY_S) as sb:
        yield sb


def to_inputs(form: Mapping[str, str], base_url: str, timeout_s: float = 10.0) -> TokenRequestInput:
    """The TokenRequestInput a scenario form fills in, pointed at a running sandbox."""
    return TokenRequestInput(
        cloud=form["cloud"],
        authority=base_url,
        endpoint=Endpoint(form["endpoint"]),
        tenant=form["tenant"],
        client_id=form["client_id"],
        grant=GrantType(form["grant"]),
        client_secret=Secret(form["client_secret"]) if form["client_secret"] else None,
        username=form["username"],
        password=Secret(form["password"]) if form["password"] else None,
        scope=form["scope"],
        resource=form["resource"],
        auth_method=AuthMethod(form["auth_method"]),
        timeout_s=timeout_s,
    )
