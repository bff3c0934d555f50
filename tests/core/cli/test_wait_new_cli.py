"""`main.py token --wait-new S` against the sandbox's just-created secret, through a counter."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.cli.terminal import SafeStream
from core.cli.waiting import ERASE_LINE, LiveLine
from core.sandbox import Sandbox, scenarios
from core.sandbox import directory as d
from tests.counting import CountingProxy, FirstRequestClock

ROOT = Path(__file__).resolve().parents[3]
NEW = next(s for s in scenarios() if s.key == "secret-new").form
WRONG = d.FABRIKAM_APP.secrets[0].value
LINE_START = "Refused as unknown (attempt "


@pytest.fixture
def served() -> Iterator[CountingProxy]:
    """A sandbox, behind a counting proxy, whose new secret works 2.5 s after the first
    request (not after the start: the command's own start-up time varies)."""
    clock = FirstRequestClock()
    with Sandbox(new_secret_delay_s=2.5, clock=clock) as sb, CountingProxy(sb.base_url) as proxy:
        proxy.on_request = clock.mark
        yield proxy


def _args(proxy: CountingProxy, *extra: str, tenant: str = NEW["tenant"]) -> list[str]:
    return [
        sys.executable, "main.py", "token", "--cloud", "sandbox", "--authority", proxy.base_url,
        "--tenant", tenant, "--client-id", NEW["client_id"], "--secret-env", "NEW_SECRET",
        *extra,
    ]  # fmt: skip


def _env(secret: str = NEW["client_secret"]) -> dict[str, str]:
    return {**os.environ, "NEW_SECRET": secret}


def _run(proxy: CountingProxy, *extra: str, secret: str = NEW["client_secret"],
         tenant: str = NEW["tenant"]) -> subprocess.CompletedProcess[str]:  # fmt: skip
    return subprocess.run(_args(proxy, *extra, tenant=tenant), cwd=ROOT, capture_output=True,
                          text=True, timeout=60, env=_env(secret))  # fmt: skip


def test_new_secret_works_after_retries_json(served: CountingProxy) -> None:
    """Refused twice, then a token: exit 0, `wait` says worked after 3 attempts and ~6 s, one
    live line per refusal on stderr (not a terminal), requests 2 s or more apart."""
    proc = _run(served, "--wait-new", "20", "--json")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["ok"] and doc["wait"]["end"] == "worked" and doc["wait"]["attempts"] == 3
    assert 5.5 <= doc["wait"]["waited_s"] < 9 and doc["wait"]["limit_s"] == 20
    assert doc["wait"]["code"] == "AADSTS7000215"
    assert doc["verdict"]["headline"].startswith("Worked after ")
    lines = proc.stderr.splitlines()
    assert [ln[: len(LINE_START) + 1] for ln in lines] == [LINE_START + "1", LINE_START + "2"]
    assert lines[1] == (
        "Refused as unknown (attempt 2, 2 s): a new secret can take a few minutes to reach "
        "every Entra server; retrying in 4 s. Ctrl+C stops."
    )
    assert served.count == 3 and min(served.gaps()) >= 1.95
    assert NEW["client_secret"] not in proc.stdout + proc.stderr


def test_human_output_says_it_was_replication(served: CountingProxy) -> None:
    """The verdict's first line says the wait worked and why."""
    proc = _run(served, "--wait-new", "20")
    assert proc.returncode == 0, proc.stderr
    first = proc.stdout.splitlines()[0]
    assert first.startswith("Worked after ") and "it was replication, not a wrong secret" in first
    assert "3 attempts over" in proc.stdout


def test_wrong_secret_gives_up_at_the_limit(served: CountingProxy) -> None:
    """Another app's secret: sent at 0, 2 and 4 s, then 'Still refused after 4 s: this is not
    replication', the usual diagnosis, exit 1."""
    started = time.monotonic()
    proc = _run(served, "--wait-new", "4", secret=WRONG)
    took = time.monotonic() - started
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.startswith(
        "Still refused after 4 s: this is not replication. Check the Value (not the Secret ID),"
        " the app and the tenant (AADSTS7000215)"
    )
    assert "Diagnosis: Invalid client secret" in proc.stdout and "--wait-new" not in proc.stdout
    assert served.count == 3 and min(served.gaps()) >= 1.95 and took < 15
    assert WRONG not in proc.stdout + proc.stderr


def test_wrong_tenant_never_retries(served: CountingProxy) -> None:
    """The app is not in that tenant: one request, answered at once, no live line."""
    proc = _run(served, "--wait-new", "120", "--json", tenant=d.FABRIKAM.id)
    doc = json.loads(proc.stdout)
    assert proc.returncode == 1 and doc["wait"]["end"] == "not_needed"
    assert doc["wait"]["attempts"] == 1 and doc["error"]["error_codes"] == [700016]
    assert served.count == 1 and proc.stderr == ""


def test_ctrl_c_stops_the_wait_at_once(served: CountingProxy) -> None:
    """SIGINT during the wait: the command reports the last refusal as stopped and exits 130
    within a fraction of the 2 s pause; no traceback."""
    process = subprocess.Popen(
        _args(served, "--wait-new", "60"), cwd=ROOT, env=_env(),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert process.stderr is not None
        assert process.stderr.readline().startswith(LINE_START + "1")
        sent = time.monotonic()
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=15)
        took = time.monotonic() - sent
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 130 and took < 1.5, (took, err)
    assert out.startswith("Stopped after 0 s (1 attempt): Failed: Invalid client secret")
    assert "Traceback" not in err and served.count == 1


def test_without_the_option_the_diagnosis_offers_it(served: CountingProxy) -> None:
    """No --wait-new: one request, `wait` null, and the diagnosis names replication and the
    option."""
    proc = _run(served, "--json")
    doc = json.loads(proc.stdout)
    assert proc.returncode == 1 and doc["wait"] is None and served.count == 1
    assert "--wait-new 120" in doc["diagnosis"]["fix"][0]
    assert "replicated it to every server" in doc["diagnosis"]["cause"]


@pytest.mark.parametrize("value", ["0", "-5", "nan", "601"])
def test_bad_limits_are_usage_errors(value: str) -> None:
    """A limit that is not more than 0 and at most 600 seconds exits 2, naming the option."""
    proc = subprocess.run(
        [sys.executable, "main.py", "token", "--wait-new", value, "--tenant", "t"],
        cwd=ROOT, capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert proc.returncode == 2 and "--wait-new" in proc.stderr


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_live_line_is_rewritten_in_place_on_a_terminal() -> None:
    """On a terminal each line erases the last one and the line is cleared at the end;
    elsewhere one line per call, nothing erased."""
    screen = _Terminal()
    line = LiveLine(SafeStream(screen))  # type: ignore[arg-type]
    line.show("one")
    line.show("two \x1b[31m")
    line.clear()
    assert screen.getvalue() == f"{ERASE_LINE}one{ERASE_LINE}two \\x1b[31m{ERASE_LINE}"
    pipe = io.StringIO()
    line = LiveLine(SafeStream(pipe))  # type: ignore[arg-type]
    line.show("one")
    line.show("two")
    line.clear()
    assert pipe.getvalue() == "one\ntwo\n"
