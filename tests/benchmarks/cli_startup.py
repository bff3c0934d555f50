"""Benchmark: `main.py token` and `token --help` beside a minimal requests script, curl and bare
Python, side by side in one run.

Run: uv run python tests/benchmarks/cli_startup.py [--runs N] [--baseline DIR]

Each round starts every candidate once, in a rotating order (interleaved, so a noisy moment hits
them all), against the in-process sandbox on loopback; the report gives medians of N rounds
(default 15):
  - `python -c pass` (the interpreter alone);
  - `main.py token --help`;
  - a minimal script that imports `requests` and posts the same form (what a hand-written
    pipeline check costs);
  - `main.py token` (client credentials, the same form);
  - `curl` posting the same form, when curl is on PATH.
Targets (issue 15): `token` <= 1.2 x the requests script; `token --help` <= `python -c pass`
+ 30 ms.

Bytecode, measured both ways in the same run:
  - "as installed": every child caches bytecode in a temporary PYTHONPYCACHEPREFIX folder (after
    one warm-up round), as an installed app or a `uv sync --compile-bytecode` environment runs;
  - "PYTHONDONTWRITEBYTECODE=1": the children use the bytecode this checkout and its virtual
    environment already hold and write none (as .ci/run and our machines run); every source file
    without bytecode is compiled again at every start.
`--baseline DIR` adds another checkout's `main.py token` and `token --help` to the same rounds
(e.g. `git worktree add /tmp/before main`), so a change is measured before and after side by
side. The last lines say which heavy modules `token --help` loaded (it should load none).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from core.sandbox import Sandbox  # noqa: E402
from core.sandbox import directory as d  # noqa: E402

SCOPE = "https://graph.microsoft.com/.default"

# What a person writes to check a credential with requests: import, post the form, read JSON.
REQUESTS_SCRIPT = """
import os, sys, requests
answer = requests.post(sys.argv[1], data={
    "grant_type": "client_credentials", "client_id": sys.argv[2],
    "client_secret": os.environ["BENCH_SECRET"], "scope": sys.argv[3]}, timeout=30)
print(answer.status_code, answer.json()["token_type"])
"""

HEAVY = ("PySide6", "requests", "urllib3", "jwt", "cryptography", "truststore", "keyring")
PROBE = """
import runpy, sys
sys.argv = ["main.py", "token", "--help"]
try:
    runpy.run_path("main.py", run_name="__main__")
except SystemExit:
    pass
print(" ".join(m for m in HEAVY if m in sys.modules) or "none", file=sys.stderr)
""".replace("HEAVY", repr(HEAVY))


def run_once(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the child) for one start."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"{cmd[:3]}... failed (exit {proc.returncode}):\n{proc.stderr}")
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return elapsed, cpu


def measure(
    candidates: dict[str, list[str]], runs: int, env: dict[str, str]
) -> dict[str, tuple[float, float]]:
    """(median wall, median CPU) seconds per candidate: `runs` rounds, each starting every
    candidate once."""
    names = list(candidates)
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in names}
    for i in range(runs):
        for name in names[i % len(names) :] + names[: i % len(names)]:
            times[name].append(run_once(candidates[name], env))
    return {
        name: (statistics.median(w for w, _ in values), statistics.median(c for _, c in values))
        for name, values in times.items()
    }


def report(title: str, medians: dict[str, tuple[float, float]]) -> None:
    print(f"\n{title}")
    print(f"  {'':<24}{'wall':>9}{'CPU':>10}")
    for name, (wall, cpu) in medians.items():
        print(f"  {name:<24}{wall * 1000:7.1f} ms{cpu * 1000:7.1f} ms")
    for kind, i in (("wall", 0), ("CPU", 1)):
        m = {name: pair[i] for name, pair in medians.items()}
        bare, script = m["python -c pass"], m["requests script"]
        over = (m["main.py token --help"] - bare) * 1000
        ratio = m["main.py token"] / script
        print(f"  {kind:<4} token --help - python -c pass {over:5.1f} ms (target <= 30: "
              f"{'met' if over <= 30 else 'MISSED'}); token / requests script {ratio:4.2f} x "
              f"(target <= 1.2: {'met' if ratio <= 1.2 else 'MISSED'})")  # fmt: skip
        if "baseline token" in m:
            before = (m["baseline token --help"] - bare) * 1000
            print(f"       baseline: --help - python -c pass {before:5.1f} ms; token / "
                  f"requests script {m['baseline token'] / script:4.2f} x")  # fmt: skip
    if "curl" in medians:
        print(f"  wall token / curl {medians['main.py token'][0] / medians['curl'][0]:5.2f} x")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--baseline", type=Path, help="another checkout to measure alongside")
    options = parser.parse_args()
    runs = options.runs
    py = sys.executable
    curl = shutil.which("curl")
    with Sandbox() as sandbox, tempfile.TemporaryDirectory() as tmp:
        url = f"{sandbox.base_url}/{d.CONTOSO.id}/oauth2/v2.0/token"
        secret = d.VALID_SECRET.value
        candidates = {
            "python -c pass": [py, "-c", "pass"],
            "main.py token --help": [py, "main.py", "token", "--help"],
            "requests script": [py, "-c", REQUESTS_SCRIPT, url, d.DAEMON.client_id, SCOPE],
            "main.py token": [
                py, "main.py", "token", "--cloud", "sandbox", "--authority", sandbox.base_url,
                "--tenant", d.CONTOSO.id, "--client-id", d.DAEMON.client_id,
                "--secret-env", "BENCH_SECRET", "--scope", SCOPE,
            ],
        }  # fmt: skip
        if options.baseline:
            for name in ("main.py token --help", "main.py token"):
                cmd = candidates[name]
                candidates[f"baseline {name[8:]}"] = [
                    py,
                    str(options.baseline.resolve() / "main.py"),
                    *cmd[2:],
                ]
        if curl:
            candidates["curl"] = [
                curl, "-sSf", "-o", "/dev/null", url, "-d", "grant_type=client_credentials",
                "-d", f"client_id={d.DAEMON.client_id}", "--data-urlencode",
                f"client_secret={secret}", "--data-urlencode", f"scope={SCOPE}",
            ]  # fmt: skip
        base = {**os.environ, "BENCH_SECRET": secret}
        base.pop("PYTHONDONTWRITEBYTECODE", None)
        cached = {**base, "PYTHONPYCACHEPREFIX": str(Path(tmp, "cache"))}
        measure(candidates, 1, cached)  # warm-up: fills the bytecode cache
        as_is = {**base, "PYTHONDONTWRITEBYTECODE": "1"}
        with_bytecode = measure(candidates, runs, cached)
        without = measure(candidates, runs, as_is)
        probe = subprocess.run([py, "-c", PROBE], cwd=ROOT, env=cached, capture_output=True,
                               text=True, check=False)  # fmt: skip
    print(f"medians of {runs} interleaved rounds; python {sys.version.split()[0]}; "
          f"curl {'at ' + curl if curl else 'not found'}")  # fmt: skip
    report("as installed (bytecode cached)", with_bytecode)
    report("PYTHONDONTWRITEBYTECODE=1 (only the bytecode already on disk)", without)
    print(f"\nheavy modules loaded by token --help: {probe.stderr.strip().splitlines()[-1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
