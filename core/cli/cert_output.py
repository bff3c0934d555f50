"""The certificate summary and the credential used, for people and as JSON (cert and token)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TextIO

from core.timefmt import iso_utc, utc_text

if TYPE_CHECKING:
    from core.token.credential.summary import CertificateSummary
    from core.token.models import PreparedRequest


def summary_json(s: CertificateSummary) -> dict[str, Any]:
    """The documented JSON of a certificate summary (README: `cert --json`)."""
    state, text = s.validity()
    return {
        "subject": s.subject,
        "issuer": s.issuer,
        "serial": s.serial,
        "not_before": iso_utc(s.not_before),
        "not_after": iso_utc(s.not_after),
        "validity": {"state": state, "text": text},
        "thumbprint_sha1": s.sha1,
        "thumbprint_sha256": s.sha256,
        "x5t": s.x5t,
        "x5t_s256": s.x5t_s256,
        "key_type": s.key_type,
        "has_private_key": s.has_private_key,
        "key_matches": s.key_matches,
        "chain": list(s.chain),
        "source": s.source,
        "format": s.file_format,
        "problems": [
            {"severity": sev, "title": title, "detail": detail}
            for sev, title, detail in s.problems()
        ],
    }


def write_summary(s: CertificateSummary, out: TextIO) -> None:
    """The certificate as an admin compares it with App registrations > Certificates."""
    state, text = s.validity()
    if s.key_matches is True:
        key = "private key present, matches the certificate"
    elif s.key_matches is False:
        key = "private key DOES NOT MATCH the certificate"
    else:
        key = "no private key (cannot sign)"
    rows = [
        ("Subject", s.subject),
        ("Issuer", s.issuer),
        ("Serial", s.serial),
        ("Valid from", utc_text(s.not_before)),
        ("Valid until", f"{utc_text(s.not_after)}  [{state.replace('_', ' ')}: {text}]"),
        ("Thumbprint", f"{s.sha1}  (SHA-1: the portal's Thumbprint column)"),
        ("SHA-256", s.sha256),
        ("x5t", f"{s.x5t}  (RS256 assertions)"),
        ("x5t#S256", f"{s.x5t_s256}  (PS256 assertions)"),
        ("Key", f"{s.key_type}; {key}"),
    ]
    rows += [("Chain", " <- ".join(s.chain))] if s.chain else []
    out.write(f"Certificate: {s.source} ({s.file_format})\n")
    out.write("".join(f"  {label:<12} {value}\n" for label, value in rows))
    for severity, title, detail in s.problems():
        out.write(f"{severity}: {title}. {detail}\n")


def credential_json(prepared: PreparedRequest | None) -> dict[str, Any] | None:
    """What the request authenticated with: the kind, the certificate, or the assertion's
    iss/sub/aud/exp (never the assertion itself)."""
    if prepared is None:
        return None
    from core.redaction import Secret
    from core.token.models import CredentialKind

    kind = prepared.credential
    doc: dict[str, Any] = {"kind": kind.value, "certificate": None, "assertion": None}
    if kind is CredentialKind.SECRET:
        sent = isinstance(prepared.field("client_secret"), Secret) or prepared.header(
            "Authorization")  # fmt: skip
        doc["kind"] = "secret" if sent else "none"
    if prepared.certificate is not None:
        doc["certificate"] = summary_json(prepared.certificate)
    value = prepared.field("client_assertion")
    if kind is CredentialKind.FEDERATED and isinstance(value, Secret) and value:
        from core.token.credential.federated import AssertionReadError, decode_assertion

        try:
            decoded = decode_assertion(value)
        except AssertionReadError:
            return doc
        doc["assertion"] = {"iss": decoded.issuer, "sub": decoded.subject,
                            "aud": list(decoded.audiences),
                            "expires_at": iso_utc(decoded.expires_at)}  # fmt: skip
    return doc


def write_credential(doc: dict[str, Any] | None, out: TextIO) -> None:
    """One or two lines naming the credential sent."""
    if doc is None or doc["kind"] in ("secret", "none"):
        return
    if doc["certificate"]:
        c = doc["certificate"]
        out.write(f"Credential: certificate {c['subject']}, thumbprint {c['thumbprint_sha1']} "
                  f"({c['validity']['text']})\n")  # fmt: skip
    elif doc["assertion"]:
        a = doc["assertion"]
        out.write(f"Credential: federated assertion iss {a['iss']}, sub {a['sub']}, aud "
                  f"{', '.join(a['aud'])}, expires {a['expires_at']}\n")  # fmt: skip
    else:
        out.write(f"Credential: {doc['kind']}\n")
