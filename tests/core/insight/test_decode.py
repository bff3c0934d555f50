"""Decoding pasted tokens: Microsoft samples, real paste mistakes, and fuzzing."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.insight.decode import MAX_TOKEN_CHARS, DecodeError, decode_token
from tests.core.tokenkit import b64url, compact, microsoft_samples, mint, unsigned

SAMPLES = microsoft_samples()


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_microsoft_samples_decode(name: str) -> None:
    """Every section 8 sample decodes, with the header fields the facts file states."""
    sample = SAMPLES[name]
    if "sha256" in sample:
        assert hashlib.sha256(sample["token"].encode()).hexdigest() == sample["sha256"]
    decoded = decode_token(sample["token"])
    expect = sample["expect"]
    assert decoded.alg == expect["alg"]
    assert decoded.kid == expect["kid"] and decoded.x5t == expect["x5t"]
    assert decoded.payload["ver"] == expect["version"]
    assert decoded.payload["exp"] - decoded.payload["iat"] == expect["lifetime"]
    assert decoded.segments == 3 and decoded.size == len(sample["token"])


def test_padded_payload_segment_is_tolerated() -> None:
    """8.3: a payload segment ending in '=' padding decodes to the published payload."""
    sample = SAMPLES["v1_id_padded"]
    assert sample["token"].split(".")[1].endswith("=")
    assert dict(decode_token(sample["token"]).payload) == sample["payload"]


def test_unsigned_token_has_empty_signature() -> None:
    """8.2: alg none with an empty third segment decodes and is marked unsigned."""
    decoded = decode_token(SAMPLES["v1_id_unsigned"]["token"])
    assert decoded.signature == b"" and decoded.unsigned
    assert decoded.payload["upn"] == "frankm@contoso.com"


def test_graph_nonce_header_is_seen() -> None:
    """8.5: the Graph header nonce is recognised."""
    assert decode_token(SAMPLES["v1_graph_nonce"]["token"]).has_header_nonce
    assert not decode_token(SAMPLES["v2_access_doc"]["token"]).has_header_nonce


def test_truncated_signature_still_decodes() -> None:
    """8.6: a 19-character signature segment still gives header and payload."""
    decoded = decode_token(SAMPLES["v2_access_doc"]["token"])
    assert decoded.payload["azp"] == "6e74172b-be56-4843-9ff4-e66a39bb12e3"
    assert 0 < len(decoded.signature) < 20


@pytest.mark.parametrize(
    "wrap",
    [
        "Bearer {t}",
        "bearer   {t}\n",
        "Authorization: Bearer {t}",
        "authorization:Bearer {t}",
        '"{t}"',
        "  \t{t}\r\n",
        '{{"token_type":"Bearer","expires_in":3599,"access_token":"{t}"}}',
    ],
)
def test_paste_noise_is_removed(wrap: str) -> None:
    """Bearer/Authorization prefixes, quotes, white space and a whole response are accepted."""
    token = SAMPLES["v2_access_doc"]["token"]
    decoded = decode_token(wrap.format(t=token))
    assert decoded.raw.reveal() == token


def test_line_wrapped_token_is_joined() -> None:
    """A token broken over several lines (e-mail, terminal wrap) is joined back."""
    token = SAMPLES["v1_access_code_flow"]["token"]
    wrapped = "\n".join(token[i : i + 76] for i in range(0, len(token), 76))
    assert decode_token(wrapped).raw.reveal() == token


def test_large_token_decodes() -> None:
    """A 64 KB+ token (a user in many groups) decodes."""
    groups = [f"{i:08d}-0000-0000-0000-000000000000" for i in range(2000)]
    token = mint({"ver": "2.0", "groups": groups})
    assert len(token) > 64 * 1024
    assert len(decode_token(token).payload["groups"]) == 2000


@pytest.mark.parametrize(
    ("text", "kind", "words"),
    [
        ("", "empty", "empty"),
        ("   \n", "empty", "empty"),
        ("Bearer ", "empty", "empty"),
        ("EwBwA8l6BAAURSN/FHlDW5xN74t6GzbtsBBeBUYAAQ", "opaque", "opaque"),
        ("a.b.c.d.e", "encrypted", "encrypted"),
        ("abc.def", "malformed", "three segments"),
        ("a.b.c.d", "malformed", "three segments"),
        ("x" * (MAX_TOKEN_CHARS + 1), "too_large", "KB"),
        ('{"error":"invalid_client"}', "malformed", "access_token"),
        ("{not json", "malformed", "JSON"),
    ],
)
def test_bad_inputs_have_plain_messages(text: str, kind: str, words: str) -> None:
    """Each kind of bad paste gets a typed error naming the problem."""
    with pytest.raises(DecodeError) as info:
        decode_token(text)
    assert info.value.kind == kind and words in str(info.value)


def _seg(obj: object) -> str:
    return b64url(compact(obj))


@pytest.mark.parametrize(
    ("token", "words"),
    [
        (f"{_seg({'alg': 'RS256'})}.{_seg({'a': 1})}.sig$nature", "signature segment"),
        (f"e$J.{_seg({'a': 1})}.c2ln", "header segment"),
        (f"{_seg({'alg': 'RS256'})}.{b64url(b'not json')}.c2ln", "payload is not JSON"),
        (f"{_seg({'alg': 'RS256'})}.{b64url(b'[1,2]')}.c2ln", "not an object"),
        (f"{b64url(bytes([0xFF, 0xFE, 0x7B]))}.{_seg({'a': 1})}.c2ln", "not UTF-8"),
        (f"{_seg({'alg': 'RS256'})}.{_seg({'a': 1})}.abcde", "impossible length"),
        (f"{_seg({'alg': 'RS256'})}.ab=c.c2ln", "payload segment"),
        (f".{_seg({'a': 1})}.c2ln", "header segment is empty"),
        (f"{_seg({'alg': 'RS256'})}.{_seg({'a': 1})}.é", "characters"),
        (f"{b64url(b'[' * 100000)}.{_seg({'a': 1})}.", "nested more than 64 levels"),
    ],
)
def test_malformed_segments(token: str, words: str) -> None:
    """Broken base64, non-JSON, non-object, non-UTF-8 and damaged segments are explained."""
    with pytest.raises(DecodeError, match=words):
        decode_token(token)


def test_error_message_never_contains_the_token() -> None:
    """A decode error's message does not repeat the pasted text."""
    secretish = "eyJhbGciOiJSUzI1NiJ9.eyJzZWNyZXQiOiJ0b3Atc2VjcmV0LXZhbHVlIn0"
    for text in (secretish, secretish + ".a.b.c", secretish + ".!!!", secretish + "X.a.b"):
        with pytest.raises(DecodeError) as info:
            decode_token(text)
        assert secretish not in str(info.value) and "eyJ" not in str(info.value)


def test_raw_token_is_masked_in_repr() -> None:
    """The decoded token's repr never shows the token or its signature."""
    token = SAMPLES["v2_access_doc"]["token"]
    shown = repr(decode_token(token))
    assert token not in shown and token.split(".")[0] not in shown.replace("'", "")


def test_alg_none_with_payload_decodes() -> None:
    """An unsigned token we build decodes with alg 'none' and no signature."""
    decoded = decode_token(unsigned({"sub": "x"}))
    assert decoded.alg == "none" and decoded.unsigned and decoded.payload == {"sub": "x"}


_TOKEN_CHARS = st.text(alphabet=st.sampled_from("ABCxyz019-_+/=. \n\téЖ\x00{}\"'"), max_size=200)


@settings(deadline=None, max_examples=300)
@given(st.one_of(st.text(max_size=300), _TOKEN_CHARS))
def test_fuzz_only_decode_error_escapes(text: str) -> None:
    """Whatever is pasted, decode_token returns a token or raises DecodeError, nothing else."""
    try:
        decode_token(text)
    except DecodeError as exc:
        assert str(exc)


@settings(deadline=None, max_examples=300)
@given(
    st.dictionaries(
        st.text(max_size=8),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
            lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
            max_leaves=10,
        ),
        max_size=6,
    ),
    st.binary(max_size=64),
)
def test_fuzz_json_payloads_round_trip(payload: dict, signature: bytes) -> None:
    """Any JSON-object payload in a well-formed token decodes back to the same keys."""
    token = f"{_seg({'alg': 'RS256'})}.{_seg(payload)}.{b64url(signature)}"
    decoded = decode_token(token)
    assert set(decoded.payload) == set(payload) and decoded.signature == signature
