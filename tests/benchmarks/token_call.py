"""Benchmark: what `token --call URL` adds to `token` against the sandbox.

Run: uv run python tests/benchmarks/token_call.py [--runs N] [--cli-runs M]
Side by side, medians:
  - in process: a token request (`request_token`) vs the same plus the call to the sandbox's
    Graph (`call_api`: permission check from the catalog, the call over loopback, the bearer
    validation in the sandbox, scrubbing, pretty JSON, the diagnosis step);
  - the command line: `main.py token …` vs `main.py token … --call {sandbox}/graph/v1.0/users`
    in a fresh interpreter each time (what a script pays: imports included).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from core.api.call import ApiRequest  # noqa: E402
from core.api.report import call_api  # noqa: E402
from core.redaction import Secret  # noqa: E402
from core.sandbox import Sandbox  # noqa: E402
from core.sandbox import directory as d  # noqa: E402
from core.token.client import request_token  # noqa: E402
from core.token.models import TokenRequestInput  # noqa: E402


def median_ms(func: Callable[[], object], runs: int) -> float:
    func()  # warm up (imports, catalogs, first connection)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        func()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--cli-runs", type=int, default=9)
    args = parser.parse_args()
    with Sandbox() as sb:
        url = f"{sb.base_url}/graph/v1.0/users"
        inputs = TokenRequestInput(cloud="sandbox", authority=sb.base_url, tenant=d.CONTOSO.id,
                                   client_id=d.DAEMON.client_id,
                                   client_secret=Secret(d.VALID_SECRET.value),
                                   scope="https://graph.microsoft.com/.default")  # fmt: skip

        def token_only() -> None:
            assert request_token(inputs).token is not None

        def token_and_call() -> None:
            result = request_token(inputs)
            assert result.token is not None and result.token.access_token is not None
            report = call_api(ApiRequest("GET", url, result.token.access_token),
                              cloud="sandbox", authority=sb.base_url)  # fmt: skip
            assert report.result.ok

        a = median_ms(token_only, args.runs)
        b = median_ms(token_and_call, args.runs)
        print(f"in process, token:                 {a:7.2f} ms")
        print(f"in process, token + call:          {b:7.2f} ms (the call adds {b - a:.2f} ms)")
        cli = [sys.executable, "main.py", "token", "--cloud", "sandbox", "--authority",
               sb.base_url, "--tenant", d.CONTOSO.id, "--client-id", d.DAEMON.client_id,
               "--secret-env", "BENCH_SECRET"]  # fmt: skip
        env = {**os.environ, "BENCH_SECRET": d.VALID_SECRET.value}

        def run(extra: list[str]) -> Callable[[], None]:
            def go() -> None:
                proc = subprocess.run([*cli, *extra], cwd=ROOT, env=env, capture_output=True,
                                      timeout=60, check=False)  # fmt: skip
                assert proc.returncode == 0, proc.stderr

            return go

        c = median_ms(run([]), args.cli_runs)
        e = median_ms(run(["--call", url]), args.cli_runs)
        print(f"command line, token:               {c:7.1f} ms")
        print(f"command line, token --call:        {e:7.1f} ms (--call adds {e - c:.1f} ms, "
              f"x{e / c:.2f})")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
