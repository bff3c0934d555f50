"""Benchmark: what signing a client assertion adds to a token request (budget: 20 ms).

Run: uv run python tests/benchmarks/assertion_signing.py [--runs N]
Side by side in one run, median of N (default 200) of each:
  - building the request (`build_request`): client secret vs certificate (PS256 and RS256,
    2048- and 4096-bit RSA keys): the difference is the signing cost;
  - a whole token request to the in-process sandbox over loopback, secret vs certificate (the
    sandbox then also verifies the assertion, so this is an upper bound).
Loading the certificate file is done once, as the window and the CLI do.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from core.redaction import Secret  # noqa: E402
from core.sandbox import Sandbox  # noqa: E402
from core.sandbox import directory as d  # noqa: E402
from core.token.client import request_token  # noqa: E402
from core.token.credential.certificate import load_certificate  # noqa: E402
from core.token.models import AssertionAlg, CredentialKind, TokenRequestInput  # noqa: E402
from core.token.request import build_request  # noqa: E402
from tests.core import certkit as ck  # noqa: E402

BUDGET_MS = 20.0


def median_ms(func: Callable[[], object], runs: int) -> float:
    func()  # warm up (imports, first use of the key)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        func()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=200)
    runs = parser.parse_args().runs
    base = TokenRequestInput(tenant=d.CONTOSO.id, client_id=d.DAEMON.client_id,
                             scope="https://graph.microsoft.com/.default")  # fmt: skip
    secret = TokenRequestInput(**{**base.__dict__, "client_secret": Secret(d.VALID_SECRET.value)})
    with tempfile.TemporaryDirectory() as tmp:
        keys = {}
        for bits in (2048, 4096):
            key = ck.rsa_key(bits)
            path = ck.write(Path(tmp), f"k{bits}.pem", ck.cert_pem(ck.cert(key)) + ck.key_pem(key))
            keys[bits] = load_certificate(path)
    plain = median_ms(lambda: build_request(secret), runs)
    print(f"build_request, client secret:        {plain:7.3f} ms")
    worst = 0.0
    for bits, cred in keys.items():
        for alg in AssertionAlg:
            cert = TokenRequestInput(**{**base.__dict__, "credential": CredentialKind.CERTIFICATE,
                                        "certificate": cred, "assertion_alg": alg})  # fmt: skip
            took = median_ms(lambda cert=cert: build_request(cert), runs)
            worst = max(worst, took - plain)
            print(f"build_request, {alg.value} RSA {bits}:     {took:7.3f} ms "
                  f"(signing adds {took - plain:6.3f} ms, x{took / plain:.0f})")  # fmt: skip
    with Sandbox() as sb:
        pem = sb.files_dir / "contoso-daemon.pem"
        loaded = load_certificate(pem)
        over = {"cloud": "sandbox", "authority": sb.base_url}
        http_secret = TokenRequestInput(**{**secret.__dict__, **over})
        http_cert = TokenRequestInput(**{**base.__dict__, **over, "certificate": loaded,
                                         "credential": CredentialKind.CERTIFICATE})  # fmt: skip
        n = max(20, runs // 5)
        a = median_ms(lambda: request_token(http_secret), n)
        b = median_ms(lambda: request_token(http_cert), n)
        print(f"token request to the sandbox, secret:      {a:7.2f} ms")
        print(
            f"token request to the sandbox, certificate: {b:7.2f} ms "
            f"(+{b - a:.2f} ms incl. the sandbox's verification, x{b / a:.2f})"
        )
    verdict = "within" if worst <= BUDGET_MS else "OVER"
    print(f"Worst signing cost {worst:.2f} ms: {verdict} the {BUDGET_MS:.0f} ms budget")
    return 0 if worst <= BUDGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
