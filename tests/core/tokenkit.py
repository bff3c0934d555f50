"""Test helpers: the Microsoft sample tokens of the facts file, and RS256 tokens we mint."""

from __future__ import annotations

import base64
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent.parent / "data"


def b64url(data: bytes, *, pad: bool = False) -> str:
    text = base64.urlsafe_b64encode(data).decode("ascii")
    return text if pad else text.rstrip("=")


def compact(obj: Any) -> bytes:
    return json.dumps(obj, separators=(",", ":")).encode("utf-8")


@lru_cache(maxsize=1)
def microsoft_samples() -> dict[str, dict[str, Any]]:
    """Section 8 samples by name; rebuilt ones (8.3, 8.5) get a placeholder signature."""
    doc = json.loads((DATA / "microsoft_tokens.json").read_text(encoding="utf-8"))
    out = {}
    for sample in doc["samples"]:
        sample = dict(sample)
        if "token" not in sample:
            header = b64url(compact(sample["header"]))
            payload = b64url(compact(sample["payload"]), pad=sample["pad_payload"])
            sample["token"] = f"{header}.{payload}.{b64url(b'placeholder-signature')}"
        out[sample["name"]] = sample
    return out


@lru_cache(maxsize=1)
def rsa_key() -> Any:
    from cryptography.hazmat.primitives.asymmetric import rsa

    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def public_jwk(kid: str = "test-kid", key: Any = None) -> dict[str, Any]:
    from jwt.algorithms import RSAAlgorithm

    jwk = json.loads(RSAAlgorithm.to_jwk((key or rsa_key()).public_key()))
    jwk.update({"kid": kid, "use": "sig", "x5t": kid})
    return jwk


def mint(
    payload: dict[str, Any], *, kid: str | None = "test-kid", key: Any = None, **header: Any
) -> str:
    """An RS256 token signed with the test key (extra header fields as keywords)."""
    import jwt

    headers = {"kid": kid, **header} if kid else dict(header)
    return str(jwt.encode(payload, key or rsa_key(), algorithm="RS256", headers=headers))


def unsigned(payload: dict[str, Any]) -> str:
    header = b64url(compact({"typ": "JWT", "alg": "none"}))
    return f"{header}.{b64url(compact(payload))}."


class LocalServer:
    """A loopback HTTP server on port 0 answering canned responses by path (GET and POST).

    `routes[path] = (status, headers, body)`; unknown paths get 404. Use as a context manager;
    `hits` counts requests per path.
    """

    def __init__(self, routes: dict[str, tuple[int, dict[str, str], str | bytes]] | None = None):
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        self.routes = dict(routes or {})
        self.hits: dict[str, int] = {}
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                path = self.path.split("?")[0]
                owner.hits[path] = owner.hits.get(path, 0) + 1
                status, headers, body = owner.routes.get(path, (404, {}, "not found"))
                data = body.encode("utf-8") if isinstance(body, str) else body
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
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

    def json(self, path: str, obj: Any, status: int = 200, **headers: str) -> None:
        self.routes[path] = (status, {"Content-Type": "application/json", **headers},
                             json.dumps(obj))  # fmt: skip

    def __enter__(self) -> LocalServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)
