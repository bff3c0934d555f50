"""A counting wrapper around a server (the sandbox): forwards every request and notes when it came.

`CountingProxy(target)` serves on 127.0.0.1, port 0, in a thread, forwards each request to
`target` (same path, body and the headers that matter) and returns its answer. `times` holds
the monotonic arrival time of every POST, so a test can check how often a client really sent;
`retry_after` adds a `Retry-After` header to every answer; `on_request` is called as each POST
arrives, before it is forwarded.
"""

from __future__ import annotations

import itertools
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

FORWARDED = ("Content-Type", "Authorization", "client-request-id", "return-client-request-id")
SKIPPED = {"transfer-encoding", "connection", "content-length", "keep-alive", "date", "server"}


class FirstRequestClock:
    """A sandbox clock that starts at the first request (`proxy.on_request = clock.mark`): the
    new secret's delay then counts from the first try, whatever the start-up took before it."""

    def __init__(self) -> None:
        self._first: float | None = None

    def mark(self) -> None:
        if self._first is None:
            self._first = time.monotonic()

    def __call__(self) -> float:
        return 0.0 if self._first is None else time.monotonic() - self._first


class CountingProxy:
    """Forwards to `target`; `times` lists when each POST arrived (time.monotonic())."""

    def __init__(self, target: str, retry_after: str | None = None) -> None:
        self.target = target.rstrip("/")
        self.retry_after = retry_after
        self.times: list[float] = []
        self.on_request: Callable[[], object] | None = None  # called as each POST arrives
        self._lock = threading.Lock()
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                with owner._lock:
                    owner.times.append(time.monotonic())
                if owner.on_request is not None:
                    owner.on_request()
                owner._forward(self)

            def do_GET(self) -> None:
                owner._forward(self)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def count(self) -> int:
        with self._lock:
            return len(self.times)

    def gaps(self) -> list[float]:
        """Seconds between consecutive POSTs."""
        with self._lock:
            return [b - a for a, b in itertools.pairwise(self.times)]

    def __enter__(self) -> CountingProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)

    def _forward(self, h: BaseHTTPRequestHandler) -> None:
        length = int(h.headers.get("Content-Length") or 0)
        body = h.rfile.read(length) if length else None
        request = urllib.request.Request(self.target + h.path, data=body, method=h.command)
        for name in FORWARDED:
            if h.headers.get(name):
                request.add_header(name, h.headers[name])
        try:
            answer = self._opener.open(request, timeout=30)
        except urllib.error.HTTPError as exc:
            answer = exc
        data = answer.read()
        h.send_response(answer.status)
        for name, value in answer.headers.items():
            if name.lower() not in SKIPPED:
                h.send_header(name, value)
        if self.retry_after is not None:
            h.send_header("Retry-After", self.retry_after)
        h.send_header("Content-Length", str(len(data)))
        h.end_headers()
        h.wfile.write(data)
