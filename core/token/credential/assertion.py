"""The client assertion Entra expects, signed with a certificate's private key (RFC 7523)."""

from __future__ import annotations

import time
from typing import Any

from core.redaction import Secret
from core.token.credential.certificate import CertificateCredential, CertificateError
from core.token.ids import random_uuid
from core.token.models import AssertionAlg

ASSERTION_LIFETIME_S = 600  # what MSAL uses; Microsoft suggests 5 to 10 minutes


def assertion_header(credential: CertificateCredential, alg: AssertionAlg,
                     send_x5c: bool) -> dict[str, Any]:  # fmt: skip
    """`typ` JWT, and `x5t#S256` for PS256 or `x5t` for RS256; `x5c` (leaf first) on request."""
    summary = credential.summary
    header: dict[str, Any] = {"typ": "JWT"}
    if alg is AssertionAlg.PS256:
        header["x5t#S256"] = summary.x5t_s256
    else:
        header["x5t"] = summary.x5t
    if send_x5c:
        header["x5c"] = credential.x5c()
    return header


def assertion_claims(client_id: str, audience: str, now: float | None = None,
                     jti: str | None = None) -> dict[str, Any]:  # fmt: skip
    """`aud` = the token URL posted to, `iss` = `sub` = the client ID, a fresh `jti`, and
    `nbf` = `iat` = now, `exp` = now + 10 minutes (whole seconds)."""
    moment = int(time.time() if now is None else now)
    return {
        "aud": audience,
        "iss": client_id,
        "sub": client_id,
        "jti": jti or random_uuid(),
        "nbf": moment,
        "iat": moment,
        "exp": moment + ASSERTION_LIFETIME_S,
    }


def sign_assertion(
    credential: CertificateCredential,
    *,
    client_id: str,
    audience: str,
    alg: AssertionAlg = AssertionAlg.PS256,
    send_x5c: bool = False,
    now: float | None = None,
) -> Secret:
    """A signed client assertion for one request, as a Secret.

    Raises:
        CertificateError: there is no private key, or it is not an RSA key.
    """
    import jwt

    if credential.key is None:
        raise CertificateError("The certificate has no private key, so nothing can be signed.")
    if not credential.summary.is_rsa:
        raise CertificateError(f"Entra accepts RSA keys only; this one is "
                               f"{credential.summary.key_type}.")  # fmt: skip
    token = jwt.encode(
        assertion_claims(client_id, audience, now),
        credential.key,
        algorithm=alg.value,
        headers=assertion_header(credential, alg, send_x5c),
    )
    return Secret(token)
