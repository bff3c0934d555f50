"""The client assertion against the facts (identity-platform.md 2.2 and 8.7), and the request."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives import hashes

from core.redaction import MASK, Secret
from core.token.credential.certificate import load_certificate
from core.token.credential.summary import thumbprint_to_x5t, x5t_to_hex
from core.token.models import JWT_BEARER, AssertionAlg, CredentialKind, TokenRequestInput
from core.token.request import build_request
from tests.core import certkit as ck

CLIENT_ID = "97e0a5b7-d745-40b6-94fe-5f77d35c6e05"
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
URL = f"https://login.microsoftonline.com/{TENANT}/oauth2/v2.0/token"


@pytest.fixture(scope="module")
def credential(tmp_path_factory: pytest.TempPathFactory):
    key, leaf, mid, root = ck.chain3()
    folder = tmp_path_factory.mktemp("cert")
    return load_certificate(
        ck.write(folder, "c.pem", ck.cert_pem(leaf, mid, root) + ck.key_pem(key))
    )


def _inputs(credential, **over) -> TokenRequestInput:
    base = dict(tenant=TENANT, client_id=CLIENT_ID, scope="https://graph.microsoft.com/.default",
                credential=CredentialKind.CERTIFICATE, certificate=credential,
                client_secret=Secret("ignored-secret"))  # fmt: skip
    base.update(over)
    return TokenRequestInput(**base)  # type: ignore[arg-type]


def _parts(token: str) -> tuple[dict, dict]:
    return jwt.get_unverified_header(token), jwt.decode(token, options={"verify_signature": False})


def test_doc_thumbprint_example() -> None:
    """The doc's SHA-1 hex 84E05C1D... is the bytes base64url-encoded (not the hex text)."""
    assert (
        thumbprint_to_x5t("84E05C1D98BCE3A5421D225B140B36E86A3D5534")
        == "hOBcHZi846VCHSJbFAs26Go9VTQ"
    )
    assert x5t_to_hex("hOBcHZi846VCHSJbFAs26Go9VTQ=") == "84E05C1D98BCE3A5421D225B140B36E86A3D5534"


def test_ps256_header_and_claims_as_entra_expects(credential) -> None:
    """Default: PS256 with x5t#S256 (43 chars, SHA-256 of the DER), typ JWT, no kid; aud = the
    exact URL posted to; iss = sub = client ID; nbf = iat; exp 10 minutes later."""
    prepared = build_request(_inputs(credential), now=1_700_000_000)
    form = dict(prepared.form)
    assert "client_secret" not in form
    assert form["client_assertion_type"] == JWT_BEARER == (
        "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")  # fmt: skip
    token = form["client_assertion"]
    assert isinstance(token, Secret)
    header, claims = _parts(token.reveal())
    digest = credential.certificate.fingerprint(hashes.SHA256())
    assert header == {
        "alg": "PS256",
        "typ": "JWT",
        "x5t#S256": base64.urlsafe_b64encode(digest).rstrip(b"=").decode(),
    }
    assert len(header["x5t#S256"]) == 43
    assert claims["aud"] == URL == prepared.url
    assert claims["iss"] == claims["sub"] == CLIENT_ID
    assert claims["nbf"] == claims["iat"] == 1_700_000_000
    assert claims["exp"] - claims["nbf"] == 600
    assert set(claims) == {"aud", "iss", "sub", "jti", "nbf", "iat", "exp"}
    public = credential.certificate.public_key()
    jwt.decode(token.reveal(), public, algorithms=["PS256"], audience=URL,
               options={"verify_exp": False, "verify_nbf": False, "verify_iat": False})  # fmt: skip


def test_rs256_with_x5t_and_x5c(credential) -> None:
    """RS256 carries the SHA-1 x5t (the portal thumbprint's bytes); x5c is the chain, leaf first,
    standard base64 DER."""
    prepared = build_request(_inputs(credential, assertion_alg=AssertionAlg.RS256, send_x5c=True))
    header, _ = _parts(dict(prepared.form)["client_assertion"].reveal())
    assert header["alg"] == "RS256" and "x5t#S256" not in header
    assert header["x5t"] == thumbprint_to_x5t(credential.summary.sha1)
    assert len(header["x5t"]) == 27
    assert [base64.b64decode(c) for c in header["x5c"]] == [
        c.public_bytes(ck.DER) for c in (credential.certificate, *credential.chain)
    ]
    jwt.decode(
        dict(prepared.form)["client_assertion"].reveal(),
        credential.certificate.public_key(),
        algorithms=["RS256"],
        audience=prepared.url,
    )


def test_every_assertion_is_unique(credential) -> None:
    """Two requests carry two different jti values."""
    first = _parts(dict(build_request(_inputs(credential)).form)["client_assertion"].reveal())[1]
    second = _parts(dict(build_request(_inputs(credential)).form)["client_assertion"].reveal())[1]
    assert first["jti"] != second["jti"]


def test_v1_and_custom_urls_are_the_audience(credential) -> None:
    """aud follows the URL actually posted to: the v1 endpoint, or any custom token URL."""
    from core.token.models import Endpoint

    v1 = build_request(_inputs(credential, endpoint=Endpoint.V1, scope="", resource="https://x"))
    custom = build_request(_inputs(credential, token_url="https://idp.example/oauth/token"))
    for prepared in (v1, custom):
        assert _parts(dict(prepared.form)["client_assertion"].reveal())[1]["aud"] == prepared.url
    assert v1.url.endswith("/oauth2/token")


def test_assertion_is_masked_everywhere_but_the_body(credential) -> None:
    """The assertion is a Secret: masked in repr, the preview and the redacted form."""
    prepared = build_request(_inputs(credential))
    token = dict(prepared.form)["client_assertion"].reveal()
    assert token not in repr(prepared) and token not in prepared.redacted_text()
    assert dict(prepared.redacted_form())["client_assertion"] == MASK
    assert token in prepared.body()
    assert prepared.credential is CredentialKind.CERTIFICATE
    assert prepared.certificate == credential.summary


def test_pfx_password_counts_as_a_secret_of_the_request(credential) -> None:
    """The PFX password is never sent, but every rendering masks it as one of the request's."""
    prepared = build_request(_inputs(credential, certificate_password=Secret("Pfx-Pa55!")))
    assert Secret("Pfx-Pa55!") in prepared.secrets()
    assert "Pfx-Pa55!" not in prepared.body()


def test_federated_assertion_is_sent_as_given() -> None:
    """A federated credential posts the external token as client_assertion, trimmed."""
    external = jwt.encode(
        {
            "iss": "https://token.actions.githubusercontent.com",
            "sub": "repo:a/b",
            "aud": "api://AzureADTokenExchange",
            "exp": 2_000_000_000,
        },
        "k" * 32,
    )
    inputs = TokenRequestInput(
        tenant=TENANT,
        client_id=CLIENT_ID,
        scope="https://graph.microsoft.com/.default",
        credential=CredentialKind.FEDERATED,
        client_assertion=Secret(f"  {external}\n"),
    )
    prepared = build_request(inputs)
    form = dict(prepared.form)
    assert form["client_assertion"] == Secret(external)
    assert form["client_assertion_type"] == JWT_BEARER
    assert prepared.credential is CredentialKind.FEDERATED


def test_msal_doc_sample_header_decodes_as_the_facts_say() -> None:
    """Section 8.7's PS256 header sample: alg PS256 with an x5t#S256 of SHA-1 size (a doc slip
    we do not copy: ours is 43 characters)."""
    segment = "eyJhbGciOiJQUzI1NiIsIng1dCNTMjU2IjoiZ3g4dEd5c3lqY1JxS2pGUG5kN1JGd3Z3WkkwIn0"
    header = json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
    assert header == {"alg": "PS256", "x5t#S256": "gx8tGysyjcRqKjFPnd7RFwvwZI0"}
    assert len(header["x5t#S256"]) == 27


def test_no_private_key_sends_nothing(tmp_path: Path) -> None:
    """A certificate without its key cannot sign: the request is blocked with a plain finding."""
    from core.token.client import request_token

    leaf = ck.cert(ck.rsa_key())
    path = ck.write(tmp_path, "only.cer", leaf.public_bytes(ck.DER))
    result = request_token(TokenRequestInput(
        tenant=TENANT, client_id=CLIENT_ID, scope="https://graph.microsoft.com/.default",
        credential=CredentialKind.CERTIFICATE, certificate_path=str(path)))  # fmt: skip
    assert result.outcome.value == "blocked"
    assert "No private key" in [f.title for f in result.findings]
