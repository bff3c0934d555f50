"""The sandbox's HTTP server: routes, Entra headers and error bodies, fault tenants."""

from __future__ import annotations

import json
import logging
import socket
import ssl
import threading
import time
from http.server import ThreadingHTTPServer
from typing import Any, Protocol
from urllib.parse import parse_qsl, urlsplit

from core.sandbox.assertions import JtiStore
from core.sandbox.bearer import ApiError
from core.sandbox.delegated import OAuthError
from core.sandbox.discovery import key_set, openid_configuration
from core.sandbox.errors import EntraError
from core.sandbox.faults import FAULT_HANDLERS
from core.sandbox.graph import GRAPH_PREFIX, ORDERS_PREFIX, error_body, graph, orders
from core.sandbox.issuer import TokenCall, is_guid, resolve_tenant
from core.sandbox.signin_routes import SignInRoutes
from core.sandbox.signin_state import SignInState
from core.sandbox.token_endpoint import token_response
from core.sandbox.wire import WireHandler, guid

log = logging.getLogger(__name__)

MAX_BODY = 1024 * 1024
TOKEN_PATHS = {("oauth2", "token"): "v1", ("oauth2", "v2.0", "token"): "v2"}
NOT_FOUND_PAGE = (
    b"<!DOCTYPE html><html><head><title>404 - Not Found</title></head>"
    b"<body><h1>404 - File or directory not found.</h1></body></html>"
)


class Host(Protocol):
    """What the server reads from the sandbox that runs it (core/sandbox/service.py)."""

    @property
    def base_url(self) -> str: ...

    @property
    def slow_delay_s(self) -> float: ...

    def new_secret_ready_in(self) -> float: ...


class SandboxServer(ThreadingHTTPServer):
    """Threads per connection, joined on close; open connections are tracked to cut them."""

    daemon_threads = False
    block_on_close = True
    request_queue_size = 64

    def __init__(self, address: tuple[str, int], sandbox: Host) -> None:
        self.sandbox = sandbox
        self.stopping = threading.Event()
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()
        self.tls: ssl.SSLContext | None = None
        self.jtis = JtiStore()
        self.signin = SignInState()
        super().__init__(address, _Handler)

    def get_request(self) -> tuple[socket.socket, Any]:
        sock, address = self.socket.accept()
        if self.tls is not None:
            try:
                sock = self.tls.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
            except (OSError, ValueError):
                sock.close()
                raise
        with self.connections_lock:
            self.connections.add(sock)
        return sock, address

    def shutdown_request(self, request: Any) -> None:
        with self.connections_lock:
            self.connections.discard(request)
        super().shutdown_request(request)

    def cut_connections(self) -> None:
        with self.connections_lock:
            for sock in list(self.connections):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def handle_error(self, request: Any, client_address: Any) -> None:
        log.debug("sandbox connection from %s ended with an error", client_address, exc_info=True)


class _Handler(SignInRoutes, WireHandler):
    """One connection: dispatch each request to discovery, keys or a token endpoint."""

    server_version = "EntraSandbox/1.0"
    timeout = 30
    server: SandboxServer

    def version_string(self) -> str:
        return self.server_version

    def setup(self) -> None:
        super().setup()
        if isinstance(self.request, ssl.SSLSocket):
            self.request.do_handshake()

    # Logging: method, path without query, status. Never bodies or headers.
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        if log.isEnabledFor(logging.DEBUG):
            path = urlsplit(getattr(self, "path", "")).path
            log.debug("%s %s -> %s", self.command, path, code)

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("sandbox: " + format, *args)

    def do_GET(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    do_PUT = do_DELETE = do_PATCH = do_HEAD = do_GET

    # ---- routing ----
    def _dispatch(self) -> None:
        self.trace_id = guid()
        sent = self.headers.get("client-request-id").strip()
        self.correlation_id = sent if is_guid(sent) else guid()
        self.body = self._read_body()
        parts = [p for p in urlsplit(self.path).path.split("/") if p]
        if parts and parts[0] in (GRAPH_PREFIX, ORDERS_PREFIX):
            self._api(parts[0])
        elif self.signin_route(parts):
            pass
        elif len(parts) >= 3 and tuple(parts[1:]) in TOKEN_PATHS:
            self._token(parts[0], TOKEN_PATHS[tuple(parts[1:])])
        elif self.command != "GET" or len(parts) < 2:
            self._not_found()
        elif parts[1:] == [".well-known", "openid-configuration"]:
            self._metadata(parts[0], "v1", discovery=True)
        elif parts[1:] == ["v2.0", ".well-known", "openid-configuration"]:
            self._metadata(parts[0], "v2", discovery=True)
        elif parts[1:] == ["discovery", "keys"]:
            self._metadata(parts[0], "v1", discovery=False)
        elif parts[1:] == ["discovery", "v2.0", "keys"]:
            self._metadata(parts[0], "v2", discovery=False)
        else:
            self._not_found()

    def _api(self, prefix: str) -> None:
        """The demo Graph or the Orders API: a bearer token checked as a real API does."""
        rest = self.path.split("/", 2)[2] if self.path.count("/") >= 2 else ""
        auth = self.headers.get("Authorization", "")
        base = self.server.sandbox.base_url
        headers = {"request-id": self.trace_id, "client-request-id": self.correlation_id}
        try:
            if prefix == GRAPH_PREFIX:
                status, body = 200, graph(self.command, "/" + rest, auth, base)
            else:
                status, body = orders(self.command, "/" + rest, auth, base)
        except ApiError as exc:
            if exc.status == 401:
                headers["WWW-Authenticate"] = (
                    'Bearer realm="", authorization_uri="' + base + '/common/oauth2/authorize", '
                    'client_id="00000003-0000-0000-c000-000000000000"'
                )
            status, body = exc.status, error_body(exc, self.trace_id, self.correlation_id)
        data = json.dumps(body, separators=(",", ":")).encode("utf-8")
        content_type = "application/json;odata.metadata=minimal;odata.streaming=true;charset=utf-8"
        self.send_raw(status, data, content_type, headers)

    def _read_body(self) -> bytes:
        try:
            length = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            length = 0
        if length > MAX_BODY:
            self.close_connection = True
        return self.rfile.read(min(max(length, 0), MAX_BODY)) if length > 0 else b""

    def _metadata(self, segment: str, version: str, *, discovery: bool) -> None:
        try:
            tenant, _ = resolve_tenant(segment)
        except EntraError as exc:
            body = exc.body(**self._ids())
            body["error"] = "invalid_tenant"  # discovery names a bad tenant this way
            self.send_json(400, body, code=exc.code)
            return
        base = self.server.sandbox.base_url
        document = (
            openid_configuration(base, segment, tenant, version)
            if discovery
            else key_set(base, tenant, version)
        )
        self.send_json(200, document, cache=True)

    def _token(self, segment: str, version: str) -> None:
        try:
            if self.command != "POST":
                raise EntraError(900561, method=self.command)
            tenant, fault = resolve_tenant(segment)
            if fault is not None:
                handler = FAULT_HANDLERS[fault.key]
                if handler(self) is not None:
                    return
            host = self.server.sandbox
            call = TokenCall(version, segment, self._form(), self.headers.get("Authorization", ""),
                             host.base_url, self.server.jtis,
                             replicating=host.new_secret_ready_in() > 0,
                             signin=self.server.signin)  # fmt: skip
            body = token_response(call, tenant, self.server.sandbox.base_url)
        except OAuthError as exc:
            self.send_oauth_error(exc)
            return
        except EntraError as exc:
            headers = {"Retry-After": str(exc.params["retry_after"])} if exc.status == 429 else {}
            self.send_json(exc.status, exc.body(**self._ids()), code=exc.code, headers=headers)
            return
        self.send_json(200, body, code=0)

    def _form(self) -> dict[str, str]:
        content_type = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if content_type != "application/x-www-form-urlencoded":
            return {}  # Entra reads only form bodies: anything else looks empty
        form: dict[str, str] = {}
        text = self.body.decode("utf-8", errors="replace")
        for key, value in parse_qsl(text, keep_blank_values=True):
            form.setdefault(key, value)
        return form

    # ---- responses ----
    def _ids(self) -> dict[str, str]:
        stamp = time.strftime("%Y-%m-%d %H:%M:%SZ", time.gmtime())
        return {"trace_id": self.trace_id, "correlation_id": self.correlation_id,
                "timestamp": stamp}  # fmt: skip

    def entra_headers(self) -> dict[str, str]:
        headers = {
            "Cache-Control": "no-store, no-cache",
            "Pragma": "no-cache",
            "Expires": "-1",
            "X-Content-Type-Options": "nosniff",
            "x-ms-request-id": self.trace_id,
            "x-ms-ests-server": "2.1.0 - SANDBOX Local",
        }
        if self.headers.get("return-client-request-id", "").strip().lower() == "true":
            headers["client-request-id"] = self.correlation_id
        return headers

    def send_json(
        self, status: int, body: dict[str, Any], *, code: int | None = None, cache: bool = False,
        headers: dict[str, str] | None = None,
    ) -> None:  # fmt: skip
        extra = dict(headers or {})
        if code is not None:
            extra["x-ms-clitelem"] = f"1,{code},0,,"
        data = json.dumps(body, separators=(",", ":")).encode("utf-8")
        self.send_raw(status, data, "application/json; charset=utf-8", extra, cache=cache)

    def send_raw(
        self, status: int, data: bytes, content_type: str, headers: dict[str, str] | None = None,
        *, cache: bool = False, length: int | None = None,
    ) -> None:  # fmt: skip
        all_headers = self.entra_headers()
        if cache:
            all_headers["Cache-Control"] = "max-age=86400, private"
            all_headers.pop("Pragma")
            all_headers.pop("Expires")
        all_headers.update(headers or {})
        all_headers["Content-Type"] = content_type
        all_headers["Content-Length"] = str(len(data) if length is None else length)
        self.write_answer(status, all_headers, data)

    def _not_found(self) -> None:
        self.send_raw(404, NOT_FOUND_PAGE, "text/html; charset=utf-8")
