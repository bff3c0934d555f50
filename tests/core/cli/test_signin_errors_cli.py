"""`token --grant auth-code | device-code` for the errors test_signin_cli.py does not cover: a
wrong verifier, a code used twice, device code declined, expired and slow_down, and a
confidential app signing in with its certificate. The browser is made of HTTP requests and goes
through the sandbox's pages, as a user's browser would."""

from __future__ import annotations

import json
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pytest
import requests

import main
from core.cli import signin_cmd
from core.sandbox import PFX_PASSWORD, Sandbox
from core.sandbox import directory as d
from core.signin.pkce import Pkce
from tests.fakes.signin_browser import PageBrowser

ALEX = f"alex@{d.CONTOSO.domain}"


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as sb:
        yield sb


def _run(sb: Sandbox, capsys: Any, grant: str, *extra: str) -> tuple[int, dict[str, Any]]:
    code = main.main(["token", "--cloud", "sandbox", "--authority", sb.base_url, "--tenant",
                      d.CONTOSO.domain, "--client-id", d.DESKTOP.client_id, "--grant", grant,
                      "--scope", "User.Read", "--redirect-host", "localhost", "--json",
                      *extra])  # fmt: skip
    return code, json.loads(capsys.readouterr().out)


def test_wrong_verifier(sandbox: Sandbox, capsys: Any, monkeypatch: Any) -> None:
    """The challenge is changed on its way to the sign-in page: AADSTS501481 on redemption."""

    def tamper(url: str) -> str:
        parts = urlsplit(url)
        query = parse_qs(parts.query)
        if "code_challenge" in query:
            query["code_challenge"] = [Pkce.new().challenge]
        return urlunsplit(parts._replace(query=urlencode(query, doseq=True)))

    monkeypatch.setattr(signin_cmd, "OPEN_URL", PageBrowser(ALEX, d.PASSWORD,
                                                            before_get=tamper).open)  # fmt: skip
    code, doc = _run(sandbox, capsys, "auth-code")
    assert code == 1 and doc["diagnosis"]["code"] == "AADSTS501481"


def test_code_used_twice(sandbox: Sandbox, capsys: Any, monkeypatch: Any) -> None:
    """Someone redeems the code before the tester does (a double submit): AADSTS54005."""
    token_url = f"{sandbox.base_url}/{d.CONTOSO.domain}/oauth2/v2.0/token"

    def redeem_first(url: str) -> str:
        found = parse_qs(urlsplit(url).query).get("code")
        if urlsplit(url).hostname == "localhost" and found:
            requests.post(token_url, timeout=10, data={
                "client_id": d.DESKTOP.client_id, "grant_type": "authorization_code",
                "code": found[0], "redirect_uri": url.split("?")[0], "code_verifier": "x" * 43,
            })  # fmt: skip
        return url

    browser = PageBrowser(ALEX, d.PASSWORD, before_get=redeem_first)
    monkeypatch.setattr(signin_cmd, "OPEN_URL", browser.open)
    code, doc = _run(sandbox, capsys, "auth-code")
    assert code == 1 and doc["diagnosis"]["code"] == "AADSTS54005"


def test_confidential_app_signs_in_with_its_certificate(sandbox: Sandbox, capsys: Any,
                                                        monkeypatch: Any) -> None:  # fmt: skip
    """Contoso Daemon (redirect http://localhost/auth) redeems the code with a certificate
    assertion: the verifier and the assertion are sent, both masked in the output."""
    monkeypatch.setattr(signin_cmd, "OPEN_URL", PageBrowser(ALEX, d.PASSWORD).open)
    monkeypatch.setenv("ETT_TEST_PFX_PASSWORD", PFX_PASSWORD)
    code, doc = _run(sandbox, capsys, "auth-code", "--client-id", d.DAEMON.client_id,
                     "--redirect-path", "/auth", "--certificate",
                     str(sandbox.files_dir / "contoso-daemon.pfx"),
                     "--certificate-password-env", "ETT_TEST_PFX_PASSWORD")  # fmt: skip
    assert code == 0, doc
    form = doc["request"]["form"]
    assert form["client_assertion"] == form["code_verifier"] == "********"
    assert doc["signin"]["redirect_uri"].endswith("/auth")


def _device(sb: Sandbox, capsys: Any, monkeypatch: Any, browser: PageBrowser,
            on_code: Callable[[], None] = lambda: None, after_s: float = 0.0,
            *extra: str) -> tuple[int, dict[str, Any]]:  # fmt: skip
    seen: dict[str, str] = {}

    def say(text: str) -> None:
        print(text, file=sys.stderr)
        key, _, value = text.partition(": ")
        seen[key] = value
        if key == "Open":
            on_code()
            if browser.user:
                timer = threading.Timer(after_s, browser.device_sign_in, (value, seen["Code"]))
                timer.daemon = True
                timer.start()

    monkeypatch.setattr(signin_cmd, "_say", say)
    return _run(sb, capsys, "device-code", *extra)


def test_device_code_declined(sandbox: Sandbox, capsys: Any, monkeypatch: Any) -> None:
    code, doc = _device(sandbox, capsys, monkeypatch, PageBrowser(ALEX, d.PASSWORD, "decline"),
                        lambda: None, 0.0, "--scope", "Calendars.Read")  # fmt: skip
    assert code == 1 and doc["error"]["error"] == "authorization_declined"


def test_device_code_expired(sandbox: Sandbox, capsys: Any, monkeypatch: Any) -> None:
    """Nobody signs in before the code expires (the sandbox's clock jumps an hour ahead)."""
    later = lambda: time.time() + 3600  # noqa: E731
    code, doc = _device(sandbox, capsys, monkeypatch, PageBrowser(),
                        lambda: monkeypatch.setattr(sandbox.signin, "clock", later))  # fmt: skip
    assert code == 1 and doc["error"]["error"] == "expired_token"
    assert doc["diagnosis"]["code"] == "AADSTS70019"


def test_device_code_slow_down(sandbox: Sandbox, capsys: Any, monkeypatch: Any) -> None:
    """The server wants 3 s between polls after saying 1 s: slow_down, then 5 s more, then the
    token once the user signed in."""
    state = sandbox.signin

    def stricter() -> None:
        with state.lock:
            for key, grant in state.devices.items():
                state.devices[key] = replace(grant, interval=3)

    started = time.monotonic()
    code, doc = _device(sandbox, capsys, monkeypatch, PageBrowser(ALEX, d.PASSWORD), stricter,
                        1.6)  # fmt: skip
    assert code == 0 and doc["signin"]["user"]["username"] == ALEX
    assert time.monotonic() - started >= 6.0
