"""ID token checks (signature, audience, nonce, issuer, expiry) and who signed in."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from core.insight.idtoken import check_id_token, signed_in_user
from core.insight.key_sets import KeyCache
from core.redaction import Secret
from tests.core.tokenkit import LocalServer, mint, public_jwk, unsigned

CLIENT = "a0c98bb6-50e6-4455-bc94-3dbbbdd6351f"
TID = "492a87ce-f03d-415a-bf2c-7b67c4e52753"
ISS = f"https://login.example/{TID}/v2.0"


def claims(**kw: object) -> dict[str, object]:
    base = {"aud": CLIENT, "iss": ISS, "tid": TID, "nonce": "n-123", "oid": "oid-1",
            "name": "Ann Lee", "preferred_username": "ann@contoso.example",
            "exp": int(time.time()) + 3600}  # fmt: skip
    return {**base, **kw}


@pytest.fixture
def keys() -> Iterator[str]:
    with LocalServer() as srv:
        srv.json("/keys", {"keys": [public_jwk()]})
        yield srv.base_url + "/keys"


def _check(token: str, jwks: str) -> object:
    return check_id_token(Secret(token), client_id=CLIENT, nonce="n-123",
                          issuers=("https://login.example/{tenantid}/v2.0",), jwks_uri=jwks,
                          cache=KeyCache())  # fmt: skip


def test_a_good_id_token_passes_every_check(keys: str) -> None:
    report = _check(mint(claims()), keys)
    assert report.ok, report.checks  # type: ignore[attr-defined]
    assert [c.name for c in report.checks] == ["signature", "audience", "nonce", "issuer", "expiry"]  # type: ignore[attr-defined]
    assert report.user.summary() == (  # type: ignore[attr-defined]
        f"Ann Lee (ann@contoso.example), member, tenant {TID}"
    )


@pytest.mark.parametrize(
    ("change", "failed"),
    [
        ({"aud": "someone-else"}, "audience"),
        ({"nonce": "replayed"}, "nonce"),
        ({"iss": "https://evil.example/x/v2.0"}, "issuer"),
        ({"exp": int(time.time()) - 3600}, "expiry"),
    ],
)
def test_each_wrong_claim_fails_its_check(keys: str, change: dict, failed: str) -> None:
    report = _check(mint(claims(**change)), keys)
    assert [c.name for c in report.failures()] == [failed]  # type: ignore[attr-defined]


def test_a_forged_or_unsigned_token_fails_the_signature(keys: str) -> None:
    from cryptography.hazmat.primitives.asymmetric import rsa

    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    assert [c.name for c in _check(mint(claims(), key=other), keys).failures()] == ["signature"]  # type: ignore[attr-defined]
    assert "signature" in [c.name for c in _check(unsigned(claims()), keys).failures()]  # type: ignore[attr-defined]


def test_unreadable_id_token_is_a_problem_not_an_exception(keys: str) -> None:
    report = _check("not-a-jwt", keys)
    assert not report.ok and report.problem  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("extra", "guest"),
    [
        ({"acct": 1}, True),
        ({"acct": 0}, False),
        ({"preferred_username": "bob_fabrikam.example#EXT#@contoso.example"}, True),
        ({"idp": "https://sts.windows.net/dc6eb394-ffa8-4b1a-b7fb-7bd8c0b45de2/"}, True),
        ({}, False),
        ({"iss": ""}, None),
    ],
)
def test_guest_or_member(extra: dict, guest: bool | None) -> None:
    assert signed_in_user(claims(**extra)).guest is guest
