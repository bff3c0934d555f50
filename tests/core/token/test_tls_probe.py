"""After a TLS failure, the server's certificate is read (verification off, nothing sent) and
its problem named: unknown issuer, self-signed, name mismatch, expired."""

from __future__ import annotations

import socket
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import Encoding

from core.insight.diagnosis import diagnose
from core.sandbox import Sandbox, scenarios
from core.token.client import request_token
from core.token.result import FailureKind
from core.token.tls_probe import probe, problem_from_error, read_certificate
from tests.core import certkit
from tests.core.sandbox.conftest import to_inputs

DEMO = next(s for s in scenarios() if s.key == "cc-v2-graph")


def test_sandbox_certificate_from_an_unknown_ca_is_named() -> None:
    """The HTTPS sandbox's certificate comes from its own CA: the failure carries the
    certificate (subject, issuer) and the diagnosis says what is wrong and how to trust it."""
    with Sandbox(tls=True) as tls:
        result = request_token(to_inputs(DEMO.form, tls.base_url))
    failure = result.failure
    assert failure is not None and failure.kind is FailureKind.TLS
    peer = failure.certificate
    assert peer is not None and peer.problem == "unknown issuer"
    assert "CN=127.0.0.1" in peer.subject and "sandbox CA" in peer.issuer
    d = diagnose(result)
    assert d is not None and d.title == "TLS certificate not trusted (unknown issuer)"
    assert "does not trust" in d.cause and f"Issuer: {peer.issuer}." in d.cause
    assert "File > Preferences > CA file" in d.fix[0]
    assert dict(d.support)["Certificate issuer"] == peer.issuer


def _der(cert) -> bytes:
    return cert.public_bytes(Encoding.DER)


def test_problem_read_from_the_certificate_itself() -> None:
    """Without a verify message the certificate says it: self-signed, expired, wrong name."""
    key = certkit.rsa_key()
    own = read_certificate(_der(certkit.cert(key, "login.example")), "login.example")
    assert own.problem == "self-signed" and own.subject == own.issuer
    old = read_certificate(_der(certkit.cert(key, days=-2, start_days=-30)), "x")
    assert old.problem == "expired" and old.not_after.endswith(" UTC")
    ca = certkit.rsa_key()
    leaf = certkit.cert(key, "other.example", issuer_key=ca, issuer="Corp CA")
    assert read_certificate(_der(leaf), "login.example").problem == "unknown issuer"


def test_problem_from_openssl_messages() -> None:
    assert problem_from_error("certificate verify failed: self-signed certificate") == (
        "self-signed")  # fmt: skip
    assert problem_from_error("Hostname mismatch, certificate is not valid for 'a'") == (
        "name mismatch")  # fmt: skip
    assert problem_from_error("certificate has expired (_ssl.c:1000)") == "expired"
    assert problem_from_error("unable to get local issuer certificate") == "unknown issuer"
    assert problem_from_error("connection reset") == ""


@contextmanager
def _tls_server(tmp_path: Path, *, handshake: bool = True) -> Iterator[int]:
    key = certkit.rsa_key()
    leaf = certkit.cert(key, "self.tests.example")
    cert_file = certkit.write(tmp_path, "c.pem", certkit.cert_pem(leaf))
    key_file = certkit.write(tmp_path, "k.pem", certkit.key_pem(key))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    listener = socket.create_server(("127.0.0.1", 0))
    received: list[bytes] = []

    def serve() -> None:
        conn, _ = listener.accept()
        with conn:
            if not handshake:  # accept and say nothing: the probe's deadline must hold
                time.sleep(3)
                return
            with context.wrap_socket(conn, server_side=True) as tls:
                tls.settimeout(2)
                try:
                    received.append(tls.recv(100))
                except (OSError, ssl.SSLError):
                    pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        thread.join(5)
        listener.close()
        assert not any(received), "the probe sent data after the handshake"


def test_probe_reads_a_self_signed_certificate_and_sends_nothing(tmp_path: Path) -> None:
    with _tls_server(tmp_path) as port:
        peer = probe(f"https://127.0.0.1:{port}/token", 5)
    assert peer is not None and peer.problem == "self-signed"
    assert "CN=self.tests.example" in peer.subject


def test_probe_keeps_its_deadline(tmp_path: Path) -> None:
    """A server that accepts and never answers the handshake costs the probe its deadline."""
    with _tls_server(tmp_path, handshake=False) as port:
        started = time.monotonic()
        assert probe(f"https://127.0.0.1:{port}/token", 0.5) is None
        assert time.monotonic() - started < 1.5


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/token", "https:///token"])
def test_probe_only_for_https(url: str) -> None:
    assert probe(url, 1) is None
