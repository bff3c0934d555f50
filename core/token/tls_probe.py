"""After a TLS failure: which certificate the server showed and what is wrong with it.

The probe opens a second connection with verification off, completes the TLS handshake to read
the server's certificate, and closes it: no HTTP request, nothing secret is ever sent on it.
It has a total deadline (connect and handshake together) and skips servers behind a proxy.
"""

from __future__ import annotations

import select
import socket
import ssl
import time
from datetime import datetime, timezone
from urllib.parse import urlsplit

from core.token.network import proxy_for
from core.token.result import PeerCertificate

PROBE_LIMIT_S = 5.0

# OpenSSL's verify messages (and truststore's, which reuse them on Linux) and what they mean.
_PROBLEMS = (
    ("self-signed", "self-signed"),
    ("self signed", "self-signed"),
    ("unable to get local issuer", "unknown issuer"),
    ("unable to get issuer", "unknown issuer"),
    ("unknown ca", "unknown issuer"),
    ("not trusted", "unknown issuer"),
    ("hostname mismatch", "name mismatch"),
    ("doesn't match", "name mismatch"),
    ("not valid for", "name mismatch"),
    ("has expired", "expired"),
    ("is not yet valid", "not valid yet"),
)


def problem_from_error(detail: str) -> str:
    """The certificate problem an error message names ('' when it names none)."""
    lowered = detail.lower()
    return next((problem for words, problem in _PROBLEMS if words in lowered), "")


def read_certificate(
    der: bytes, host: str, error: str = "", now: float | None = None
) -> PeerCertificate:
    """A certificate's subject, issuer, names and validity, and its problem: from the
    verification error when it names one, else from the certificate itself."""
    from cryptography import x509

    cert = x509.load_der_x509_certificate(der)
    moment = time.time() if now is None else now
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        names = tuple(str(n) for n in san.get_values_for_type(x509.DNSName))
        names += tuple(str(ip) for ip in san.get_values_for_type(x509.IPAddress))
    except x509.ExtensionNotFound:
        names = ()
    not_after = cert.not_valid_after_utc.timestamp()
    not_before = cert.not_valid_before_utc.timestamp()
    subject, issuer = cert.subject.rfc4514_string(), cert.issuer.rfc4514_string()
    problem = problem_from_error(error)
    if not problem:
        if not_after < moment:
            problem = "expired"
        elif not_before > moment:
            problem = "not valid yet"
        elif names and not any(_matches(host, n) for n in names):
            problem = "name mismatch"
        elif cert.subject == cert.issuer:
            problem = "self-signed"
        else:
            problem = "unknown issuer"
    return PeerCertificate(
        problem=problem, subject=subject, issuer=issuer, names=names[:20],
        not_before=_iso(not_before), not_after=_iso(not_after),
    )  # fmt: skip


def _iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, tz=timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


def _matches(host: str, name: str) -> bool:
    host, name = host.lower().rstrip("."), name.lower().rstrip(".")
    if name.startswith("*."):
        return host.count(".") == name.count(".") and host.endswith(name[1:])
    return host == name


def probe(url: str, timeout_s: float, error: str = "") -> PeerCertificate | None:
    """The certificate an HTTPS server shows, read with verification off, within `timeout_s`
    (at most PROBE_LIMIT_S); None when it cannot be read (no HTTPS, a proxy, no answer)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme.lower() != "https" or not host or proxy_for(url) is not None:
        return None
    deadline = time.monotonic() + max(0.1, min(timeout_s, PROBE_LIMIT_S))
    try:
        port = parts.port or 443
        der = _handshake(host, port, deadline)
    except (OSError, ValueError, ssl.SSLError):
        return None
    if not der:
        return None
    try:
        return read_certificate(der, host, error)
    except ValueError:
        return None


def _handshake(host: str, port: int, deadline: float) -> bytes | None:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # only to read the certificate; nothing is sent
    remaining = deadline - time.monotonic()
    with socket.create_connection((host, port), timeout=max(remaining, 0.05)) as raw:
        raw.setblocking(False)
        with context.wrap_socket(raw, server_hostname=host, do_handshake_on_connect=False) as tls:
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return None
                try:
                    tls.do_handshake()
                    return tls.getpeercert(binary_form=True)
                except ssl.SSLWantReadError:
                    select.select([tls], [], [], remaining)
                except ssl.SSLWantWriteError:
                    select.select([], [tls], [], remaining)
