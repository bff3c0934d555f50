"""A saved profile with a sign-in grant: its redirect (host, port, path), prompt and hints come
back from the file, and `token --profile NAME` signs in with them (options given on top win);
nothing of the sign-in (code, verifier, refresh token) is ever written to the config folder."""

from __future__ import annotations

import json
import socket
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

import main
from core.cli import signin_cmd
from core.sandbox import Sandbox
from core.sandbox import directory as d
from core.store.profile import Profile, to_input
from core.store.profiles import ProfileStore
from core.token.models import GrantType
from tests.fakes.signin_browser import PageBrowser

ALEX = f"alex@{d.CONTOSO.domain}"


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as sb:
        yield sb


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _save(folder: Path, sb: Sandbox, **fields: object) -> Profile:
    values: dict[str, object] = {
        "name": "desktop", "cloud": "sandbox", "authority": sb.base_url,
        "tenant": d.CONTOSO.domain, "client_id": d.DESKTOP.client_id,
        "grant": GrantType.AUTHORIZATION_CODE, "scope": "User.Read", **fields,
    }  # fmt: skip
    return ProfileStore(folder).save(Profile(**values))  # type: ignore[arg-type]


def _written(folder: Path) -> str:
    return "\n".join(p.read_text("utf-8", "replace") for p in folder.rglob("*") if p.is_file())


def test_sign_in_settings_round_trip_through_the_file(config_dir: Path, sandbox: Sandbox) -> None:
    """Redirect host, port and path, prompt and hints are saved and read back as they were."""
    port = _free_port()
    saved = _save(config_dir, sandbox, redirect_host="localhost", redirect_port=port,
                  redirect_path="/auth", prompt="login", login_hint=ALEX,
                  domain_hint="contoso.example")  # fmt: skip
    again = ProfileStore(config_dir).require("desktop")
    assert again == saved
    inputs = to_input(again)
    assert (inputs.redirect_host, inputs.redirect_port, inputs.redirect_path) == (
        "localhost", port, "/auth")  # fmt: skip
    assert (inputs.prompt, inputs.login_hint, inputs.domain_hint) == (
        "login", ALEX, "contoso.example")  # fmt: skip
    device = _save(config_dir, sandbox, name="tv", grant=GrantType.DEVICE_CODE)
    assert ProfileStore(config_dir).require("tv").grant is GrantType.DEVICE_CODE == device.grant


def test_a_port_out_of_range_in_the_file_is_refused(config_dir: Path) -> None:
    """A hand-edited port that is no TCP port makes the file unusable, with a plain reason."""
    config_dir.mkdir(parents=True)
    doc = {"schema_version": 1, "profiles": [{"name": "x", "redirect_port": 70000}]}
    (config_dir / "profiles.json").write_text(json.dumps(doc), "utf-8")
    report = ProfileStore(config_dir).load()
    assert "redirect_port" in report.problem and "65535" in report.problem


def test_token_profile_signs_in_with_the_saved_redirect_and_hints(
    config_dir: Path, sandbox: Sandbox, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """`token --profile` of an auth-code profile listens where the profile says and sends its
    prompt and login hint; the code, verifier and refresh token are printed and stored nowhere."""
    port = _free_port()
    _save(config_dir, sandbox, redirect_host="localhost", redirect_port=port, prompt="login",
          login_hint=ALEX)  # fmt: skip
    browser = PageBrowser(ALEX, d.PASSWORD)
    monkeypatch.setattr(signin_cmd, "OPEN_URL", browser.open)
    code = main.main(["token", "--profile", "desktop", "--json"])
    out, err = capsys.readouterr()
    assert code == 0, out + err
    doc = json.loads(out)
    assert doc["signin"]["user"]["username"] == ALEX
    assert doc["signin"]["redirect_uri"] == f"http://localhost:{port}/"
    query = parse_qs(urlsplit(browser.urls[0]).query)
    assert query["prompt"] == ["login"] and query["login_hint"] == [ALEX]
    held = [*sandbox.signin.refresh_tokens, *sandbox.signin.codes]
    assert held and not any(t in out + err + _written(config_dir) for t in held)


def test_options_given_on_top_of_the_profile_win(
    config_dir: Path, sandbox: Sandbox, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """--redirect-host 127.0.0.1 over a localhost profile: Contoso Desktop registers only
    http://localhost, so the sign-in page says AADSTS50011 and nothing comes back."""
    _save(config_dir, sandbox, redirect_host="localhost")
    browser = PageBrowser(ALEX, d.PASSWORD)
    monkeypatch.setattr(signin_cmd, "OPEN_URL", browser.open)
    code = main.main(["token", "--profile", "desktop", "--redirect-host", "127.0.0.1",
                      "--timeout", "1.5"])  # fmt: skip
    assert code == 3 and "AADSTS50011" in browser.last_page
    assert "redirect_uri=http%3A%2F%2F127.0.0.1" in browser.urls[0]
    capsys.readouterr()


def test_token_profile_with_a_device_code_grant(
    config_dir: Path, sandbox: Sandbox, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """A device code profile prints Code: and Open: on stderr and signs in."""
    _save(config_dir, sandbox, grant=GrantType.DEVICE_CODE)
    browser, seen = PageBrowser(ALEX, d.PASSWORD), {}

    def say(text: str) -> None:
        print(text, file=sys.stderr)
        key, _, value = text.partition(": ")
        seen[key] = value
        if key == "Open":
            threading.Thread(target=browser.device_sign_in, args=(value, seen["Code"]),
                             daemon=True).start()  # fmt: skip

    monkeypatch.setattr(signin_cmd, "_say", say)
    code = main.main(["token", "--profile", "desktop", "--json"])
    out, err = capsys.readouterr()
    assert code == 0, out + err
    doc = json.loads(out)
    assert doc["signin"]["grant"] == "device-code" and doc["signin"]["user"]["username"] == ALEX
    assert not any(t in out + err + _written(config_dir) for t in sandbox.signin.refresh_tokens)


def test_default_sign_in_settings_are_not_written(config_dir: Path, sandbox: Sandbox) -> None:
    """A profile without sign-in settings writes none of them (older versions read it as is)."""
    _save(config_dir, sandbox, grant=GrantType.CLIENT_CREDENTIALS)
    written = (config_dir / "profiles.json").read_text("utf-8")
    assert "redirect_" not in written and "prompt" not in written
    _save(config_dir, sandbox, name="b", redirect_path="/auth")
    again = ProfileStore(config_dir).require("b")
    assert again.redirect_path == "/auth" and again.redirect_host == "127.0.0.1"


def test_profiles_show_names_the_redirect_and_hints(
    config_dir: Path, sandbox: Sandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    """`profiles show` of an auth-code profile gives its redirect, prompt and hints."""
    _save(config_dir, sandbox, redirect_host="localhost", redirect_port=8400,
          redirect_path="/auth", prompt="consent", login_hint=ALEX)  # fmt: skip
    _save(config_dir, sandbox, name="any", redirect_path="/cb")
    assert main.main(["profiles", "show", "desktop"]) == 0
    out = capsys.readouterr().out
    assert "redirect        http://localhost:8400/auth\n" in out
    assert "prompt          consent\n" in out and f"login hint      {ALEX}\n" in out
    assert main.main(["profiles", "show", "any"]) == 0
    assert "redirect        http://127.0.0.1/cb (any free port)\n" in capsys.readouterr().out
