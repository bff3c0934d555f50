"""PKCE (RFC 7636, S256) and the random `state` and `nonce` of one sign-in attempt."""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass, field

from core.redaction import Secret

VERIFIER_BYTES = 48  # 64 base64url characters, inside RFC 7636's 43-128


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def s256(verifier: str) -> str:
    """The S256 code challenge of a verifier: base64url(SHA-256(ASCII verifier)), no padding."""
    return b64url(hashlib.sha256(verifier.encode("ascii")).digest())


@dataclass(frozen=True)
class Pkce:
    """One attempt's verifier (secret: only the token request carries it) and its challenge,
    plus the `state` and `nonce` the answer must echo. A new one for every attempt."""

    verifier: Secret = field(repr=False)
    challenge: str
    state: str
    nonce: str
    method: str = "S256"

    @classmethod
    def new(cls) -> Pkce:
        verifier = b64url(secrets.token_bytes(VERIFIER_BYTES))
        return cls(
            verifier=Secret(verifier),
            challenge=s256(verifier),
            state=b64url(secrets.token_bytes(18)),
            nonce=b64url(secrets.token_bytes(18)),
        )
