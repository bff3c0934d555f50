"""Benchmark: `main.py check` of 100 sandbox credentials vs sequential posts with requests.

Run: uv run python tests/benchmarks/check_many.py [--runs N] [--count 100] [--jobs 8]

Both sides run as fresh Python processes (start-up included) against the same in-process
sandbox on loopback:
- check:    `main.py check --file checks.json` with the demo apps repeated to `--count`
            entries, secrets in environment variables (as a pipeline would);
- requests: a script that imports `requests` and posts the same requests (URL, headers, form
            body, built here once) one after another on one `requests.Session`.
Prints the median wall time of each (alternating runs), the ratio check / requests, and the
targets from issue 15 (under 3 s, at most 1.5x).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from core.check.plan import plan, read_checks_file  # noqa: E402
from core.sandbox import Sandbox  # noqa: E402
from core.token.credential.resolve import resolve_credential  # noqa: E402
from core.token.request import build_request  # noqa: E402
from tests.core.check.checkkit import checks_document, demo_keys, write_checks  # noqa: E402

BASELINE = """
import json, sys
import requests
jobs = json.load(open(sys.argv[1]))
with requests.Session() as session:
    session.trust_env = False
    for job in jobs:
        session.post(job["url"], data=job["body"], headers=job["headers"], timeout=30).content
"""


def requests_file(folder: Path, checks: Path, env: dict[str, str]) -> Path:
    """The same requests as the check sends, built once here (assertions signed now)."""
    entries, _ = read_checks_file(checks)
    jobs = []
    for item in plan(entries, environ=env):
        if item.inputs is None:
            continue
        inputs, _ = resolve_credential(item.inputs)
        prepared = build_request(inputs)
        headers = {k: v if isinstance(v, str) else v.reveal() for k, v in prepared.headers}
        jobs.append({"url": prepared.url, "body": prepared.body(), "headers": headers})
    path = folder / "requests.json"
    path.write_text(json.dumps(jobs))
    return path


def wall(cmd: list[str], env: dict[str, str]) -> tuple[float, int]:
    started = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    return time.perf_counter() - started, proc.returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--jobs", type=int, default=8)
    args = parser.parse_args()
    keys = [k for k in demo_keys() if k != "secret-new"]  # no replication wait in a benchmark
    repeat = -(-args.count // len(keys))
    with Sandbox() as sandbox, tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        doc, secrets, _ = checks_document(sandbox, keys, repeat=repeat)
        doc["profiles"] = doc["profiles"][: args.count]
        checks = write_checks(folder / "checks.json", doc)
        env = {**os.environ, **secrets, "ENTRA_TOKEN_TESTER_CONFIG_DIR": str(folder / "cfg")}
        jobs = requests_file(folder, checks, env)
        script = folder / "baseline.py"
        script.write_text(BASELINE)
        check_cmd = [sys.executable, "main.py", "check", "--file", str(checks),
                     "--jobs", str(args.jobs)]  # fmt: skip
        base_cmd = [sys.executable, str(script), str(jobs)]
        wall(check_cmd, env), wall(base_cmd, env)  # warm the file cache and bytecode
        ours, theirs = [], []
        for _ in range(args.runs):
            t, code = wall(check_cmd, env)
            assert code in (0, 1), f"check exited {code}"
            ours.append(t)
            t, code = wall(base_cmd, env)
            assert code == 0, f"baseline exited {code}"
            theirs.append(t)
    check_s, base_s = statistics.median(ours), statistics.median(theirs)
    print(f"{len(doc['profiles'])} credentials, {args.runs} runs each, medians:")
    print(f"  main.py check --jobs {args.jobs}:            {check_s * 1000:7.0f} ms")
    print(f"  python + requests, sequential, one session: {base_s * 1000:7.0f} ms")
    ratio = check_s / base_s
    print(f"  ratio check / requests: {ratio:.2f}x  (targets: < 3000 ms, <= 1.5x: "
          f"{'met' if check_s < 3 and ratio <= 1.5 else 'NOT met'})")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
