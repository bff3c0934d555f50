"""The one-shot loopback listener that receives the browser's redirect after sign-in.

It binds 127.0.0.1 only (the name `localhost` is resolved to 127.0.0.1 by us, never by the
resolver: no 0.0.0.0, no IPv6), answers exactly one redirect to its path with a plain page,
ignores other paths (a browser's favicon request gets a 404), and closes when that redirect came,
at its total deadline, when cancelled, or on any error: always.
"""

from __future__ import annotations

import html
import selectors
import socket
import sys
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

from core.redaction import Scrubber, Secret

LOOPBACK_ADDRESS = "127.0.0.1"
REDIRECT_HOSTS = ("127.0.0.1", "localhost")
DEFAULT_WAIT_S = 180.0
MAX_REQUEST_BYTES = 16 * 1024
MAX_CONNECTIONS = 16
_TICK_S = 0.05
APP_NAME = "Entra Token Tester"
DONE_TEXT = f"You can close this tab; return to {APP_NAME}."


class ListenerError(OSError):
    """The listener could not start (port in use, not allowed); the message says so plainly."""


@dataclass(frozen=True)
class Redirect:
    """What came back to the redirect URI: a code and state, or an error, or nothing (why)."""

    code: Secret | None = field(default=None, repr=False)
    state: str = ""
    error: str = ""
    error_description: str = ""
    error_uri: str = ""
    error_codes: tuple[int, ...] = ()
    trace_id: str = ""
    correlation_id: str = ""
    timed_out: bool = False
    cancelled: bool = False
    state_mismatch: bool = False
    received_at: float = 0.0  # time.perf_counter() when the redirect reached the listener


def _params(query: str) -> dict[str, str]:
    pairs = parse_qsl(query, keep_blank_values=True, max_num_fields=50)
    return {k: v for k, v in pairs}


def _codes(text: str) -> tuple[int, ...]:
    out = []
    for part in text.replace(",", " ").split():
        if part.isdigit() and len(part) < 10:
            out.append(int(part))
    return tuple(out)


def _page(title: str, body: str) -> bytes:
    text = (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title></head><body>"
        f"<h1>{html.escape(title)}</h1><p>{html.escape(body)}</p></body></html>"
    )
    return text.encode("utf-8")


def _response(status: str, body: bytes) -> bytes:
    head = (
        f"HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\n"
        f"Content-Length: {len(body)}\r\nCache-Control: no-store\r\n"
        "Referrer-Policy: no-referrer\r\nConnection: close\r\n\r\n"
    )
    return head.encode("ascii") + body


class LoopbackListener:
    """Listen on 127.0.0.1 for one redirect. Use as a context manager: it always closes.

    `host` is how the redirect URI names this computer: `127.0.0.1` (recommended) or `localhost`
    (what the app registration must then name); `port` 0 takes a free port.
    """

    def __init__(self, host: str = LOOPBACK_ADDRESS, port: int = 0, path: str = "/") -> None:
        if host not in REDIRECT_HOSTS:
            raise ListenerError(f"the redirect host must be 127.0.0.1 or localhost, not '{host}'")
        if not 0 <= port <= 65535:
            raise ListenerError(f"the redirect port must be between 0 and 65535, not {port}")
        self.host = host
        self.path = "/" + path.lstrip("/")
        self._sock: socket.socket | None = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            if sys.platform != "win32":  # a port left in TIME_WAIT by the previous attempt
                self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            self._sock.bind((LOOPBACK_ADDRESS, port))
            self._sock.listen(MAX_CONNECTIONS)
            self._sock.setblocking(False)
        except OSError as exc:
            self._sock.close()
            self._sock = None
            raise ListenerError(
                f"cannot listen on {LOOPBACK_ADDRESS} port {port}: {exc.strerror or exc}"
                + (" (another program uses it; choose another port or 0)" if port else "")
            ) from None
        self.port = int(self._sock.getsockname()[1])
        self.redirect_uri = f"http://{host}:{self.port}{self.path}"

    @property
    def closed(self) -> bool:
        return self._sock is None

    def bound_address(self) -> tuple[str, int]:
        if self._sock is None:
            raise ListenerError("the listener is closed")
        address = self._sock.getsockname()
        return str(address[0]), int(address[1])

    def __enter__(self) -> LoopbackListener:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        sock, self._sock = self._sock, None
        if sock is not None:
            sock.close()

    def wait(
        self,
        *,
        expected_state: str,
        timeout_s: float = DEFAULT_WAIT_S,
        cancel: threading.Event | None = None,
        scrubber: Scrubber | None = None,
    ) -> Redirect:
        """Wait for the redirect (at most `timeout_s`, or until `cancel` is set), answer the
        browser, and close. Never raises for what a browser sends."""
        if self._sock is None:
            raise ListenerError("the listener is closed")
        deadline = time.monotonic() + timeout_s
        selector = selectors.DefaultSelector()
        clients: dict[socket.socket, bytearray] = {}
        try:
            selector.register(self._sock, selectors.EVENT_READ)
            while True:
                if cancel is not None and cancel.is_set():
                    return Redirect(cancelled=True)
                left = deadline - time.monotonic()
                if left <= 0:
                    return Redirect(timed_out=True)
                for key, _ in selector.select(min(_TICK_S, left)):
                    sock = key.fileobj
                    assert isinstance(sock, socket.socket)
                    if sock is self._sock:
                        self._accept(selector, clients)
                        continue
                    found = self._read(selector, clients, sock, expected_state, scrubber)
                    if found is not None:
                        return found
        finally:
            for sock in clients:
                sock.close()
            selector.close()
            self.close()

    def _accept(self, selector: selectors.BaseSelector,
                clients: dict[socket.socket, bytearray]) -> None:  # fmt: skip
        assert self._sock is not None
        try:
            conn, _ = self._sock.accept()
        except OSError:
            return
        if len(clients) >= MAX_CONNECTIONS:
            conn.close()
            return
        conn.setblocking(False)
        clients[conn] = bytearray()
        selector.register(conn, selectors.EVENT_READ)

    def _drop(self, selector: selectors.BaseSelector, clients: dict[socket.socket, bytearray],
              conn: socket.socket, answer: bytes = b"") -> None:  # fmt: skip
        selector.unregister(conn)
        clients.pop(conn, None)
        if answer:
            try:
                conn.setblocking(True)
                conn.settimeout(2.0)
                conn.sendall(answer)
            except OSError:
                pass
        conn.close()

    def _read(self, selector: selectors.BaseSelector, clients: dict[socket.socket, bytearray],
              conn: socket.socket, expected_state: str,
              scrubber: Scrubber | None) -> Redirect | None:  # fmt: skip
        try:
            chunk = conn.recv(4096)
        except OSError:
            chunk = b""
        if not chunk:  # a speculative connection closed without asking anything
            self._drop(selector, clients, conn)
            return None
        buffer = clients[conn]
        buffer += chunk
        if len(buffer) > MAX_REQUEST_BYTES:
            self._drop(selector, clients, conn, _response("431 Too Large", b""))
            return None
        if b"\r\n\r\n" not in buffer:
            return None
        line = bytes(buffer).split(b"\r\n", 1)[0].decode("latin-1")
        parts = line.split(" ")
        target = urlsplit(parts[1]) if len(parts) == 3 else None
        if target is None or parts[0] != "GET" or target.path != self.path:
            self._drop(selector, clients, conn, _response("404 Not Found", b""))
            return None
        redirect = self._redirect(_params(target.query), expected_state)
        self._drop(selector, clients, conn, self._answer(redirect, scrubber or Scrubber(())))
        return redirect

    @staticmethod
    def _redirect(params: dict[str, str], expected_state: str) -> Redirect:
        now = time.perf_counter()
        state = params.get("state", "")
        code = params.get("code", "")
        return Redirect(
            code=Secret(code) if code else None,
            state=state,
            error=params.get("error", ""),
            error_description=params.get("error_description", ""),
            error_uri=params.get("error_uri", ""),
            error_codes=_codes(params.get("error_codes", "")),
            trace_id=params.get("trace_id", ""),
            correlation_id=params.get("correlation_id", ""),
            state_mismatch=state != expected_state,
            received_at=now,
        )

    @staticmethod
    def _answer(redirect: Redirect, scrub: Scrubber) -> bytes:
        if redirect.state_mismatch:
            page = _page(
                "Sign-in not accepted",
                "This answer does not belong to the sign-in the tester started (its state "
                f"differs). Return to {APP_NAME}.",
            )
        elif redirect.error:
            text = scrub.text(redirect.error_description or redirect.error)
            page = _page("Sign-in failed", f"{scrub.text(redirect.error)}: {text}. Return to "
                         f"{APP_NAME} for the explanation.")  # fmt: skip
        elif redirect.code is None:
            page = _page("Sign-in failed", f"No code came back. Return to {APP_NAME}.")
        else:
            page = _page("Signed in", DONE_TEXT)
        return _response("200 OK", page)
