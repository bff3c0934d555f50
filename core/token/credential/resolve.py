"""Credentials at send time: load the certificate or read the assertion file, and the checks
an admin sees before anything is sent."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace
from urllib.parse import urlsplit

from core.token.credential.federated import (
    AssertionReadError,
    decode_assertion,
    expected_audience,
    read_assertion_file,
)
from core.token.models import CredentialKind, Finding, Severity, TokenRequestInput

ERROR, WARNING = Severity.ERROR, Severity.WARNING
_CERT_FIX = {
    "password_needed": "Give the password of the PFX or of the encrypted key.",
    "wrong_password": "Type the password again; it is the one chosen when the PFX was exported.",
    "no_certificate": "Give the certificate file too (PEM, CER or CRT), or a PEM/PFX with both.",
    "damaged_key": "Export the certificate with its private key again and choose the new file.",
}


def resolve_credential(inputs: TokenRequestInput) -> tuple[TokenRequestInput, tuple[Finding, ...]]:
    """Load the certificate files or read the assertion file the inputs name (I/O).

    Returns the inputs with `certificate` or `client_assertion` filled in, and an error
    finding for anything that could not be read (then the request must not be sent).
    """
    if inputs.credential is CredentialKind.CERTIFICATE and inputs.certificate is None:
        if not inputs.certificate_path.strip():
            return inputs, ()
        from core.token.credential.certificate import CertificateError, load_certificate

        try:
            loaded = load_certificate(inputs.certificate_path.strip(),
                                      inputs.certificate_key_path.strip(),
                                      inputs.certificate_password)  # fmt: skip
        except CertificateError as exc:
            fix = _CERT_FIX.get(exc.kind, "Choose the certificate file exported for this app.")
            field = "certificate_password" if "password" in exc.kind else "certificate_path"
            title = "Certificate needs a password" if exc.kind == "password_needed" else (
                "Wrong certificate password" if exc.kind == "wrong_password"
                else "Certificate cannot be used")  # fmt: skip
            return inputs, (Finding(f"certificate-{exc.kind.replace('_', '-')}", ERROR, field,
                                    title, exc.message, fix),)  # fmt: skip
        return replace(inputs, certificate=loaded), ()
    if (
        inputs.credential is CredentialKind.FEDERATED
        and not inputs.client_assertion
        and inputs.assertion_file.strip()
    ):
        try:
            assertion = read_assertion_file(inputs.assertion_file.strip())
        except AssertionReadError as exc:
            return inputs, (Finding("assertion-file", ERROR, "client_assertion",
                                    "Assertion file cannot be read", exc.message,
                                    "Check the path (AZURE_FEDERATED_TOKEN_FILE)."),)  # fmt: skip
        return replace(inputs, client_assertion=assertion), ()
    return inputs, ()


def credential_findings(inputs: TokenRequestInput, url: str = "",
                        now: float | None = None) -> Iterator[Finding]:  # fmt: skip
    """Pre-flight findings about the certificate or the federated assertion (pure)."""
    if inputs.credential is CredentialKind.CERTIFICATE:
        yield from _certificate(inputs, now)
    elif inputs.credential is CredentialKind.FEDERATED:
        yield from _federated(inputs, url, now)


def _certificate(inputs: TokenRequestInput, now: float | None) -> Iterator[Finding]:
    cert = inputs.certificate
    if cert is None:
        if not inputs.certificate_path.strip():
            yield Finding(
                "certificate-empty", ERROR, "certificate_path", "No certificate chosen",
                "A certificate credential needs the certificate and its private key.",
                "Choose a PEM (key and certificate) or PFX file, or a certificate plus its key.",
            )  # fmt: skip
        return
    for severity, title, detail in cert.summary.problems(now):
        code = "certificate-" + title.lower().replace(" ", "-")
        yield Finding(code, ERROR if severity == "error" else WARNING, "certificate_path",
                      title, detail, "Check the certificate in App registrations > Certificates "
                      "& secrets.")  # fmt: skip


def _federated(inputs: TokenRequestInput, url: str, now: float | None) -> Iterator[Finding]:
    if not inputs.client_assertion:
        if not inputs.assertion_file.strip():
            yield Finding(
                "assertion-empty", ERROR, "client_assertion", "No assertion given",
                "A federated credential sends a token from an external identity provider "
                "(GitHub Actions, Kubernetes, another cloud) as the client assertion.",
                "Paste the token, or give the file it is written to (AZURE_FEDERATED_TOKEN_FILE).",
            )  # fmt: skip
        return
    try:
        decoded = decode_assertion(inputs.client_assertion)
    except AssertionReadError as exc:
        yield Finding(
            "assertion-unreadable",
            ERROR,
            "client_assertion",
            "Assertion is not a JWT",
            exc.message,
            "Paste the whole token (three parts separated by dots).",
        )
        return
    moment = time.time() if now is None else now
    exp = decoded.expires_at
    if exp is None:
        yield Finding("assertion-no-exp", WARNING, "client_assertion", "Assertion has no expiry",
                      "Entra refuses an assertion without exp (AADSTS700024 or 50027).",
                      "Get a fresh token from the identity provider.")  # fmt: skip
    elif exp <= moment:
        yield Finding(
            "assertion-expired", WARNING, "client_assertion", "Assertion expired",
            f"The assertion expired {int((moment - exp) // 60)} min ago: Entra will answer "
            "AADSTS700024.", "Get a fresh token (they usually live 5 to 60 minutes).",
        )  # fmt: skip
    if decoded.looks_self_signed:
        yield from _self_signed(decoded.issuer, decoded.subject, decoded.audiences, inputs, url)
        return
    custom = bool(inputs.token_url.strip())
    wanted = expected_audience(inputs.cloud)
    if not custom and wanted not in decoded.audiences:
        shown = ", ".join(decoded.audiences) or "(none)"
        yield Finding(
            "assertion-audience", WARNING, "client_assertion", "Unexpected assertion audience",
            f"The assertion's aud is {shown}; the default audience of a federated credential "
            f"in this cloud is {wanted}. Entra compares it with the credential's audience, "
            "case-sensitively (else AADSTS70021).",
            "Request the token for that audience, or check the federated credential's audience.",
        )  # fmt: skip
    if decoded.claims.get("scp") and urlsplit(decoded.issuer).hostname in _ENTRA_HOSTS:
        yield Finding(
            "assertion-delegated", WARNING, "client_assertion", "User token as assertion",
            "A token of a signed-in user from Entra cannot be a federated credential "
            "(AADSTS700229): only app-only tokens can.",
            "Use a managed identity's or an app's client-credentials token.",
        )  # fmt: skip


_ENTRA_HOSTS = frozenset(
    {"login.microsoftonline.com", "sts.windows.net", "login.microsoftonline.us",
     "login.partner.microsoftonline.cn", "sts.chinacloudapi.cn"}
)  # fmt: skip


def _self_signed(iss: str, sub: str, audiences: tuple[str, ...], inputs: TokenRequestInput,
                 url: str) -> Iterator[Finding]:  # fmt: skip
    """A ready-made certificate assertion (iss = sub = client ID expected)."""
    if iss != sub:
        yield Finding(
            "assertion-sub-iss",
            WARNING,
            "client_assertion",
            "sub differs from iss",
            f"This certificate assertion has iss {iss} but sub {sub}: Entra answers AADSTS50048.",
            "Sign a new assertion with iss = sub = the client ID.",
        )
    client_id = inputs.client_id.strip()
    if client_id and iss and iss.lower() != client_id.lower():
        yield Finding("assertion-iss-client", WARNING, "client_assertion", "Assertion for "
                      "another app", f"The assertion's iss is {iss}, not the client ID "
                      f"{client_id}.", "Sign a new assertion for this app.")  # fmt: skip
    if url and "{" not in url and url not in audiences:
        shown = ", ".join(audiences) or "(none)"
        yield Finding("assertion-aud-url", WARNING, "client_assertion", "Assertion audience is "
                      "not this token URL", f"The assertion's aud is {shown}; Entra expects "
                      f"the token URL posted to: {url}.",
                      "Sign a new assertion with aud = the token URL.")  # fmt: skip
