"""Secrets stay masked in repr, str, formatting, mappings and free text."""

from __future__ import annotations

import logging
import pickle

import pytest

from core.redaction import (
    _BASIC_RE,
    _JWT_RE,
    _KEYED_RE,
    _URL_USERINFO_RE,
    MASK,
    Scrubber,
    Secret,
    fingerprint,
    is_secret_name,
    redact_mapping,
    redact_pairs,
    redact_text,
)
from core.secret_forms import _URL_SAFE_RE, _all_forms, encoded_forms

VALUE = "Abc8Q~s3cr3t-value-for-tests"


def test_secret_never_shows_itself() -> None:
    """repr, str, f-strings and logging of a Secret show only the mask."""
    s = Secret(VALUE)
    assert VALUE not in repr(s) and VALUE not in str(s) and VALUE not in f"{s} {s!r}"
    assert s.reveal() == VALUE
    assert Secret(VALUE) == s and Secret("other") != s
    with pytest.raises(TypeError):
        hash(s)
    with pytest.raises(TypeError):
        pickle.dumps(s)


def test_secret_in_logs(caplog: pytest.LogCaptureFixture) -> None:
    """Logging a Secret (as an argument or inside a container) writes the mask only."""
    with caplog.at_level(logging.INFO):
        logging.getLogger("t").info("secret=%s list=%s", Secret(VALUE), [Secret(VALUE)])
    assert VALUE not in caplog.text and MASK in caplog.text


def test_secret_names() -> None:
    """Secret-bearing names are recognised; look-alike public names are not."""
    for name in ("client_secret", "password", "access_token", "Authorization", "x-api-key"):
        assert is_secret_name(name), name
    for name in ("token_type", "grant_type", "client_assertion_type", "scope", "expires_in"):
        assert not is_secret_name(name), name


def test_redact_mapping_nested() -> None:
    """Nested secrets are masked; other values are kept as they are."""
    data = {
        "access_token": "eyJhbGciOi.x.y",
        "token_type": "Bearer",
        "expires_in": 3599,
        "nested": {"refresh_token": "r", "list": [{"id_token": "i"}], "keep": "yes"},
    }
    out = redact_mapping(data)
    assert out["access_token"] == MASK and out["token_type"] == "Bearer"
    assert out["expires_in"] == 3599
    assert out["nested"]["refresh_token"] == MASK
    assert out["nested"]["list"][0]["id_token"] == MASK
    assert out["nested"]["keep"] == "yes"
    assert data["access_token"] == "eyJhbGciOi.x.y"  # the input is untouched


def test_redact_pairs_and_text() -> None:
    """Pairs mask by name or type; free text loses known secrets, JWTs and credentials."""
    pairs = redact_pairs([("client_secret", "x"), ("scope", "s"), ("h", Secret("y"))])
    assert pairs == [("client_secret", MASK), ("scope", "s"), ("h", MASK)]
    text = (
        f"secret {VALUE} token eyJ0eXAiOiJKV1QifQ.eyJhIjoxfQ.c2ln "
        "Authorization: Basic dXNlcjpwYXNzd29yZA=="
    )
    out = redact_text(text, [Secret(VALUE)])
    assert VALUE not in out and "eyJ0eXAi" not in out and "dXNlcjpw" not in out


def test_fingerprint_is_stable_and_not_reversible() -> None:
    """A fingerprint identifies a token without containing any of it."""
    fp = fingerprint(Secret(VALUE))
    assert fp == fingerprint(VALUE) and fp.startswith("sha256:") and VALUE[:6] not in fp


# -- the scrubber: a request's secrets in every encoding --------------------------------------

HOSTILE = 'Zx9Q~h0st/le+s3cr3t"&<é>'


@pytest.mark.parametrize(
    "encoded",
    [
        HOSTILE,
        "Zx9Q~h0st%2Fle%2Bs3cr3t%22%26%3C%C3%A9%3E",  # form- and percent-encoded
        "Zx9Q%7eh0st%2fle%2bs3cr3t%22%26%3c%c3%a9%3e",  # another encoder, lower-case hex
        'Zx9Q~h0st/le+s3cr3t\\"&<\\u00e9>',  # JSON-escaped
        'Zx9Q~h0st\\/le+s3cr3t\\"&<é>',  # JSON with escaped slashes
        "Zx9Q~h0st/le+s3cr3t&quot;&amp;&lt;é&gt;",  # HTML-escaped
        'Zx9Q~h0st/le+s3cr3t"&<Ã©>',  # UTF-8 read back as Latin-1 (a header)
    ],
)
def test_scrubber_masks_every_encoding_of_a_known_secret(encoded: str) -> None:
    """The exact secret comes back masked in whatever encoding a server echoes it."""
    from core.redaction import Scrubber

    text = f"before {encoded} after"
    assert Scrubber([Secret(HOSTILE)]).text(text) == f"before {MASK} after"


def test_scrubber_masks_a_secret_inside_any_base64() -> None:
    """Inside base64 at any alignment (a Basic header, a whole request echoed as base64)."""
    import base64

    from core.redaction import Scrubber

    scrub = Scrubber([Secret(HOSTILE)])
    for prefix in (b"", b"a", b"ab", b"client-id:"):
        for encode in (base64.b64encode, base64.urlsafe_b64encode):
            blob = encode(prefix + HOSTILE.encode() + b"&grant_type=x").decode()
            middle = encode(HOSTILE.encode()[3:-3]).decode()[4:-4]
            assert middle not in scrub.text(blob), prefix


def test_scrubber_masks_token_pairs_and_url_passwords_not_prose() -> None:
    """refresh/ID tokens named in cut-off JSON or a form, and a password in a URL, are masked;
    ordinary words about passwords are not."""
    from core.redaction import Scrubber

    scrub = Scrubber()
    cut = '{"access_token": "abc.def", "refresh_token": "0.AXYA-r3fr3sh", "id_tok'
    assert "0.AXYA-r3fr3sh" not in scrub.text(cut) and "abc.def" not in scrub.text(cut)
    assert "hunter2" not in scrub.text("client_secret=hunter2&password=hunter2")
    assert (
        scrub.text("proxy http://ada:hunter2@proxy:3128/") == f"proxy http://ada:{MASK}@proxy:3128/"
    )
    prose = "Invalid username or password. The password grant needs a password: type it."
    assert scrub.text(prose) == prose


def test_scrubber_value_masks_names_only_when_asked() -> None:
    """Data from outside: secret-named fields masked whole; our own documents: only values."""
    from core.redaction import Scrubber

    scrub = Scrubber([Secret(HOSTILE)])
    body = {"refresh_token": "r", "echo": [HOSTILE], HOSTILE: 1, "code": "AADSTS7000215"}
    assert scrub.value(body) == {"refresh_token": MASK, "echo": [MASK], MASK: 1, "code": MASK}
    assert scrub.value(body, by_name=False)["code"] == "AADSTS7000215"


def test_every_secret_field_of_the_inputs_is_scrubbed() -> None:
    """A Secret field added to the inputs (a new credential kind) is masked with no change to
    the scrubber: the request carries every Secret of its inputs."""
    from dataclasses import dataclass, field

    from core.redaction import secrets_in
    from core.token.models import TokenRequestInput
    from core.token.request import build_request

    @dataclass(frozen=True)
    class WithKey(TokenRequestInput):
        key_password: Secret | None = field(default=None)

    inputs = WithKey(client_id="c", client_secret=Secret("s3cr3t-value"), token_url="https://x.example/t",
                     key_password=Secret("pfx-pa55word"))  # fmt: skip
    assert {s.reveal() for s in secrets_in(inputs)} == {"s3cr3t-value", "pfx-pa55word"}
    prepared = build_request(inputs)
    assert "pfx-pa55word" not in prepared.scrubber().text("echo: pfx-pa55word")


# -- found by mutation testing (mutmut): each pins one behaviour a one-line bug would break ---


def test_secret_copies_refuses_non_text_and_renders_empty_as_empty() -> None:
    """Secret(Secret(x)) holds x; a non-str is refused; an empty Secret renders as empty."""
    assert Secret(Secret("inner-value")).reveal() == "inner-value"
    with pytest.raises(TypeError):
        Secret(5)  # type: ignore[arg-type]
    assert repr(Secret(VALUE)) == "Secret('********')" and repr(Secret("")) == "Secret('')"
    assert str(Secret(VALUE)) == MASK and str(Secret("")) == ""
    assert f"[{Secret(VALUE):>10}]" == "[  ********]"


def test_fingerprint_is_twelve_hex_of_sha256_and_masks_are_exact() -> None:
    """fingerprint: `sha256:` and 12 hex digits of the SHA-256; mask_value: mask or nothing."""
    from core.redaction import mask_value, secrets_in

    assert fingerprint("abc") == "sha256:ba7816bf8f01" == fingerprint(Secret("abc"))
    assert [mask_value(v) for v in (None, "", 0, Secret(""), "x", 7, Secret("y"))] == [
        "", "", "", "", MASK, MASK, MASK,
    ]  # fmt: skip
    assert secrets_in("plain text") == () and secrets_in(Secret("")) == ()
    assert secrets_in(Secret("s")) == (Secret("s"),)


def test_redact_mapping_exact_shape() -> None:
    """Nested lists and objects: Secrets and secret-named values masked, the rest untouched."""
    data = {
        "items": [Secret("a"), {"password": "p", "n": 1}, "plain", 3],
        "tokens": ["t1", 5],
        "password": 5,
        "key": Secret("k"),
    }
    assert redact_mapping(data) == {
        "items": [MASK, {"password": MASK, "n": 1}, "plain", 3],
        "tokens": [MASK, MASK],
        "password": 5,
        "key": MASK,
    }


TRICKY = "a~b*c/d e+f\"g'h<é"


def _expected_forms(secret: str) -> set[str]:
    """Each encoding written out with the standard library (not with core.redaction)."""
    import base64
    import html
    import json
    from urllib.parse import quote, quote_plus

    def hexed(s: str, keep: str, space: str) -> str:
        return "".join(space if c == " " else c if (c.isascii() and c.isalnum()) or c in keep
                       else "".join(f"%{b:02X}" for b in c.encode()) for c in s)  # fmt: skip

    forms = {secret, quote_plus(secret), quote(secret, safe=""), quote(secret)}
    forms |= {hexed(secret, "*-._", "+"), hexed(secret, "-._", "%20"), hexed(secret, "", "+")}
    forms |= {f.lower() for f in forms if "%" in f}
    forms |= {quote(quote_plus(secret), safe=""), quote(quote_plus(secret).lower(), safe="")}
    forms |= {json.dumps(secret)[1:-1], json.dumps(secret, ensure_ascii=False)[1:-1]}
    forms.add(json.dumps(secret)[1:-1].replace("/", "\\/"))
    forms |= {html.escape(secret), html.escape(secret, quote=False)}
    forms.add(html.escape(secret).replace("&#x27;", "&#39;"))
    forms.add(secret.encode().decode("latin-1"))
    whole = base64.b64encode(secret.encode()).decode()
    forms |= {
        whole,
        whole.rstrip("="),
        base64.urlsafe_b64encode(secret.encode()).decode().rstrip("="),
    }
    return forms


def test_scrubber_masks_each_encoding_written_independently() -> None:
    """Every encoding of a secret with spaces, '+', '/', quotes, '~', '*' and a non-ASCII
    letter, each computed here with the standard library, comes back as exactly the mask."""
    from core.redaction import Scrubber

    scrub = Scrubber([Secret(TRICKY)])
    for form in sorted(_expected_forms(TRICKY)):
        assert scrub.text(f"<{form}>") == f"<{MASK}>", form


def test_base64_fragments_in_standard_and_url_alphabets() -> None:
    """A secret whose base64 holds '+' and '/' is found in both alphabets at every offset."""
    import base64

    from core.redaction import Scrubber

    secret = "~~~???>>>~~~???>>>"
    scrub = Scrubber([Secret(secret)])
    for prefix in (b"", b"x", b"xy"):
        for encode in (base64.b64encode, base64.urlsafe_b64encode):
            blob = encode(prefix + secret.encode() + b"tail").decode()
            assert ("+" in blob or "-" in blob) and ("/" in blob or "_" in blob)
            assert scrub.text(blob).count(MASK) == 1, (prefix, encode)


def test_scrubber_lengths_order_and_credentials() -> None:
    """3-character secrets are masked, shorter ones not; later secrets are still used after a
    short one; a longer form wins over its prefix; Basic/Bearer credentials alone are masked;
    free-text credentials and keyed tokens become exactly the mask."""
    from core.redaction import Scrubber

    assert Scrubber(["abc"]).text("xabcx") == f"x{MASK}x"
    assert Scrubber(["ab"]).text("xabx") == "xabx"
    assert Scrubber(["ab", "longer-secret"]).text("a longer-secret") == f"a {MASK}"
    assert Scrubber(["abc", "abcdef"]).text("abcdef") == MASK
    basic = Secret("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==")
    assert Scrubber([basic]).text("echo QWxhZGRpbjpvcGVuIHNlc2FtZQ==") == f"echo {MASK}"
    assert Scrubber([Secret("Bearer tok-123")]).text("t=tok-123") == f"t={MASK}"
    assert Scrubber([Secret("weird x1y2z3")]).text("x1y2z3") == "x1y2z3"
    scrub = Scrubber()
    assert scrub.text("Authorization: Basic dXNlcjpwYXNz") == f"Authorization: Basic {MASK}"
    assert scrub.text('{"id_token": "abc"}') == f'{{"id_token": "{MASK}"}}'
    assert scrub.text("password=hunter2&x=1") == f"password={MASK}&x=1"


def test_scrubber_value_lists_under_secret_names() -> None:
    """Lists under a secret-named key are masked item by item when by_name; otherwise only
    known values are."""
    from core.redaction import Scrubber

    scrub = Scrubber(["known-value"])
    data = {"password": ["a", "known-value"], "list": [["known-value"], Secret("s")]}
    assert scrub.value(data) == {"password": [MASK, MASK], "list": [[MASK], MASK]}
    assert scrub.value(data, by_name=False)["password"] == ["a", MASK]


def _reference_text(scrub: Scrubber, text: str) -> str:
    """Scrubber.text without its shortcuts: every form tried, every pattern run."""
    for form in scrub._forms:
        if form in text:
            text = text.replace(form, MASK)
    text = _JWT_RE.sub(MASK, text)
    text = _BASIC_RE.sub(lambda m: f"{m.group(1)} {MASK}", text)
    text = _KEYED_RE.sub(lambda m: m.group(1) + MASK, text)
    return _URL_USERINFO_RE.sub(lambda m: m.group(1) + MASK + "@", text)


SHORTCUT_CASES = [
    "", "ok", "token_type", "Bearer", "x-ms-request-id", "application/json; charset=utf-8",
    "Authorization: BASIC dXNlcjpwYXNzd29yZA==", "bearer abc.def.ghi-jkl", "BEARER  0123456789",
    # re's case-insensitive matching also folds \u017f to s and \u0131 to i: not ASCII
    "Ba\u017fic QWxhZGRpbjpvcGVuIHNlc2FtZQ==", "bas\u0131c QWxhZGRpbjpvcGVuIHNlc2FtZQ==",
    "pa\u017f\u017fword=hunter22", "client_\u017fecret=abcdef",
    "see eyJhbGciOi.eyJzdWIiOiIxIn0.c2ln", "eyJ0eXAiOiJKV1QifQ.eyJzdWIiOiIxIn0.c2ln",
    "EYJ is not a JWT", "ÉyJhbGciOiJub25lIn0.e30.",
    '{"Refresh_Token": "0.AAAA-long"}', "id_token=abc123&x=1", "code_verifier=abcdefghijk",
    "DEVICE_CODE=GAAABBB", "Client_Assertion=eyJx", '"password": "hunter22"', "passwörd=x",
    "https://admin:S3cret!@login.example/x", "ftp://u:p@h", "mail me@example.com", "a://b",
    "prefix S3cret!Value suffix", "S3cret%21Value", "UzNjcmV0IVZhbHVl", "S3cr", "x" * 500,
    "\u0131d_token=abc", "\u0130D_TOKEN=abc", "K\u212aey: bearer zzzzzzzzzz",
]  # fmt: skip


@pytest.mark.parametrize("text", SHORTCUT_CASES)
def test_scrubber_shortcuts_mask_exactly_what_every_pattern_would(text: str) -> None:
    """The length cut-off and the ASCII word checks skip only work that could not mask."""
    scrub = Scrubber(["S3cret!Value", Secret("Basic dXNlcjpwYXNzd29yZA=="), "eyJ" + "a" * 40])
    for variant in (text, f"{text} {text.upper()}"):
        assert scrub.text(variant) == _reference_text(scrub, variant)


@pytest.mark.parametrize(
    "value",
    ["abc", "a.b", "-._", "___", "0123456789", "eyJ0eXAiOiJKV1QifQ.eyJzdWIiOiIxIn0.c2ln-_x",
     "2f1c9a3e-5b7d-4e8f-9a0b-1c2d3e4f5a6b", "Q" * 1501, "a-b.c_d" * 40],
)  # fmt: skip
def test_url_safe_values_get_every_form_the_general_way_gives(value: str) -> None:
    """Tokens and GUIDs take a shortcut: the same forms, computed without the encoders."""
    assert _URL_SAFE_RE.fullmatch(value)
    assert encoded_forms(value) == _all_forms(value)


def test_values_outside_the_url_safe_set_take_the_general_way() -> None:
    for value in ("Abc8Q~s3cr3t", "a b", "a/b", "ä-b", "a+b=", "pa%ss"):
        assert not _URL_SAFE_RE.fullmatch(value)
        assert encoded_forms(value) == _all_forms(value)


def test_no_secret_masks_nothing() -> None:
    """A missing secret (None) is the empty text: nothing to mask, so nothing is."""
    from core.redaction import reveal

    assert reveal(None) == "" and reveal(Secret("v")) == "v" and reveal("w") == "w"
    text = "XXXX and None: plain text"
    assert Scrubber([None, "", Secret("")]).text(text) == text


def test_secrets_in_skips_a_field_that_was_never_set() -> None:
    """A dataclass field set later (init=False) and not set yet is no Secret, not an error."""
    from dataclasses import dataclass, field

    from core.redaction import secrets_in

    @dataclass
    class Later:
        password: Secret
        session_key: Secret = field(init=False)

    assert secrets_in(Later(Secret("pa55word"))) == (Secret("pa55word"),)


def test_client_secret_by_name_alone_is_masked() -> None:
    """`client_secret=…` with no other keyed word in the text still runs the keyed pattern."""
    scrub = Scrubber()
    assert scrub.text("client_secret=hunter2") == f"client_secret={MASK}"
    assert scrub.text('{"client_secret": "hunter2"}') == f'{{"client_secret": "{MASK}"}}'


def test_a_basic_or_bearer_secret_keeps_the_secrets_before_it() -> None:
    """The credential of a `Basic …` secret is added to the forms already known (the client
    secret given first stays masked), from three characters on."""
    scrub = Scrubber([Secret("first-s3cret"), Secret("Basic dXNlcjpwYXNz")])
    assert scrub.text("first-s3cret / dXNlcjpwYXNz") == f"{MASK} / {MASK}"
    assert Scrubber([Secret("Bearer abc")]).text("t=abc") == f"t={MASK}"
