"""`main.py token` end to end in a subprocess against the sandbox: exit codes, JSON, secrets."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.sandbox import Sandbox, scenarios

ROOT = Path(__file__).resolve().parents[3]
FORMS = {s.key: s.form for s in scenarios()}
GOOD = FORMS["cc-v2-graph"]
SECRET = GOOD["client_secret"]
WRONG = FORMS["secret-wrong"]["client_secret"]


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as sb:
        yield sb


def _run(
    sandbox: Sandbox, *extra: str, stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    args = [
        sys.executable, "main.py", "token", "--cloud", "sandbox",
        "--authority", sandbox.base_url, "--tenant", GOOD["tenant"],
        "--client-id", GOOD["client_id"], *extra,
    ]  # fmt: skip
    return subprocess.run(
        args,
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "CLI_SECRET": SECRET, "WRONG_SECRET": WRONG, **(env or {})},
    )


def _no_secret(proc: subprocess.CompletedProcess[str], *secrets: str) -> None:
    for value in (SECRET, WRONG, *secrets):
        assert value not in proc.stdout and value not in proc.stderr


def test_secret_from_environment_issues_a_token(sandbox: Sandbox) -> None:
    """Exit 0 with the verdict; neither the secret nor the token is printed."""
    proc = _run(sandbox, "--secret-env", "CLI_SECRET")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("Token issued in ")
    assert "app-only" in proc.stdout and "Roles" in proc.stdout
    assert "eyJ" not in proc.stdout and "sha256:" in proc.stdout
    _no_secret(proc)


def test_secret_from_stdin_and_json_schema(sandbox: Sandbox) -> None:
    """--secret-stdin works; --json follows the documented schema with verdict and roles."""
    proc = _run(sandbox, "--secret-stdin", "--json", stdin=SECRET + "\n")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["schema"] == "entra-token-tester/token/1"
    assert doc["outcome"] == "token" and doc["ok"] is True
    assert doc["request"]["form"]["client_secret"] == "********"
    assert doc["token"]["fingerprint"].startswith("sha256:") and "access_token" not in doc["token"]
    assert doc["response"]["json"]["access_token"] == "********"
    assert doc["verdict"]["issued"] is True and doc["verdict"]["roles"]
    assert doc["verdict"]["expires_at_iso"] and doc["diagnosis"] is None
    # token.expires_at on v2: the receive time plus expires_in, in ISO 8601 UTC
    from datetime import datetime

    received = datetime.fromisoformat(doc["response"]["received_at"].replace("Z", "+00:00"))
    expires = datetime.fromisoformat(doc["token"]["expires_at"].replace("Z", "+00:00"))
    assert doc["token"]["expires_in"] == 3599
    assert abs((expires - received).total_seconds() - 3599) <= 1
    _no_secret(proc)


def test_show_token_prints_the_token(sandbox: Sandbox) -> None:
    """Only --show-token reveals the access token."""
    doc = json.loads(_run(sandbox, "--secret-env", "CLI_SECRET", "--json", "--show-token").stdout)
    assert doc["token"]["access_token"].startswith("eyJ")


def test_refused_exits_1_with_diagnosis(sandbox: Sandbox) -> None:
    """A wrong secret exits 1 and explains AADSTS7000215 in both output modes."""
    human = _run(sandbox, "--secret-env", "WRONG_SECRET")
    assert human.returncode == 1
    assert "AADSTS7000215" in human.stdout and "Diagnosis:" in human.stdout
    as_json = _run(sandbox, "--secret-env", "WRONG_SECRET", "--json")
    doc = json.loads(as_json.stdout)
    assert as_json.returncode == 1 and doc["outcome"] == "refused"
    assert doc["error"]["error_codes"] == [7000215]
    assert doc["diagnosis"]["code"] == "AADSTS7000215" and doc["diagnosis"]["fix"]
    assert doc["error"]["correlation_id"] == doc["request"]["client_request_id"]
    _no_secret(human)
    _no_secret(as_json)


def test_no_answer_exits_3(sandbox: Sandbox) -> None:
    """A closed port exits 3 with a plain line and no traceback."""
    proc = _run(sandbox, "--secret-env", "CLI_SECRET", "--token-url", "http://127.0.0.1:9/t")
    assert proc.returncode == 3
    assert "refused the connection" in proc.stdout and "Traceback" not in proc.stderr


def test_preflight_error_exits_2(sandbox: Sandbox) -> None:
    """A blocked request exits 2 and says why, without sending."""
    proc = _run(sandbox, "--secret-env", "CLI_SECRET", "--tenant", "common")
    assert proc.returncode == 2 and "cannot be used here" in proc.stdout


def test_plain_secret_argument_is_refused(sandbox: Sandbox) -> None:
    """--secret VALUE is rejected with advice, and the value is never echoed."""
    proc = _run(sandbox, "--secret", "plain-argument-secret-123")
    assert proc.returncode == 2
    assert "--secret-env" in proc.stderr
    _no_secret(proc, "plain-argument-secret-123")
    proc = _run(sandbox, "--grant", "password", "--password", "pw-on-the-command-line")
    assert proc.returncode == 2
    _no_secret(proc, "pw-on-the-command-line")


def test_missing_secret_without_terminal(sandbox: Sandbox) -> None:
    """With no secret source and no terminal to prompt on, exit 2 with a clear line."""
    proc = _run(sandbox)
    assert proc.returncode == 2 and "no client secret given" in proc.stderr


def test_missing_environment_variable(sandbox: Sandbox) -> None:
    """Naming an unset variable exits 2 and names the variable."""
    proc = _run(sandbox, "--secret-env", "NOT_SET_ANYWHERE")
    assert proc.returncode == 2 and "NOT_SET_ANYWHERE" in proc.stderr


def test_dry_run_masks_and_sends_nothing(sandbox: Sandbox) -> None:
    """--dry-run prints the redacted request, exit 0, secret masked."""
    proc = _run(sandbox, "--secret-env", "CLI_SECRET", "--dry-run", "--auth-method", "basic")
    assert proc.returncode == 0
    assert "POST " + sandbox.base_url in proc.stdout and "Authorization: ********" in proc.stdout
    _no_secret(proc)


def test_password_grant_from_stdin(sandbox: Sandbox) -> None:
    """Password grant: password on stdin, user token with scopes."""
    form = FORMS["password-ok"]
    proc = _run(
        sandbox, "--grant", "password", "--client-id", form["client_id"], "--no-secret",
        "--username", form["username"], "--password-stdin", "--scope", form["scope"], "--json",
        stdin=form["password"] + "\n",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout
    doc = json.loads(proc.stdout)
    assert doc["verdict"]["token_kind"] == "delegated" and doc["verdict"]["scopes"]
    assert doc["request"]["form"]["password"] == "********"
    _no_secret(proc, form["password"])


def test_stdin_too_short_for_secret_and_password(sandbox: Sandbox) -> None:
    """Secret and password both on stdin need two lines; one line is a clear usage error."""
    proc = _run(
        sandbox, "--grant", "password", "--username", "a@b.test", "--secret-stdin",
        "--password-stdin", "--dry-run", stdin="only-one-line\n",
    )  # fmt: skip
    assert proc.returncode == 2
    assert "expected the client secret and the password, one per line" in proc.stderr
    _no_secret(proc, "only-one-line")


def test_a_secret_variable_that_is_not_utf8_is_refused_plainly(sandbox: Sandbox) -> None:
    """Bytes that are not UTF-8 in the variable: exit 2 with what to do, no traceback, and
    nothing of the value in the output (it reaches Python as lone surrogates)."""
    undecodable = os.fsdecode(b"Abc8Q~\xff\xfeUndecodable-secret")
    for extra in ((), ("--json",)):
        proc = _run(sandbox, "--secret-env", "BAD_SECRET", *extra, env={"BAD_SECRET": undecodable})
        assert proc.returncode == 2, proc.stderr
        assert "Traceback" not in proc.stderr and proc.stderr == ""
        assert "The client secret is not UTF-8 text" in proc.stdout
        assert "Undecodable-secret" not in proc.stdout
