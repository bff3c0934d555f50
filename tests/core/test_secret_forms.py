"""core.secret_forms: each encoding computed from scratch, not from the caches earlier tests
filled (mutation testing showed the module-level percent tables hid every fault in them)."""

from __future__ import annotations

import base64
import json

import pytest

from core import secret_forms
from core.redaction import MASK, Scrubber, fingerprint
from core.secret_forms import _all_forms, _percent, _PercentTable

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


@pytest.fixture
def fresh_tables(monkeypatch: pytest.MonkeyPatch) -> dict:
    """No percent table cached yet: the tests below run `_PercentTable.__missing__`."""
    tables: dict = {}
    monkeypatch.setattr(secret_forms, "_PERCENT_TABLES", tables)
    return tables


STYLES = [("*-._", "+"), ("-._", "%20"), ("", "+")]
# Repeated characters (the second of each is read from the table), a space, '~', '*', '/',
# a two-byte and a three-byte letter, and a lone surrogate.
PERCENT_CASES = ["a b  c//d~~e**f", "x-y.z_w+é€é€", "pa\udcffss \udcff"]


@pytest.mark.parametrize("plain", PERCENT_CASES)
def test_percent_encoding_from_empty_tables_matches_the_one_written_here(
    fresh_tables: dict, plain: str
) -> None:
    """Each style, built from empty tables in turn, encodes as the reference does, and each
    style keeps a table of its own."""
    for keep, space in STYLES:
        assert _percent(plain, keep, space) == _hexed(plain, keep, space), (keep, space)
    for keep, space in STYLES:  # again, from the filled tables
        assert _percent(plain, keep, space) == _hexed(plain, keep, space), (keep, space)
    assert set(fresh_tables) == set(STYLES)


def test_a_percent_table_fills_as_characters_are_met() -> None:
    table = _PercentTable("-", "+")
    assert "a -/é".translate(table) == "a+-%2F%C3%A9"
    assert table[ord("/")] == "%2F" and table[ord(" ")] == "+" and table[ord("-")] == "-"
    assert "//".translate(table) == "%2F%2F"


@pytest.mark.parametrize("plain", PERCENT_CASES)
def test_all_forms_from_empty_tables_hold_every_percent_style(
    fresh_tables: dict, plain: str
) -> None:
    forms = _all_forms(plain)
    for keep, space in STYLES:
        assert _hexed(plain, keep, space) in forms


@pytest.mark.parametrize("secret", ["S3cr3t!x", "~~~???>>>~~~???>", "pa55-w0rd-XY"])
def test_base64_of_a_short_secret_is_found_at_every_alignment(secret: str) -> None:
    """An 8-byte secret spans only 8-character fragments at two alignments; lengths that are
    not a multiple of 3 are found whole with or without padding, in either alphabet."""
    scrub = Scrubber([secret])
    raw = secret.encode()
    for prefix in (b"", b"x", b"xy"):
        for encode in (base64.b64encode, base64.urlsafe_b64encode):
            blob = encode(prefix + raw + b"tail").decode()
            out = scrub.text(blob)
            assert out.count(MASK) == 1, (prefix, encode)
    whole = base64.b64encode(raw).decode()
    url = base64.urlsafe_b64encode(raw).decode()
    for form in (whole, whole.rstrip("="), url.rstrip("=")):
        assert scrub.text(f"<{form}>") == f"<{MASK}>", form
