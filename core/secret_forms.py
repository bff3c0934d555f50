"""Every form a secret value may come back in from a server: as sent, percent-encoded in
every style (either hex case, once or twice), JSON- and HTML-escaped, and inside base64.
`core.redaction.Scrubber` masks them all."""

from __future__ import annotations

import base64
import json
import re
from urllib.parse import quote, quote_plus

MIN_SECRET_CHARS = 3  # shorter values would mask ordinary words everywhere
_MIN_B64_FRAGMENT = 8


def _lower_hex(text: str) -> str:
    return re.sub(r"%[0-9A-F]{2}", lambda m: m.group().lower(), text)


class _PercentTable(dict[int, str]):
    """code point -> its percent-encoding for one (keep, space) style, filled as characters
    are met: `str.translate` then encodes a long token in C instead of one char at a time."""

    def __init__(self, keep: str, space: str) -> None:
        super().__init__()
        self.keep, self.space = keep, space

    def __missing__(self, code: int) -> str:
        char = chr(code)
        if char == " ":
            value = self.space
        elif (char.isascii() and char.isalnum()) or char in self.keep:
            value = char
        else:
            value = "".join(f"%{b:02X}" for b in char.encode("utf-8", "surrogatepass"))
        self[code] = value
        return value


_PERCENT_TABLES: dict[tuple[str, str], _PercentTable] = {}


def _percent(plain: str, keep: str, space: str) -> str:
    """Percent-encoding as other encoders do it (WHATWG forms, Java and .NET encode '~')."""
    table = _PERCENT_TABLES.get((keep, space))
    if table is None:
        table = _PERCENT_TABLES.setdefault((keep, space), _PercentTable(keep, space))
    return plain.translate(table)


def _base64_fragments(raw: bytes) -> set[str]:
    """What a value looks like inside any base64 (or base64url) text, at each of the three
    byte alignments it can have there (the 1-2 characters shared with its neighbours aside)."""
    out = set()
    for shift in range(3):
        body = raw[shift:]
        body = body[: len(body) - len(body) % 3]
        encoded = base64.b64encode(body).decode("ascii")
        if len(encoded) >= _MIN_B64_FRAGMENT:
            out.update({encoded, encoded.replace("+", "-").replace("/", "_")})
    whole = base64.b64encode(raw).decode("ascii")
    out.update({whole, whole.rstrip("="), whole.replace("+", "-").replace("/", "_").rstrip("=")})
    return out


# html.escape(text) and html.escape(text, quote=False), as translation tables.
_HTML_ESCAPES_NO_QUOTES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_HTML_ESCAPES = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"}
)


# Tokens, GUIDs and most secrets: characters no encoding but base64 and "encode everything"
# percent-encoding changes (see `_url_safe_forms`).
_URL_SAFE_RE = re.compile(r"[A-Za-z0-9._-]+")


def encoded_forms(plain: str) -> set[str]:
    """Every form a value may come back in: as sent, form-encoded, percent-encoded (either hex
    case, once or twice), JSON-escaped, HTML-escaped, and inside base64 (Basic credentials)."""
    if _URL_SAFE_RE.fullmatch(plain):
        return _url_safe_forms(plain)
    return _all_forms(plain)


def _url_safe_forms(plain: str) -> set[str]:
    """`_all_forms` of a value of letters, digits and `-._` only, at C speed (a 1.5 KB token
    took 0.3 ms the general way): every encoder but base64 leaves it as it is, except the
    percent-encoding of everything but letters and digits (`-._` as %2D %2E %5F, either case)."""
    upper = plain.replace("-", "%2D").replace(".", "%2E").replace("_", "%5F")
    forms = {plain, upper, upper.replace("%2D", "%2d").replace("%2E", "%2e").replace("%5F", "%5f")}
    forms |= _base64_fragments(plain.encode("ascii"))
    return {f for f in forms if len(f) >= MIN_SECRET_CHARS}


def _all_forms(plain: str) -> set[str]:
    # surrogatepass: a value read from bytes that are not UTF-8 (lone surrogates) is masked
    # too, never a crash (pre-flight refuses to send it: core.token.preflight).
    sp = "surrogatepass"
    singles = {quote_plus(plain, errors=sp), quote(plain, safe="", errors=sp),
               quote(plain, errors=sp)}  # fmt: skip
    singles |= {
        _percent(plain, "*-._", "+"),
        _percent(plain, "-._", "%20"),
        _percent(plain, "", "+"),
    }
    singles |= {_lower_hex(f) for f in singles}
    plus = quote_plus(plain, errors=sp)
    doubles = {quote(plus, safe=""), quote(_lower_hex(plus), safe="")}
    forms = {plain, *singles, *doubles}
    for escaped in (json.dumps(plain)[1:-1], json.dumps(plain, ensure_ascii=False)[1:-1]):
        forms |= {escaped, escaped.replace("/", "\\/")}
    escaped_html = plain.translate(_HTML_ESCAPES)  # as html.escape(plain), without `html`
    forms |= {escaped_html, plain.translate(_HTML_ESCAPES_NO_QUOTES),
              escaped_html.replace("&#x27;", "&#39;")}  # fmt: skip
    forms |= _base64_fragments(plain.encode("utf-8", "surrogatepass"))
    if not plain.isascii():  # UTF-8 bytes read back as Latin-1: how HTTP headers are decoded
        forms.add(plain.encode("utf-8", "surrogatepass").decode("latin-1"))
    return {f for f in forms if len(f) >= MIN_SECRET_CHARS}
