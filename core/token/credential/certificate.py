"""Load a certificate credential from PEM, DER or PKCS#12 files, with `cryptography` only."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import pkcs12

from core.redaction import Secret
from core.token.credential.summary import CertificateSummary

MAX_FILE_BYTES = 1_000_000  # a PFX with a long chain is a few KB
MAX_CERTIFICATES = 20
# RSA keys are read without OpenSSL's key validation (primality checks: about 60 ms per 2048-bit
# key, most of a check run's credential work); `_prove_pair` signs once instead (under 1 ms),
# which proves what matters: the key makes signatures the certificate's public key accepts.
_PROOF = b"entra-token-tester: does this private key sign for its certificate?"
PEM_MARK = b"-----BEGIN "
# What the window and the file picker accept.
CERTIFICATE_SUFFIXES = (".pem", ".pfx", ".p12", ".cer", ".crt", ".der", ".key")


class CertificateError(ValueError):
    """A certificate credential that cannot be used; the message is one plain sentence.

    `kind`: "unreadable", "format", "password_needed", "wrong_password", "no_certificate",
    "too_large", "damaged_key".
    """

    def __init__(self, message: str, kind: str = "format") -> None:
        super().__init__(message)
        self.message = message
        self.kind = kind


@dataclass(frozen=True)
class CertificateCredential:
    """A loaded certificate with its private key: what signs client assertions.

    The key never appears in repr and the object cannot be pickled; `summary` is the public
    part an admin compares with the portal.
    """

    summary: CertificateSummary
    certificate: Any = field(repr=False)  # x509.Certificate (the leaf)
    key: Any = field(repr=False)  # the private key object, or None
    chain: tuple[Any, ...] = field(default=(), repr=False)  # the other certificates, in order

    def x5c(self) -> list[str]:
        """The `x5c` header: standard base64 DER certificates, leaf first."""
        return [
            base64.b64encode(c.public_bytes(serialization.Encoding.DER)).decode("ascii")
            for c in (self.certificate, *self.chain)
        ]

    def __reduce__(self) -> Any:
        raise TypeError("a certificate credential (private key) is not picklable")


def read_limited(path: str | Path, what: str) -> bytes:
    """A file's bytes, at most MAX_FILE_BYTES; CertificateError with a plain message else."""
    file = Path(path).expanduser()
    try:
        with file.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise CertificateError(f"The {what} file {file} does not exist.", "unreadable") from None
    except IsADirectoryError:
        raise CertificateError(f"{file} is a folder, not a {what} file.", "unreadable") from None
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise CertificateError(f"The {what} file {file} cannot be read ({reason}).",
                               "unreadable") from None  # fmt: skip
    if len(data) > MAX_FILE_BYTES:
        raise CertificateError(f"{file} is larger than {MAX_FILE_BYTES // 1000} KB: not a "
                               f"{what} file.", "too_large")  # fmt: skip
    return data


def load_certificate(
    path: str | Path, key_path: str | Path = "", password: Secret | None = None
) -> CertificateCredential:
    """Load a certificate credential from a PEM (key and certificates in any order), a DER or
    PEM certificate plus a separate key file, or a PKCS#12 (.pfx/.p12) file.

    Raises:
        CertificateError: the files cannot be read, are of no known format, need a password
            that was not given, or the password is wrong.
    """
    if not str(path).strip():
        raise CertificateError("No certificate file was given.", "unreadable")
    data = read_limited(path, "certificate")
    key_data = read_limited(key_path, "private key") if str(key_path).strip() else None
    return load_certificate_bytes(data, str(path), key_data, str(key_path), password)


def load_certificate_bytes(
    data: bytes,
    name: str,
    key_data: bytes | None = None,
    key_name: str = "",
    password: Secret | None = None,
) -> CertificateCredential:
    """As `load_certificate`, from bytes already read (`name`s are used in messages)."""
    secret = password.reveal().encode("utf-8") if password else None
    certs, keys, fmt = _parse(data, name, secret)
    source = Path(name).name
    if key_data is not None:
        more_certs, more_keys, _ = _parse(key_data, key_name, secret)
        certs, keys = [*certs, *more_certs], [*keys, *more_keys]
        source += f" + {Path(key_name).name}"
    if not certs:
        raise CertificateError(
            f"{Path(name).name} holds a private key but no certificate: give the certificate "
            "file too (PEM or DER), or a PEM or PFX that holds both.", "no_certificate",
        )  # fmt: skip
    if len(certs) > MAX_CERTIFICATES:
        raise CertificateError(f"{Path(name).name} holds more than {MAX_CERTIFICATES} "
                               "certificates.", "format")  # fmt: skip
    leaf, key = _pair(certs, keys)
    chain = _chain(leaf, [c for c in certs if c is not leaf])
    matches = None if key is None else _spki(key.public_key()) == _spki(leaf.public_key())
    if matches:
        _prove_pair(key, leaf.public_key(), Path(key_name or name).name or "the file")
    summary = _summary(leaf, key, matches, chain, source, fmt)
    return CertificateCredential(summary=summary, certificate=leaf, key=key, chain=tuple(chain))


def _parse(data: bytes, name: str, password: bytes | None) -> tuple[list[Any], list[Any], str]:
    """(certificates, private keys, format) of one file."""
    file = Path(name).name or "the file"
    if PEM_MARK in data:
        certs: list[Any] = []
        if b"CERTIFICATE-----" in data:
            try:
                certs = list(x509.load_pem_x509_certificates(data))
            except ValueError:
                raise CertificateError(f"A certificate in {file} is damaged (its PEM block "
                                       "cannot be read).") from None  # fmt: skip
        keys = [_pem_key(data, file, password)] if b"PRIVATE KEY-----" in data else []
        if not certs and not keys:
            raise CertificateError(f"{file} is a PEM file with neither a certificate nor a "
                                   "private key in it.")  # fmt: skip
        return certs, keys, "PEM"
    try:
        return [x509.load_der_x509_certificate(data)], [], "DER"
    except ValueError:
        pass
    try:
        return [], [_read_key(data, password, pem=False)], "DER"
    except (ValueError, TypeError, UnsupportedAlgorithm):
        pass
    return _pkcs12(data, file, password)


def _read_key(data: bytes, password: bytes | None, *, pem: bool) -> Any:
    """A private key; RSA ones without OpenSSL's slow validation (`_prove_pair` checks them)."""
    load = serialization.load_pem_private_key if pem else serialization.load_der_private_key
    return load(data, password, unsafe_skip_rsa_key_validation=True)


def _pem_key(data: bytes, file: str, password: bytes | None) -> Any:
    try:
        return _read_key(data, password, pem=True)
    except TypeError as exc:
        if password is None:
            raise CertificateError(f"The private key in {file} is encrypted: give its "
                                   "password.", "password_needed") from None  # fmt: skip
        # A password was given for a key that has none: read it without.
        try:
            return _read_key(data, None, pem=True)
        except (TypeError, ValueError):
            raise CertificateError(f"The private key in {file} cannot be read.") from exc
    except ValueError:
        if password is not None:
            raise CertificateError(f"Wrong password for the private key in {file}.",
                                   "wrong_password") from None  # fmt: skip
        raise CertificateError(f"The private key in {file} cannot be read (damaged, or a "
                               "format this tool does not read).") from None  # fmt: skip
    except UnsupportedAlgorithm:
        raise CertificateError(f"The private key in {file} uses an unsupported "
                               "algorithm.") from None  # fmt: skip


def _pkcs12(data: bytes, file: str, password: bytes | None) -> tuple[list[Any], list[Any], str]:
    attempts: list[bytes | None] = [password] if password is not None else [None, b""]
    if password:
        attempts.append(None)  # a PFX without a password, with one typed anyway
    wrong = False
    for attempt in attempts:
        try:
            key, cert, extra = pkcs12.load_key_and_certificates(data, attempt)
        except ValueError as exc:
            if "password" not in str(exc).lower():
                raise CertificateError(
                    f"{file} is neither a PEM file, a DER certificate nor a PKCS#12 (PFX) file.",
                ) from None  # fmt: skip
            wrong = True
            continue
        except UnsupportedAlgorithm:
            raise CertificateError(f"{file} is a PFX encrypted with an algorithm this tool "
                                   "cannot read.") from None  # fmt: skip
        certs = ([cert] if cert is not None else []) + list(extra)
        return certs, [key] if key is not None else [], "PKCS#12"
    assert wrong
    if not password:
        raise CertificateError(f"{file} is a PFX protected by a password: give the password.",
                               "password_needed")  # fmt: skip
    raise CertificateError(f"Wrong password for this PFX ({file}).", "wrong_password")


def _prove_pair(key: Any, public_key: Any, file: str) -> None:
    """Sign once with an RSA key read without validation and verify with the certificate's
    public key: a damaged key (its public half intact) fails here, with a plain message,
    instead of as an invalid signature at Entra (AADSTS700027)."""
    if not isinstance(key, rsa.RSAPrivateKey):
        return  # other key types are validated as they are read
    try:
        signature = key.sign(_PROOF, padding.PKCS1v15(), hashes.SHA256())
        public_key.verify(signature, _PROOF, padding.PKCS1v15(), hashes.SHA256())
    except Exception:  # InvalidSignature, or OpenSSL refusing the damaged key outright
        raise CertificateError(
            f"The private key in {file} is damaged: a signature made with it does not verify "
            "with the certificate's public key.",
            "damaged_key",
        ) from None


def _spki(public_key: Any) -> bytes:
    return bytes(public_key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    ))  # fmt: skip


def _pair(certs: list[Any], keys: list[Any]) -> tuple[Any, Any]:
    """The leaf certificate and its key: the pair that matches, else the end entity."""
    for key in keys:
        spki = _spki(key.public_key())
        for cert in certs:
            if _spki(cert.public_key()) == spki:
                return cert, key
    issuers = {c.issuer for c in certs if c.issuer != c.subject}
    leaf = next((c for c in certs if c.subject not in issuers), certs[0])
    return leaf, keys[0] if keys else None


def _chain(leaf: Any, others: list[Any]) -> list[Any]:
    """The other certificates from the leaf's issuer upwards, then any that are not linked."""
    ordered, current, rest = [], leaf, list(others)
    while True:
        parent = next((c for c in rest if c.subject == current.issuer and c is not current), None)
        if parent is None or current.issuer == current.subject:
            break
        ordered.append(parent)
        rest.remove(parent)
        current = parent
    return ordered + rest


def _key_type(public_key: Any) -> tuple[str, bool]:
    if isinstance(public_key, rsa.RSAPublicKey):
        return f"RSA {public_key.key_size}-bit", True
    if isinstance(public_key, ec.EllipticCurvePublicKey):
        return f"EC {public_key.curve.name}", False
    return type(public_key).__name__.removeprefix("_").replace("PublicKey", ""), False


def _summary(leaf: Any, key: Any, matches: bool | None, chain: list[Any], source: str,
             fmt: str) -> CertificateSummary:  # fmt: skip
    key_type, is_rsa = _key_type(leaf.public_key())
    serial = format(leaf.serial_number, "X")
    return CertificateSummary(
        subject=leaf.subject.rfc4514_string(),
        issuer=leaf.issuer.rfc4514_string(),
        serial=serial.zfill(len(serial) + len(serial) % 2),
        not_before=leaf.not_valid_before_utc.timestamp(),
        not_after=leaf.not_valid_after_utc.timestamp(),
        sha1=leaf.fingerprint(hashes.SHA1()).hex().upper(),
        sha256=leaf.fingerprint(hashes.SHA256()).hex().upper(),
        key_type=key_type,
        has_private_key=key is not None,
        key_matches=matches,
        chain=tuple(c.subject.rfc4514_string() for c in chain),
        source=source,
        file_format=fmt,
        is_rsa=is_rsa,
    )
