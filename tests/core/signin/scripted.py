"""A loopback token server answering from a script: each path has a queue of answers (the last
one repeats), and every form received is kept, so a test can see what each poll sent."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

Answer = tuple[int, dict[str, Any]]


class ScriptedServer:
    def __init__(self) -> None:
        self.script: dict[str, list[Answer]] = {}
        self.forms: list[tuple[str, dict[str, str]]] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode("utf-8") if length else ""
                path = urlsplit(self.path).path
                owner.forms.append((path, dict(parse_qsl(body))))
                queue = owner.script.get(path)
                status, obj = (queue.pop(0) if len(queue) > 1 else queue[0]) if queue else (
                    404, {"error": "not_found"})  # fmt: skip
                data = json.dumps(obj).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _answer

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def on(self, path: str, *answers: Answer) -> None:
        self.script[path] = list(answers)

    def posted(self, path: str) -> list[dict[str, str]]:
        return [form for p, form in self.forms if p == path]

    def __enter__(self) -> ScriptedServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)
