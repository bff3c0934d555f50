"""`main.py sandbox`: --describe prints JSON; serving prints the URL and stops cleanly on Ctrl+C."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import requests

from core.sandbox import describe

ROOT = Path(__file__).resolve().parents[3]


@contextmanager
def _serving(*args: str) -> Iterator[subprocess.Popen[str]]:
    """`main.py sandbox ARGS` in a child process, killed on the way out if still running."""
    process = subprocess.Popen(
        [sys.executable, "main.py", "sandbox", *args],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        yield process
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()


def _read_until(stream: IO[str], marker: str) -> str:
    lines = []
    for line in stream:  # stops at end of output if the marker never comes
        lines.append(line)
        if line == marker:
            break
    return "".join(lines)


def test_describe_prints_the_directory_as_json() -> None:
    """`sandbox --describe` exits 0 with the same JSON describe() returns."""
    done = subprocess.run(
        [sys.executable, "main.py", "sandbox", "--describe"],
        cwd=ROOT, capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    info = json.loads(done.stdout)
    assert info["tenants"] == describe()["tenants"]
    assert {s["key"] for s in info["scenarios"]} == {s["key"] for s in describe()["scenarios"]}


def test_serves_until_ctrl_c_then_exits_cleanly() -> None:
    """The server prints its URL and directory, answers, and exits 0 on SIGINT, no traceback."""
    with _serving("--slow-delay", "0.1") as process:
        assert process.stdout is not None
        first = process.stdout.readline()
        assert first.startswith("Sandbox identity provider running at http://127.0.0.1:")
        base = first.rsplit(" ", 1)[1].strip()
        text = _read_until(process.stdout, "Press Ctrl+C to stop.\n")
        assert text.endswith("Press Ctrl+C to stop.\n")
        assert "jPV0Q~" in text and "alex@contoso.example" in text and "fault-dropped" in text
        keys = requests.get(f"{base}/common/discovery/keys", timeout=5)
        assert keys.status_code == 200
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=15)
    assert process.returncode == 0
    assert "Traceback" not in err
    assert out.strip().endswith("Sandbox stopped.")


def test_sigterm_stops_cleanly() -> None:
    """SIGTERM (a service manager or `kill`) stops the server cleanly too, exit 0."""
    with _serving() as process:
        assert process.stdout is not None
        _read_until(process.stdout, "Press Ctrl+C to stop.\n")
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=15)
    assert process.returncode == 0 and "Traceback" not in err
    assert out.strip().endswith("Sandbox stopped.")


def test_tls_prints_the_ca_file() -> None:
    """`sandbox --tls` serves https and prints where its CA file is."""
    with _serving("--tls") as process:
        assert process.stdout is not None
        assert process.stdout.readline().startswith("Sandbox identity provider running at https://")
        ca_line = process.stdout.readline()
        assert ca_line.startswith("CA certificate")
        ca_file = Path(ca_line.rsplit(" ", 1)[1].strip())
        assert ca_file.read_text().startswith("-----BEGIN CERTIFICATE-----")
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=15)
    assert process.returncode == 0
    assert not ca_file.exists()


def test_bad_port_is_a_usage_error() -> None:
    """An out-of-range port is refused with exit code 2 and one clear line."""
    done = subprocess.run(
        [sys.executable, "main.py", "sandbox", "--port", "70000"],
        cwd=ROOT, capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert done.returncode == 2
    assert "--port" in done.stderr and "Traceback" not in done.stderr


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_port_and_slow_delay_are_applied() -> None:
    """`--port P` serves on P; `--slow-delay S` makes the slow tenant wait S seconds."""
    import time

    from core.sandbox import scenarios
    from core.token.client import request_token
    from tests.core.sandbox.conftest import to_inputs

    port = _free_port()
    with _serving("--port", str(port), "--slow-delay", "0.8") as process:
        assert process.stdout is not None
        first = process.stdout.readline()
        assert first.strip().endswith(f"http://127.0.0.1:{port}")
        _read_until(process.stdout, "Press Ctrl+C to stop.\n")
        slow = next(s for s in scenarios() if s.key == "fault-slow")
        started = time.monotonic()
        result = request_token(to_inputs(slow.form, f"http://127.0.0.1:{port}"))
        took = time.monotonic() - started
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=15)
    assert result.ok and 0.8 <= took < 4  # the default 5 s delay would fail this


def test_slow_delay_must_be_a_finite_number() -> None:
    """`--slow-delay nan` or a negative delay is a usage error, not a crash when asked."""
    for value in ("nan", "-1", "inf"):
        done = subprocess.run(
            [sys.executable, "main.py", "sandbox", "--slow-delay", value],
            cwd=ROOT, capture_output=True, text=True, timeout=30,
        )  # fmt: skip
        assert done.returncode == 2 and "--slow-delay" in done.stderr


def test_sigterm_right_after_start_stops_cleanly() -> None:
    """SIGTERM sent as soon as the first line appears (before 'Press Ctrl+C') still stops
    cleanly: the handlers are installed before anything is printed (no race)."""
    with _serving() as process:
        assert process.stdout is not None
        assert process.stdout.readline().startswith("Sandbox identity provider running at")
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=15)
    assert process.returncode == 0 and "Traceback" not in err
    assert out.strip().endswith("Sandbox stopped.")
