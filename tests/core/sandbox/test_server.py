"""Lifecycle, concurrency, TLS and fault tenants of the sandbox server, over real sockets."""

from __future__ import annotations

import os
import socket
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from core.sandbox import Sandbox, scenarios
from core.sandbox import directory as d
from core.token.client import request_token
from core.token.result import FailureKind, Outcome
from tests.core.sandbox.conftest import SLOW_DELAY_S, to_inputs

FORMS = {s.key: s.form for s in scenarios()}


def _open_fds() -> set[str]:
    return set(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else set()


def _discovery(base_url: str) -> int:
    url = f"{base_url}/{d.CONTOSO.id}/v2.0/.well-known/openid-configuration"
    with urllib.request.urlopen(url, timeout=5) as response:
        return int(response.status)


def test_start_stop_fifty_times_leaves_nothing_behind() -> None:
    """50 start/serve/stop cycles leave no thread and no file descriptor behind; start is fast."""
    Sandbox().start().stop()  # key material made once, outside the measurement
    threads_before, fds_before = set(threading.enumerate()), _open_fds()
    slowest = 0.0
    for _ in range(50):
        started = time.perf_counter()
        sb = Sandbox().start()
        slowest = max(slowest, time.perf_counter() - started)
        assert _discovery(sb.base_url) == 200
        sb.stop()
    assert slowest < 0.5
    assert set(threading.enumerate()) == threads_before
    assert _open_fds() == fds_before


def test_stop_is_idempotent_and_releases_the_port() -> None:
    """stop() twice is fine; the port is free again and a new sandbox may take it."""
    sb = Sandbox().start()
    port = int(sb.base_url.rsplit(":", 1)[1])
    sb.stop()
    sb.stop()
    with pytest.raises(requests.ConnectionError):
        requests.get(f"http://127.0.0.1:{port}/", timeout=2)
    with Sandbox(port=port) as again:
        assert again.base_url == f"http://127.0.0.1:{port}"
        assert _discovery(again.base_url) == 200
    with pytest.raises(RuntimeError):
        _ = sb.base_url


def test_binds_loopback_only(sandbox: Sandbox) -> None:
    """The listening socket is bound to 127.0.0.1, never to all interfaces."""
    assert sandbox.base_url.startswith("http://127.0.0.1:")
    assert sandbox._server is not None
    assert sandbox._server.server_address[0] == "127.0.0.1"


def test_twenty_concurrent_token_requests_all_succeed(sandbox: Sandbox) -> None:
    """20 token requests at once through the core client all get a token."""
    inputs = to_inputs(FORMS["cc-v2-api"], sandbox.base_url)
    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(lambda _: request_token(inputs), range(20)))
    assert [r.outcome for r in results] == [Outcome.TOKEN] * 20
    assert (
        len({r.token.access_token.reveal() for r in results if r.token and r.token.access_token})
        == 20
    )


def test_idle_keep_alive_connections_do_not_block_stop() -> None:
    """A client holding an idle keep-alive connection does not keep stop() waiting."""
    sb = Sandbox().start()
    with requests.Session() as session:
        assert session.get(f"{sb.base_url}/common/discovery/keys", timeout=5).status_code == 200
        started = time.perf_counter()
        sb.stop()
        assert time.perf_counter() - started < 2


def test_slow_tenant_answers_after_the_delay(sandbox: Sandbox) -> None:
    """The slow tenant answers with a token, but only after slow_delay_s."""
    started = time.perf_counter()
    result = request_token(to_inputs(FORMS["fault-slow"], sandbox.base_url))
    assert result.outcome is Outcome.TOKEN
    assert time.perf_counter() - started >= SLOW_DELAY_S


def test_slow_tenant_with_a_shorter_timeout_is_a_timeout(sandbox: Sandbox) -> None:
    """A client timeout shorter than the delay ends as a timeout failure."""
    result = request_token(to_inputs(FORMS["fault-slow"], sandbox.base_url, timeout_s=0.1))
    assert result.failure is not None and result.failure.kind is FailureKind.TIMEOUT


def test_stop_does_not_wait_for_a_slow_answer() -> None:
    """Stopping while a slow request is pending returns at once; the client gets no answer."""
    sb = Sandbox(slow_delay_s=30).start()
    inputs = to_inputs(FORMS["fault-slow"], sb.base_url, timeout_s=10)
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(request_token, inputs)
        time.sleep(0.3)
        started = time.perf_counter()
        sb.stop()
        assert time.perf_counter() - started < 2
        assert pending.result(timeout=5).outcome is Outcome.NO_ANSWER


def test_throttled_tenant_sends_retry_after(sandbox: Sandbox) -> None:
    """429 with an integer Retry-After and an Entra-shaped temporarily_unavailable body."""
    result = request_token(to_inputs(FORMS["fault-throttled"], sandbox.base_url))
    assert result.status == 429 and result.retry_after_s() == 30
    assert result.error is not None and result.error.error == "temporarily_unavailable"


def test_unavailable_tenant_sends_an_html_page(sandbox: Sandbox) -> None:
    """503 with an HTML body, no JSON."""
    result = request_token(to_inputs(FORMS["fault-503"], sandbox.base_url))
    assert result.status == 503 and result.body_json is None
    assert result.header("Content-Type").startswith("text/html")
    assert "<html>" in result.body_text


def test_malformed_json_tenant(sandbox: Sandbox) -> None:
    """200 labelled JSON whose body does not parse: no token, body kept."""
    result = request_token(to_inputs(FORMS["fault-malformed-json"], sandbox.base_url))
    assert result.status == 200 and result.outcome is Outcome.REFUSED
    assert result.body_json is None and result.body_text.startswith('{"token_type"')


def test_huge_body_tenant(sandbox: Sandbox) -> None:
    """200 with a body of several megabytes, read in full."""
    result = request_token(to_inputs(FORMS["fault-huge-body"], sandbox.base_url))
    assert result.status == 200 and len(result.body_text) > 5_000_000
    assert not result.body_truncated


def test_dropped_tenant_closes_mid_response(sandbox: Sandbox) -> None:
    """Headers promise more than is sent before the close: a connection failure, no answer."""
    with socket.create_connection(("127.0.0.1", int(sandbox.base_url.rsplit(":", 1)[1]))) as s:
        s.sendall(b"POST /dropped.contoso.example/oauth2/v2.0/token HTTP/1.1\r\n"
                  b"Host: x\r\nContent-Length: 0\r\n\r\n")  # fmt: skip
        s.settimeout(5)
        raw = b""
        while chunk := s.recv(65536):
            raw += chunk
    head, _, body = raw.partition(b"\r\n\r\n")
    assert b"Content-Length: 4096" in head and 0 < len(body) < 4096
    result = request_token(to_inputs(FORMS["fault-dropped"], sandbox.base_url))
    assert result.outcome is Outcome.NO_ANSWER
    assert result.failure is not None and result.failure.kind is FailureKind.CONNECTION


def test_tls_sandbox_is_trusted_only_with_its_ca(monkeypatch: pytest.MonkeyPatch) -> None:
    """--tls: no CA -> SSL error; with the CA file -> token (core client and plain requests)."""
    with Sandbox(tls=True) as sb:
        assert sb.base_url.startswith("https://127.0.0.1:")
        assert sb.ca_file is not None and sb.ca_file.is_file()
        ca_file = sb.ca_file
        form = FORMS["cc-v2-graph"]
        with pytest.raises(requests.exceptions.SSLError):
            requests.get(f"{sb.base_url}/common/discovery/keys", timeout=5)
        with requests.Session() as session:
            ok = session.get(f"{sb.base_url}/common/discovery/keys", timeout=5, verify=str(ca_file))
        assert ok.status_code == 200
        untrusted = request_token(to_inputs(form, sb.base_url))
        assert untrusted.failure is not None and untrusted.failure.kind is FailureKind.TLS
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(ca_file))
        assert request_token(to_inputs(form, sb.base_url)).outcome is Outcome.TOKEN
    assert not ca_file.exists()
