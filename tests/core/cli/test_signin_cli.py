"""`token --grant auth-code | device-code` against the sandbox: a browser made of HTTP requests
goes through the sandbox's pages, as a user's browser would; Code/Open lines on stderr."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import main
from core.cli import signin_cmd
from core.sandbox import Sandbox
from core.sandbox import directory as d
from tests.fakes.signin_browser import PageBrowser

ROOT = Path(__file__).resolve().parents[3]
ALEX, MORGAN, RILEY = (f"{n}@{d.CONTOSO.domain}" for n in ("alex", "morgan", "riley"))


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as sb:
        yield sb


def _argv(sb: Sandbox, grant: str, *extra: str) -> list[str]:
    return ["token", "--cloud", "sandbox", "--authority", sb.base_url, "--tenant",
            d.CONTOSO.domain, "--client-id", d.DESKTOP.client_id, "--grant", grant,
            "--scope", "User.Read", *extra]  # fmt: skip


def _auth_code(sb: Sandbox, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
               browser: PageBrowser, *extra: str) -> tuple[int, str, str]:  # fmt: skip
    monkeypatch.setattr(signin_cmd, "OPEN_URL", browser.open)
    code = main.main(_argv(sb, "auth-code", "--redirect-host", "localhost", *extra))
    out, err = capsys.readouterr()
    return code, out, err


def test_auth_code_signs_in_and_says_who(sandbox: Sandbox, capsys: Any, monkeypatch: Any) -> None:
    browser = PageBrowser(ALEX, d.PASSWORD)
    code, out, err = _auth_code(sandbox, capsys, monkeypatch, browser, "--json")
    assert code == 0, out + err
    doc = json.loads(out)
    assert doc["ok"] and doc["token"]["has_refresh_token"] and doc["token"]["has_id_token"]
    signin = doc["signin"]
    assert signin["grant"] == "auth-code" and signin["user"]["username"] == ALEX
    assert signin["user"]["guest"] is False and signin["redirect_uri"].startswith(
        "http://localhost:"
    )
    assert {c["name"]: c["ok"] for c in signin["id_token_checks"]} == {
        "signature": True,
        "audience": True,
        "nonce": True,
        "issuer": True,
        "expiry": True,
    }
    assert signin["redirect_to_result_ms"] >= 0
    opened = [line for line in err.splitlines() if line.startswith("Open: ")]
    assert len(opened) == 1 and opened[0][6:] == browser.urls[0]
    assert "You can close this tab" in browser.last_page
    # the refresh token, the code and the verifier are never printed
    form = doc["request"]["form"]
    assert form["code_verifier"] == form["code"] == "********"
    assert not re.search(r"[01]\.A[\w-]{20}", out + err)  # the sandbox's codes and refresh tokens


@pytest.mark.parametrize(("user", "consent", "scope", "expected", "exit_code"), [
    (MORGAN, "accept", "User.Read", "AADSTS50076", 1),
    (ALEX, "decline", "Calendars.Read", "AADSTS65004", 1),
    (RILEY, "accept", "User.Read", "AADSTS70008", 1),
])  # fmt: skip
def test_auth_code_errors_are_diagnosed(sandbox: Sandbox, capsys: Any, monkeypatch: Any,
                                        user: str, consent: str, scope: str, expected: str,
                                        exit_code: int) -> None:  # fmt: skip
    browser = PageBrowser(user, d.PASSWORD, consent)
    code, out, _ = _auth_code(sandbox, capsys, monkeypatch, browser, "--scope", scope, "--json")
    doc = json.loads(out)
    assert code == exit_code and doc["diagnosis"]["code"] == expected


def test_unregistered_redirect_times_out_with_the_page_saying_why(
        sandbox: Sandbox, capsys: Any, monkeypatch: Any) -> None:  # fmt: skip
    browser = PageBrowser(ALEX, d.PASSWORD)
    monkeypatch.setattr(signin_cmd, "OPEN_URL", browser.open)
    code = main.main(_argv(sandbox, "auth-code", "--timeout", "1.5"))  # 127.0.0.1: not registered
    out, _ = capsys.readouterr()
    assert code == 3 and "timeout" in out.lower()
    assert "AADSTS50011" in browser.last_page


def test_no_browser_prints_the_url_and_still_listens(sandbox: Sandbox, capsys: Any,
                                                     monkeypatch: Any) -> None:  # fmt: skip
    opened: list[str] = []
    monkeypatch.setattr(signin_cmd, "OPEN_URL", opened.append)
    browser = PageBrowser(ALEX, d.PASSWORD)

    def say(text: str) -> None:
        print(text, file=sys.stderr)
        if text.startswith("Open: "):
            threading.Thread(target=browser.open, args=(text[6:],), daemon=True).start()

    monkeypatch.setattr(signin_cmd, "_say", say)
    code = main.main(_argv(sandbox, "auth-code", "--redirect-host", "localhost", "--no-browser"))
    out, _ = capsys.readouterr()
    assert code == 0 and opened == [] and "Signed in: Alex Wilber" in out


def test_ipv6_or_remote_redirect_is_refused_before_anything(sandbox: Sandbox, capsys: Any) -> None:
    code = main.main(_argv(sandbox, "auth-code", "--redirect-path", "cb"))
    out, err = capsys.readouterr()
    assert code == 2 and "Redirect path" in out + err


def _device(sb: Sandbox, monkeypatch: Any, browser: PageBrowser, *extra: str) -> int:
    seen: dict[str, str] = {}

    def say(text: str) -> None:
        print(text, file=sys.stderr)
        key, _, value = text.partition(": ")
        seen[key] = value
        if {"Code", "Open"} <= set(seen) and key == "Open":
            threading.Thread(target=browser.device_sign_in, args=(seen["Open"], seen["Code"]),
                             daemon=True).start()  # fmt: skip

    monkeypatch.setattr(signin_cmd, "_say", say)
    return main.main(_argv(sb, "device-code", *extra))


def test_device_code_signs_in(sandbox: Sandbox, capsys: Any, monkeypatch: Any) -> None:
    code = _device(sandbox, monkeypatch, PageBrowser(ALEX, d.PASSWORD), "--json")
    out, err = capsys.readouterr()
    assert code == 0, out
    doc = json.loads(out)
    assert doc["signin"]["grant"] == "device-code" and doc["signin"]["user"]["username"] == ALEX
    assert f"Code: {doc['signin']['user_code']}" in err.splitlines()


def test_device_code_mfa_is_diagnosed(sandbox: Sandbox, capsys: Any, monkeypatch: Any) -> None:
    code = _device(sandbox, monkeypatch, PageBrowser(MORGAN, d.PASSWORD), "--json")
    doc = json.loads(capsys.readouterr().out)
    assert code == 1 and doc["diagnosis"]["code"] == "AADSTS50076"


def test_device_code_times_out_within_timeout(sandbox: Sandbox, capsys: Any,
                                              monkeypatch: Any) -> None:  # fmt: skip
    code = _device(sandbox, monkeypatch, PageBrowser(), "--timeout", "1.5")
    out, _ = capsys.readouterr()
    assert code == 3 and "No one signed in" in out


def test_issuer_discovery_names_the_endpoints(sandbox: Sandbox, capsys: Any,
                                              monkeypatch: Any) -> None:  # fmt: skip
    browser = PageBrowser(ALEX, d.PASSWORD)
    monkeypatch.setattr(signin_cmd, "OPEN_URL", browser.open)
    issuer = f"{sandbox.base_url}/{d.CONTOSO.id}/v2.0"
    code = main.main(["token", "--client-id", d.DESKTOP.client_id, "--grant", "auth-code",
                      "--issuer", issuer, "--scope", "User.Read", "--redirect-host",
                      "localhost", "--json"])  # fmt: skip
    doc = json.loads(capsys.readouterr().out)
    assert code == 0, doc
    checks = {c["name"]: c["ok"] for c in doc["signin"]["id_token_checks"]}
    assert checks["issuer"] is True and checks["signature"] is True


def test_device_code_lines_on_stderr_in_a_real_process(sandbox: Sandbox) -> None:
    """A script reads `Code:` and `Open:` from standard error; the result is on stdout."""
    proc = subprocess.Popen([sys.executable, "main.py", *_argv(sandbox, "device-code", "--json",
                                                                 "--timeout", "30")],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ})  # fmt: skip
    assert proc.stderr is not None
    found: dict[str, str] = {}
    for line in proc.stderr:
        key, _, value = line.rstrip("\n").partition(": ")
        found[key] = value
        if key == "Open":
            break
    PageBrowser(ALEX, d.PASSWORD).device_sign_in(found["Open"], found["Code"])
    out, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0 and json.loads(out)["ok"]
