"""A batch's shared keep-alive connections: reused, bounded, never across trust settings or
proxies, never lent on half-read; an aborted exchange's connections; the body read (the cap,
an endless body), no retries, and the per-socket limits behind the total deadline."""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from core.sandbox import Sandbox
from core.token import transport
from core.token.result import FailureKind
from core.token.transport import HttpResult, SharedConnections, exchange
from tests.core import certkit


class _SlowKeepAlive(BaseHTTPRequestHandler):
    """HTTP/1.1 keep-alive; each answer takes 0.2 s, so exchanges started together overlap.
    /big answers 200 KB (64 KB, then the rest 0.4 s later), and /bad-gzip 200 KB said to be
    gzip that is not: the client stops (at its size cap) or fails after its first read, with
    the rest still coming on the connection. /endless never ends its (chunked) body, and
    /no-reason answers "HTTP/1.1 200 " with no reason phrase."""

    protocol_version = "HTTP/1.1"
    ports: list[int] = []  # the client port of each request (one per connection used)

    def do_GET(self) -> None:
        type(self).ports.append(self.client_address[1])
        if self.path == "/endless":  # a body that never ends (chunked)
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            try:
                while True:
                    self.wfile.write(b"4000\r\n" + b"y" * 0x4000 + b"\r\n")
            except OSError:
                return
        if self.path == "/no-reason":
            body = b"{}"
            self.send_response(200, "")
        elif self.path in ("/bad-gzip", "/big"):
            body = b"x" * 200_000
            self.send_response(200)
            if self.path == "/bad-gzip":
                self.send_header("Content-Encoding", "gzip")
        else:
            time.sleep(0.2)
            body = b'{"ok": true}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            first = 65_536 if self.path == "/big" else len(body)  # the client's first read
            self.wfile.write(body[:first])
            self.wfile.flush()
            if first < len(body):  # the rest comes late: after the client's next request
                time.sleep(0.4)
                self.wfile.write(body[first:])
        except OSError:
            pass  # the client closed a connection it could not use: what it should do

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def slow_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _SlowKeepAlive)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/x"
    finally:
        server.shutdown()
        server.server_close()


def _together(url: str, shared: SharedConnections, count: int) -> list[HttpResult]:
    results: list[HttpResult] = []
    threads = [
        threading.Thread(target=lambda: results.append(
            exchange("GET", url, timeout_s=10, shared=shared)))
        for _ in range(count)
    ]  # fmt: skip
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(15)
    return results


def test_a_batch_reuses_its_connections_and_keeps_size_of_them(slow_url: str) -> None:
    """Three exchanges at once open three connections; three more reuse them (a pool of size
    3 keeps them all); one after another they go over one connection, and a pool of size 1
    keeps one of two opened at once."""
    with SharedConnections(size=3) as shared:
        assert [r.status for r in _together(slow_url, shared, 3)] == [200] * 3
        pool = shared.manager(slow_url, None).connection_from_url(slow_url)
        assert pool.num_connections == 3
        assert [r.status for r in _together(slow_url, shared, 3)] == [200] * 3
        assert pool.num_connections == 3  # all three were kept and reused
    with SharedConnections(size=0) as shared:  # at least one is kept: size 1
        _SlowKeepAlive.ports.clear()
        for _ in range(3):
            assert exchange("GET", slow_url, timeout_s=10, shared=shared).status == 200
        assert len(set(_SlowKeepAlive.ports)) == 1  # one connection, kept open between them
        pool = shared.manager(slow_url, None).connection_from_url(slow_url)
        assert pool.num_connections == 1
        _together(slow_url, shared, 2)  # one more is opened, and dropped after: only one kept
        _together(slow_url, shared, 2)
        assert pool.num_connections == 3


def test_a_connection_left_mid_answer_is_closed_not_reused(slow_url: str) -> None:
    """An answer that fails while its body is still coming (undecodable gzip), or is cut at
    the size cap, closes its connection: the next exchange of the batch gets a fresh one and
    a clean answer, not the rest of the previous body read as its status line."""
    with SharedConnections(size=1) as shared:
        broken = exchange("GET", slow_url.replace("/x", "/bad-gzip"), timeout_s=10, shared=shared)
        assert broken.failure is not None
        after = exchange("GET", slow_url, timeout_s=10, shared=shared)
        assert after.status == 200 and after.body == b'{"ok": true}'
        capped = exchange("GET", slow_url.replace("/x", "/big"), timeout_s=10, max_bytes=1000,
                          shared=shared)  # fmt: skip
        assert capped.status == 200 and capped.truncated and len(capped.body) == 1000
        after = exchange("GET", slow_url, timeout_s=10, shared=shared)
        assert after.status == 200 and after.body == b'{"ok": true}'


def test_a_batch_keeps_proxied_and_direct_connections_apart(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A host reached through the environment's proxy gets its own pool (a proxy manager);
    loopback, never proxied, another (nothing is sent: pools connect on first use)."""
    import urllib3

    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.corp.example:3128")
    with SharedConnections() as shared:
        proxied = shared.manager("https://login.microsoftonline.com/x", None)
        direct = shared.manager("https://127.0.0.1:8443/x", None)
        assert isinstance(proxied, urllib3.ProxyManager)
        assert not isinstance(direct, urllib3.ProxyManager)
        assert shared.manager("https://graph.microsoft.com/v1.0/me", None) is proxied


def test_a_refused_connection_is_a_result_with_no_error_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Nothing listening: a REFUSED failure, and the helper that ran it logs no error (an
    exchange's own clean-up must not fail on what it never opened)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with caplog.at_level(logging.ERROR):
        result = exchange("GET", f"http://127.0.0.1:{port}/", timeout_s=5)
        time.sleep(0.1)  # the helper's clean-up runs after it reports done
    assert result.failure is not None and result.failure.kind is FailureKind.REFUSED
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []


def test_a_batch_never_lends_a_connection_across_ca_files(tmp_path: Path) -> None:
    """Each request keeps its own trust setting in a shared batch: the sandbox's CA works, a
    CA that did not sign its certificate fails with a TLS error, even right after a connection
    to the same server was opened and kept."""
    other_ca = certkit.write(tmp_path, "other-ca.pem", certkit.cert_pem(
        certkit.cert(certkit.ec_key(), "Another CA")))  # fmt: skip
    with Sandbox(tls=True) as sandbox, SharedConnections(size=2) as shared:
        url = sandbox.base_url + "/common/v2.0/.well-known/openid-configuration"
        right = exchange("GET", url, timeout_s=10, ca_file=str(sandbox.ca_file), shared=shared)
        assert right.status == 200
        wrong = exchange("GET", url, timeout_s=10, ca_file=str(other_ca), shared=shared)
        assert wrong.failure is not None and wrong.failure.kind is FailureKind.TLS
        again = exchange("GET", url, timeout_s=10, ca_file=str(sandbox.ca_file), shared=shared)
        assert again.status == 200


class _Connection:
    def __init__(self, sock: socket.socket | None) -> None:
        self.sock = sock


def test_abort_shuts_every_registered_socket_and_refuses_new_connections() -> None:
    """Cutting an exchange short ends each blocked read (its socket shut down), skipping
    connections not yet connected; a connection that comes later is refused before it sends."""
    job = transport._Exchange("GET", "http://127.0.0.1:9/", b"", {}, 5.0, 100, None)
    ours, peer = socket.socketpair()
    with ours, peer:
        job.register(_Connection(None))  # still connecting: no socket yet
        job.register(_Connection(ours))
        job.abort()
        peer.settimeout(2)
        assert peer.recv(1) == b""  # shut down: the other end reads the end of the stream
        with pytest.raises(TimeoutError):
            job.register(_Connection(None))
        with pytest.raises(TimeoutError):
            job.check()


def test_a_missing_header_reads_as_empty() -> None:
    answer = HttpResult("GET", "u", 1.0, 0.0, status=200, headers=(("Retry-After", "5"),))
    assert answer.header("retry-after") == "5"
    assert answer.header("Content-Type") == ""


def test_each_socket_wait_is_bounded_too() -> None:
    """Behind the total deadline (abort shuts sockets down), urllib3 gets the same limit for
    connecting and for each read: a helper whose socket abort cannot reach (still resolving
    or handshaking) ends by itself. The pool is a stand-in: such a socket cannot be made on
    loopback."""
    seen: dict[str, Any] = {}

    class _Pools:
        def urlopen(self, *args: Any, **kwargs: Any) -> Any:
            seen.update(kwargs)
            raise ConnectionRefusedError("stand-in")

    shared = SharedConnections()
    shared.manager = lambda url, ca_file: _Pools()  # type: ignore[method-assign]
    result = exchange("GET", "http://127.0.0.1:9/", timeout_s=7.5, shared=shared)
    assert result.failure is not None
    limit = seen["timeout"]
    assert (limit.connect_timeout, limit.read_timeout) == (7.5, 7.5)


def test_a_failed_exchange_is_never_retried() -> None:
    """A server that hangs up without answering gets one connection: the failure is the
    answer (a retry would send a request twice, and hide what the admin must see)."""
    accepted: list[int] = []
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        listener.settimeout(5)
        port = listener.getsockname()[1]

        def hang_up() -> None:
            try:
                while True:
                    conn, _ = listener.accept()
                    accepted.append(1)
                    conn.recv(4096)
                    conn.close()
            except OSError:
                pass  # closed at the end of the test

        threading.Thread(target=hang_up, daemon=True).start()
        result = exchange("GET", f"http://127.0.0.1:{port}/", timeout_s=5)
        time.sleep(0.2)  # a retry, if any, would have connected by now
    assert result.failure is not None
    assert len(accepted) == 1


def test_the_body_is_read_whole_up_to_the_cap_and_no_further(slow_url: str) -> None:
    """A body of exactly the cap is whole; one byte less of cap cuts it there; a body read in
    many pieces comes back as sent; an endless one stops at the cap at once; an empty reason
    phrase stays empty."""
    whole = exchange("GET", slow_url, timeout_s=10, max_bytes=12)
    assert (whole.body, whole.truncated) == (b'{"ok": true}', False)
    cut = exchange("GET", slow_url, timeout_s=10, max_bytes=11)
    assert (cut.body, cut.truncated) == (b'{"ok": true', True)
    big = exchange("GET", slow_url.replace("/x", "/big"), timeout_s=10)
    assert big.body == b"x" * 200_000 and not big.truncated
    started = time.monotonic()
    endless = exchange("GET", slow_url.replace("/x", "/endless"), timeout_s=10, max_bytes=100_000)
    assert endless.status == 200 and endless.truncated and len(endless.body) == 100_000
    assert time.monotonic() - started < 5
    plain = exchange("GET", slow_url.replace("/x", "/no-reason"), timeout_s=10)
    assert plain.status == 200 and plain.reason == ""
