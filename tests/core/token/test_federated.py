"""Federated assertions: reading, decoding, and the warnings shown before sending."""

from __future__ import annotations

import time
from pathlib import Path

import jwt
import pytest

from core.redaction import Secret
from core.token.credential.federated import (
    AssertionReadError,
    decode_assertion,
    expected_audience,
    read_assertion_file,
)
from core.token.models import CredentialKind, TokenRequestInput
from core.token.preflight import check

GITHUB = "https://token.actions.githubusercontent.com"
SUB = "repo:contoso/app:ref:refs/heads/main"
CLIENT_ID = "e323a019-41e4-4a09-bd61-bcd73265c9a0"


def _token(**claims) -> str:
    base = {"iss": GITHUB, "sub": SUB, "aud": "api://AzureADTokenExchange",
            "exp": int(time.time()) + 600, "iat": int(time.time())}  # fmt: skip
    base.update(claims)
    return jwt.encode({k: v for k, v in base.items() if v is not None}, "k" * 32)


def _findings(token: str, cloud: str = "global", **over) -> dict[str, str]:
    inputs = TokenRequestInput(cloud=cloud, tenant="contoso.onmicrosoft.com", client_id=CLIENT_ID,
                               scope="https://graph.microsoft.com/.default",
                               credential=CredentialKind.FEDERATED,
                               client_assertion=Secret(token), **over)  # fmt: skip
    return {f.code: f.severity.value for f in check(inputs) if f.field == "client_assertion"}


def test_decode_shows_what_entra_compares() -> None:
    """iss, sub, aud (a list too) and expiry, read without verifying the signature."""
    decoded = decode_assertion(_token(aud=["api://AzureADTokenExchange", "other"]))
    assert (decoded.issuer, decoded.subject) == (GITHUB, SUB)
    assert decoded.audiences == ("api://AzureADTokenExchange", "other")
    assert decoded.expires_at and not decoded.expired() and not decoded.looks_self_signed


def test_cloud_audiences() -> None:
    """Each cloud's default federated audience, as in the facts file."""
    assert expected_audience("global") == "api://AzureADTokenExchange"
    assert expected_audience("usgov") == "api://AzureADTokenExchangeUSGov"
    assert expected_audience("china") == "api://AzureADTokenExchangeChina"
    assert expected_audience("singapore") == "api://AzureADTokenExchangeGovSG"


def test_good_assertion_has_no_findings() -> None:
    assert _findings(_token()) == {}


def test_expired_and_wrong_audience_warn_before_sending() -> None:
    """An expired token and an audience that is not the cloud's default are warnings."""
    assert _findings(_token(exp=int(time.time()) - 120)) == {"assertion-expired": "warning"}
    assert _findings(_token()) == {}
    assert _findings(_token(), cloud="usgov") == {"assertion-audience": "warning"}
    assert _findings(_token(aud="api://azureadtokenexchange")) == {"assertion-audience": "warning"}


def test_junk_and_missing_assertions_are_errors() -> None:
    assert _findings("not-a-jwt") == {"assertion-unreadable": "error"}
    inputs = TokenRequestInput(
        client_id=CLIENT_ID,
        tenant="contoso.onmicrosoft.com",
        scope="x/.default",
        credential=CredentialKind.FEDERATED,
    )
    assert "assertion-empty" in {f.code for f in check(inputs)}
    assert "secret-empty" not in {f.code for f in check(inputs)}


def test_ready_made_certificate_assertion_is_checked_like_one() -> None:
    """A pasted self-signed assertion (x5t, iss = client ID): sub != iss warns (AADSTS50048)."""
    token = jwt.encode(
        {
            "iss": CLIENT_ID,
            "sub": "someone-else",
            "aud": "https://x/token",
            "exp": int(time.time()) + 300,
        },
        "k" * 32,
        headers={"x5t": "abc"},
    )
    found = _findings(token)
    assert found["assertion-sub-iss"] == "warning" and found["assertion-aud-url"] == "warning"
    assert "assertion-audience" not in found


def test_read_file(tmp_path: Path) -> None:
    """The AZURE_FEDERATED_TOKEN_FILE convention: the file's text, trimmed; plain errors."""
    path = tmp_path / "token"
    path.write_text(_token() + "\n")
    assert read_assertion_file(path).reveal().count(".") == 2
    with pytest.raises(AssertionReadError, match="cannot be read"):
        read_assertion_file(tmp_path / "absent")
    (tmp_path / "empty").write_text("  \n")
    with pytest.raises(AssertionReadError, match="is empty"):
        read_assertion_file(tmp_path / "empty")


def test_file_is_read_at_send_time(tmp_path: Path) -> None:
    """request_token reads the assertion file; a missing file blocks with a plain finding."""
    from core.token.client import request_token

    result = request_token(TokenRequestInput(
        tenant="contoso.onmicrosoft.com", client_id=CLIENT_ID, scope="x/.default",
        credential=CredentialKind.FEDERATED, assertion_file=str(tmp_path / "gone")))  # fmt: skip
    assert result.outcome.value == "blocked"
    assert [f.code for f in result.findings][:1] == ["assertion-file"]
