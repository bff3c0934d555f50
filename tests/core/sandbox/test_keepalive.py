"""The sandbox answers a reused (keep-alive) connection at once, over HTTP and HTTPS.

Nagle's algorithm with the client's delayed ACK held each answer after the first on a connection
for about 40 ms; the server now writes each answer at once with TCP_NODELAY. The bound is loose
(15 ms median, for a loaded 2-core machine); tests/benchmarks/sandbox_throughput.py measures.
"""

from __future__ import annotations

import statistics
import time
from urllib.parse import urlencode

import pytest
import requests

from core.sandbox import Sandbox, scenarios

FORM = next(s for s in scenarios() if s.key == "cc-v2-graph").form


@pytest.mark.parametrize("tls", [False, True], ids=["http", "https"])
def test_twenty_token_requests_on_one_connection_are_answered_at_once(tls: bool) -> None:
    """20 token POSTs on one session: one connection, median round trip under 15 ms."""
    body = urlencode({"grant_type": "client_credentials", "client_id": FORM["client_id"],
                      "client_secret": FORM["client_secret"], "scope": FORM["scope"]})  # fmt: skip
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    with Sandbox(tls=tls) as sb, requests.Session() as session:
        if sb.ca_file is not None:
            session.verify = str(sb.ca_file)
        url = f"{sb.base_url}/{FORM['tenant']}/oauth2/v2.0/token"
        first = session.post(url, data=body, headers=headers, timeout=10)
        assert first.status_code == 200, first.text
        times, ports = [], set()
        for _ in range(20):
            started = time.perf_counter()
            response = session.post(url, data=body, headers=headers, timeout=10, stream=True)
            ports.add(response.raw.connection.sock.getsockname()[1])  # the client's port
            assert response.status_code == 200
            response.content  # noqa: B018 (read the body within the timing)
            times.append(time.perf_counter() - started)
            assert response.json()["access_token"].count(".") == 2
    assert len(ports) == 1, "the session did not keep its connection"
    assert statistics.median(times) < 0.015, [round(t * 1000, 1) for t in times]
