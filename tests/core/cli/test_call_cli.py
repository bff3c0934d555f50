"""`main.py call` and `token --call/--check-expiry` end to end against the sandbox: each
scenario's exit code, lines and JSON, and no token or secret in any output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.sandbox import Sandbox
from core.sandbox import directory as d
from tests.hostile import HostileServer, leaks

ROOT = Path(__file__).resolve().parents[3]
SECRETS = [s.value for a in d.APPS for s in a.secrets]


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as sb:
        yield sb


def _main(*args: str, stdin: str = "", env: dict[str, str] | None = None
          ) -> subprocess.CompletedProcess[str]:  # fmt: skip
    return subprocess.run([sys.executable, "main.py", *args], cwd=ROOT, input=stdin,
                          capture_output=True, text=True, timeout=60,
                          env={**os.environ, **(env or {})})  # fmt: skip


def _token(sb: Sandbox, app: d.App, secret: str, *extra: str) -> subprocess.CompletedProcess[str]:
    return _main("token", "--cloud", "sandbox", "--authority", sb.base_url, "--tenant",
                 d.CONTOSO.domain, "--client-id", app.client_id, "--secret-env", "S", *extra,
                 env={"S": secret})  # fmt: skip


def _clean(proc: subprocess.CompletedProcess[str], *tokens: str) -> None:
    """No secret, no token (raw or JWT-shaped) in stdout or stderr."""
    for text in (proc.stdout, proc.stderr):
        assert leaks(text, [*SECRETS, *tokens]) == []
        assert "eyJ0eXAi" not in text and "eyJhbGci" not in text


def _issued(sb: Sandbox, scope: str = f"{d.GRAPH_URI}/.default") -> str:
    proc = _token(sb, d.DAEMON, d.VALID_SECRET.value, "--scope", scope, "--show-token", "--json")
    return json.loads(proc.stdout)["token"]["access_token"]


def test_call_allowed(sandbox: Sandbox) -> None:
    """`call` with a Daemon Graph token on stdin: exit 0, permission line, verdict, body."""
    token = _issued(sandbox)
    proc = _main("call", f"{sandbox.base_url}/graph/v1.0/users", "--token-stdin", "--cloud",
                 "sandbox", "--authority", sandbox.base_url, stdin=token)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "needs User.Read.All (application); the token has it." in proc.stdout
    assert "Allowed: 200 OK in " in proc.stdout and "alex@contoso.example" in proc.stdout
    _clean(proc, token)


def test_call_refused_for_a_missing_role(sandbox: Sandbox) -> None:
    """The no-admin-consent app: exit 1, Refused: 403 Authorization_RequestDenied, the fix."""
    proc = _token(sandbox, d.NO_CONSENT, d.NO_CONSENT.secrets[0].value, "--call",
                  f"{sandbox.base_url}/graph/v1.0/users")  # fmt: skip
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Refused: 403 Authorization_RequestDenied" in proc.stdout
    assert "the token lacks it: add it under API permissions and grant admin consent" in proc.stdout
    assert "Diagnosis: The token lacks the permission for this call" in proc.stdout
    _clean(proc)


def test_call_with_an_expired_token_json(sandbox: Sandbox) -> None:
    """The expired Graph token from a variable: exit 1, JSON outcome refused, diagnosis."""
    token = (sandbox.files_dir / "expired-graph-token.jwt").read_text().strip()
    proc = _main("call", f"{sandbox.base_url}/graph/v1.0/organization", "--token-env", "T",
                 "--cloud", "sandbox", "--authority", sandbox.base_url, "--json",
                 env={"T": token})  # fmt: skip
    assert proc.returncode == 1
    doc = json.loads(proc.stdout)
    assert doc["schema"] == "entra-token-tester/call/1" and doc["outcome"] == "refused"
    assert doc["verdict"] == "Refused: 401 InvalidAuthenticationToken"
    assert doc["diagnosis"]["title"] == "The token has expired"
    assert doc["request"]["headers"]["Authorization"] == "Bearer ********"
    _clean(proc, token)


def test_token_for_another_audience(sandbox: Sandbox) -> None:
    """An Orders API token calling Graph: warned before, refused (401) and explained."""
    proc = _token(sandbox, d.DAEMON, d.VALID_SECRET.value, "--scope", f"{d.API_URI}/.default",
                  "--call", f"{sandbox.base_url}/graph/v1.0/users", "--json")  # fmt: skip
    assert proc.returncode == 1
    call = json.loads(proc.stdout)["call"]
    assert call["permission"]["state"] == "wrong_audience"
    assert call["diagnosis"]["title"] == "The token is for another API"
    orders = _token(sandbox, d.DAEMON, d.VALID_SECRET.value, "--scope", f"{d.API_URI}/.default",
                    "--call", f"{sandbox.base_url}/orders")  # fmt: skip
    assert orders.returncode == 0 and "Allowed: 200 OK" in orders.stdout
    _clean(proc)


def test_check_expiry_warns_for_the_secret_expiring_in_10_days(sandbox: Sandbox) -> None:
    """The new demo secret: exit 0 with a warning line; the table marks it and the expired one."""
    proc = _token(sandbox, d.DAEMON, d.EXPIRING_SECRET.value, "--check-expiry")
    assert proc.returncode == 0, proc.stderr
    assert (
        "warning: The client secret 'daemon-rotation' used here expires in 10 days" in proc.stdout
    )
    used = [line for line in proc.stdout.splitlines() if line.lstrip().startswith("→  secret")]
    assert len(used) == 1 and "daemon-rotation (Qe5…)" in used[0] and "EXPIRING SOON" in used[0]
    assert any("daemon-old" in line and "EXPIRED" in line for line in proc.stdout.splitlines())
    quiet = _token(sandbox, d.DAEMON, d.EXPIRING_SECRET.value, "--check-expiry", "--warn-days",
                   "5", "--json")  # fmt: skip
    doc = json.loads(quiet.stdout)["expiry"]
    assert quiet.returncode == 0 and doc["warning"] is None and doc["warn_days"] == 5
    states = {c["name"]: c["state"] for c in doc["credentials"]}
    assert states["daemon-rotation"] == "valid" and states["daemon-old"] == "expired"
    _clean(proc)
    _clean(quiet)


def test_check_expiry_with_an_api_token_asks_graph_too(sandbox: Sandbox) -> None:
    """A token for the Orders API: a Graph token is requested with the same credential."""
    proc = _token(sandbox, d.DAEMON, d.VALID_SECRET.value, "--scope", f"{d.API_URI}/.default",
                  "--check-expiry", "--json")  # fmt: skip
    expiry = json.loads(proc.stdout)["expiry"]
    assert proc.returncode == 0 and expiry["outcome"] == "read"
    assert [c["name"] for c in expiry["credentials"] if c["used"]] == ["daemon-2025"]


def test_usage_errors(sandbox: Sandbox) -> None:
    """A token as an argument, a missing variable, a clear-text URL: exit 2, value not echoed."""
    token = "eyJhbGciOiJub25lIn0.eyJ4IjoxfQ.secretsig"
    assert _main("call", "https://graph.microsoft.com/v1.0/me", "--token", token).returncode == 2
    missing = _main("call", "https://graph.microsoft.com/v1.0/me", "--token-env", "NOPE_X")
    assert missing.returncode == 2 and "NOPE_X is not set" in missing.stderr
    plain = _main("call", "http://graph.example/v1.0/me", "--token-env", "T", "--json",
                  env={"T": "abc.def.ghi"})  # fmt: skip
    assert plain.returncode == 2 and json.loads(plain.stdout)["error"]["kind"] == "usage"
    for proc in (missing, plain):
        assert token not in proc.stdout + proc.stderr


def test_no_answer_is_exit_3() -> None:
    proc = _main("call", "http://127.0.0.1:9/x", "--token-env", "T", "--timeout", "3",
                 env={"T": "abc.def.ghi"})  # fmt: skip
    assert proc.returncode == 3 and "No answer: " in proc.stdout


def test_export_reads_the_token_from_the_environment() -> None:
    token = "opaque-" + "x" * 40
    proc = _main("call", "https://graph.microsoft.com/v1.0/users", "--token-env", "T",
                 "--export", "curl", env={"T": token})  # fmt: skip
    assert proc.returncode == 0 and "${ACCESS_TOKEN}" in proc.stdout and token not in proc.stdout


def test_hostile_api_output_scan() -> None:
    """Every output of a call to an API echoing the token (human, JSON, 200, 401, text) is
    free of it; control characters come out as visible escapes."""
    token = "opaqueTOKEN-" + "z" * 40
    with HostileServer() as server:
        for path in ("/api-echo", "/api-echo?status=401", "/api-echo?text"):
            for extra in ((), ("--json",)):
                proc = _main("call", server.base_url + path, "--token-env", "T", *extra,
                             env={"T": token})  # fmt: skip
                assert proc.returncode in (0, 1)
                _clean(proc, token)
                assert "\x1b" not in proc.stdout and "\u202e" not in proc.stdout
