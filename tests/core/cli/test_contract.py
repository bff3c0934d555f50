"""The command line's contract: usage errors never repeat a value, JSON always whole, options
where users put them, help that lists the choices, and no value printed by mistake."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.cli.credentials import credentials
from core.store.profile import Profile
from core.store.profiles import ProfileStore
from main import build_parser, main

ROOT = Path(__file__).resolve().parents[3]
PASTED = "jPV0Q~sg25hKOlzI6W5U3CG3N8xGFHt80n-gAr~M"
CLIENT = "6e74172b-be56-4843-9ff4-e66a39bb12e3"
TENANT = "contoso.onmicrosoft.com"
TOKEN_FIELDS = {"schema", "outcome", "ok", "request", "findings", "response", "token", "error",
                "failure", "verdict", "diagnosis", "wait"}  # fmt: skip


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse's usage errors
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def _base(*extra: str) -> list[str]:
    return ["token", "--tenant", TENANT, "--client-id", CLIENT, *extra]


def test_secret_env_given_the_secret_itself_says_so_without_it(capsys, monkeypatch) -> None:
    """`--secret-env "$CLIENT_SECRET"` (the value, not the name): exit 2, the mistake named,
    the value never printed; an unset conventional name is still named."""
    monkeypatch.setattr(sys, "argv", ["main.py"])
    code, out, err = _cli(capsys, *_base("--secret-env", PASTED))
    assert code == 2 and "not a variable name; did you paste the client secret" in err
    assert PASTED not in out + err
    code, out, err = _cli(capsys, *_base("--secret-env", "Hunter2Secret"))
    assert code == 2 and "named by --secret-env" in err and "Hunter2Secret" not in err
    code, _, err = _cli(capsys, *_base("--secret-env", "NOT_SET_ANYWHERE"))
    assert code == 2 and "variable NOT_SET_ANYWHERE (for the client secret) is not set" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["--client-secret=" + PASTED],
        ["--client-secret", PASTED],
        ["--timeout", PASTED],
        ["--endpoint", PASTED],
        ["--json=" + PASTED],
        ["--pass=" + PASTED],
    ],
)
def test_usage_errors_never_repeat_a_value(capsys, monkeypatch, argv: list[str]) -> None:
    """Unknown options, bad values and ambiguous abbreviations: exit 2, the option named,
    the value never printed (it may be a secret pasted in the wrong place)."""
    full = _base(*argv)
    monkeypatch.setattr(sys, "argv", ["main.py", *full])
    code, out, err = _cli(capsys, *full)
    assert code == 2 and PASTED not in out + err
    assert "error" in err or "error" in out


def test_usage_errors_under_json_are_json(capsys, monkeypatch) -> None:
    """With --json, a usage error is the token schema with every field and an error object."""
    full = _base("--json", "--bogus=" + PASTED)
    monkeypatch.setattr(sys, "argv", ["main.py", *full])
    code, out, err = _cli(capsys, *full)
    doc = json.loads(out)
    assert code == 2 and err == "" and set(doc) == TOKEN_FIELDS
    assert doc["ok"] is False and doc["outcome"] == "usage_error"
    assert doc["error"]["exit_code"] == 2 and "--bogus" in doc["error"]["message"]
    assert PASTED not in out
    monkeypatch.setattr(sys, "argv", ["main.py", "token", "--json"])
    code, out, _ = _cli(capsys, *_base("--json", "--secret-env", PASTED))
    doc = json.loads(out)
    assert code == 2 and "did you paste" in doc["error"]["message"] and PASTED not in out


@pytest.mark.parametrize("value", ["nan", "-1", "0", "inf", "601"])
def test_timeouts_are_validated_like_everywhere(capsys, monkeypatch, value: str) -> None:
    """nan, -1, 0, inf and more than the shared limit are usage errors (exit 2)."""
    monkeypatch.setattr(sys, "argv", ["main.py"])
    code, _, err = _cli(capsys, *_base("--timeout", value, "--dry-run"))
    assert code == 2 and "timeout must be more than 0 and at most 600" in err


def test_dry_run_without_a_secret_shows_it_masked(capsys) -> None:
    """The README's dry run (no secret given) exits 0 and shows the secret masked; its JSON
    carries every documented field, null where it does not apply."""
    code, out, _ = _cli(capsys, *_base("--dry-run"))
    assert code == 0 and "client_secret=********" in out and "no client secret given" in out
    code, out, _ = _cli(capsys, *_base("--dry-run", "--json"))
    doc = json.loads(out)
    assert code == 0 and set(doc) >= TOKEN_FIELDS and doc["outcome"] == "dry_run"
    assert doc["response"] is doc["token"] is doc["error"] is doc["failure"] is None
    assert doc["verdict"] is None and doc["diagnosis"] is None
    assert doc["request"]["form"]["client_secret"] == "********"
    assert doc["secrets_not_given"] == ["client_secret"]


@pytest.mark.parametrize(
    ("option", "url"),
    [
        ("--authority", "https://login..microsoftonline.com"),
        ("--authority", "https://" + "a" * 64 + ".example.com"),
        ("--token-url", "https://[::1/x"),
        ("--token-url", "https://admin:" + PASTED + "@login.example.com/token"),
        ("--authority", "https://admin:" + PASTED + "@login.example.com"),
    ],
)
def test_malformed_or_credentialed_urls_are_preflight_errors(capsys, option: str, url: str) -> None:
    """Malformed URLs and URLs carrying credentials: exit 2 before sending (dry run too), no
    traceback, the credentials never repeated."""
    for extra in ((), ("--dry-run",)):
        code, out, err = _cli(capsys, *_base(option, url, "--no-secret", *extra))
        assert code == 2 and "Traceback" not in err and PASTED not in out + err
        assert "cannot be used" in out


def test_no_answer_json_uses_null_for_absent_strings(capsys) -> None:
    """A failure with no answer: response/token/error null, failure filled, nothing ''."""
    code, out, _ = _cli(capsys, "token", "--token-url", "http://127.0.0.1:9/t", "--client-id",
                        CLIENT, "--no-secret", "--grant", "password", "--username", "a@b.example",
                        "--password-env", "PATH", "--json")  # fmt: skip
    doc = json.loads(out)
    assert code == 3 and doc["response"] is None and doc["error"] is None
    assert doc["failure"]["kind"] == "connection_refused"
    assert "" not in doc["failure"].values()


def test_profiles_list_takes_config_dir_after_the_command(tmp_path: Path, capsys) -> None:
    """`profiles list --config-dir X` works as `--config-dir X profiles list` does."""
    ProfileStore(tmp_path).save(Profile(name="Here"))
    code, out, _ = _cli(capsys, "profiles", "list", "--config-dir", str(tmp_path), "--json")
    assert code == 0 and [p["name"] for p in json.loads(out)["profiles"]] == ["Here"]
    code, out, _ = _cli(capsys, "profiles", "show", "Here", "--config-dir", str(tmp_path))
    assert code == 0 and "Here" in out


def test_profiles_show_unknown_under_json_is_json(tmp_path: Path, capsys) -> None:
    """A usage error of `profiles show --json` is JSON with the exit code."""
    code, out, _ = _cli(capsys, "profiles", "show", "nope", "--json", "--config-dir", str(tmp_path))
    doc = json.loads(out)
    assert code == 2 and doc["error"]["exit_code"] == 2 and "nope" in doc["error"]["message"]


def test_profile_with_another_cloud_uses_that_clouds_host(tmp_path: Path, capsys) -> None:
    """`token --profile P --cloud usgov`: usgov's login host and Graph, not the profile's
    authority and scope."""
    ProfileStore(tmp_path).save(
        Profile(name="Sandboxed", cloud="sandbox", authority="http://127.0.0.1:8400",
                tenant=TENANT, client_id=CLIENT, scope="https://graph.microsoft.com/.default")
    )  # fmt: skip
    code, out, _ = _cli(capsys, "token", "--config-dir", str(tmp_path), "--profile",
                        "Sandboxed", "--cloud", "usgov", "--dry-run", "--json", "--secret-env",
                        "PATH")  # fmt: skip
    request = json.loads(out)["request"]
    assert code == 0
    assert request["url"].startswith("https://login.microsoftonline.us/")
    assert request["form"]["scope"] == "https://graph.microsoft.us/.default"


def test_token_help_lists_the_values_one_per_line() -> None:
    """`token --help` lists every cloud, grant and client authentication, one line each."""
    from core.token.authority import CLOUDS

    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command").choices["token"]
    text = sub.format_help()
    lines = text.splitlines()
    for key in [c.key for c in CLOUDS] + ["client_credentials", "password", "body", "basic"]:
        assert any(line.split()[:1] == [key] for line in lines), key


def test_sandbox_flag_with_a_command_is_refused(capsys) -> None:
    """`main.py --sandbox token ...` never silently goes to Microsoft: exit 2 with the way."""
    code, out, err = _cli(capsys, "--sandbox", *_base("--no-secret"))
    assert code == 2 and out == "" and "main.py sandbox" in err and "--authority" in err


def test_secret_stdin_on_a_terminal_prompts_hidden(monkeypatch) -> None:
    """--secret-stdin with a terminal on standard input asks with a hidden prompt
    (getpass), never by reading a visible line."""
    asked: list[str] = []
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr("getpass.getpass", lambda prompt: asked.append(prompt) or "typed")
    monkeypatch.setattr(sys.stdin, "read", lambda *a: pytest.fail("read a visible line"))
    args = build_parser().parse_args(["token", "--secret-stdin"])
    found = credentials(args)
    assert found.secret is not None and found.secret.reveal() == "typed"
    assert found.password is None
    assert asked == ["Client secret (hidden): "]


def test_plain_secret_argument_has_its_own_message(capsys) -> None:
    """--secret VALUE is refused for being a plain argument, not as 'no secret given'."""
    code, out, err = _cli(capsys, *_base("--secret", PASTED))
    assert code == 2 and "never accepted as a command-line argument" in err
    assert PASTED not in out + err


def test_no_display_is_a_plain_message() -> None:
    """`main.py` with no display: one plain line naming the command line, exit 2."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}  # fmt: skip
    proc = subprocess.run([sys.executable, "main.py"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=60)  # fmt: skip
    assert proc.returncode == 2 and "No display found" in proc.stderr
    assert "main.py token --help" in proc.stderr and "Traceback" not in proc.stderr
