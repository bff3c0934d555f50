"""Keys and certificates made in the tests with `cryptography`, written in every file format."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

PEM, DER = serialization.Encoding.PEM, serialization.Encoding.DER


def rsa_key(bits: int = 2048) -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def ec_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Tests")])  # fmt: skip


def cert(key: Any, cn: str = "app.tests.example", *, issuer_key: Any = None,
         issuer: str | None = None, days: float = 365, start_days: float = -1,
         ca: bool = False, serial: int | None = None) -> x509.Certificate:  # fmt: skip
    now = datetime.now(timezone.utc)
    return (
        x509.CertificateBuilder()
        .subject_name(name(cn))
        .issuer_name(name(issuer or cn))
        .public_key(key.public_key())
        .serial_number(serial or x509.random_serial_number())
        .not_valid_before(now + timedelta(days=start_days))
        .not_valid_after(now + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .sign(issuer_key or key, hashes.SHA256())
    )


def key_pem(key: Any, password: bytes | None = None, *, traditional: bool = False) -> bytes:
    fmt = (serialization.PrivateFormat.TraditionalOpenSSL if traditional
           else serialization.PrivateFormat.PKCS8)  # fmt: skip
    enc = (serialization.BestAvailableEncryption(password) if password
           else serialization.NoEncryption())  # fmt: skip
    return key.private_bytes(PEM, fmt, enc)


def cert_pem(*certs: x509.Certificate) -> bytes:
    return b"".join(c.public_bytes(PEM) for c in certs)


def pfx(key: Any, leaf: x509.Certificate, password: bytes | None,
        chain: tuple[x509.Certificate, ...] = ()) -> bytes:  # fmt: skip
    enc = (serialization.BestAvailableEncryption(password) if password
           else serialization.NoEncryption())  # fmt: skip
    return pkcs12.serialize_key_and_certificates(b"test", key, leaf, list(chain) or None, enc)


def chain3() -> tuple[Any, x509.Certificate, x509.Certificate, x509.Certificate]:
    """(leaf key, leaf, intermediate, root): a leaf signed by an intermediate signed by a root."""
    root_key, mid_key, leaf_key = rsa_key(), rsa_key(), rsa_key()
    root = cert(root_key, "Tests Root", ca=True)
    mid = cert(mid_key, "Tests Intermediate", issuer_key=root_key, issuer="Tests Root", ca=True)
    leaf = cert(leaf_key, "leaf.tests.example", issuer_key=mid_key, issuer="Tests Intermediate")
    return leaf_key, leaf, mid, root


def write(folder: Path, file_name: str, data: bytes) -> Path:
    path = folder / file_name
    path.write_bytes(data)
    return path
