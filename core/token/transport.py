"""One bounded HTTP exchange, the only way the client side talks to a server.

`exchange()` sends one request and returns an `HttpResult`: the answer (any status, a 4xx is an
answer) or a classified `TransportFailure`. Every exchange has a total deadline (connect to last
byte, DNS included: a server that drips one byte a second ends in a timeout), a size cap on the
body, no redirects (a 3xx is returned as it is), certificate checks against the OS trust store
or an explicit CA file (`core.token.network`), proxies from the environment and the OS, never a
proxy for loopback, and never cookies or .netrc credentials. It never raises for network
trouble. Parse the body with `core.safejson` (nesting cap) and scrub it before showing it.
"""

from __future__ import annotations

import codecs
import logging
import socket
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from email.message import Message
from typing import Any

from core.token.helper_threads import run_soon
from core.token.network import (
    NetworkSetupError,
    ca_source,
    classify,
    host_of,
    pool_manager,
    proxy_for,
    timeout_failure,
)
from core.token.result import FailureKind, TransportFailure

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 16 * 1024 * 1024  # a token answer is a few KB; a junk page stays bounded
_CHUNK = 64 * 1024
_local = threading.local()  # the exchange the current helper thread runs (None between them)


@dataclass(frozen=True)
class HttpResult:
    """What one exchange gave: an HTTP answer (`status` set) or a `failure` with no answer."""

    method: str
    url: str
    elapsed_ms: float
    finished_at: float  # epoch seconds when the answer (or the failure) came
    status: int | None = None
    reason: str = ""
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = field(default=b"", repr=False)
    truncated: bool = False  # the body was larger than the cap; the rest was not read
    failure: TransportFailure | None = None

    def header(self, name: str) -> str:
        return next((v for k, v in self.headers if k.lower() == name.lower()), "")

    def text(self) -> str:
        """The body as text, in the charset the server named (UTF-8 otherwise)."""
        message = Message()
        message["content-type"] = self.header("Content-Type")
        charset = str(message.get_param("charset") or "utf-8")
        try:
            codecs.lookup(charset)
        except LookupError:
            charset = "utf-8"
        return self.body.decode(charset, errors="replace")


class SharedConnections:
    """Connections kept open across exchanges, for a batch of requests run by several threads
    (`main.py check`): one pool per proxy and trust setting, keep-alive connections reused,
    at most `size` open per host. Close it when the batch is done (or use it as a context)."""

    def __init__(self, size: int = 8) -> None:
        self.size = max(1, size)
        self._lock = threading.Lock()
        self._managers: dict[tuple[str | None, str], Any] = {}

    def manager(self, url: str, ca_file: str | None) -> Any:
        """The pool manager for this URL (made on first use).

        Raises:
            NetworkSetupError: a CA file or proxy that cannot be used.
        """
        key = (proxy_for(url), ca_source(ca_file)[0])
        with self._lock:
            found = self._managers.get(key)
            if found is None:
                found = pool_manager(url, ca_file, _pool_classes(), size=self.size)
                self._managers[key] = found
            return found

    def close(self) -> None:
        with self._lock:
            managers, self._managers = list(self._managers.values()), {}
        for manager in managers:
            manager.clear()

    def __enter__(self) -> SharedConnections:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _Exchange:
    """The work of one exchange on its helper thread, and the means to cut it short."""

    def __init__(self, method: str, url: str, body: bytes, headers: dict[str, str],
                 timeout_s: float, max_bytes: int, ca_file: str | None,
                 shared: SharedConnections | None = None) -> None:  # fmt: skip
        self.method, self.url, self.body, self.headers = method, url, body, headers
        self.shared = shared
        self.timeout_s, self.max_bytes, self.ca_file = timeout_s, max_bytes, ca_file
        self.done = threading.Event()
        self.aborted = False
        self.connections: list[Any] = []
        self.outcome: dict[str, Any] = {}

    def register(self, connection: Any) -> None:
        """Called by each connection as it connects; refuses once the exchange is over."""
        if connection not in self.connections:
            self.connections.append(connection)
        self.check()

    def check(self) -> None:
        if self.aborted:
            raise TimeoutError("the exchange was cut short (deadline or cancel)")

    def abort(self) -> None:
        """Stop the helper: shut its sockets down so any blocked read or write returns."""
        self.aborted = True
        for connection in list(self.connections):
            sock = getattr(connection, "sock", None)
            if sock is None:
                continue
            try:
                socket.socket.shutdown(sock, socket.SHUT_RDWR)
            except (OSError, TypeError, ValueError):
                pass  # already closed, or mid-handshake (then its own timeout ends it)

    def run(self) -> None:
        import urllib3

        _local.exchange = self
        response = manager = None
        clean = False  # the whole answer was read: its connection may be reused
        try:
            if self.shared is not None:
                manager = self.shared.manager(self.url, self.ca_file)
            else:
                manager = pool_manager(self.url, self.ca_file, _pool_classes())
            limit = urllib3.Timeout(connect=self.timeout_s, read=self.timeout_s)
            response = manager.urlopen(
                self.method, self.url, body=self.body or None, headers=self.headers,
                redirect=False, retries=False, preload_content=False, timeout=limit,
            )  # fmt: skip
            chunks, size, truncated = [], 0, False
            while chunk := response.read(_CHUNK):
                self.check()
                chunks.append(chunk)
                size += len(chunk)
                if size > self.max_bytes:
                    truncated = True
                    break
            self.outcome = {
                "status": response.status,
                "reason": response.reason or "",
                "headers": tuple((str(k), str(v)) for k, v in response.headers.items()),
                "body": b"".join(chunks)[: self.max_bytes],
                "truncated": truncated,
            }
            clean = not truncated
        except NetworkSetupError as exc:
            self.outcome = {"failure": exc.failure}
        except Exception as exc:  # every network failure becomes a classified result
            self.outcome = {"failure": classify(exc, self.url, self.timeout_s)}
        finally:
            if response is not None:
                if not clean or self.aborted:
                    response.close()  # never hand a half-read connection to the next one
                response.release_conn()
            if manager is not None and self.shared is None:
                manager.clear()
            _local.exchange = None  # `done` is set by the helper once it is ready again


def exchange(
    method: str,
    url: str,
    *,
    body: bytes = b"",
    headers: Iterable[tuple[str, str]] = (),
    timeout_s: float,
    max_bytes: int = MAX_BODY_BYTES,
    ca_file: str | None = None,
    cancel: threading.Event | None = None,
    shared: SharedConnections | None = None,
) -> HttpResult:
    """Send one request and read the whole answer within `timeout_s`, connect to last byte.

    Args:
        method, url, body, headers: the request, sent as given (no cookies, no .netrc).
        timeout_s: the total time allowed; after it the exchange is cut and a TIMEOUT failure
            returned, whatever the server is still sending.
        max_bytes: the largest body read; a larger one is cut there and marked `truncated`.
        ca_file: a CA bundle that replaces the OS trust store (else REQUESTS_CA_BUNDLE /
            CURL_CA_BUNDLE, else the OS trust store).
        cancel: set it (from any thread) to stop waiting: a CANCELLED failure comes back.
        shared: keep-alive connections shared with other exchanges (a batch); by default
            each exchange opens its own connection and closes it at the end.
    """
    started, wall = time.perf_counter(), time.time()
    job = _Exchange(method, url, body, dict(headers), timeout_s, max_bytes, ca_file, shared)
    deadline = time.monotonic() + timeout_s
    run_soon(job.run, job.done.set)  # on a reused helper thread (core.token.helper_threads)
    failure: TransportFailure | None = None
    while not job.done.is_set():
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            failure = timeout_failure(host_of(url), timeout_s, "total deadline reached")
        elif cancel is not None and cancel.is_set():
            failure = TransportFailure(FailureKind.CANCELLED, "The request was cancelled.")
        else:
            job.done.wait(min(remaining, 0.05) if cancel is not None else remaining)
            continue
        job.abort()
        break
    elapsed_ms = (time.perf_counter() - started) * 1000
    finished_at = wall + elapsed_ms / 1000
    if failure is None:
        failure = job.outcome.get("failure")
    if failure is not None:
        log.info("%s %s: no answer (%s) after %.0f ms", method, host_of(url), failure.kind.value,
                 elapsed_ms)  # fmt: skip
        return HttpResult(method, url, elapsed_ms, finished_at, failure=failure)
    log.info("%s %s: HTTP %s in %.0f ms", method, host_of(url), job.outcome["status"], elapsed_ms)
    return HttpResult(method, url, elapsed_ms, finished_at, **job.outcome)


_POOLS: dict[str, type] = {}


def _pool_classes() -> dict[str, type]:
    """Connection pools whose connections report to the exchange of the thread using them."""
    if not _POOLS:
        import urllib3.connection as conn
        import urllib3.connectionpool as pools

        class _Reporting:
            def connect(self) -> None:
                job = getattr(_local, "exchange", None)
                if job is not None:
                    job.register(self)
                super().connect()  # type: ignore[misc]
                if job is not None:
                    job.check()  # cut short while connecting: nothing is sent

            def request(self, *args: Any, **kwargs: Any) -> Any:
                job = getattr(_local, "exchange", None)
                if job is not None:  # a reused keep-alive connection: abort must reach it too
                    job.register(self)
                return super().request(*args, **kwargs)  # type: ignore[misc]

        http_conn = type("HTTPConnection", (_Reporting, conn.HTTPConnection), {})
        https_conn = type("HTTPSConnection", (_Reporting, conn.HTTPSConnection), {})
        _POOLS["http"] = type("HTTPPool", (pools.HTTPConnectionPool,), {"ConnectionCls": http_conn})
        _POOLS["https"] = type(
            "HTTPSPool", (pools.HTTPSConnectionPool,), {"ConnectionCls": https_conn}
        )
    return dict(_POOLS)
