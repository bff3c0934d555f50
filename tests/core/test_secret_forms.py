"""core.secret_forms: every form a secret may come back in."""

from __future__ import annotations

import base64
import json

from core.redaction import MASK, Scrubber, fingerprint

# A lone surrogate: what a server's JSON `"\udcff"` escape decodes to.
SURROGATE_TOKEN = "eyJabc\udcffdef-token-value"


def _hexed(s: str, keep: str, space: str) -> str:
    """Percent-encoding written out here, one character at a time."""
    return "".join(space if c == " " else c if (c.isascii() and c.isalnum()) or c in keep
                   else "".join(f"%{b:02X}" for b in c.encode("utf-8", "surrogatepass"))
                   for c in s)  # fmt: skip


def test_a_lone_surrogate_in_a_token_is_masked_not_raised_on() -> None:
    """A token with a lone surrogate (a hostile server's JSON) still gets its scrubber: the
    value, its JSON escape and its percent-encoding come back masked, and it has a
    fingerprint. The general path raised UnicodeEncodeError (urllib's quote) before."""
    scrub = Scrubber([SURROGATE_TOKEN])
    escaped = json.dumps(SURROGATE_TOKEN)[1:-1]
    assert "\\udcff" in escaped
    for form in (SURROGATE_TOKEN, escaped, _hexed(SURROGATE_TOKEN, "-._", "%20")):
        assert scrub.text(f"<{form}>") == f"<{MASK}>", form
    raw = SURROGATE_TOKEN.encode("utf-8", "surrogatepass")
    assert scrub.text(base64.b64encode(raw).decode()) == MASK
    assert scrub.text(raw.decode("latin-1")) == MASK
    assert fingerprint(SURROGATE_TOKEN) != fingerprint(SURROGATE_TOKEN.replace("\udcff", ""))
