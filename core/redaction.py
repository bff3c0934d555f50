"""Secrets as a type, and the one redaction path for everything shown, logged or exported."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from typing import Any

MASK = "********"

# Field names whose values are always secret, in forms, JSON bodies and headers.
_SECRET_NAMES = frozenset(
    {
        "client_secret",
        "client_assertion",
        "password",
        "access_token",
        "refresh_token",
        "id_token",
        "assertion",
        "authorization",
        "proxy-authorization",
        "device_code",
        "code",
        "code_verifier",
    }
)
_SECRET_NAME_RE = re.compile(r"secret|password|token|assertion|key", re.IGNORECASE)
# Names that contain one of the words above but carry no secret.
_PUBLIC_NAMES = frozenset(
    {"token_type", "grant_type", "client_assertion_type", "kid", "token_url", "remember_secret"}
)


class Secret:
    """A secret string whose repr and str are masked; `reveal()` is the only way out.

    Equality compares the hidden values, so two Secrets with the same value are equal; hashing
    is deliberately unsupported so a Secret never ends up as a dict key in some cache.
    """

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        if isinstance(value, Secret):
            value = value.reveal()
        if not isinstance(value, str):
            raise TypeError("Secret holds a str")
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __bool__(self) -> bool:
        return bool(self._value)

    def __len__(self) -> int:
        return len(self._value)

    def __repr__(self) -> str:
        return f"Secret('{MASK}')" if self._value else "Secret('')"

    def __str__(self) -> str:
        return MASK if self._value else ""

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    __hash__ = None  # type: ignore[assignment]

    def __reduce__(self) -> Any:
        raise TypeError("a Secret is not picklable")


def reveal(value: str | Secret | None) -> str:
    """The plain text of a value that may be a Secret (empty for None)."""
    if value is None:
        return ""
    return value.reveal() if isinstance(value, Secret) else value


def is_secret_name(name: str) -> bool:
    """True when a field, header or JSON key of that name holds a secret."""
    low = name.lower()
    if low in _PUBLIC_NAMES:
        return False
    return low in _SECRET_NAMES or bool(_SECRET_NAME_RE.search(low))


def fingerprint(value: str | Secret) -> str:
    """A short, non-reversible identifier for a secret or token: `sha256:1a2b3c4d`."""
    digest = hashlib.sha256(reveal(value).encode("utf-8", "surrogatepass")).hexdigest()
    return f"sha256:{digest[:12]}"


def mask_value(value: Any) -> str:
    """The text shown in place of a secret value (the mask, or nothing when empty)."""
    plain = reveal(value) if isinstance(value, (str, Secret)) else str(value or "")
    return MASK if plain else ""


def redact_mapping(data: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of a mapping (nested dicts and lists too) with every secret value masked."""
    return {key: _redact_item(key, value) for key, value in data.items()}


def _redact_item(key: str, value: Any) -> Any:
    if isinstance(value, Secret):
        return mask_value(value)
    if isinstance(value, Mapping):
        return redact_mapping(value)
    if is_secret_name(key):
        if isinstance(value, (list, tuple)):
            return [mask_value(v) for v in value]
        return mask_value(value) if isinstance(value, str) else value
    if isinstance(value, (list, tuple)):
        return [_redact_item("", v) if isinstance(v, (Mapping, Secret)) else v for v in value]
    return value


def redact_pairs(pairs: Iterable[tuple[str, Any]]) -> list[tuple[str, str]]:
    """Redact (name, value) pairs such as form fields or headers, keeping their order."""
    out = []
    for name, value in pairs:
        if isinstance(value, Secret) or is_secret_name(name):
            out.append((name, mask_value(value)))
        else:
            out.append((name, str(value)))
    return out


_JWT_RE = re.compile(r"eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_=-]*\.?[A-Za-z0-9_=\-]*")
_BASIC_RE = re.compile(r"(?i)\b(basic|bearer)\s+[A-Za-z0-9+/=._~-]{8,}")


def redact_text(text: str, secrets: Iterable[str | Secret | None] = ()) -> str:
    """Mask known secret values, JWT-shaped strings and Basic/Bearer credentials in free text."""
    for secret in secrets:
        plain = reveal(secret)
        if plain and len(plain) >= 3:
            text = text.replace(plain, MASK)
    text = _JWT_RE.sub(MASK, text)
    return _BASIC_RE.sub(lambda m: f"{m.group(1)} {MASK}", text)
