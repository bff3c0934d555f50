"""Read a pasted token without verifying it: clean it up, split it, decode header and payload."""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from core import safejson
from core.redaction import Scrubber, Secret

MAX_TOKEN_CHARS = 1_000_000  # real tokens are a few KB; group-heavy ones reach ~64 KB

_PREFIX = re.compile(r"^(?:authorization\s*:\s*)?(?:bearer(?:\s+|$))?", re.IGNORECASE)
_SEGMENT = re.compile(r"^[A-Za-z0-9_\-+/]*=*$")
_WHITESPACE = re.compile(r"\s+")
_SEGMENT_NAMES = ("header", "payload", "signature")


class DecodeError(ValueError):
    """A pasted text that cannot be read as a token. The message never contains the token.

    `kind` says why: "empty", "too_large", "opaque", "encrypted", "malformed".
    """

    def __init__(self, message: str, kind: str = "malformed") -> None:
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True)
class DecodedToken:
    """A JWS split and decoded, not verified. `raw` is the cleaned token, kept as a Secret."""

    header: Mapping[str, Any]
    payload: Mapping[str, Any]
    signing_input: bytes = field(repr=False)
    signature: bytes = field(repr=False)
    alg: str
    segments: int
    raw: Secret = field(repr=False)
    size: int

    @property
    def kid(self) -> str:
        value = self.header.get("kid")
        return value if isinstance(value, str) else ""

    @property
    def x5t(self) -> str:
        value = self.header.get("x5t")
        return value if isinstance(value, str) else ""

    @property
    def unsigned(self) -> bool:
        """True for `alg: none` or an empty signature segment."""
        return self.alg.lower() == "none" or not self.signature

    @property
    def has_header_nonce(self) -> bool:
        """True for Graph-style tokens with a `nonce` in the header (not third-party verifiable)."""
        return "nonce" in self.header


def scrubbed(decoded: DecodedToken, scrub: Scrubber) -> DecodedToken:
    """The token with its header and claims passed through a request's scrubber, for showing:
    a server may put the secret it was sent into the token it issues (the signature check
    still uses the untouched signing input)."""
    from dataclasses import replace

    return replace(
        decoded,
        header=MappingProxyType(scrub.value(dict(decoded.header), by_name=False)),
        payload=MappingProxyType(scrub.value(dict(decoded.payload), by_name=False)),
    )


def clean_token_text(text: str) -> str:
    """Strip what people paste along: white space, quotes, `Authorization:` and `Bearer`."""
    value = text.strip().lstrip("\ufeff").strip()
    for _ in range(2):
        value = value.strip("\"'` \t\r\n,;")
        value = _PREFIX.sub("", value).strip()
    if value.startswith("{"):
        value = _from_token_response(value)
    return _WHITESPACE.sub("", value)


def _from_token_response(value: str) -> str:
    """A whole token response pasted: take its access_token (or id_token)."""
    try:
        body = safejson.loads(value)
    except safejson.JsonError as exc:
        if exc.kind == "depth":
            raise DecodeError(f"This JSON cannot be read: {exc}.") from None
        raise DecodeError(
            "This looks like JSON, not a token. Paste the access_token value itself."
        ) from None
    if isinstance(body, dict):
        for name in ("access_token", "id_token"):
            if isinstance(body.get(name), str) and body[name].strip():
                return str(body[name]).strip()
    raise DecodeError("This is JSON without an access_token field, not a token.")


def _b64decode(segment: str, name: str) -> bytes:
    if not _SEGMENT.match(segment):
        raise DecodeError(f"The {name} segment contains characters that are not base64url.")
    body = segment.rstrip("=").replace("+", "-").replace("/", "_")
    if len(body) % 4 == 1:
        raise DecodeError(f"The {name} segment has an impossible length (cut off or damaged?).")
    try:
        return base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (binascii.Error, ValueError):
        raise DecodeError(f"The {name} segment is not valid base64url.") from None


def _json_object(data: bytes, name: str) -> dict[str, Any]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise DecodeError(f"The {name} is not UTF-8 text once decoded.") from None
    try:
        value = safejson.loads(text, strict=False)  # claims are read as issued
    except safejson.JsonError as exc:
        if exc.kind == "depth":
            raise DecodeError(f"The {name} cannot be read: {exc}.") from None
        raise DecodeError(f"The {name} is not JSON once decoded.") from None
    if not isinstance(value, dict):
        raise DecodeError(f"The {name} is JSON but not an object ({{...}}).")
    return value


def decode_token(text: str) -> DecodedToken:
    """Decode a pasted token (JWS) without verifying it.

    Args:
        text: what the user pasted; may carry `Bearer `, `Authorization:`, quotes, line breaks.

    Returns:
        The decoded header and payload plus what signature checking needs.

    Raises:
        DecodeError: for anything that is not a readable JWT, with a plain message.
    """
    if not isinstance(text, str):
        raise DecodeError("A token is text.", "empty")
    if len(text) > 4 * MAX_TOKEN_CHARS:
        raise DecodeError(_too_large(len(text)), "too_large")
    token = clean_token_text(text)
    if not token:
        raise DecodeError("Nothing to decode: the text is empty.", "empty")
    if len(token) > MAX_TOKEN_CHARS:
        raise DecodeError(_too_large(len(token)), "too_large")
    if not token.isascii():
        raise DecodeError("The text contains characters that cannot be part of a token.")
    parts = token.split(".")
    if len(parts) == 5:
        raise DecodeError(
            "This is an encrypted token (JWE, five segments): only the API it is meant for "
            "can read it. Microsoft encrypts some tokens, e.g. for personal accounts.",
            "encrypted",
        )
    if len(parts) == 1:
        raise DecodeError(
            "This token is opaque, not a JWT: it has no readable claims. Personal Microsoft "
            "account tokens and many other servers' tokens are opaque; only the API reads them. "
            "Use the response's expires_in and scope instead.",
            "opaque",
        )
    if len(parts) != 3:
        raise DecodeError(
            f"A JWT has three segments separated by dots; this text has {len(parts)}. "
            "Was part of it cut off when copying?"
        )
    if not parts[0] or not parts[1]:
        missing = "header" if not parts[0] else "payload"
        raise DecodeError(f"The {missing} segment is empty.")
    raw = [_b64decode(seg, name) for seg, name in zip(parts, _SEGMENT_NAMES, strict=True)]
    header = _json_object(raw[0], "header")
    payload = _json_object(raw[1], "payload")
    alg = header.get("alg")
    return DecodedToken(
        header=MappingProxyType(header),
        payload=MappingProxyType(payload),
        signing_input=f"{parts[0]}.{parts[1]}".encode("ascii"),
        signature=raw[2],
        alg=alg if isinstance(alg, str) else "",
        segments=len(parts),
        raw=Secret(token),
        size=len(token),
    )


def _too_large(size: int) -> str:
    return (
        f"The text is {size // 1024} KB; tokens larger than {MAX_TOKEN_CHARS // 1000} KB are "
        "not read. Was a whole file or log pasted?"
    )
