"""Our certificate assertion against a standards library's RFC 7523 verification (Authlib):
any OAuth 2.0 server with private_key_jwt accepts it, through a custom token URL."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from core.token.client import request_token
from core.token.credential.certificate import load_certificate
from core.token.models import AssertionAlg, CredentialKind, TokenRequestInput
from core.token.result import Outcome
from tests.core import certkit as ck

pytest.importorskip("authlib")
from tests.fakes.authlib_server import CLIENT_ID, authlib_server


@pytest.fixture(scope="module")
def credential(tmp_path_factory: pytest.TempPathFactory):
    key = ck.rsa_key()
    folder = tmp_path_factory.mktemp("third-party")
    return load_certificate(ck.write(folder, "c.pem", ck.cert_pem(ck.cert(key)) + ck.key_pem(key)))


def _public(credential) -> bytes:
    return credential.certificate.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def _inputs(url: str, credential, **over) -> TokenRequestInput:
    return TokenRequestInput(token_url=url, client_id=CLIENT_ID, scope="read",
                             credential=CredentialKind.CERTIFICATE, certificate=credential,
                             timeout_s=5, **over)  # fmt: skip


@pytest.mark.parametrize("alg", [AssertionAlg.PS256, AssertionAlg.RS256])
def test_authlib_accepts_our_assertion(credential, alg: AssertionAlg) -> None:
    """Authlib verifies signature, iss = sub, aud = its token URL, exp and jti (refusing a
    replay), then issues; two requests carry two fresh assertions."""
    with authlib_server(_public(credential)) as (url, server):
        results = [request_token(_inputs(url, credential, assertion_alg=alg)) for _ in range(2)]
    assert [r.outcome for r in results] == [Outcome.TOKEN, Outcome.TOKEN], results[0].body_text
    assert len(server.issued) == 2


def test_authlib_refuses_a_key_it_does_not_know(credential, tmp_path: Path) -> None:
    """Signed with another key: the third-party server says invalid_client (so the test above
    is not a server that accepts anything)."""
    other_key = ck.rsa_key()
    other = load_certificate(
        ck.write(tmp_path, "o.pem", ck.cert_pem(ck.cert(other_key)) + ck.key_pem(other_key))
    )
    with authlib_server(_public(credential)) as (url, server):
        result = request_token(_inputs(url, other))
    assert result.outcome is Outcome.REFUSED and result.error is not None
    assert result.error.error == "invalid_client" and server.issued == []
    assert "cannot authenticate with method" not in result.error.error_description
