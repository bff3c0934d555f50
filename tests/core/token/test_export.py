"""Copy as curl / PowerShell: runnable commands that read secrets from the environment."""

from __future__ import annotations

import shlex

from core.redaction import Secret
from core.token.export import to_curl, to_powershell
from core.token.models import AuthMethod, GrantType, TokenRequestInput
from core.token.request import build_request

SECRET = "Q7x8Q~it's-a+secret"
PASSWORD = "pa ss'word"


def _prepared(**kw: object):  # type: ignore[no-untyped-def]
    base: dict[str, object] = {
        "tenant": "contoso.onmicrosoft.com",
        "client_id": "6e74172b-be56-4843-9ff4-e66a39bb12e3",
        "client_secret": Secret(SECRET),
        "scope": "https://graph.microsoft.com/.default",
    }
    base.update(kw)
    return build_request(TokenRequestInput(**base))  # type: ignore[arg-type]


def test_curl_reads_secret_from_environment() -> None:
    """The curl command names $CLIENT_SECRET and never contains the value."""
    cmd = to_curl(_prepared())
    assert SECRET not in cmd
    assert '--data-urlencode "client_secret=${CLIENT_SECRET}"' in cmd
    words = shlex.split(cmd.replace("\\\n", " "))
    assert words[:4] == ["curl", "-sS", "-X", "POST"]
    assert "grant_type=client_credentials" in words
    assert "scope=https://graph.microsoft.com/.default" in words


def test_curl_password_and_basic() -> None:
    """Password and Basic credentials are environment references too."""
    prepared = _prepared(
        grant=GrantType.PASSWORD,
        username="u@contoso.test",
        password=Secret(PASSWORD),
        auth_method=AuthMethod.BASIC,
    )
    cmd = to_curl(prepared)
    assert SECRET not in cmd and PASSWORD not in cmd and "Basic " not in cmd
    assert "${USER_PASSWORD}" in cmd and '":${CLIENT_SECRET}"' in cmd


def test_powershell_reads_secret_from_environment() -> None:
    """The PowerShell command uses $env:CLIENT_SECRET and quotes values safely."""
    ps = to_powershell(_prepared(username="o'brien@x.test", grant=GrantType.PASSWORD,
                                 password=Secret(PASSWORD)))  # fmt: skip
    assert SECRET not in ps and PASSWORD not in ps
    assert "client_secret = $env:CLIENT_SECRET" in ps
    assert "password      = $env:USER_PASSWORD" in ps
    assert "'o''brien@x.test'" in ps
    assert "Invoke-RestMethod -Method Post -Uri 'https://login.microsoftonline.com/" in ps


def test_certificate_export_says_the_assertion_must_be_signed(tmp_path) -> None:
    """curl and PowerShell read the assertion from $CLIENT_ASSERTION, explain how it must be
    signed, and never contain the assertion this tool signed."""
    from core.token.credential.certificate import load_certificate
    from core.token.export import to_curl, to_powershell
    from core.token.models import CredentialKind
    from tests.core import certkit as ck

    key = ck.rsa_key()
    path = ck.write(tmp_path, "c.pem", ck.cert_pem(ck.cert(key)) + ck.key_pem(key))
    prepared = build_request(TokenRequestInput(
        tenant="contoso.example", client_id="c1", scope="s/.default",
        credential=CredentialKind.CERTIFICATE, certificate=load_certificate(path)))  # fmt: skip
    signed = dict(prepared.form)["client_assertion"].reveal()
    for text in (to_curl(prepared), to_powershell(prepared)):
        assert signed not in text and "CLIENT_ASSERTION" in text
        assert "must be a JWT signed with the certificate's private key" in text
        assert prepared.certificate.x5t_s256 in text and f"aud = {prepared.url}" in text
