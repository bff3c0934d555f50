"""Authorization code with PKCE: the authorize URL, the redirect, state, and the redemption."""

from __future__ import annotations

import threading
import urllib.request
from collections.abc import Callable, Iterator
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from core.insight.diagnosis import diagnose
from core.redaction import Secret
from core.signin import AuthCodeOptions, SignInEndpoints, run_auth_code
from core.signin.pkce import Pkce, s256
from core.signin.preflight import with_oidc_scopes
from core.token.models import Endpoint, TokenRequestInput
from core.token.result import FailureKind, Outcome
from tests.core.signin.scripted import ScriptedServer

CLIENT = "a0c98bb6-50e6-4455-bc94-3dbbbdd6351f"


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with ScriptedServer() as srv:
        srv.on(
            "/token",
            (
                200,
                {
                    "access_token": "at-" + "x" * 40,
                    "token_type": "Bearer",
                    "expires_in": 3600,
                    "refresh_token": "rt-" + "y" * 40,
                },
            ),
        )
        yield srv


def _endpoints(srv: ScriptedServer) -> SignInEndpoints:
    return SignInEndpoints(
        authorize_url=srv.base_url + "/authorize?p=1",
        token_url=srv.base_url + "/token",
        entra=False,
    )


def _inputs(**kw: object) -> TokenRequestInput:
    return TokenRequestInput(client_id=CLIENT, scope="api://orders/Orders.Read", **kw)  # type: ignore[arg-type]


class Seen(list[str]):
    """The URL opened and the page the listener answered; `page()` waits for that answer."""

    def __init__(self) -> None:
        super().__init__()
        self.answered = threading.Event()

    def page(self) -> str:
        assert self.answered.wait(5), "the browser got no page"
        return self[1]


def _browser(
    answer: dict[str, str] | None = None, *, state: str | None = None
) -> tuple[Seen, Callable[[str], None]]:
    """A browser that goes straight back to the redirect URI with a code (or `answer`)."""
    seen = Seen()

    def open_url(url: str) -> None:
        seen.append(url)
        q = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
        back = answer if answer is not None else {"code": "code-" + "c" * 30}
        back = {**back, "state": q["state"] if state is None else state}
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(q["redirect_uri"] + "?" + urlencode(back), timeout=5) as page:
            seen.append(page.read().decode())
        seen.answered.set()

    return seen, open_url


def test_pkce_pair_is_s256_and_new_each_time() -> None:
    a, b = Pkce.new(), Pkce.new()
    verifier = a.verifier.reveal()
    assert 43 <= len(verifier) <= 128 and a.challenge == s256(verifier) != b.challenge
    assert a.state != b.state and a.nonce != b.nonce and verifier not in repr(a)


def test_rfc7636_vector() -> None:
    assert s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk") == (
        "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    )


def test_sign_in_redeems_the_code_with_the_verifier_of_the_challenge(
    server: ScriptedServer,
) -> None:
    seen, browser = _browser()
    shown: list[str] = []
    options = AuthCodeOptions(
        prompt="select_account",
        login_hint="ann@contoso.example",
        domain_hint="contoso.example",
        timeout_s=20,
    )
    done = run_auth_code(
        _inputs(), _endpoints(server), options, open_url=browser, on_url=shown.append
    )
    assert done.ok, done.result
    assert shown == [seen[0]] and "You can close this tab" in seen.page()
    q = {k: v[0] for k, v in parse_qs(urlsplit(seen[0]).query).items()}
    assert q["p"] == "1" and q["client_id"] == CLIENT and q["response_type"] == "code"
    assert q["scope"] == "api://orders/Orders.Read openid profile offline_access"
    assert q["code_challenge_method"] == "S256" and q["nonce"] == done.nonce
    assert (q["prompt"], q["login_hint"], q["domain_hint"]) == (
        "select_account",
        "ann@contoso.example",
        "contoso.example",
    )
    assert q["redirect_uri"] == done.redirect_uri and done.redirect_uri.startswith(
        "http://127.0.0.1:"
    )
    form = server.posted("/token")[0]
    assert form["grant_type"] == "authorization_code" and form["code"] == "code-" + "c" * 30
    assert form["redirect_uri"] == done.redirect_uri and "client_secret" not in form
    assert s256(form["code_verifier"]) == q["code_challenge"]
    assert "code_verifier" not in seen[0] and form["code_verifier"] not in seen[0]
    assert done.redirect_to_result_ms is not None and done.redirect_to_result_ms >= 0
    assert "c" * 30 not in done.result.request.redacted_text()  # type: ignore[union-attr]


def test_confidential_client_sends_its_secret(server: ScriptedServer) -> None:
    _, browser = _browser()
    done = run_auth_code(
        _inputs(client_secret=Secret("s3cret-value-123")),
        _endpoints(server),
        AuthCodeOptions(timeout_s=20),
        open_url=browser,
    )
    assert done.ok and server.posted("/token")[0]["client_secret"] == "s3cret-value-123"


def test_error_in_the_redirect_is_refused_and_diagnosed(server: ScriptedServer) -> None:
    seen, browser = _browser(
        {
            "error": "invalid_request",
            "error_description": "AADSTS50011: The redirect URI does not match.",
        }
    )
    done = run_auth_code(
        _inputs(), _endpoints(server), AuthCodeOptions(timeout_s=20), open_url=browser
    )
    assert done.result.outcome is Outcome.REFUSED and done.stage == "authorize"
    d = diagnose(done.result)
    assert d is not None and d.code == "AADSTS50011"
    assert server.posted("/token") == [] and "Sign-in failed" in seen.page()


def test_another_state_is_not_redeemed(server: ScriptedServer) -> None:
    _, browser = _browser(state="forged")
    done = run_auth_code(
        _inputs(), _endpoints(server), AuthCodeOptions(timeout_s=20), open_url=browser
    )
    assert done.result.error is not None and done.result.error.error == "invalid_state"
    assert server.posted("/token") == []


def test_no_browser_answer_times_out_within_the_total(server: ScriptedServer) -> None:
    done = run_auth_code(
        _inputs(), _endpoints(server), AuthCodeOptions(timeout_s=0.4), open_url=lambda url: None
    )
    assert done.result.failure is not None and done.result.failure.kind is FailureKind.TIMEOUT


def test_a_failing_browser_still_leaves_the_url_shown(server: ScriptedServer) -> None:
    shown: list[str] = []

    def broken(url: str) -> None:
        raise OSError("no browser")

    done = run_auth_code(
        _inputs(),
        _endpoints(server),
        AuthCodeOptions(timeout_s=0.3),
        open_url=broken,
        on_url=shown.append,
    )
    assert shown and done.result.failure is not None


@pytest.mark.parametrize(
    ("options", "inputs", "code"),
    [
        (AuthCodeOptions(redirect_host="::1"), _inputs(), "redirect-ipv6"),
        (AuthCodeOptions(redirect_host="0.0.0.0"), _inputs(), "redirect-not-loopback"),
        (AuthCodeOptions(redirect_path="auth"), _inputs(), "redirect-path"),
        (AuthCodeOptions(prompt="always"), _inputs(), "prompt-unknown"),
        (
            AuthCodeOptions(),
            TokenRequestInput(client_id=CLIENT, scope="User.Read api://orders/Orders.Read"),
            "scope-several-resources",
        ),
    ],
)
def test_preflight_blocks_before_any_browser(
    server: ScriptedServer, options: AuthCodeOptions, inputs: TokenRequestInput, code: str
) -> None:
    opened: list[str] = []
    done = run_auth_code(inputs, _endpoints(server), options, open_url=opened.append)
    assert done.result.outcome is Outcome.BLOCKED and opened == []
    assert code in {f.code for f in done.result.findings}


def test_entra_endpoints_v1_name_the_resource() -> None:
    from core.signin import endpoints_for
    from core.signin.flow import authorize_url

    inputs = TokenRequestInput(
        tenant="contoso.example",
        client_id=CLIENT,
        endpoint=Endpoint.V1,
        resource="https://graph.microsoft.com",
    )
    ep = endpoints_for(inputs)
    assert ep.authorize_url == "https://login.microsoftonline.com/contoso.example/oauth2/authorize"
    assert ep.device_url.endswith("/contoso.example/oauth2/devicecode")
    url = authorize_url(ep, inputs, "http://localhost:1/", Pkce.new(), AuthCodeOptions())
    q = parse_qs(urlsplit(url).query)
    assert q["resource"] == ["https://graph.microsoft.com"] and q["scope"] == ["openid"]
    v2 = endpoints_for(TokenRequestInput(tenant="common"))
    assert v2.authorize_url.endswith("/common/oauth2/v2.0/authorize")
    assert v2.issuers == ("https://login.microsoftonline.com/{tenantid}/v2.0",)


def test_oidc_scopes_are_added_once() -> None:
    assert with_oidc_scopes("openid User.Read") == "openid User.Read profile offline_access"
