"""Key material made at start: the RS256 token-signing key (JWKS) and the TLS CA + server cert."""

from __future__ import annotations

import base64
import functools
import hashlib
import ipaddress
import json
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import NameOID

_lock = threading.Lock()


def b64url(data: bytes) -> str:
    """Base64url without padding (JWT encoding)."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _uint(value: int) -> str:
    return b64url(value.to_bytes((value.bit_length() + 7) // 8, "big"))


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Entra Token Tester sandbox"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _self_signed(key: Any, common_name: str, *, ca: bool, days: int = 365) -> x509.Certificate:
    now = datetime.now(timezone.utc)
    return (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(_name(common_name))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )


@dataclass(frozen=True)
class SigningKey:
    """The token-signing key and its certificate; `kid` is the certificate's SHA-1 (= x5t)."""

    key: rsa.RSAPrivateKey
    cert: x509.Certificate

    @functools.cached_property
    def kid(self) -> str:
        return b64url(self.cert.fingerprint(hashes.SHA1()))

    def jwk(self, issuer: str | None = None) -> dict[str, Any]:
        numbers = self.key.public_key().public_numbers()
        der = self.cert.public_bytes(serialization.Encoding.DER)
        entry: dict[str, Any] = {
            "kty": "RSA",
            "use": "sig",
            "kid": self.kid,
            "x5t": self.kid,
            "n": _uint(numbers.n),
            "e": _uint(numbers.e),
            "x5c": [base64.b64encode(der).decode("ascii")],
        }
        if issuer:
            entry["issuer"] = issuer
        return entry

    def sign(self, claims: dict[str, Any], *, x5t: bool, nonce: str = "") -> str:
        """An RS256 JWT. With a nonce, sign over its SHA-256 and emit the plain nonce (Graph)."""
        payload = b64url(json.dumps(claims, separators=(",", ":")).encode())
        if not nonce:
            header = self._headers[x5t]
            signing_input = f"{header}.{payload}".encode("ascii")
            return f"{header}.{payload}.{b64url(self._rs256(signing_input))}"
        header_fields: dict[str, Any] = {"typ": "JWT", "alg": "RS256", "nonce": nonce}
        if x5t:
            header_fields["x5t"] = self.kid
        header_fields["kid"] = self.kid
        signed_header = dict(header_fields, nonce=hashlib.sha256(nonce.encode()).hexdigest())
        signing_input = f"{_segment(signed_header)}.{payload}".encode("ascii")
        return f"{_segment(header_fields)}.{payload}.{b64url(self._rs256(signing_input))}"

    @functools.cached_property
    def _headers(self) -> dict[bool, str]:
        """The encoded header without a nonce, with and without x5t: made once, never changes."""
        return {
            True: _segment({"typ": "JWT", "alg": "RS256", "x5t": self.kid, "kid": self.kid}),
            False: _segment({"typ": "JWT", "alg": "RS256", "kid": self.kid}),
        }

    def _rs256(self, signing_input: bytes) -> bytes:
        return self.key.sign(signing_input, padding.PKCS1v15(), hashes.SHA256())


def _segment(header: dict[str, Any]) -> str:
    return b64url(json.dumps(header, separators=(",", ":")).encode())


def signing_key() -> SigningKey:
    """The process's token-signing key, made when the first sandbox starts."""
    with _lock:
        return _make_signing_key()


@functools.lru_cache(maxsize=1)
def _make_signing_key() -> SigningKey:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return SigningKey(key, _self_signed(key, "sandbox token signing", ca=False))


@dataclass(frozen=True)
class TlsMaterial:
    """A CA (its PEM is what a client must trust) and a loopback server certificate it signed."""

    ca_pem: bytes
    cert_pem: bytes
    key_pem: bytes


def tls_material() -> TlsMaterial:
    """CA + server certificate for 127.0.0.1 and localhost, made once per process."""
    with _lock:
        return _make_tls_material()


@functools.lru_cache(maxsize=1)
def _make_tls_material() -> TlsMaterial:
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_cert = _self_signed(ca_key, "Entra Token Tester sandbox CA", ca=True, days=30)
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.now(timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name("127.0.0.1"))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(
            x509.SubjectAlternativeName(
                [
                    x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                    x509.DNSName("localhost"),
                ]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    return TlsMaterial(
        ca_cert.public_bytes(serialization.Encoding.PEM),
        cert.public_bytes(serialization.Encoding.PEM),
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
    )
