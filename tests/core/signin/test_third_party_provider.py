"""Our flows against a third-party, standards-compliant OpenID provider (Authlib's grants):
`--issuer` discovery, auth code + PKCE with an ID token, device code, refresh."""

from __future__ import annotations

import threading
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from core.insight.idtoken import check_id_token
from core.signin import AuthCodeOptions, RefreshSession, discover, run_auth_code, run_device_code
from core.token.models import TokenRequestInput
from core.token.result import Outcome
from tests.fakes.authlib_oidc import CLIENT_ID, Provider, oidc_provider


@pytest.fixture
def provider() -> Iterator[Provider]:
    with oidc_provider() as p:
        yield p


def _follow(url: str) -> None:
    """A browser: the provider approves at once and redirects to our listener."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    opener.open(url, timeout=5).read()


def test_auth_code_with_pkce_and_id_token(provider: Provider) -> None:
    endpoints = discover(provider.issuer, timeout_s=5)
    assert endpoints.authorize_url == provider.issuer + "/authorize"
    inputs = TokenRequestInput(client_id=CLIENT_ID, scope="openid profile")
    done = run_auth_code(inputs, endpoints, AuthCodeOptions(timeout_s=10), open_url=_follow)
    assert done.result.outcome is Outcome.TOKEN, (done.result.error, done.result.body_text)
    token = done.result.token
    assert token is not None and token.id_token and token.refresh_token
    report = check_id_token(
        token.id_token,
        client_id=CLIENT_ID,
        nonce=done.nonce,
        issuers=endpoints.issuers,
        jwks_uri=endpoints.jwks_uri,
    )
    assert report.ok, report.checks
    assert report.user is not None and report.user.username == "ada@provider.example"
    again = RefreshSession(done.inputs, token.refresh_token).refresh()
    assert again.ok, again.body_text


def test_device_code(provider: Provider) -> None:
    endpoints = discover(provider.issuer, timeout_s=5)
    inputs = TokenRequestInput(client_id=CLIENT_ID, scope="openid profile")
    codes: list[Any] = []

    def on_code(code: Any) -> None:
        codes.append(code)
        threading.Timer(0.2, provider.approve, args=(code.user_code,)).start()

    done = run_device_code(inputs, endpoints, timeout_s=30, on_code=on_code)
    assert done.result.outcome is Outcome.TOKEN, (done.result.error, done.result.body_text)
    assert codes and codes[0].verification_uri == provider.issuer + "/device"
