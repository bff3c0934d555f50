"""The verdict's one line as it reads at a given moment: colour, live expiry, why it is yellow."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.insight.token_facts import ago_text, expiry_phrase


@dataclass(frozen=True)
class Banner:
    """What the banner shows now: `state` ok | warning | error, `expiry` ok | soon | expired |
    '' (no expiry known), and the text."""

    state: str
    expiry: str
    text: str


def banner_at(verdict: Any, now: float) -> Banner:
    """The banner of a verdict at `now`: red once the token has expired ("Token expired 3 min
    ago"), amber in its last five minutes or with warnings (named in the line), else green."""
    if not getattr(verdict, "issued", False):
        return Banner("error", "", str(getattr(verdict, "headline", "")))
    lead = verdict.lead or verdict.headline
    flags = tuple(verdict.flags)
    expires_at = verdict.expires_at
    if expires_at is None or not verdict.lead:
        state = "warning" if flags or verdict.warnings else "ok"
        return Banner(state, "", _with_flags(verdict.headline, flags))
    expiry, phrase = expiry_phrase(expires_at, now)
    if expiry == "expired":
        issued, _, body = lead.partition(": ")
        what = "ID token" if issued.startswith("ID token") else "Token"
        plain = body and issued.startswith(("Token issued in", "Token", "ID token"))
        text = f"{what} expired {ago_text(now - expires_at)}: {body if plain else lead}"
        return Banner("error", expiry, _with_flags(text, flags))
    state = "warning" if expiry == "soon" or verdict.warnings else "ok"
    return Banner(state, expiry, _with_flags(f"{lead}, {phrase}", flags))


def _with_flags(text: str, flags: tuple[str, ...]) -> str:
    return f"{text} ⚠ {'; '.join(flags)}" if flags else text


OPAQUE_MIN_CHARS = 100  # shorter, a text with no dots is not an opaque token but something else
_NOT_A_TOKEN = (
    "A token (JWT) is three base64url parts separated by dots (header.payload.signature) and "
    "usually starts with eyJ. Copy the whole access_token value from the token response, or the "
    "text after 'Bearer ' in an Authorization header."
)


def paste_line(text: str, error: Any) -> tuple[str, str]:
    """(one line for the banner, the explanation) for a pasted text that is no readable token:
    `error` is the core.insight.decode.DecodeError that decoding it raised."""
    from core.insight.decode import DecodeError, clean_token_text

    kind, message = getattr(error, "kind", "malformed"), str(error)
    try:
        size = len(clean_token_text(text))
    except DecodeError:  # a pasted JSON that cannot be read: it is no token
        size = 0
    if kind == "encrypted":
        return "Encrypted token (JWE): only the API it is meant for can read it.", message
    if kind == "opaque" and size >= OPAQUE_MIN_CHARS:
        return ("Opaque token (not a JWT): it has no claims to read; only the API it is meant "
                "for can read it.", message)  # fmt: skip
    if kind in ("empty", "too_large"):
        return message, message
    reason = " A token (JWT) has three parts separated by dots." if kind == "opaque" else ""
    reason = reason or f" {message}"
    return f"This is not a token.{reason}", f"{message} {_NOT_A_TOKEN}".strip()
