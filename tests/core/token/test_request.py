"""Request building: exact URLs, form fields and headers for every grant, endpoint and auth."""

from __future__ import annotations

import base64
from urllib.parse import parse_qsl

import pytest

from core.redaction import Secret
from core.token.authority import CLOUDS, default_target, get_cloud, token_url
from core.token.models import AuthMethod, Endpoint, GrantType, TokenRequestInput
from core.token.request import RequestBuildError, build_request

TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
CLIENT = "6e74172b-be56-4843-9ff4-e66a39bb12e3"
SECRET = "Xy8Q~a+b/c=d&e f%g"  # characters that must be form-encoded


def _inputs(**kw: object) -> TokenRequestInput:
    base: dict[str, object] = {
        "tenant": TENANT,
        "client_id": CLIENT,
        "client_secret": Secret(SECRET),
        "scope": "https://graph.microsoft.com/.default",
    }
    base.update(kw)
    return TokenRequestInput(**base)  # type: ignore[arg-type]


def test_client_credentials_v2_body_fields() -> None:
    """v2 client credentials sends exactly grant_type, client_id, scope and client_secret."""
    req = build_request(_inputs())
    assert req.method == "POST"
    assert req.url == f"https://login.microsoftonline.com/{TENANT}/oauth2/v2.0/token"
    assert parse_qsl(req.body()) == [
        ("grant_type", "client_credentials"),
        ("client_id", CLIENT),
        ("scope", "https://graph.microsoft.com/.default"),
        ("client_secret", SECRET),
    ]
    assert req.header("Authorization") is None


def test_client_credentials_v1_uses_resource() -> None:
    """v1 names the API with resource, at /oauth2/token."""
    req = build_request(
        _inputs(endpoint=Endpoint.V1, scope="", resource="https://graph.microsoft.com")
    )
    assert req.url.endswith(f"/{TENANT}/oauth2/token")
    fields = dict(parse_qsl(req.body()))
    assert fields["resource"] == "https://graph.microsoft.com"
    assert "scope" not in fields


def test_secret_is_form_encoded_in_body() -> None:
    """Special characters of the secret are percent-encoded, so '+' is not read as a space."""
    body = build_request(_inputs()).body()
    assert "client_secret=Xy8Q~a%2Bb%2Fc%3Dd%26e+f%25g" in body


def test_basic_auth_follows_rfc6749_encoding() -> None:
    """HTTP Basic form-encodes id and secret before base64, and leaves the body secret-free."""
    req = build_request(_inputs(auth_method=AuthMethod.BASIC))
    header = req.header("Authorization")
    assert isinstance(header, Secret)
    scheme, encoded = header.reveal().split(" ")
    assert scheme == "Basic"
    assert base64.b64decode(encoded).decode() == f"{CLIENT}:Xy8Q~a%2Bb%2Fc%3Dd%26e+f%25g"
    fields = dict(parse_qsl(req.body()))
    assert "client_secret" not in fields
    assert fields["client_id"] == CLIENT


def test_password_grant_public_client_has_no_secret() -> None:
    """ROPC without a secret sends username and password and no client_secret."""
    req = build_request(
        _inputs(
            grant=GrantType.PASSWORD,
            client_secret=None,
            username="ada@contoso.test",
            password=Secret("p@ss word"),
            scope="User.Read openid",
        )
    )
    assert parse_qsl(req.body()) == [
        ("grant_type", "password"),
        ("client_id", CLIENT),
        ("scope", "User.Read openid"),
        ("username", "ada@contoso.test"),
        ("password", "p@ss word"),
    ]


def test_password_grant_confidential_client_adds_secret() -> None:
    """ROPC with a secret carries both the password and the client secret."""
    req = build_request(
        _inputs(grant=GrantType.PASSWORD, username="u@x.test", password=Secret("pw"))
    )
    fields = dict(parse_qsl(req.body()))
    assert fields["password"] == "pw" and fields["client_secret"] == SECRET


def test_every_request_gets_a_fresh_client_request_id() -> None:
    """Each build carries a new client-request-id and asks for it back."""
    a, b = build_request(_inputs()), build_request(_inputs())
    assert a.client_request_id != b.client_request_id
    assert a.header("client-request-id") == a.client_request_id
    assert a.header("return-client-request-id") == "true"


@pytest.mark.parametrize("cloud", [c for c in CLOUDS if c.authority], ids=lambda c: c.key)
@pytest.mark.parametrize("endpoint", list(Endpoint))
def test_urls_for_every_cloud(cloud, endpoint) -> None:  # type: ignore[no-untyped-def]
    """Every cloud's token URL is its login host + tenant + the endpoint's path."""
    req = build_request(_inputs(cloud=cloud.key, endpoint=endpoint))
    path = "oauth2/token" if endpoint is Endpoint.V1 else "oauth2/v2.0/token"
    assert req.url == f"{cloud.authority}/{TENANT}/{path}"
    assert req.url.startswith("https://")


def test_known_cloud_hosts() -> None:
    """The main clouds use the login hosts of the facts file."""
    assert get_cloud("usgov").authority == "https://login.microsoftonline.us"
    assert get_cloud("china").authority == "https://login.partner.microsoftonline.cn"
    assert default_target(get_cloud("usgov"), Endpoint.V2) == "https://graph.microsoft.us/.default"
    assert default_target(get_cloud("global"), Endpoint.V1) == "https://graph.microsoft.com"


def test_custom_token_url_replaces_cloud_and_tenant() -> None:
    """A custom token URL is used as is, with no tenant needed."""
    req = build_request(_inputs(token_url="https://idp.example/oauth/token", tenant=""))
    assert req.url == "https://idp.example/oauth/token"
    assert req.endpoint is None


def test_sandbox_needs_its_address() -> None:
    """The sandbox cloud uses the authority given; without one there is no URL to build."""
    req = build_request(_inputs(cloud="sandbox", authority="http://127.0.0.1:5000/"))
    assert req.url == token_url("http://127.0.0.1:5000", TENANT, Endpoint.V2)
    with pytest.raises(RequestBuildError):
        build_request(_inputs(cloud="sandbox"))


def test_prepared_request_repr_and_preview_hide_secrets() -> None:
    """Neither repr nor the redacted preview of a request contains the secret or password."""
    req = build_request(
        _inputs(
            grant=GrantType.PASSWORD,
            username="u@x.test",
            password=Secret("hunter2-pw"),
            auth_method=AuthMethod.BASIC,
        )
    )
    for text in (repr(req), str(req), req.redacted_text(), str(req.redacted_form())):
        assert SECRET not in text
        assert "hunter2-pw" not in text
        assert base64.b64encode(SECRET.encode()).decode()[:12] not in text


def test_headers_exactly_and_errors_named() -> None:
    """The headers sent, in order and by exact name and value; an unknown cloud or a missing
    tenant are named; a password grant without a password still sends the field (empty)."""
    prepared = build_request(
        TokenRequestInput(tenant="t.example", client_id="c", client_secret=Secret("s"),
                          auth_method=AuthMethod.BASIC, grant=GrantType.PASSWORD,
                          username="u"),
        client_request_id="rid",
    )  # fmt: skip
    names = [(k, v if isinstance(v, str) else "secret") for k, v in prepared.headers]
    assert names == [
        ("Accept", "application/json"),
        ("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
        ("User-Agent", "entra-token-tester/0.1"),
        ("client-request-id", "rid"),
        ("return-client-request-id", "true"),
        ("Authorization", "secret"),
    ]
    assert dict(parse_qsl(prepared.body(), keep_blank_values=True))["password"] == ""
    assert prepared.grant is GrantType.PASSWORD
    with pytest.raises(RequestBuildError, match="unknown cloud 'mars'"):
        build_request(TokenRequestInput(cloud="mars", tenant="t.example"))
    url = build_request(TokenRequestInput(client_id="c")).url
    assert url == "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token"
    with pytest.raises(RequestBuildError, match=r"^the token URL cannot be used: it carries"):
        build_request(TokenRequestInput(token_url="https://a:b@x.example/t"))
