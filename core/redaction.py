"""Secrets as a type, and the one redaction path for everything shown, logged or exported."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Mapping
from typing import Any

from core.secret_forms import MIN_SECRET_CHARS, encoded_forms

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
    {
        "token_type",
        "grant_type",
        "client_assertion_type",
        "kid",
        "token_url",
        "remember_secret",
        # Certificate and federated settings: paths and choices, never the key or the token.
        "certificate_key_path",
        "assertion_alg",
        "assertion_file",
    }
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


def secrets_in(value: Any) -> tuple[Secret, ...]:
    """Every Secret a value holds: itself, or the fields of a dataclass (one level), so a new
    secret kind is masked as soon as it is a Secret-typed field."""
    if isinstance(value, Secret):
        return (value,) if value else ()
    fields = getattr(value, "__dataclass_fields__", None)
    if not fields:
        return ()
    found = (getattr(value, name, None) for name in fields)
    return tuple(v for v in found if isinstance(v, Secret) and v)


def is_secret_name(name: str) -> bool:
    """True when a field, header or JSON key of that name holds a secret."""
    low = name.lower()
    if low in _PUBLIC_NAMES:
        return False
    return low in _SECRET_NAMES or bool(_SECRET_NAME_RE.search(low))


def fingerprint(value: str | Secret) -> str:
    """A short, non-reversible identifier for a secret or token: `sha256:1a2b3c4d`."""
    import hashlib  # lazily: the window imports this module before its first paint

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
# `"client_secret": "…"` (quoted key) or `password=…` (form field), also in cut-off JSON.
_KEYED_NAMES = (
    r"client_secret|client_assertion|assertion|password|access_token|refresh_token|id_token"
    r"|device_code|code_verifier"
)
_KEYED_RE = re.compile(
    rf"(?i)((?:[\"']|\\\")(?:{_KEYED_NAMES})(?:[\"']|\\\")\s*:\s*(?:[\"']|\\\")?"
    rf"|\b(?:{_KEYED_NAMES})=)([^\"'&\s,;{{}}\[<\\][^\"'&\s,;}}<\\]*)"
)
# In lower-cased ASCII text `_KEYED_RE` can match only where one of its names stands.
_KEYED_HINT_RE = re.compile(_KEYED_NAMES)
_URL_USERINFO_RE = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://[^/\s:@]*:)([^/\s@]+)@")


class Scrubber:
    """The one masking path for text that comes from outside (an answer, a token, an error).

    It knows the exact secret values of one request (every `Secret` it was given: client
    secret, password, Basic credentials, and any secret kind added later) and masks them in
    every encoding they could come back in (`encoded_forms`), then masks JWT-shaped strings,
    Basic/Bearer credentials, `"refresh_token": "…"`-style pairs and passwords in URLs.
    """

    def __init__(self, secrets: Iterable[str | Secret | None] = ()) -> None:
        forms: set[str] = set()
        for secret in secrets:
            plain = reveal(secret)
            if len(plain) < MIN_SECRET_CHARS:
                continue
            forms |= encoded_forms(plain)
            scheme, _, credential = plain.partition(" ")
            if scheme.lower() in ("basic", "bearer") and len(credential) >= MIN_SECRET_CHARS:
                forms |= encoded_forms(credential)
        # Longest first, so a form that contains a shorter one is masked whole.
        self._forms = tuple(sorted(forms, key=lambda f: (-len(f), f)))
        self._minus_lengths = tuple(-len(f) for f in self._forms)  # ascending, for bisect

    def __repr__(self) -> str:
        return f"Scrubber({len(self._forms)} forms)"

    def text(self, text: str) -> str:
        """`text` with every known secret form and every secret-looking value masked.

        Most texts are short (a header, a JSON key): forms longer than the text are skipped,
        and in ASCII text a pattern runs only when the words it needs are there (outside
        ASCII, case-insensitive matching has extra cases, so every pattern runs)."""
        # Forms longer than the text cannot be in it (nor, once masked, in what is left).
        for form in self._forms[bisect_left(self._minus_lengths, -len(text)) :]:
            if form in text:
                text = text.replace(form, MASK)
        lower = text.lower() if text.isascii() else None
        if "eyJ" in text:
            text = _JWT_RE.sub(MASK, text)
        if lower is None or "basic" in lower or "bearer" in lower:
            text = _BASIC_RE.sub(lambda m: f"{m.group(1)} {MASK}", text)
        if lower is None or _KEYED_HINT_RE.search(lower):
            text = _KEYED_RE.sub(lambda m: m.group(1) + MASK, text)
        if "://" in text and "@" in text:
            text = _URL_USERINFO_RE.sub(lambda m: m.group(1) + MASK + "@", text)
        return text

    def value(self, data: Any, *, by_name: bool = True, name: str = "") -> Any:
        """A JSON-like value with every string scrubbed (object keys too) and, with `by_name`
        (for what came from outside), the values of secret-named fields masked whole. The
        nesting is bounded by whoever parsed it (core.safejson)."""
        if isinstance(data, Secret):
            return mask_value(data)
        if isinstance(data, Mapping):
            return {
                self.text(str(k)): self.value(v, by_name=by_name, name=str(k))
                for k, v in data.items()
            }
        if isinstance(data, (list, tuple)):
            return [self.value(v, by_name=by_name, name=name) for v in data]
        if isinstance(data, str):
            secret_named = by_name and name and is_secret_name(name)
            return mask_value(data) if secret_named else self.text(data)
        return data


def redact_text(text: str, secrets: Iterable[str | Secret | None] = ()) -> str:
    """Mask known secret values (in every encoding), JWTs and credentials in free text."""
    return Scrubber(secrets).text(text)
