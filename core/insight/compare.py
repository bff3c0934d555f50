"""What to compare for an assertion failure: the values the request carried, from its assertion
and the certificate that signed it, set beside where the admin finds the other side."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from core.insight.decode import DecodeError, decode_token
from core.redaction import Secret
from core.timefmt import as_epoch, utc_text
from core.token.credential.summary import x5t_to_hex
from core.token.models import CredentialKind, PreparedRequest
from core.token.result import TokenResult

CERT_CODES = frozenset({700027, 50012, 700030})
FEDERATED_CODES = frozenset({70021, 700211, 700213, 7002137, 7002138})
ASSERTION_CODES = (
    CERT_CODES
    | FEDERATED_CODES
    | frozenset({700024, 50048, 50027, 50013, 5002738, 7000216, 700229, 7000232})
)
PORTAL_CERTS = "App registrations > Certificates & secrets > Certificates"
PORTAL_FEDERATED = "App registrations > Certificates & secrets > Federated credentials"


def _assertion(request: PreparedRequest) -> tuple[Mapping[str, Any], Mapping[str, Any]] | None:
    value = request.field("client_assertion")
    if not isinstance(value, Secret) or not value:
        return None
    try:
        decoded = decode_token(value.reveal())
    except DecodeError:
        return None
    return decoded.header, decoded.payload


def _text(claims: Mapping[str, Any], name: str) -> str:
    value = claims.get(name)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "(none)" if value is None else str(value)


def _time(claims: Mapping[str, Any], name: str) -> str:
    epoch = as_epoch(claims.get(name))
    return utc_text(epoch) if epoch is not None else "(none)"


def compare(number: int, result: TokenResult) -> tuple[str, tuple[str, ...]]:
    """(a sentence with the values sent, fix steps saying what to compare them with)."""
    request = result.request
    if request is None or number not in ASSERTION_CODES:
        return "", ()
    client_id = str(request.field("client_id") or "")
    if number == 7000216:
        sent = {CredentialKind.CERTIFICATE: "a certificate was chosen but no assertion was sent",
                CredentialKind.FEDERATED: "a federated credential was chosen but no assertion "
                "was sent"}.get(request.credential, "neither client_secret nor client_assertion "
                                                    "was sent")  # fmt: skip
        return f"In this request {sent}.", (
            "Choose the app's credential (client secret, "
            "certificate or federated assertion) and send again.",
        )
    if number == 7000232:
        return (
            f"Client ID {client_id} belongs to a managed identity.",
            ("Compare the client ID with the app registration's Application (client) ID.",),
        )
    parts = _assertion(request)
    if parts is None:
        return "", ()
    header, claims = parts
    iss, sub, aud = _text(claims, "iss"), _text(claims, "sub"), _text(claims, "aud")
    if number in CERT_CODES:
        return _certificate(number, header, request, client_id)
    if number in FEDERATED_CODES:
        return (f"The assertion carried issuer '{iss}', subject '{sub}' and audience '{aud}'.",
                (f"Compare each of them, character by character and case-sensitively, with "
                 f"the Issuer, Subject identifier and Audience of the app's federated "
                 f"credentials ({PORTAL_FEDERATED}).",))  # fmt: skip
    if number == 700024:
        when = result.error.timestamp if result.error and result.error.timestamp else "(unknown)"
        return (
            f"The assertion was valid from {_time(claims, 'nbf')} to {_time(claims, 'exp')}"
            f" (UTC); the server answered at {when}.",
            (
                "Compare these times with the server's timestamp: a difference of minutes "
                "means a wrong clock; hours mean an old assertion or local time used as UTC.",
            ),
        )
    if number == 50048:
        return (
            f"The assertion carried iss '{iss}' and sub '{sub}'.",
            (f"Both must be the client ID {client_id}.",),
        )
    if number == 50027:
        return (f"The assertion carried iss '{iss}', aud '{aud}', valid until "
                f"{_time(claims, 'exp')} (UTC), alg {header.get('alg', '(none)')}.",
                (f"For a certificate assertion, aud must be the token URL posted to: "
                 f"{request.url}.",))  # fmt: skip
    if number == 50013:
        return (
            f"The assertion's jti was {_text(claims, 'jti')}.",
            ("An assertion can be used once: sign a new one for every request.",),
        )
    if number == 5002738:
        return f"The assertion was signed with {header.get('alg', '(none)')}.", ()
    return (
        f"The assertion came from '{iss}' and carries scp '{_text(claims, 'scp')}'.",
        ("Use an app-only token (client credentials or a managed identity) as the assertion.",),
    )  # 700229


def _certificate(number: int, header: Mapping[str, Any], request: PreparedRequest,
                 client_id: str) -> tuple[str, tuple[str, ...]]:  # fmt: skip
    cert = request.certificate
    named = []
    for name, label in (("x5t#S256", "SHA-256"), ("x5t", "SHA-1")):
        if isinstance(header.get(name), str):
            named.append(f"{name} {header[name]} ({label} {x5t_to_hex(header[name])})")
    sent = "; ".join(named) or "no thumbprint"
    cause = f"The assertion named the certificate by {sent}."
    if cert is not None:
        cause += (f" The certificate used is {cert.subject}, SHA-1 thumbprint {cert.sha1}, "
                  f"valid until {utc_text(cert.not_after)}.")  # fmt: skip
    steps = [f"Compare the SHA-1 thumbprint {cert.sha1 if cert else '(see above)'} with the "
             f"Thumbprint column of {PORTAL_CERTS} for app {client_id}."]  # fmt: skip
    if number == 700030 and cert is not None:
        steps.append(f"For subject name and issuer authentication, compare subject "
                     f"'{cert.subject}' and issuer '{cert.issuer}' with the app's trusted "
                     "subject.")  # fmt: skip
    if "x5c" in header:
        steps.append("x5c was sent: its chain must start with this certificate (leaf first).")
    return cause, tuple(steps)
