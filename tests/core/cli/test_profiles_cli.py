"""`profiles list|show` and `token --profile`: config folder, keychain secret, overrides."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

import pytest

from core.redaction import Secret
from core.store.history import HistoryEntry, HistoryStore
from core.store.profile import Profile
from core.store.profiles import ProfileStore
from core.store.secret_store import SecretKind, SecretRef, open_secret_store
from core.token.models import GrantType
from main import main
from tests.core.keychain import SecretService

SECRET = "Kk3Q~cli-profile-secret-0123456789abcdef"
PASSWORD = "cli-profile-password-!x9"
TOKEN = "eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.eyJyb2xlcyI6WyJSZWFkIl19."
CLIENT_ID = "6e74172b-be56-4843-9ff4-e66a39bb12e3"


ROOT = Path(__file__).resolve().parents[3]
NO_KEYCHAIN = "keyring.backends.fail.Keyring"
REAL_KEYCHAIN = "keyring.backends.SecretService.Keyring"


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _token(*argv: str, keyring_backend: str = NO_KEYCHAIN) -> tuple[int, str, str]:
    """Run `main.py token ...` in a child process (its output module binds sys.stdout early).

    The child inherits the test's HOME, XDG and config folder, and its keyring backend is
    pinned, so it never reaches the user's keychain.
    """
    env = {**os.environ, "PYTHON_KEYRING_BACKEND": keyring_backend}
    done = subprocess.run(
        [sys.executable, "main.py", "token", *argv],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return done.returncode, done.stdout, done.stderr


class _TokenEndpoint(BaseHTTPRequestHandler):
    forms: list[dict[str, list[str]]]

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        self.server.forms.append(parse_qs(self.rfile.read(length).decode()))  # type: ignore[attr-defined]
        body = json.dumps({"token_type": "Bearer", "expires_in": 3599, "access_token": TOKEN})
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


@pytest.fixture
def token_endpoint() -> Iterator[tuple[str, list[dict[str, list[str]]]]]:
    """A loopback token endpoint that records each posted form and issues a token."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _TokenEndpoint)
    server.forms = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/token", server.forms  # type: ignore[attr-defined]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def _save(folder: Path, **fields: object) -> Profile:
    values: dict[str, object] = {"name": "Contoso prod", "client_id": CLIENT_ID}
    values.update(fields)
    return ProfileStore(folder).save(Profile(**values))  # type: ignore[arg-type]


def test_list_empty_uses_the_environment_folder(
    config_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With no profiles, list says so and names the folder from the environment variable."""
    code, out, err = _cli(capsys, "profiles", "list")
    assert (code, err) == (0, "")
    assert out.strip() == f"No profiles in {config_dir}."


def test_list_table_and_json_from_config_dir_option(
    config_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--config-dir wins over the environment; the table and JSON show the saved profiles."""
    other = tmp_path / "other"
    _save(other, tenant="contoso.onmicrosoft.com", remember_secret=True)
    _save(other, name="Fabrikam", endpoint="v1")
    _save(config_dir, name="Not this one")
    code, out, _ = _cli(capsys, "--config-dir", str(other), "profiles", "list")
    lines = out.splitlines()
    assert code == 0 and lines[0].split()[:3] == ["NAME", "CLOUD", "EP"]
    assert lines[1].startswith("Contoso prod") and "contoso.onmicrosoft.com" in lines[1]
    assert "remember" in lines[1] and lines[2].startswith("Fabrikam")
    assert "Not this one" not in out
    code, out, _ = _cli(capsys, "--config-dir", str(other), "profiles", "list", "--json")
    doc = json.loads(out)
    assert doc["config_dir"] == str(other)
    assert [(p["name"], p["endpoint"]) for p in doc["profiles"]] == [
        ("Contoso prod", "v2"),
        ("Fabrikam", "v1"),
    ]


def test_show_any_case_with_history(config_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """show finds a profile in any case, prints its setup, secret status and recent results."""
    profile = _save(config_dir, tenant="contoso.onmicrosoft.com", notes="owner: infra")
    HistoryStore(config_dir).add(
        profile.id,
        HistoryEntry(at=1.8e9, ok=False, outcome="refused", status=401, aadsts=(7000215,)),
    )
    code, out, _ = _cli(capsys, "profiles", "show", "CONTOSO PROD")
    assert code == 0
    assert "contoso.onmicrosoft.com" in out and CLIENT_ID in out and "owner: infra" in out
    assert "not remembered" in out
    assert "FAILED  HTTP 401  AADSTS7000215" in out
    code, out, _ = _cli(capsys, "profiles", "show", profile.id, "--json")
    doc = json.loads(out)
    assert doc["name"] == "Contoso prod" and doc["secret"]["remember"] is False
    assert doc["history"][0]["aadsts"] == [7000215]


def test_show_unknown_profile_suggests_a_name(
    config_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An unknown name exits 2 with a suggestion, and no traceback."""
    _save(config_dir)
    code, out, err = _cli(capsys, "profiles", "show", "contoso prd")
    assert code == 2 and out == ""
    assert (
        err.strip()
        == "error: There is no profile named \"contoso prd\". Did you mean 'Contoso prod'?"
    )


def test_corrupt_profiles_file_is_reported_and_list_goes_on(
    config_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A corrupt file gives a warning naming the kept copy, and an empty list."""
    config_dir.mkdir()
    (config_dir / "profiles.json").write_text('{"profiles": [')
    code, out, err = _cli(capsys, "profiles", "list")
    assert code == 0 and "No profiles" in out
    assert "warning: The profiles file could not be used" in err and "corrupt-" in err
    assert len(list(config_dir.glob("profiles.json.corrupt-*"))) == 1


def test_show_without_keychain_says_memory_only(
    config_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With no system keychain, show says secrets cannot be remembered across runs."""
    _save(config_dir, remember_secret=True)
    code, out, _ = _cli(capsys, "profiles", "show", "contoso prod")
    assert code == 0 and "No system keychain was found" in out


@pytest.mark.keychain
def test_show_says_secret_is_stored_without_revealing_it(
    secret_service: SecretService, config_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """show reports which secrets the keychain holds and never prints them."""
    profile = _save(config_dir, remember_secret=True, grant=GrantType.PASSWORD, username="a@b.c")
    open_secret_store().set(SecretRef(profile.id, SecretKind.CLIENT_SECRET), Secret(SECRET))
    code, out, _ = _cli(capsys, "profiles", "show", "Contoso prod")
    assert code == 0 and SECRET not in out
    assert "remembered in Secret Service" in out
    assert "client secret stored, no password stored" in out
    code, out, _ = _cli(capsys, "profiles", "show", "Contoso prod", "--json")
    assert json.loads(out)["secret"]["stored"] == {"client_secret": True, "password": False}
    assert SECRET not in out


@pytest.mark.keychain
def test_token_profile_takes_secret_from_keychain_and_options_override(
    secret_service: SecretService,
    config_dir: Path,
    token_endpoint: tuple[str, list[dict[str, list[str]]]],
) -> None:
    """token --profile sends the keychain secret and the profile setup; options override it."""
    url, forms = token_endpoint
    profile = _save(config_dir, token_url=url, scope="api://orders/.default", remember_secret=True)
    open_secret_store().set(SecretRef(profile.id, SecretKind.CLIENT_SECRET), Secret(SECRET))
    code, out, _ = _token("--profile", "contoso prod", keyring_backend=REAL_KEYCHAIN)
    assert code == 0 and out.startswith("Token issued in ") and SECRET not in out
    argv = ("--profile", "contoso prod", "--client-id", "other-app")
    code, out, _ = _token(*argv, keyring_backend=REAL_KEYCHAIN)
    assert code == 0
    assert [(f["client_id"], f["client_secret"], f["scope"]) for f in forms] == [
        ([CLIENT_ID], [SECRET], ["api://orders/.default"]),
        (["other-app"], [SECRET], ["api://orders/.default"]),
    ]


@pytest.mark.keychain
def test_token_profile_with_locked_keychain_warns_and_asks(
    secret_service: SecretService, config_dir: Path
) -> None:
    """A locked keychain gives a warning, then the usual request for a secret source."""
    profile = _save(config_dir, tenant="contoso.onmicrosoft.com", remember_secret=True)
    open_secret_store().set(SecretRef(profile.id, SecretKind.CLIENT_SECRET), Secret(SECRET))
    secret_service.lock()
    code, _, err = _token("--profile", "Contoso prod", keyring_backend=REAL_KEYCHAIN)
    assert code == 2
    assert "warning: Could not read the client secret in the keychain" in err and "locked" in err
    assert "no client secret given" in err


def test_token_profile_secret_from_environment_and_password_grant(
    config_dir: Path,
    token_endpoint: tuple[str, list[dict[str, list[str]]]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Without a keychain, --secret-env and --password-env feed a password-grant profile."""
    url, forms = token_endpoint
    _save(config_dir, token_url=url, grant=GrantType.PASSWORD, username="admin@contoso.com")
    monkeypatch.setenv("ETT_SECRET", SECRET)
    monkeypatch.setenv("ETT_PASSWORD", PASSWORD)
    argv = ["--profile", "Contoso prod", "--secret-env", "ETT_SECRET"]
    code, _, _ = _token(*argv, "--password-env", "ETT_PASSWORD")
    assert code == 0
    (form,) = forms
    assert form["grant_type"] == ["password"] and form["username"] == ["admin@contoso.com"]
    assert (form["client_secret"], form["password"]) == ([SECRET], [PASSWORD])


@pytest.mark.keychain
def test_token_profile_password_from_keychain_without_prompt(
    secret_service: SecretService,
    config_dir: Path,
    token_endpoint: tuple[str, list[dict[str, list[str]]]],
) -> None:
    """A public-client password profile sends its remembered password; nothing is prompted."""
    url, forms = token_endpoint
    profile = _save(
        config_dir, token_url=url, grant=GrantType.PASSWORD, username="admin@contoso.com",
        remember_secret=True,
    )  # fmt: skip
    open_secret_store().set(SecretRef(profile.id, SecretKind.PASSWORD), Secret(PASSWORD))
    code, out, err = _token("--profile", "Contoso prod", keyring_backend=REAL_KEYCHAIN)
    assert code == 0, err
    assert PASSWORD not in out and PASSWORD not in err
    (form,) = forms
    assert form["password"] == [PASSWORD] and "client_secret" not in form


def test_token_profile_explicit_default_value_still_overrides(config_dir: Path) -> None:
    """`--cloud global` typed explicitly overrides a profile's other cloud (dry run)."""
    _save(config_dir, cloud="usgov", tenant="contoso.onmicrosoft.us", endpoint="v1")
    base = ["--profile", "contoso prod", "--dry-run", "--json", "--no-secret"]
    _, out, _ = _token(*base)
    request = json.loads(out)["request"]
    assert request["url"].startswith("https://login.microsoftonline.us/contoso.onmicrosoft.us/")
    assert request["form"]["resource"]  # the cloud's default target, as without a profile
    _, out, _ = _token(*base, "--cloud", "global", "--endpoint", "v2")
    request = json.loads(out)["request"]
    assert request["url"].startswith("https://login.microsoftonline.com/")
    assert request["url"].endswith("/oauth2/v2.0/token")


def test_token_unknown_profile_is_a_usage_error(config_dir: Path) -> None:
    """An unknown --profile exits 2 with a plain message."""
    code, out, err = _token("--profile", "nope", "--no-secret")
    assert (code, out) == (2, "")
    assert err.strip() == 'error: There is no profile named "nope".'
