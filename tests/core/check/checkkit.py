"""Test helpers for `check`: a checks file of the sandbox's demo scenarios (secrets in
variables), and a token server that counts concurrent requests and connections."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from core.sandbox import Sandbox, scenarios

PROFILE_FIELDS = ("cloud", "endpoint", "tenant", "client_id", "grant", "username", "scope",
                  "resource", "auth_method", "credential", "certificate_path", "assertion_alg",
                  "assertion_file")  # fmt: skip
SECRET_FIELDS = {"client_secret": "secret_env", "password": "password_env",
                 "certificate_password": "certificate_password_env"}  # fmt: skip
# Fault tenants wait or throttle for long: the runner tests cover those with their own server.
SKIPPED = ("fault-",)


def demo_keys() -> list[str]:
    """Every sandbox scenario except the slow and fault tenants."""
    return [s.key for s in scenarios() if not s.key.startswith(SKIPPED)]


def checks_document(
    sandbox: Sandbox, keys: Iterable[str], *, repeat: int = 1
) -> tuple[dict[str, Any], dict[str, str], dict[str, str]]:
    """(checks file document, the environment its entries name, name -> the scenario's
    expected outcome: `token`, an AADSTS code, `not sent`)."""
    by_key = {s.key: s for s in scenarios()}
    profiles, env, expected = [], {}, {}
    for round_ in range(repeat):
        for key in keys:
            scenario = by_key[key]
            form = sandbox.scenario_form(scenario.form)
            entry: dict[str, Any] = {k: form[k] for k in PROFILE_FIELDS}
            name = scenario.title if repeat == 1 else f"{scenario.title} #{round_ + 1}"
            entry.update(name=name, send_x5c=form["send_x5c"] == "true",
                         authority=sandbox.base_url, timeout_s=20)  # fmt: skip
            for field, env_field in SECRET_FIELDS.items():
                if form.get(field):
                    variable = f"CHECK_{key.upper().replace('-', '_')}_{field.upper()}"
                    env[variable] = form[field]
                    entry[env_field] = variable
            profiles.append(entry)
            # Sent once (no --wait-new), the just-created secret is refused as unknown.
            expected[name] = scenario.expect.replace("token after AADSTS7000215 retries",
                                                     "AADSTS7000215")  # fmt: skip
    doc = {"schema": "entra-token-tester/profiles", "schema_version": 1, "profiles": profiles}
    return doc, env, expected


def write_checks(path: Path, doc: dict[str, Any]) -> Path:
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


class _QuietServer(ThreadingHTTPServer):
    """Clients hanging up (cancel and deadline tests) are what the tests want: not logged."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class CountingServer:
    """A token endpoint on loopback that counts what arrives at once.

    POST /{tenant}/oauth2/v2.0/token answers a token after `hold_s`; the first `throttle`
    requests of a tenant named `throttled.example` get 429 with `Retry-After: retry_after`.
    `peak_total` / `peak_tenant[t]`: most requests in progress at once; `peak_connections`:
    most connections open at once; `times[t]`: arrival times of each tenant's requests.
    """

    def __init__(self, hold_s: float = 0.05, retry_after: str = "1", throttle: int = 1) -> None:
        self.hold_s, self.retry_after, self.throttle = hold_s, retry_after, throttle
        self.lock = threading.Lock()
        self.now_total = self.peak_total = self.connections = self.peak_connections = 0
        self.now_tenant: dict[str, int] = {}
        self.peak_tenant: dict[str, int] = {}
        self.times: dict[str, list[float]] = {}
        self.release = threading.Event()  # set: stop holding requests at once
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def setup(self) -> None:
                super().setup()
                with owner.lock:
                    owner.connections += 1
                    owner.peak_connections = max(owner.peak_connections, owner.connections)

            def finish(self) -> None:
                with owner.lock:
                    owner.connections -= 1
                super().finish()

            def do_POST(self) -> None:
                owner._answer(self)

        self._server = _QuietServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> CountingServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)

    def _answer(self, h: BaseHTTPRequestHandler) -> None:
        import time

        length = int(h.headers.get("Content-Length") or 0)
        h.rfile.read(length)
        tenant = h.path.strip("/").split("/")[0]
        with self.lock:
            self.times.setdefault(tenant, []).append(time.monotonic())
            count = len(self.times[tenant])
            self.now_total += 1
            self.now_tenant[tenant] = self.now_tenant.get(tenant, 0) + 1
            self.peak_total = max(self.peak_total, self.now_total)
            self.peak_tenant[tenant] = max(self.peak_tenant.get(tenant, 0),
                                           self.now_tenant[tenant])  # fmt: skip
        try:
            self.release.wait(self.hold_s)  # the server's own work time, not synchronisation
            if tenant == "throttled.example" and count <= self.throttle:
                body = json.dumps({"error": "temporarily_unavailable", "error_codes": [90055],
                                   "error_description": "AADSTS90055: throttled"})  # fmt: skip
                self._send(h, 429, body, {"Retry-After": self.retry_after})
            else:
                body = json.dumps({"token_type": "Bearer", "expires_in": 3599,
                                   "access_token": "opaque-access-token"})  # fmt: skip
                self._send(h, 200, body, {})
        finally:
            with self.lock:
                self.now_total -= 1
                self.now_tenant[tenant] -= 1

    @staticmethod
    def _send(h: BaseHTTPRequestHandler, status: int, body: str, headers: dict[str, str]) -> None:
        data = body.encode()
        h.send_response(status)
        h.send_header("Content-Type", "application/json; charset=utf-8")
        h.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            h.send_header(name, value)
        h.end_headers()
        h.wfile.write(data)
