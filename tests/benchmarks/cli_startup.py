"""Benchmark: wall time of `main.py token --help` and a full token round trip, vs bare Python.

Run: uv run python tests/benchmarks/cli_startup.py [--runs N]
Prints the median of N runs (default 15) of each command, in one run of this script, against
the in-process sandbox on loopback, and whether Qt was loaded by the CLI.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from core.sandbox import Sandbox, scenarios  # noqa: E402


def median_wall(cmd: list[str], runs: int, env: dict[str, str]) -> tuple[float, int]:
    times, code = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
        times.append(time.perf_counter() - started)
        code = proc.returncode
    return statistics.median(times), code


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    py = sys.executable
    working = next(s for s in scenarios() if s.expect == "token" and s.form.get("client_secret"))
    form = working.form
    with Sandbox() as sandbox:
        env = dict(os.environ, BENCH_SECRET=form["client_secret"])
        token_cmd = [
            py, "main.py", "token", "--cloud", "sandbox", "--authority", sandbox.base_url,
            "--endpoint", form.get("endpoint", "v2"), "--tenant", form["tenant"],
            "--client-id", form["client_id"], "--secret-env", "BENCH_SECRET",
        ]  # fmt: skip
        if form.get("scope"):
            token_cmd += ["--scope", form["scope"]]
        if form.get("resource"):
            token_cmd += ["--resource", form["resource"]]
        bare, _ = median_wall([py, "-c", "pass"], runs, env)
        helptime, _ = median_wall([py, "main.py", "token", "--help"], runs, env)
        full, code = median_wall(token_cmd, runs, env)
    probe = subprocess.run(
        [py, "-c", "import runpy,sys; sys.argv=['main.py','token','--help']\n"
         "try: runpy.run_path('main.py', run_name='__main__')\nexcept SystemExit: pass\n"
         "print('PySide6' in sys.modules, file=sys.stderr)"],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    print(f"runs per command          {runs}")
    print(f"python -c pass            {bare * 1000:7.1f} ms")
    print(f"main.py token --help      {helptime * 1000:7.1f} ms  (+{(helptime - bare) * 1000:.1f})")
    extra = (full - bare) * 1000
    print(f"main.py token (sandbox)   {full * 1000:7.1f} ms  (+{extra:.1f}), exit {code}")
    print(f"Qt loaded by token --help {probe.stderr.strip()}")
    target = "met" if full - bare <= 0.4 and code == 0 else "MISSED"
    print(f"target: round trip <= bare + 400 ms: {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
