"""The sandbox's delegated sign-in: authorize pages, redirect rules, PKCE, code reuse and
expiry, MFA, consent, device code, refresh with rotation; and every sign-in scenario."""

from __future__ import annotations

import re
import threading
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests

from core.insight.diagnosis import diagnose
from core.sandbox import Sandbox, signin_scenarios
from core.sandbox import directory as d
from core.sandbox.signin_scenarios import SignInScenario
from core.sandbox.signin_state import redirect_matches
from core.signin import AuthCodeOptions, endpoints_for, run_auth_code, run_device_code
from core.signin.pkce import Pkce
from core.token.result import Outcome
from tests.core.sandbox.conftest import to_inputs
from tests.fakes.signin_browser import PageBrowser, hidden_fields

C = d.CONTOSO.domain
ALEX = f"alex@{C}"


def _session() -> requests.Session:
    s = requests.Session()
    s.trust_env = False
    return s


def _authorize(sb: Sandbox, pkce: Pkce, redirect: str = "http://localhost:5000/",
               user: str = ALEX, **extra: str) -> requests.Response:  # fmt: skip
    """Sign in on the sandbox's page by hand; the answer is the redirect (302) or a page."""
    q = {"client_id": d.DESKTOP.client_id, "response_type": "code", "redirect_uri": redirect,
         "scope": "User.Read offline_access openid", "state": pkce.state, "nonce": pkce.nonce,
         "code_challenge": pkce.challenge, "code_challenge_method": "S256", **extra}  # fmt: skip
    s = _session()
    page = s.get(f"{sb.base_url}/{C}/oauth2/v2.0/authorize?{urlencode(q)}", timeout=5)
    if "ctx" not in page.text:
        return page
    form = {**hidden_fields(page.text), "login": user, "passwd": d.PASSWORD}
    return s.post(f"{sb.base_url}/{C}/oauth2/v2.0/authorize", data=form,
                  allow_redirects=False, timeout=5)  # fmt: skip


def _code(answer: requests.Response) -> str:
    assert answer.status_code == 302, answer.text
    return parse_qs(urlsplit(answer.headers["Location"]).query)["code"][0]


def _redeem(sb: Sandbox, code: str, verifier: str, redirect: str = "http://localhost:5000/",
            ) -> requests.Response:  # fmt: skip
    form = {"grant_type": "authorization_code", "client_id": d.DESKTOP.client_id, "code": code,
            "redirect_uri": redirect, "code_verifier": verifier,
            "scope": "User.Read offline_access openid"}  # fmt: skip
    return _session().post(f"{sb.base_url}/{C}/oauth2/v2.0/token", data=form, timeout=5)


def test_redirect_rules() -> None:
    registered = ("http://localhost",)
    assert redirect_matches("http://localhost:51234/", registered)  # port ignored
    assert redirect_matches("http://localhost", registered)
    assert not redirect_matches("http://localhost:51234/callback", registered)  # path compared
    assert not redirect_matches("http://127.0.0.1:51234/", registered)  # another host
    assert not redirect_matches("https://localhost:51234/", registered)
    assert not redirect_matches("http://[::1]:51234/", registered)
    assert redirect_matches("http://localhost:8080/auth", ("http://localhost/auth",))
    assert not redirect_matches("http://localhost:8080/Auth", ("http://localhost/auth",))


def test_code_redeems_once_with_the_right_verifier(sandbox: Sandbox) -> None:
    pkce = Pkce.new()
    code = _code(_authorize(sandbox, pkce))
    wrong = _redeem(sandbox, code, Pkce.new().verifier.reveal())
    assert wrong.json()["error_codes"] == [501481] and wrong.json()["error"] == "invalid_grant"
    pkce2 = Pkce.new()
    code2 = _code(_authorize(sandbox, pkce2))
    good = _redeem(sandbox, code2, pkce2.verifier.reveal())
    assert good.status_code == 200 and {"access_token", "refresh_token", "id_token"} <= set(
        good.json()
    )
    again = _redeem(sandbox, code2, pkce2.verifier.reveal())
    assert again.json()["error_codes"] == [54005]


def test_expired_code_is_70008(sandbox: Sandbox) -> None:
    pkce = Pkce.new()
    code = _code(_authorize(sandbox, pkce))
    sandbox.signin.expire_codes()
    assert _redeem(sandbox, code, pkce.verifier.reveal()).json()["error_codes"] == [70008]


def test_redeeming_with_another_redirect_uri_is_refused(sandbox: Sandbox) -> None:
    pkce = Pkce.new()
    code = _code(_authorize(sandbox, pkce))
    answer = _redeem(sandbox, code, pkce.verifier.reveal(), "http://localhost:6000/")
    assert answer.json()["error_codes"] == [50011]


@pytest.mark.parametrize(("redirect", "code"), [
    ("http://127.0.0.1:5000/", "AADSTS50011"),
    ("http://localhost:5000/callback", "AADSTS50011"),
    ("", "AADSTS900971"),
])  # fmt: skip
def test_unregistered_redirects_are_shown_on_the_page(sandbox: Sandbox, redirect: str,
                                                      code: str) -> None:  # fmt: skip
    page = _authorize(sandbox, Pkce.new(), redirect)
    assert page.status_code == 400 and code in page.text and "Location" not in page.headers


def test_mfa_user_gets_the_page_and_50076_to_the_redirect(sandbox: Sandbox) -> None:
    page = _authorize(sandbox, Pkce.new(), user=f"morgan@{C}")
    assert page.status_code == 200 and "Multi-factor authentication required" in page.text
    link = re.search(r"href='([^']*)'", page.text)
    assert link is not None
    q = parse_qs(urlsplit(link.group(1).replace("&amp;", "&")).query)
    assert q["error"] == ["interaction_required"] and "AADSTS50076" in q["error_description"][0]


def test_wrong_password_stays_on_the_page(sandbox: Sandbox) -> None:
    s = _session()
    pkce = Pkce.new()
    q = {"client_id": d.DESKTOP.client_id, "response_type": "code", "state": pkce.state,
         "redirect_uri": "http://localhost:5000/", "scope": "User.Read"}  # fmt: skip
    page = s.get(f"{sandbox.base_url}/{C}/oauth2/v2.0/authorize?{urlencode(q)}", timeout=5)
    answer = s.post(f"{sandbox.base_url}/{C}/oauth2/v2.0/authorize",
                    data={**hidden_fields(page.text), "login": ALEX, "passwd": "nope"},
                    allow_redirects=False, timeout=5)  # fmt: skip
    assert answer.status_code == 200 and "AADSTS50126" in answer.text


def test_refresh_rotates_and_the_old_token_still_works(sandbox: Sandbox) -> None:
    pkce = Pkce.new()
    tokens = _redeem(sandbox, _code(_authorize(sandbox, pkce)), pkce.verifier.reveal()).json()
    url = f"{sandbox.base_url}/{C}/oauth2/v2.0/token"

    def refresh(rt: str, scope: str) -> dict:  # type: ignore[type-arg]
        form = {"grant_type": "refresh_token", "client_id": d.DESKTOP.client_id,
                "refresh_token": rt, "scope": scope}  # fmt: skip
        return _session().post(url, data=form, timeout=5).json()  # type: ignore[no-any-return]

    first = refresh(tokens["refresh_token"], "User.Read offline_access")
    assert first["refresh_token"] != tokens["refresh_token"]
    other = refresh(tokens["refresh_token"], f"{d.API_URI}/Orders.Read offline_access")
    assert "access_token" in other and other["scope"].startswith(d.API_URI)
    assert refresh("0.Anot-a-token", "User.Read")["error_codes"] == [9002313]
    assert refresh(first["refresh_token"], "Calendars.Read")["error_codes"] == [65001]


def test_device_code_polling_errors(sandbox: Sandbox) -> None:
    url = f"{sandbox.base_url}/{C}/oauth2/v2.0"
    s = _session()
    dc = s.post(f"{url}/devicecode", data={"client_id": d.DESKTOP.client_id,
                                           "scope": "User.Read"}, timeout=5).json()  # fmt: skip
    assert dc["verification_uri"] == sandbox.base_url + "/devicelogin" and dc["interval"] >= 1

    def poll(code: str) -> dict:  # type: ignore[type-arg]
        form = {"grant_type": "urn:ietf:params:oauth:grant-type:device_code",
                "client_id": d.DESKTOP.client_id, "device_code": code}  # fmt: skip
        return s.post(f"{url}/token", data=form, timeout=5).json()  # type: ignore[no-any-return]

    assert poll(dc["device_code"])["error"] == "authorization_pending"
    assert poll(dc["device_code"])["error"] == "slow_down"  # at once again: too fast
    assert poll("not-a-code")["error"] == "bad_verification_code"
    browser = PageBrowser(ALEX, d.PASSWORD)
    browser.device_sign_in(dc["verification_uri"], dc["user_code"].lower())
    assert "You may now close this window" in browser.last_page
    assert "access_token" in poll(dc["device_code"])
    assert poll(dc["device_code"])["error"] == "bad_verification_code"  # used once


def _run(sandbox: Sandbox, scenario: SignInScenario):  # type: ignore[no-untyped-def]
    inputs = to_inputs(scenario.form, sandbox)
    endpoints = endpoints_for(inputs)
    browser = PageBrowser(scenario.user, scenario.password, scenario.consent)
    if scenario.form["grant"] == "authorization_code":
        options = AuthCodeOptions(redirect_host=scenario.redirect_host, timeout_s=3)
        return run_auth_code(inputs, endpoints, options, open_url=browser.open), browser

    def on_code(code) -> None:  # type: ignore[no-untyped-def]
        args = (code.verification_uri, code.user_code)
        threading.Thread(target=browser.device_sign_in, args=args, daemon=True).start()

    return run_device_code(inputs, endpoints, timeout_s=20, on_code=on_code), browser


@pytest.mark.parametrize("scenario", signin_scenarios(), ids=lambda s: s.key)
def test_every_signin_scenario_ends_as_it_says(sandbox: Sandbox,
                                                scenario: SignInScenario) -> None:  # fmt: skip
    done, browser = _run(sandbox, scenario)
    result = done.result
    if scenario.expect == "token":
        assert result.outcome is Outcome.TOKEN, (result.error, result.failure, browser.pages[-1:])
        assert result.token is not None and result.token.refresh_token
        if scenario.form["endpoint"] == "v2":
            assert result.token.id_token
    elif scenario.expect == "timeout":
        assert result.failure is not None and result.failure.kind.value == "timeout"
        assert "AADSTS50011" in browser.last_page
    else:
        diagnosis = diagnose(result)
        assert diagnosis is not None
        codes = {diagnosis.code, *(p.code for p in diagnosis.parts)}
        assert scenario.expect in codes or (result.error and result.error.error == scenario.expect)


def test_quinn_makes_the_next_poll_slow_down_and_sam_gets_a_used_code(sandbox: Sandbox) -> None:
    """The slow_down demo: after Quinn signs in, one poll gets slow_down and the tester then
    waits 5 s more; the double-submit demo: Sam's code is refused as redeemed (AADSTS54005)."""
    by_key = {s.key: s for s in signin_scenarios()}
    scenario = by_key["device-code-slow-down"]
    inputs = to_inputs(scenario.form, sandbox)
    browser = PageBrowser(scenario.user, scenario.password)
    pauses: list[float] = []

    def sleep(seconds: float) -> None:
        pauses.append(seconds)
        threading.Event().wait(min(seconds, 1.0))  # long enough for the sign-in to finish

    def on_code(code) -> None:  # type: ignore[no-untyped-def]
        args = (code.verification_uri, code.user_code)
        threading.Thread(target=browser.device_sign_in, args=args, daemon=True).start()

    done = run_device_code(inputs, endpoints_for(inputs), timeout_s=20, on_code=on_code,
                           sleep=sleep)  # fmt: skip
    assert done.result.outcome is Outcome.TOKEN and pauses[-1] == 1 + 5
    done, _ = _run(sandbox, by_key["auth-code-code-reused"])
    assert done.result.error is not None and done.result.error.error_codes == (54005,)
