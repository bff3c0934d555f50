"""Benchmark: the sandbox beside a trivial standard-library JSON server, over keep-alive.

Run: uv run python tests/benchmarks/sandbox_throughput.py [--requests 300] [--rounds 5]

In one run, each server in its own process on loopback, this process the client (http.client,
one keep-alive connection per round, rounds interleaved between the servers):
- the sandbox (`main.py sandbox`): a client-credentials token POST (a signed RS256 token, the
  real work) and a discovery GET (a cached JSON document);
- a trivial server: `http.server.ThreadingHTTPServer`, HTTP/1.1 keep-alive, answering every
  GET and POST with a fixed 1.5 KB JSON body in one write with TCP_NODELAY (the fastest a
  stdlib server gets, so the ratio is a strict one);
- the same trivial server signing one RS256 signature (2048-bit key, as the sandbox's and
  Entra's) per answer: the like-with-like baseline for a token POST, and the ceiling of any
  server that signs a token per request.
Then the same over HTTPS (`main.py sandbox --tls`; the trivial servers wrapped in TLS too).
Reports the median round trip of each, the throughput over a whole round (median of the
rounds), and the ratios sandbox / trivial (and, for the token POST, sandbox / trivial + RS256)
of the throughput at the median round trip (1 / median): on a shared machine another
process's stall moves a whole round's rate a lot and the median hardly at all.
Targets: keep-alive round trip < 2 ms (median, HTTP and HTTPS); token throughput >= 0.8 x the
trivial + RS256 server's, discovery >= 0.8 x the trivial server's. Issue 15 asked for token
throughput >= 0.8 x the trivial server's: that is printed too, with the ceiling one signature
per answer sets (about 0.3-0.4 x on a 2-core machine), so it cannot be met while each token
is signed.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from core.sandbox import scenarios  # noqa: E402

TRIVIAL = r"""
import base64, json, socket, ssl, sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BODY = json.dumps({"token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599,
                   "access_token": "x" * 1400}).encode()
KEY = None
if sys.argv[1] == "sign":  # like with like: one RS256 signature (2048-bit key) per answer
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding, rsa
    KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    PAYLOAD = b"e30." + b"x" * 1000


def body():
    if KEY is None:
        return BODY
    signature = KEY.sign(PAYLOAD, padding.PKCS1v15(), hashes.SHA256())
    token = PAYLOAD + b"." + base64.urlsafe_b64encode(signature).rstrip(b"=")
    return b'{"token_type":"Bearer","expires_in":3599,"access_token":"' + token + b'"}'


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    wbufsize = -1  # headers and body leave in one write

    def do_GET(self):
        length = int(self.headers.get("Content-Length", "0") or 0)
        if length:
            self.rfile.read(length)
        data = body()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_POST = do_GET

    def log_message(self, *args):
        pass

server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
if len(sys.argv) > 3:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(sys.argv[2], sys.argv[3])
    server.socket = context.wrap_socket(server.socket, server_side=True)
print(f"PORT {server.server_address[1]}", flush=True)
server.serve_forever()
"""


TRIVIAL_RS256 = "trivial + RS256 POST"


class Server:
    """A server process; its port (and CA file) read from its first output lines."""

    def __init__(self, cmd: list[str], env: dict[str, str]) -> None:
        self.proc = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
        )
        assert self.proc.stdout is not None
        self.port, self.ca_file = 0, ""
        deadline = time.monotonic() + 60
        while not self.port and time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            if line.startswith("PORT "):
                self.port = int(line.split()[1])
            elif line.startswith("Sandbox identity provider running at "):
                self.port = int(line.strip().rsplit(":", 1)[1])
                if line.startswith("Sandbox identity provider running at https"):
                    self.ca_file = self.proc.stdout.readline().rsplit(": ", 1)[1].strip()
        if not self.port:
            self.stop()
            raise SystemExit(f"{cmd[:3]} did not start")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.communicate()


def connect(port: int, context: ssl.SSLContext | None) -> http.client.HTTPConnection:
    if context is None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    else:
        conn = http.client.HTTPSConnection("127.0.0.1", port, timeout=30, context=context)
    conn.connect()
    assert conn.sock is not None
    conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # as urllib3 does
    return conn


def one_round(
    port: int, context: ssl.SSLContext | None, method: str, path: str, body: bytes, count: int
) -> tuple[list[float], float]:
    """(each round trip in s, requests per second) of `count` requests on one connection."""
    headers = {"Content-Type": "application/x-www-form-urlencoded"} if body else {}
    conn = connect(port, context)
    times: list[float] = []
    try:
        for _ in range(5):  # warm-up: handshake done, server thread running
            conn.request(method, path, body=body or None, headers=headers)
            conn.getresponse().read()
        started = time.perf_counter()
        for _ in range(count):
            sent = time.perf_counter()
            conn.request(method, path, body=body or None, headers=headers)
            response = conn.getresponse()
            data = response.read()
            times.append(time.perf_counter() - sent)
            if response.status != 200 or not data:
                raise SystemExit(f"{method} {path} answered {response.status}")
        total = time.perf_counter() - started
    finally:
        conn.close()
    return times, count / total


def measure(
    cases: dict[str, tuple[Server, ssl.SSLContext | None, str, str, bytes]],
    count: int,
    rounds: int,
) -> dict[str, tuple[float, float]]:
    """Per case: (median round trip in s, median requests/s), rounds interleaved."""
    trips: dict[str, list[float]] = {name: [] for name in cases}
    rates: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(rounds):
        for name, (server, context, method, path, body) in cases.items():
            times, rate = one_round(server.port, context, method, path, body, count)
            trips[name] += times
            rates[name].append(rate)
    return {n: (statistics.median(trips[n]), statistics.median(rates[n])) for n in cases}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=300, help="per round and case")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    form = next(s for s in scenarios() if s.key == "cc-v2-graph").form
    token_path = f"/{form['tenant']}/oauth2/v2.0/token"
    token_body = urlencode({"grant_type": "client_credentials", "client_id": form["client_id"],
                            "client_secret": form["client_secret"],
                            "scope": form["scope"]}).encode()  # fmt: skip
    discovery = f"/{form['tenant']}/v2.0/.well-known/openid-configuration"
    py = sys.executable
    results: dict[str, dict[str, tuple[float, float]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, ENTRA_TOKEN_TESTER_CONFIG_DIR=tmp)
        from core.sandbox.keys import tls_material

        material = tls_material()
        cert, key, ca = Path(tmp, "t.pem"), Path(tmp, "t.key"), Path(tmp, "ca.pem")
        cert.write_bytes(material.cert_pem)
        key.write_bytes(material.key_pem)
        ca.write_bytes(material.ca_pem)
        for scheme in ("http", "https"):
            tls = scheme == "https"
            sandbox = Server([py, "main.py", "sandbox", *(["--tls"] if tls else [])], env)
            tls_args = [str(cert), str(key)] if tls else []
            trivial = Server([py, "-c", TRIVIAL, "plain", *tls_args], env)
            signing = Server([py, "-c", TRIVIAL, "sign", *tls_args], env)
            try:
                sb_ctx = ssl.create_default_context(cafile=sandbox.ca_file) if tls else None
                tr_ctx = ssl.create_default_context(cafile=str(ca)) if tls else None
                results[scheme] = measure(
                    {
                        "sandbox token POST": (sandbox, sb_ctx, "POST", token_path, token_body),
                        "sandbox discovery GET": (sandbox, sb_ctx, "GET", discovery, b""),
                        "trivial JSON POST": (trivial, tr_ctx, "POST", "/token", token_body),
                        TRIVIAL_RS256: (signing, tr_ctx, "POST", "/token", token_body),
                    },
                    args.requests,
                    args.rounds,
                )
            finally:
                sandbox.stop()
                trivial.stop()
                signing.stop()
    python = sys.version.split()[0]
    print(f"Sandbox throughput ({args.rounds} rounds x {args.requests} requests on one "
          f"keep-alive connection, Python {python}, {os.cpu_count()} CPUs)")  # fmt: skip
    ok, issue_ok = True, True
    summary: dict[str, float] = {}
    for scheme, rows in results.items():
        # Ratios of the speeds at the median round trip (1 / median): a stall of another
        # process on a shared machine moves a whole round's rate, hardly the median.
        speed = {name: 1 / trip for name, (trip, _) in rows.items()}
        base, like = speed["trivial JSON POST"], speed[TRIVIAL_RS256]
        print(f"  {scheme.upper()}")
        for name, (trip, rate) in rows.items():
            versus = f"  {speed[name] / like:4.2f} x trivial + RS256" if "token" in name else ""
            print(f"    {name:<24} round trip {trip * 1000:6.2f} ms  ({rate:5.0f} req/s over a "
                  f"round)  {speed[name] / base:4.2f} x trivial{versus}")  # fmt: skip
        trip = rows["sandbox token POST"][0]
        figures = {"token_trip_ms": trip * 1000, "token_ratio": speed["sandbox token POST"] / base,
                   "token_ratio_like": speed["sandbox token POST"] / like, "floor": like / base,
                   "discovery_ratio": speed["sandbox discovery GET"] / base}  # fmt: skip
        summary.update({f"{scheme}_{k}": v for k, v in figures.items()})
        ok = ok and trip < 0.002 and figures["token_ratio_like"] >= 0.8
        ok = ok and figures["discovery_ratio"] >= 0.8
        issue_ok = issue_ok and figures["token_ratio"] >= 0.8
    print("targets: round trip < 2 ms; token POST >= 0.8 x trivial + RS256 and discovery GET "
          ">= 0.8 x trivial (HTTP and HTTPS): " + ("met" if ok else "MISSED"))  # fmt: skip
    floor = max(summary["http_floor"], summary["https_floor"])
    print(f"issue 15's ratio, token POST >= 0.8 x trivial (which signs nothing): "
          f"{'met' if issue_ok else 'MISSED'}; one RS256 signature per answer alone caps any "
          f"server at {floor:.2f} x here")  # fmt: skip
    print("json " + json.dumps({k: round(v, 3) for k, v in summary.items()}))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
