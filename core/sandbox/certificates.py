"""Demo certificates and the external identity provider's key, made at start, and the files
the sandbox writes for them (like the TLS CA): what an admin would upload or keep."""

from __future__ import annotations

import functools
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import jwt
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from core.sandbox import directory as d
from core.sandbox.api_tokens import expired_graph_token
from core.sandbox.keys import b64url

PFX_PASSWORD = "Sandbox-Pfx-2026!"
EXTERNAL_LIFETIME_S = 3600
_lock = threading.Lock()


@dataclass(frozen=True)
class DemoCertificate:
    """A demo certificate with its key; `uploaded` says whether an app registration holds it."""

    name: str
    description: str
    key: rsa.RSAPrivateKey
    cert: x509.Certificate
    uploaded: bool

    @property
    def sha1(self) -> str:
        return self.cert.fingerprint(hashes.SHA1()).hex().upper()

    @property
    def sha256(self) -> str:
        return self.cert.fingerprint(hashes.SHA256()).hex().upper()

    def expired(self) -> bool:
        return self.cert.not_valid_after_utc <= datetime.now(timezone.utc)

    def pem(self) -> bytes:
        key = self.key.private_bytes(serialization.Encoding.PEM,
                                     serialization.PrivateFormat.PKCS8,
                                     serialization.NoEncryption())  # fmt: skip
        return key + self.cert.public_bytes(serialization.Encoding.PEM)


def _cert(key: rsa.RSAPrivateKey, cn: str, start: timedelta, end: timedelta) -> x509.Certificate:
    now = datetime.now(timezone.utc)
    name = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Contoso Sandbox"),
                      x509.NameAttribute(NameOID.COMMON_NAME, cn)])  # fmt: skip
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now + start)
        .not_valid_after(now + end)
        .sign(key, hashes.SHA256())
    )


def _new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@functools.lru_cache(maxsize=1)
def _make() -> tuple[DemoCertificate, ...]:
    made = []
    for name, cn, start, end, uploaded, text in (
        ("contoso-daemon", "contoso-daemon.sandbox.example", -1, 365, True,
         "Contoso Daemon's certificate (uploaded to the app)"),
        ("not-uploaded", "contoso-daemon-new.sandbox.example", -1, 365, False,
         "a certificate never uploaded to any app (AADSTS700027)"),
        ("expired", "contoso-daemon-2024.sandbox.example", -400, -10, True,
         "uploaded to Contoso Daemon, expired 10 days ago"),
    ):  # fmt: skip
        key = _new_key()
        cert = _cert(key, cn, timedelta(days=start), timedelta(days=end))
        made.append(DemoCertificate(name, text, key, cert, uploaded))
    return tuple(made)


def demo_certificates() -> tuple[DemoCertificate, ...]:
    """The process's demo certificates, made once."""
    with _lock:
        return _make()


def uploaded_for(app: d.App) -> tuple[DemoCertificate, ...]:
    """The certificates uploaded to an app registration (its key credentials)."""
    return tuple(c for c in demo_certificates() if c.name in app.certificates)


@functools.lru_cache(maxsize=1)
def _external_key() -> rsa.RSAPrivateKey:
    return _new_key()


def external_key() -> rsa.RSAPrivateKey:
    """The signing key of the sandbox's external (GitHub-Actions-like) identity provider."""
    with _lock:
        return _external_key()


def external_token(subject: str = d.EXTERNAL_SUBJECT, audience: str = d.FEDERATED_AUDIENCE,
                   lifetime_s: int = EXTERNAL_LIFETIME_S) -> str:  # fmt: skip
    """A token from the external identity provider, shaped like a GitHub Actions OIDC token."""
    now = int(time.time())
    repo = subject.split(":")[1] if subject.count(":") >= 2 else "contoso/app"
    claims = {
        "jti": str(uuid.uuid4()), "sub": subject, "aud": audience, "ref": "refs/heads/main",
        "repository": repo, "repository_owner": repo.split("/")[0], "event_name": "push",
        "iss": d.EXTERNAL_ISSUER, "nbf": now - 5, "iat": now - 5, "exp": now + lifetime_s,
    }  # fmt: skip
    return jwt.encode(claims, external_key(), algorithm="RS256", headers={"kid": "sandbox-idp-1"})


def ready_made_assertion(token_url: str, client_id: str, *, expired: bool = False,
                         subject: str | None = None) -> str:  # fmt: skip
    """A certificate assertion signed with Contoso Daemon's key: expired, or with sub != iss
    (what a broken client sends; the tester itself always signs correct ones)."""
    demo = demo_certificates()[0]
    now = int(time.time())
    start = now - 3600 if expired else now
    claims = {"aud": token_url, "iss": client_id, "sub": subject or client_id,
              "jti": str(uuid.uuid4()), "nbf": start, "iat": start, "exp": start + 600}  # fmt: skip
    header = {"x5t#S256": b64url(demo.cert.fingerprint(hashes.SHA256()))}
    return jwt.encode(claims, demo.key, algorithm="PS256", headers=header)


# file name -> what it is (listed in the printed summary and --describe)
FILES = {
    "contoso-daemon.pem": "Contoso Daemon: private key + certificate (PEM)",
    "contoso-daemon.pfx": f"Contoso Daemon: PKCS#12, password {PFX_PASSWORD}",
    "contoso-daemon.cer": "Contoso Daemon: the public certificate (what is uploaded)",
    "not-uploaded.pem": "a key + certificate no app holds (AADSTS700027)",
    "expired.pem": "key + certificate uploaded to Contoso Daemon, expired 10 days ago",
    "github-token.jwt": f"an external token: iss {d.EXTERNAL_ISSUER}, sub {d.EXTERNAL_SUBJECT}",
    "github-token-wrong-subject.jwt": "an external token, subject differs in case (70021)",
    "expired-assertion.jwt": "a certificate assertion for Contoso Daemon that expired (700024)",
    "sub-mismatch-assertion.jwt": "a certificate assertion with sub != iss (50048)",
    "expired-graph-token.jwt": "a Microsoft Graph token for Contoso Daemon that expired an hour "
    "ago (401 InvalidAuthenticationToken)",
}
WRONG_SUBJECT = "repo:Contoso/app:ref:refs/heads/main"  # differs in case only


def write_files(folder: Path, base_url: str) -> None:
    """Write (or refresh) every demo file; the tokens in them are minted now."""
    certs = {c.name: c for c in demo_certificates()}
    daemon = certs["contoso-daemon"]
    (folder / "contoso-daemon.pem").write_bytes(daemon.pem())
    (folder / "contoso-daemon.pfx").write_bytes(pkcs12.serialize_key_and_certificates(
        b"contoso-daemon", daemon.key, daemon.cert, None,
        serialization.BestAvailableEncryption(PFX_PASSWORD.encode()),
    ))  # fmt: skip
    (folder / "contoso-daemon.cer").write_bytes(
        daemon.cert.public_bytes(serialization.Encoding.DER)
    )
    (folder / "not-uploaded.pem").write_bytes(certs["not-uploaded"].pem())
    (folder / "expired.pem").write_bytes(certs["expired"].pem())
    refresh_tokens(folder, base_url)


def refresh_tokens(folder: Path, base_url: str) -> None:
    """Re-mint the token files (they expire): the external tokens and ready-made assertions."""
    url = f"{base_url}/{d.CONTOSO.id}/oauth2/v2.0/token"
    texts: dict[str, Any] = {
        "github-token.jwt": external_token(),
        "github-token-wrong-subject.jwt": external_token(WRONG_SUBJECT),
        "expired-assertion.jwt": ready_made_assertion(url, d.DAEMON.client_id, expired=True),
        "sub-mismatch-assertion.jwt": ready_made_assertion(
            url, d.DAEMON.client_id, subject=d.DAEMON.object_id),
        "expired-graph-token.jwt": expired_graph_token(base_url),
    }  # fmt: skip
    for name, text in texts.items():
        (folder / name).write_text(text + "\n", encoding="ascii")
