"""Client assertions checked as Entra does: each failure gets its exact AADSTS code."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any

import jwt
import pytest
import requests
from cryptography.hazmat.primitives import hashes

from core.sandbox import Sandbox
from core.sandbox import directory as d
from core.sandbox.certificates import demo_certificates, external_token
from core.sandbox.keys import b64url

JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
C = d.CONTOSO.id
ASSERTION_CODES = {700027, 700024, 50048, 50027, 50013, 5002738, 70021, 700211}


def _cert(name: str):
    return next(c for c in demo_certificates() if c.name == name)


def _url(sb: Sandbox, tenant: str = C, version: str = "v2") -> str:
    path = "oauth2/v2.0/token" if version == "v2" else "oauth2/token"
    return f"{sb.base_url}/{tenant}/{path}"


def _signed(sb: Sandbox, *, cert: str = "contoso-daemon", alg: str = "PS256",
            header: dict[str, Any] | None = None, **claims: Any) -> str:  # fmt: skip
    demo = _cert(cert)
    now = int(time.time())
    body = {"aud": _url(sb), "iss": d.DAEMON.client_id, "sub": d.DAEMON.client_id,
            "jti": str(uuid.uuid4()), "nbf": now, "iat": now, "exp": now + 600}  # fmt: skip
    body.update(claims)
    body = {k: v for k, v in body.items() if v is not None}
    thumb = ({"x5t#S256": b64url(demo.cert.fingerprint(hashes.SHA256()))} if alg == "PS256"
             else {"x5t": b64url(demo.cert.fingerprint(hashes.SHA1()))})  # fmt: skip
    return jwt.encode(body, demo.key, algorithm=alg, headers={**thumb, **(header or {})})


def _post(sb: Sandbox, assertion: str, client_id: str = d.DAEMON.client_id,
          url: str | None = None) -> requests.Response:  # fmt: skip
    form = {"grant_type": "client_credentials", "client_id": client_id,
            "scope": "https://graph.microsoft.com/.default",
            "client_assertion_type": JWT_BEARER, "client_assertion": assertion}  # fmt: skip
    return requests.post(url or _url(sb), data=form, timeout=5)


def _claims_of(response: requests.Response) -> dict[str, Any]:
    return jwt.decode(response.json()["access_token"], options={"verify_signature": False})


@pytest.mark.parametrize("alg", ["PS256", "RS256"])
def test_certificate_assertion_gets_a_certificate_token(sandbox: Sandbox, alg: str) -> None:
    """A correct assertion (PS256 + x5t#S256, or RS256 + x5t) gets a token with appidacr 2."""
    response = _post(sandbox, _signed(sandbox, alg=alg))
    assert response.status_code == 200, response.text
    assert _claims_of(response)["appidacr"] == "2"  # Graph tokens are v1


def test_audience_may_name_the_tenant_by_domain_or_guid(sandbox: Sandbox) -> None:
    """Posting to the domain URL, an assertion for that URL or its GUID form is accepted."""
    url = _url(sandbox, d.CONTOSO.domain)
    assert _post(sandbox, _signed(sandbox, aud=url), url=url).status_code == 200
    assert _post(sandbox, _signed(sandbox, aud=_url(sandbox)), url=url).status_code == 200


Case = Callable[[Sandbox], tuple[str, str]]  # -> (assertion, client ID)
CASES: dict[str, tuple[Case, int, int, str]] = {
    "not uploaded": (lambda sb: (_signed(sb, cert="not-uploaded"), d.DAEMON.client_id),
                     700027, 401, "The key was not found"),
    "uploaded but expired": (lambda sb: (_signed(sb, cert="expired"), d.DAEMON.client_id),
                             700027, 401, "is expired on application"),
    "thumbprint of another key": (
        lambda sb: (_signed(sb, cert="not-uploaded", header={
            "x5t#S256": b64url(_cert("contoso-daemon").cert.fingerprint(hashes.SHA256()))}),
            d.DAEMON.client_id), 700027, 401, "did not match the expected signature"),
    "expired assertion": (lambda sb: (_signed(sb, nbf=int(time.time()) - 3600,
                                              exp=int(time.time()) - 3000), d.DAEMON.client_id),
                          700024, 401, "not within its valid time range"),
    "not yet valid": (lambda sb: (_signed(sb, nbf=int(time.time()) + 3600,
                                          exp=int(time.time()) + 4000), d.DAEMON.client_id),
                      700024, 401, "valid time range"),
    "sub differs from iss": (lambda sb: (_signed(sb, sub=d.DAEMON.object_id), d.DAEMON.client_id),
                             50048, 401, "Subject mismatches Issuer"),
    "wrong audience": (lambda sb: (_signed(sb, aud="https://login.microsoftonline.com/x/token"),
                                   d.DAEMON.client_id), 50027, 400, "audience"),
    "no jti": (lambda sb: (_signed(sb, jti=None), d.DAEMON.client_id), 50027, 400, "jti"),
    "not a JWT": (lambda sb: ("not.a.jwt", d.DAEMON.client_id), 50027, 400, "not a signed JWT"),
    "HS256 alg": (lambda sb: (jwt.encode({"iss": "x"}, "k" * 32, algorithm="HS256"),
                              d.DAEMON.client_id), 5002738, 400, "'HS256' is not a supported"),
    "federated, unknown issuer": (lambda sb: (_other_issuer(), d.PIPELINE.client_id),
                                  700211, 400, "issuer 'https://evil.example'"),
    "federated, subject case differs": (
        lambda sb: (external_token("repo:Contoso/app:ref:refs/heads/main"), d.PIPELINE.client_id),
        70021, 400, "Assertion Subject: 'repo:Contoso/app:ref:refs/heads/main'"),
    "federated, wrong audience": (
        lambda sb: (external_token(audience="api://AzureADTokenExchangeUSGov"),
                    d.PIPELINE.client_id), 70021, 400, "Assertion Audience"),
    "federated, expired": (
        lambda sb: (external_token(lifetime_s=-600), d.PIPELINE.client_id), 700024, 401,
        "valid time range"),
}  # fmt: skip


def _other_issuer() -> str:
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = int(time.time())
    return jwt.encode(
        {
            "iss": "https://evil.example",
            "sub": d.EXTERNAL_SUBJECT,
            "aud": d.FEDERATED_AUDIENCE,
            "exp": now + 600,
        },
        key,
        algorithm="RS256",
    )


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_failure_has_its_code(sandbox: Sandbox, case: str) -> None:
    """The code, `error` status and message of every assertion failure."""
    make, code, status, words = CASES[case]
    assertion, client_id = make(sandbox)
    response = _post(sandbox, assertion, client_id)
    body = response.json()
    assert (body["error_codes"], response.status_code) == ([code], status), body
    assert words in body["error_description"]


def test_thumbprint_is_named_in_700027(sandbox: Sandbox) -> None:
    """The 700027 message names the thumbprint the client sent (what to compare in the portal)."""
    body = _post(sandbox, _signed(sandbox, cert="not-uploaded", alg="RS256")).json()
    assert _cert("not-uploaded").sha1 in body["error_description"]


def test_replayed_jti_is_refused(sandbox: Sandbox) -> None:
    """The same assertion twice: the second use is refused (AADSTS50013)."""
    assertion = _signed(sandbox)
    assert _post(sandbox, assertion).status_code == 200
    again = _post(sandbox, assertion)
    assert again.status_code == 401 and again.json()["error_codes"] == [50013]


def test_federated_token_gets_a_token(sandbox: Sandbox) -> None:
    """The external token matching the app's federated credential gets an app-only token."""
    response = _post(sandbox, external_token(), d.PIPELINE.client_id)
    assert response.status_code == 200, response.text
    assert _claims_of(response)["appidacr"] == "2"


def test_federated_signature_is_checked(sandbox: Sandbox) -> None:
    """A token naming the trusted issuer but signed by someone else is refused (AADSTS50027)."""
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = int(time.time())
    forged = jwt.encode(
        {
            "iss": d.EXTERNAL_ISSUER,
            "sub": d.EXTERNAL_SUBJECT,
            "aud": d.FEDERATED_AUDIENCE,
            "exp": now + 600,
        },
        key,
        algorithm="RS256",
    )
    body = _post(sandbox, forged, d.PIPELINE.client_id).json()
    assert body["error_codes"] == [50027]


def test_assertion_type_must_be_jwt_bearer(sandbox: Sandbox) -> None:
    """An assertion without the jwt-bearer type is no credential (AADSTS7000216)."""
    form = {
        "grant_type": "client_credentials",
        "client_id": d.DAEMON.client_id,
        "scope": "https://graph.microsoft.com/.default",
        "client_assertion": _signed(sandbox),
    }
    body = requests.post(_url(sandbox), data=form, timeout=5).json()
    assert body["error_codes"] == [7000216]


def test_files_are_written_and_removed() -> None:
    """The demo certificates and token files live in a temp folder while the sandbox runs."""
    with Sandbox() as sb:
        folder = sb.files_dir
        names = {p.name for p in folder.iterdir()}
        assert {"contoso-daemon.pem", "contoso-daemon.pfx", "contoso-daemon.cer",
                "not-uploaded.pem", "expired.pem", "github-token.jwt"} <= names  # fmt: skip
    assert not folder.exists()
