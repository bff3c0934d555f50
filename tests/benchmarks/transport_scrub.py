"""Benchmark: the bounded exchange and the scrubber, each side by side with the simpler way.

Run: uv run python tests/benchmarks/transport_scrub.py [--runs N]

1. Token round trips against the in-process sandbox on loopback (median of N): the client's
   `request_token` (one fresh connection per exchange, a helper thread for the total deadline)
   vs a reused `requests.Session` POST (what the client did before) vs requests without reuse.
2. Scrubbing: building the scrubber for a secret and a password; masking a 4 KB error body and
   a 16 MB junk page, vs a plain `str.replace` of the two exact values (the old scrubbing).
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from core.redaction import Scrubber, Secret  # noqa: E402
from core.sandbox import Sandbox, scenarios  # noqa: E402
from core.token.client import request_token  # noqa: E402
from core.token.request import build_request  # noqa: E402
from tests.core.sandbox.conftest import to_inputs  # noqa: E402


def median_ms(func, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        func()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=40)
    runs = parser.parse_args().runs
    import requests

    form = next(s for s in scenarios() if s.key == "cc-v2-graph").form
    with Sandbox() as sb:
        inputs = to_inputs(form, sb.base_url)
        prepared = build_request(inputs)
        headers = {k: str(v) for k, v in prepared.headers}
        body = prepared.body().encode()
        session = requests.Session()
        session.post(prepared.url, data=body, headers=headers, timeout=10)  # warm up

        def ours() -> None:
            assert request_token(inputs).ok

        def reused() -> None:
            assert session.post(prepared.url, data=body, headers=headers, timeout=10).ok

        def fresh() -> None:
            assert requests.post(prepared.url, data=body, headers=headers, timeout=10).ok

        ours()
        a, b, c = median_ms(ours, runs), median_ms(reused, runs), median_ms(fresh, runs)
    print(f"token round trip, median of {runs} (ms): request_token {a:.1f}  "
          f"requests reused session {b:.1f}  requests fresh {c:.1f}")  # fmt: skip
    print(f"  ratio request_token / reused session = {a / b:.2f}, / fresh = {a / c:.2f}")

    secret, password = form["client_secret"], 'P@ss wörd/+"&<x>'
    build = median_ms(lambda: Scrubber([Secret(secret), Secret(password)]), runs)
    scrub = Scrubber([Secret(secret), Secret(password)])
    small = ('{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client '
             'secret provided. Trace ID: 1 Correlation ID: 2"}').ljust(4096, " ")  # fmt: skip
    big = ("<html><body>" + "junk page text " * 1_100_000)[: 16 * 1024 * 1024]
    jwt = re.compile(r"eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_=-]*\.?[A-Za-z0-9_=\-]*")

    def old(text: str) -> str:
        return jwt.sub("*", text.replace(secret, "*").replace(password, "*"))

    runs_big = max(3, runs // 10)
    s_small, o_small = (
        median_ms(lambda: scrub.text(small), runs),
        median_ms(lambda: old(small), runs),
    )
    s_big, o_big = (
        median_ms(lambda: scrub.text(big), runs_big),
        median_ms(lambda: old(big), runs_big),
    )
    print(f"scrubber: build {build:.2f} ms for 2 secrets ({len(scrub._forms)} forms)")
    print(f"  4 KB body: {s_small:.3f} ms vs exact-value replace {o_small:.3f} ms "
          f"(x{s_small / o_small:.1f})")  # fmt: skip
    print(f"  16 MB body: {s_big:.0f} ms vs exact-value replace {o_big:.0f} ms "
          f"(x{s_big / o_big:.1f})")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
