"""Secrets stay masked in repr, str, formatting, mappings and free text."""

from __future__ import annotations

import logging
import pickle

import pytest

from core.redaction import (
    MASK,
    Secret,
    fingerprint,
    is_secret_name,
    redact_mapping,
    redact_pairs,
    redact_text,
)

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
