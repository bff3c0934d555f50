"""`main.py check` end to end in a subprocess against the sandbox: every demo app from a checks
file, mixed pass and fail, the JSON document, JUnit XML, exit codes, secrets never printed."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.sandbox import Sandbox
from core.sandbox import directory as d
from tests.core.check.checkkit import CountingServer, checks_document, demo_keys, write_checks
from tests.core.check.shapes import check_json_problems, junit_problems
from tests.hostile import leaks

ROOT = Path(__file__).resolve().parents[3]
JSON_FIELDS = {
    "name", "profile_id", "state", "ok", "outcome", "status", "code", "title", "roles",
    "scopes", "token_lifetime_s", "token_expires_at", "credential_expires_at",
    "credential_expires_in_days", "credential_expiry_source", "warning", "elapsed_ms",
    "attempts", "retry_after_s", "replication", "expiry_note",
}  # fmt: skip


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(slow_delay_s=30, new_secret_delay_s=600) as sb:  # the new secret: refused
        yield sb


def _run(
    *args: str, env: dict[str, str] | None = None, cwd: Path = ROOT
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "check", *args],
        cwd=cwd, capture_output=True, text=True, timeout=120,
        env={**os.environ, **(env or {})},
    )  # fmt: skip


def _no_leak(proc: subprocess.CompletedProcess[str], env: dict[str, str], *files: Path) -> None:
    texts = [proc.stdout, proc.stderr, *(f.read_text() for f in files)]
    for text in texts:
        assert leaks(text, env.values()) == []


def test_every_demo_app_from_a_checks_file(sandbox: Sandbox, tmp_path: Path) -> None:
    """Each demo scenario is one line: OK for those that issue a token, FAILED with the
    scenario's AADSTS code for the others; exit 1; JUnit and JSON agree; no secret shown."""
    doc, env, expected = checks_document(sandbox, demo_keys())
    path = write_checks(tmp_path / "checks.json", doc)
    junit = tmp_path / "junit.xml"
    proc = _run("--file", str(path), "--junit", str(junit), env=env)
    assert proc.returncode == 1, proc.stderr
    lines = proc.stdout.splitlines()
    assert len(lines) == len(expected) + 1
    for name, expect in expected.items():
        (found,) = [ln for ln in lines if ln.split("  ")[1:2] and name == ln[9:].split("  ")[0]]
        if expect == "token":
            assert found.startswith("OK ") and "HTTP 200" in found, found
        elif expect.startswith("AADSTS"):
            assert found.startswith("FAILED") and f"{expect} " in found, found
        else:
            assert found.startswith("FAILED") and "not sent" in found, found
    tokens = sum(1 for e in expected.values() if e == "token")
    assert lines[-1].startswith(f"{len(expected)} checked: {tokens} OK, 0 warnings, "
                                f"{len(expected) - tokens} failed in ")  # fmt: skip
    _no_leak(proc, env, junit)
    root = ET.parse(junit).getroot()
    assert junit_problems(root) == []
    suite = root.find("testsuite")
    assert suite is not None and suite.get("tests") == str(len(expected))
    assert suite.get("failures") == str(len(expected) - tokens)


def test_every_demo_app_as_json_matches_the_schema(sandbox: Sandbox, tmp_path: Path) -> None:
    """`--json` over every demo app (tokens, refusals, pre-flight blocks, a warning) is valid
    against docs/schemas/check-1.schema.json, and its summary agrees with its results."""
    doc, env, expected = checks_document(sandbox, demo_keys())
    path = write_checks(tmp_path / "checks.json", doc)
    proc = _run("--file", str(path), "--json", "--warn-days", "400", env=env)  # certificates: 365
    assert proc.returncode == 1, proc.stderr
    data = json.loads(proc.stdout)
    assert check_json_problems(data) == []
    assert len(data["results"]) == len(expected)
    assert {r["state"] for r in data["results"]} == {"ok", "warning", "failed"}
    _no_leak(proc, env)


def test_json_document_and_junit_structure(sandbox: Sandbox, tmp_path: Path) -> None:
    """`--json`: the documented fields for each credential; JUnit: testsuites > testsuite >
    testcase per credential, a failure element exactly for the failed ones."""
    keys = ["cc-v2-graph", "secret-wrong", "password-ok", "cert-ps256"]
    doc, env, expected = checks_document(sandbox, keys)
    path = write_checks(tmp_path / "checks.json", doc)
    junit = tmp_path / "out.xml"
    proc = _run("--file", str(path), "--json", "--junit", str(junit), env=env)
    assert proc.returncode == 1, proc.stderr
    data = json.loads(proc.stdout)
    assert data["schema"] == "entra-token-tester/check/1" and data["ok"] is False
    assert data["summary"] == {**data["summary"], "total": 4, "ok": 3, "failed": 1}
    results = {r["name"]: r for r in data["results"]}
    assert set(results) == set(expected)
    for r in data["results"]:
        assert set(r) == JSON_FIELDS
    good = results["Working secret (client credentials, v2)"]
    assert good["state"] == "ok" and good["status"] == 200 and good["token_lifetime_s"] > 0
    assert good["roles"] == list(d.DAEMON.roles[d.GRAPH_APP_ID])
    bad = results["Wrong secret"]
    assert bad["state"] == "failed" and bad["code"] == "AADSTS7000215" and bad["status"] == 401
    cert = results["Certificate (PS256, x5t#S256)"]
    assert cert["credential_expiry_source"] == "certificate"
    assert cert["credential_expires_at"].endswith("+00:00")
    assert check_json_problems(data) == []
    root = ET.parse(junit).getroot()
    assert junit_problems(root) == []
    assert root.tag == "testsuites" and root.get("tests") == "4" and root.get("failures") == "1"
    (suite,) = root.findall("testsuite")
    cases = {c.get("name"): c for c in suite.findall("testcase")}
    assert set(cases) == set(expected)
    failed = {n for n, c in cases.items() if c.find("failure") is not None}
    assert failed == {"Wrong secret"}
    assert "AADSTS7000215" in (cases["Wrong secret"].find("failure").get("message") or "")
    assert all(float(c.get("time") or "x") >= 0 for c in cases.values())
    _no_leak(proc, env, junit)


def test_all_pass_exits_0_and_profile_selects(sandbox: Sandbox, tmp_path: Path) -> None:
    """Only the chosen entries are checked; all of them pass: exit 0."""
    doc, env, _ = checks_document(sandbox, ["cc-v2-graph", "secret-wrong", "cc-v1-api"])
    path = write_checks(tmp_path / "checks.json", doc)
    proc = _run("--file", str(path), "--profile", "working secret (client credentials, v2)",
                "--profile", "Custom API token (client credentials, v1)", env=env)  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.splitlines()[-1].startswith("2 checked: 2 OK, 0 warnings, 0 failed")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--file", "missing.json"], "missing.json"),
        (["--jobs", "0"], "--jobs"),
        (["--strict"], "--strict needs --warn-days"),
        (["--profile", "Nope"], 'no profile named "Nope"'),
    ],
)
def test_bad_input_exits_2(args: list[str], message: str, tmp_path: Path) -> None:
    """A missing file, a bad option, an unknown profile: exit 2 with one plain line."""
    proc = _run(*args, "--config-dir", str(tmp_path), cwd=tmp_path)
    assert proc.returncode == 2
    assert message in proc.stderr and "Traceback" not in proc.stderr


def test_nothing_to_check_and_secret_in_file(tmp_path: Path) -> None:
    """No saved profiles is bad input; a checks file naming a secret value instead of a
    variable is refused without repeating the value."""
    proc = _run("--config-dir", str(tmp_path))
    assert proc.returncode == 2 and "nothing to check" in proc.stderr
    value = "jPV0Q~sg25hKOlzI6W5U3CG3N8xGFHt80n-gAr~M"
    doc = {"schema_version": 1, "profiles": [{"name": "x", "secret_env": value}]}
    proc = _run("--file", str(write_checks(tmp_path / "c.json", doc)), "--json")
    assert proc.returncode == 2 and value not in proc.stdout + proc.stderr
    assert json.loads(proc.stdout)["error"]["kind"] == "usage"


def test_missing_variable_fails_that_credential_only(sandbox: Sandbox, tmp_path: Path) -> None:
    """An entry whose variable is not set fails unsent, naming the variable; others run."""
    doc, env, _ = checks_document(sandbox, ["cc-v2-graph", "secret-wrong"])
    path = write_checks(tmp_path / "checks.json", doc)
    missing = doc["profiles"][1]["secret_env"]
    env.pop(missing)
    proc = _run("--file", str(path), env=env)
    assert proc.returncode == 1
    assert f"the environment variable {missing} (for the client secret) is not set" in proc.stdout
    assert "1 OK" in proc.stdout.splitlines()[-1]


def test_a_variable_that_is_not_utf8_fails_that_credential_only(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    """A secret variable holding bytes that are not UTF-8: that entry is not sent and says
    why (no traceback, no byte of it shown); the others run."""
    doc, env, _ = checks_document(sandbox, ["cc-v2-graph", "secret-wrong"])
    path = write_checks(tmp_path / "checks.json", doc)
    env[doc["profiles"][1]["secret_env"]] = os.fsdecode(b"Abc8Q~\xffUndecodable-secret")
    proc = _run("--file", str(path), env=env)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "not sent: the client secret is not UTF-8 text" in proc.stdout
    assert "Undecodable-secret" not in proc.stdout + proc.stderr
    assert "1 OK" in proc.stdout.splitlines()[-1]


def test_ctrl_c_stops_cleanly(tmp_path: Path) -> None:
    """SIGINT while requests hang on a server that holds them: exit 130 at once, no
    traceback, nothing written."""
    doc = {"schema_version": 1, "profiles": [
        {"name": f"held {n}", "cloud": "sandbox", "tenant": "contoso.example",
         "client_id": "e323a019-41e4-4a09-bd61-bcd73265c9a0", "secret_env": "HELD_SECRET"}
        for n in range(3)
    ]}  # fmt: skip
    junit = tmp_path / "junit.xml"
    with CountingServer(hold_s=60) as server:
        path = write_checks(tmp_path / "checks.json", doc)
        proc = subprocess.Popen(
            [sys.executable, str(ROOT / "main.py"), "check", "--file", str(path),
             "--authority", server.base_url, "--junit", str(junit)],
            cwd=ROOT, env={**os.environ, "HELD_SECRET": "held-secret-value"},
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while server.now_total < 3 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.02)  # polls the condition; the server holds the requests
        assert server.now_total == 3
        proc.send_signal(signal.SIGINT)
        started = time.monotonic()
        out, err = proc.communicate(timeout=20)
    assert proc.returncode == 130, out + err
    assert time.monotonic() - started < 5
    assert "Traceback" not in err and "interrupted" in err
    assert not junit.exists()


def test_wait_new_retries_a_credential_still_replicating(tmp_path: Path) -> None:
    """The just-created demo secret is refused as unknown for 2 s: without --wait-new it
    fails at once; with it, it is sent again until the token comes and the line says so."""
    with Sandbox(new_secret_delay_s=2.0) as sb:
        doc, env, _ = checks_document(sb, ["secret-new", "secret-wrong"])
        path = write_checks(tmp_path / "checks.json", doc)
        proc = _run("--file", str(path), "--json", "--wait-new", "6", env=env)
    assert proc.returncode == 1, proc.stderr
    results = {r["name"]: r for r in json.loads(proc.stdout)["results"]}
    new = next(r for n, r in results.items() if n != "Wrong secret")
    assert new["state"] == "ok" and new["replication"].startswith("new credential worked after")
    wrong = results["Wrong secret"]  # a wrong secret is retried too, until the wait is up
    assert wrong["state"] == "failed" and wrong["code"] == "AADSTS7000215"
    assert wrong["replication"].startswith("new credential still refused")


def _expiring(sandbox: Sandbox) -> tuple[dict, dict[str, str]]:
    """The working secret and the Daemon's secret that expires in 10 days, as a checks file."""
    from core.sandbox.directory import EXPIRING_SECRET

    doc, env, _ = checks_document(sandbox, ["cc-v2-graph", "cc-v2-graph", "cc-v2-api"])
    doc["profiles"][1]["name"] = "Rotation secret"
    doc["profiles"][1]["secret_env"] = "ROTATION_SECRET"
    env["ROTATION_SECRET"] = EXPIRING_SECRET.value
    return doc, env


def test_check_expiry_and_warn_days(sandbox: Sandbox, tmp_path: Path) -> None:
    """--check-expiry reads each secret's end date from the demo Graph; the one expiring in
    10 days is a WARNING with --warn-days 30 (exit 0), a failure with --strict (exit 1); a
    token for another API says why its expiry was not read."""
    doc, env = _expiring(sandbox)
    path = write_checks(tmp_path / "checks.json", doc)
    proc = _run("--file", str(path), "--check-expiry", "--warn-days", "30", "--json", env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    results = {r["name"]: r for r in json.loads(proc.stdout)["results"]}
    rotation = results["Rotation secret"]
    assert rotation["state"] == "warning" and rotation["credential_expiry_source"] == "graph"
    assert 9 <= rotation["credential_expires_in_days"] <= 10.1
    assert "expires in 10 days" in rotation["warning"] or "expires in 9 days" in rotation["warning"]
    good = results["Working secret (client credentials, v2)"]
    assert good["state"] == "ok" and good["credential_expires_in_days"] > 300
    api = results["Custom API token (client credentials, v2)"]
    assert (
        api["credential_expires_at"] is None
        and "not an app-only Microsoft Graph" in (api["expiry_note"])
    )
    proc = _run("--file", str(path), "--check-expiry", "--warn-days", "30", "--strict", env=env)
    assert proc.returncode == 1
    (line,) = [ln for ln in proc.stdout.splitlines() if "Rotation secret" in ln]
    assert line.startswith("FAILED") and "credential expires" in line
    _no_leak(proc, env)


def test_without_check_expiry_no_graph_call(sandbox: Sandbox, tmp_path: Path) -> None:
    """Without --check-expiry a secret's end date is unknown, so --warn-days cannot warn."""
    doc, env = _expiring(sandbox)
    proc = _run("--file", str(write_checks(tmp_path / "c.json", doc)), "--warn-days", "30",
                "--json", env=env)  # fmt: skip
    assert proc.returncode == 0
    assert all(r["credential_expires_at"] is None for r in json.loads(proc.stdout)["results"])
