"""Federated (external) assertions: read from a file, a variable or stdin, and decoded."""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from core.redaction import Secret

MAX_ASSERTION_CHARS = 64_000
# Default federated-credential audience per cloud (identity-platform.md 1.2).
FEDERATED_AUDIENCES = {
    "global": "api://AzureADTokenExchange",
    "usgov": "api://AzureADTokenExchangeUSGov",
    "usgov-dod": "api://AzureADTokenExchangeUSGov",
    "china": "api://AzureADTokenExchangeChina",
    "france": "api://AzureADTokenExchangeFrance",
    "germany-sovereign": "api://AzureADTokenExchangeGermany",
    "singapore": "api://AzureADTokenExchangeGovSG",
    "sandbox": "api://AzureADTokenExchange",
}
DEFAULT_AUDIENCE = FEDERATED_AUDIENCES["global"]


class AssertionReadError(ValueError):
    """An assertion that cannot be read or decoded; the message never contains it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class DecodedAssertion:
    """The header and claims of an assertion (not verified), and the fields Entra compares."""

    header: Mapping[str, Any]
    claims: Mapping[str, Any]
    raw: Secret = field(repr=False)

    def _text(self, name: str) -> str:
        value = self.claims.get(name)
        return value if isinstance(value, str) else "" if value is None else str(value)

    @property
    def issuer(self) -> str:
        return self._text("iss")

    @property
    def subject(self) -> str:
        return self._text("sub")

    @property
    def audiences(self) -> tuple[str, ...]:
        aud = self.claims.get("aud")
        if isinstance(aud, list):
            return tuple(str(a) for a in aud)
        return (str(aud),) if aud not in (None, "") else ()

    def _time(self, name: str) -> float | None:
        value = self.claims.get(name)
        if isinstance(value, bool):
            return None
        if isinstance(value, (int, float)):
            return float(value)
        if isinstance(value, str) and value.strip().isdigit():
            return float(value)  # MSAL.NET writes times as strings
        return None

    @property
    def expires_at(self) -> float | None:
        return self._time("exp")

    @property
    def not_before(self) -> float | None:
        return self._time("nbf")

    @property
    def issued_at(self) -> float | None:
        return self._time("iat")

    def expired(self, now: float | None = None) -> bool:
        exp = self.expires_at
        return exp is not None and exp <= (time.time() if now is None else now)

    @property
    def looks_self_signed(self) -> bool:
        """True for a certificate assertion (iss or sub = a client ID, x5t in the header),
        not a token minted by an external identity provider."""
        return any(k in self.header for k in ("x5t", "x5t#S256")) and not self.issuer.startswith(
            ("http://", "https://")
        )


def read_assertion_file(path: str | Path) -> Secret:
    """The assertion in a file (AZURE_FEDERATED_TOKEN_FILE convention), stripped.

    Raises:
        AssertionReadError: the file is missing, unreadable, empty or too large.
    """
    file = Path(path).expanduser()
    try:
        with file.open("rb") as handle:
            data = handle.read(MAX_ASSERTION_CHARS + 1)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise AssertionReadError(f"The assertion file {file} cannot be read ({reason}).") from None
    if len(data) > MAX_ASSERTION_CHARS:
        raise AssertionReadError(f"{file} is larger than {MAX_ASSERTION_CHARS} bytes: not an "
                                 "assertion.")  # fmt: skip
    text = data.decode("utf-8", errors="replace").strip()
    if not text:
        raise AssertionReadError(f"The assertion file {file} is empty.")
    return Secret(text)


def clean_assertion(value: str | Secret) -> Secret:
    """The assertion without surrounding white space or quotes."""
    text = value.reveal() if isinstance(value, Secret) else value
    return Secret(text.strip().strip("\"'").strip())


def decode_assertion(value: str | Secret) -> DecodedAssertion:
    """Decode an assertion's header and claims without verifying its signature.

    Raises:
        AssertionReadError: it is empty, too large, or not a signed JWT.
    """
    import jwt

    raw = clean_assertion(value)
    text = raw.reveal()
    if not text:
        raise AssertionReadError("The assertion is empty.")
    if len(text) > MAX_ASSERTION_CHARS:
        raise AssertionReadError(f"The assertion is longer than {MAX_ASSERTION_CHARS} "
                                 "characters.")  # fmt: skip
    if text.count(".") != 2:
        raise AssertionReadError("The assertion is not a JWT (three dot-separated parts).")
    try:
        header = jwt.get_unverified_header(text)
        claims = jwt.decode(text, options={"verify_signature": False})
    except (jwt.PyJWTError, ValueError, json.JSONDecodeError):
        raise AssertionReadError("The assertion is not a readable JWT.") from None
    if not isinstance(claims, dict):
        raise AssertionReadError("The assertion's payload is not a JSON object.")
    return DecodedAssertion(MappingProxyType(dict(header)), MappingProxyType(claims), raw)


def expected_audience(cloud: str) -> str:
    """The default federated-credential audience for a cloud (global for a custom URL)."""
    return FEDERATED_AUDIENCES.get(cloud, DEFAULT_AUDIENCE)
