"""Benchmark: time from the browser's redirect reaching the loopback listener to the verdict.

Run: uv run python tests/benchmarks/signin_redirect.py [--runs N]
Each run signs Alex in to Contoso Desktop against the in-process sandbox (a browser made of
plain HTTP requests fills the sign-in page), then measures, median and 95th percentile of N
(default 30): the redirect reaching the listener -> the token answer (code redemption over
loopback, `SignInResult.redirect_to_result_ms`), and -> the verdict ready to show (the
verdict of the answer plus the ID token's checks: signature with the published keys, aud,
nonce, issuer), as the command line and the window compute it.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from core.insight.idtoken import check_id_token  # noqa: E402
from core.insight.key_sets import KeyCache  # noqa: E402
from core.insight.verdict import verdict_for_result  # noqa: E402
from core.sandbox import Sandbox  # noqa: E402
from core.sandbox import directory as d  # noqa: E402
from core.signin import AuthCodeOptions, endpoints_for, run_auth_code  # noqa: E402
from core.token.models import TokenRequestInput  # noqa: E402
from tests.fakes.signin_browser import PageBrowser  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    runs = parser.parse_args().runs
    to_result, to_verdict = [], []
    cache = KeyCache()  # as in the app: keys fetched once per session
    with Sandbox() as sb:
        inputs = TokenRequestInput(cloud="sandbox", authority=sb.base_url,
                                   tenant=d.CONTOSO.domain, client_id=d.DESKTOP.client_id,
                                   scope="User.Read")  # fmt: skip
        endpoints = endpoints_for(inputs)
        for _ in range(runs):
            browser = PageBrowser(f"alex@{d.CONTOSO.domain}", d.PASSWORD)
            done = run_auth_code(inputs, endpoints, AuthCodeOptions(redirect_host="localhost"),
                                 open_url=browser.open)  # fmt: skip
            returned = time.perf_counter()
            assert done.ok and done.redirect_to_result_ms is not None, done.result
            verdict_for_result(done.result)
            assert done.result.token is not None and done.result.token.id_token
            report = check_id_token(done.result.token.id_token, client_id=d.DESKTOP.client_id,
                                    nonce=done.nonce, issuers=endpoints.issuers,
                                    jwks_uri=endpoints.jwks_uri, cache=cache)  # fmt: skip
            assert report.ok, report.checks
            extra_ms = (time.perf_counter() - returned) * 1000
            to_result.append(done.redirect_to_result_ms)
            to_verdict.append(done.redirect_to_result_ms + extra_ms)

    def line(name: str, values: list[float]) -> str:
        p95 = statistics.quantiles(values, n=20)[-1] if len(values) >= 2 else values[0]
        return f"{name:38} median {statistics.median(values):6.1f} ms   p95 {p95:6.1f} ms"

    print(f"{runs} browser sign-ins against the in-process sandbox (loopback HTTP)")
    print(line("redirect -> token answer", to_result))
    print(line("redirect -> verdict (incl. ID token)", to_verdict))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
