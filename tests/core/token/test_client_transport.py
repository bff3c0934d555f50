"""Failures with no HTTP answer become a NO_ANSWER result with a plain message, never a raise."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from dataclasses import replace

import pytest

from core.redaction import Secret
from core.token.client import request_token, send
from core.token.models import TokenRequestInput
from core.token.request import build_request
from core.token.result import FailureKind, Outcome

SECRET = "Zq8Q~transport-test-secret-value"


def _inputs(url: str, timeout: float = 5.0) -> TokenRequestInput:
    return TokenRequestInput(
        client_id="6e74172b-be56-4843-9ff4-e66a39bb12e3",
        client_secret=Secret(SECRET),
        token_url=url,
        timeout_s=timeout,
    )


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A loopback port that accepts connections and never answers."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        yield server.getsockname()[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_closed_port_is_connection_refused() -> None:
    """Nothing listening gives connection_refused quickly."""
    result = request_token(_inputs(f"http://127.0.0.1:{_free_port()}/token"))
    assert result.outcome is Outcome.NO_ANSWER
    assert result.failure is not None and result.failure.kind is FailureKind.REFUSED
    assert "refused" in result.failure.message


def test_server_that_never_answers_times_out_naming_the_limit(silent_port: int) -> None:
    """A silent server ends in a timeout after the configured limit, which the message names."""
    started = time.monotonic()
    result = request_token(_inputs(f"http://127.0.0.1:{silent_port}/token", timeout=0.5))
    assert 0.4 < time.monotonic() - started < 5
    assert result.failure is not None and result.failure.kind is FailureKind.TIMEOUT
    assert "0.5 s" in result.failure.message


def test_invalid_url() -> None:
    """A URL that slips past pre-flight is still reported as invalid_url by send, not raised."""
    prepared = replace(build_request(_inputs("http://[::1]/token")), url="http://[::1/token")
    result = send(prepared)
    assert result.outcome is Outcome.NO_ANSWER
    assert result.failure is not None and result.failure.kind is FailureKind.INVALID_URL
    blocked = request_token(_inputs("http://[::1/token"))
    assert blocked.outcome is Outcome.BLOCKED and blocked.request is None


def test_unknown_host_is_dns(monkeypatch: pytest.MonkeyPatch) -> None:
    """A name that does not resolve is reported as DNS (the resolver is faked: no network)."""

    def no_such_host(*args: object, **kwargs: object) -> None:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)
    result = request_token(_inputs("https://login.nonexistent.invalid/token"))
    assert result.failure is not None and result.failure.kind is FailureKind.DNS
    assert "login.nonexistent.invalid" in result.failure.message


def test_blocked_inputs_are_not_sent(silent_port: int) -> None:
    """Pre-flight errors stop the request before any connection is made."""
    inputs = TokenRequestInput(tenant="common", client_id="not-a-guid")
    result = request_token(inputs)
    assert result.outcome is Outcome.BLOCKED
    assert {f.code for f in result.findings} >= {"tenant-alias-grant", "client-id-not-guid"}


def test_failures_never_carry_the_secret() -> None:
    """Neither the result's repr nor its failure text contains the secret."""
    result = request_token(_inputs(f"http://127.0.0.1:{_free_port()}/token"))
    assert SECRET not in repr(result)
    assert result.failure is not None and SECRET not in result.failure.detail
