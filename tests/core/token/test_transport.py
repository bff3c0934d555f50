"""The one bounded HTTP exchange: total deadline, cancel, size cap, proxies, trust settings."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from core.token import network
from core.token.result import FailureKind
from core.token.transport import exchange
from tests.hostile import HostileServer


@pytest.fixture(scope="module")
def server() -> Iterator[HostileServer]:
    with HostileServer() as hostile:
        yield hostile


def _exchange_threads() -> int:
    return sum(t.name == "http-exchange" for t in threading.enumerate())


def test_total_deadline_cuts_a_drip_and_leaves_no_thread(server: HostileServer) -> None:
    """A body dripping a byte every 0.2 s ends at the 0.6 s deadline, and the helper thread
    is stopped (its socket shut), not left reading for a minute."""
    started = time.monotonic()
    result = exchange("GET", server.base_url + "/drip", timeout_s=0.6)
    assert 0.55 < time.monotonic() - started < 1.5
    assert result.failure is not None and result.failure.kind is FailureKind.TIMEOUT
    host = server.base_url.removeprefix("http://")
    assert result.failure.message == f"No complete answer from {host} within 0.6 s."
    assert result.failure.detail == "total deadline reached"
    deadline = time.monotonic() + 3
    while _exchange_threads() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _exchange_threads() == 0


def test_cancel_stops_the_wait_at_once(server: HostileServer) -> None:
    """Setting the cancel event ends the exchange with CANCELLED, long before its timeout."""
    cancel = threading.Event()
    threading.Timer(0.3, cancel.set).start()
    started = time.monotonic()
    result = exchange("GET", server.base_url + "/drip", timeout_s=30, cancel=cancel)
    assert time.monotonic() - started < 2
    assert result.failure is not None and result.failure.kind is FailureKind.CANCELLED
    assert result.failure.message == "The request was cancelled."


def test_body_is_capped(server: HostileServer) -> None:
    """A 20 MB answer is read up to the cap and marked truncated."""
    result = exchange("GET", server.base_url + "/keys-huge", timeout_s=10, max_bytes=100_000)
    assert result.status == 200 and result.truncated and len(result.body) == 100_000


def test_loopback_is_never_proxied(monkeypatch: pytest.MonkeyPatch) -> None:
    """Proxy variables apply to remote hosts (NO_PROXY respected), never to loopback."""
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.corp.example:3128")
    monkeypatch.setenv("HTTP_PROXY", "http://proxy.corp.example:3128")
    monkeypatch.setenv("NO_PROXY", "internal.example")
    for url in ("http://127.0.0.1:8400/t", "http://localhost/t", "http://[::1]:80/t",
                "http://127.5.6.7/t"):  # fmt: skip
        assert network.proxy_for(url) is None, url
    assert network.proxy_for("https://login.microsoftonline.com/x") == (
        "http://proxy.corp.example:3128"
    )
    assert network.proxy_for("https://api.internal.example/x") is None


def test_socks_proxy_is_a_plain_proxy_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    """A proxy scheme we cannot use is a proxy failure with a message, not a traceback."""
    monkeypatch.setenv("HTTPS_PROXY", "socks5://127.0.0.1:1080")
    result = exchange("GET", "https://login.microsoftonline.com/x", timeout_s=2)
    assert result.failure is not None and result.failure.kind is FailureKind.PROXY
    assert "socks5://" in result.failure.message


def test_ca_file_missing_or_broken_is_a_tls_failure(tmp_path) -> None:
    """An explicit CA file that is missing or holds no certificate: TLS failure, named."""
    missing = exchange("GET", "https://127.0.0.1:9/x", timeout_s=2, ca_file=str(tmp_path / "no"))
    assert missing.failure is not None and missing.failure.kind is FailureKind.TLS
    assert "does not exist" in missing.failure.message
    junk = tmp_path / "junk.pem"
    junk.write_text("not a certificate")
    broken = exchange("GET", "https://127.0.0.1:9/x", timeout_s=2, ca_file=str(junk))
    assert broken.failure is not None and broken.failure.kind is FailureKind.TLS
    assert "no usable certificate" in broken.failure.message


def test_os_trust_store_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a CA file or variable, certificates are checked by the OS trust store."""
    import truststore

    assert isinstance(network.ssl_context(None), truststore.SSLContext)
    monkeypatch.setenv("CURL_CA_BUNDLE", "/some/bundle.pem")
    assert network.ca_source(None) == ("/some/bundle.pem", "CURL_CA_BUNDLE")
    assert network.ca_source("/mine.pem") == ("/mine.pem", "the CA file setting")


def test_text_follows_the_charset() -> None:
    """The body is decoded in the charset the server named."""
    from core.token.transport import HttpResult

    answer = HttpResult("GET", "u", 1.0, 0.0, status=200, body="é".encode("latin-1"),
                        headers=(("Content-Type", "text/plain; charset=ISO-8859-1"),))  # fmt: skip
    assert answer.text() == "é"
