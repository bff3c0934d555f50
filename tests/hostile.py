"""A hostile token endpoint for tests: it echoes, drips, nests, escapes, redirects and bloats.

Every route answers what a broken proxy or a malicious server could send back. `HostileServer`
serves on 127.0.0.1, port 0, in a thread; `hits` counts requests per path; `requests` keeps
what was received. `forms_of` lists the encodings a secret could come back in, written here
independently of core.redaction so the tests do not check the scrubber against itself.
"""

from __future__ import annotations

import base64
import html
import json
import sys
import threading
import time
from collections.abc import Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, quote, quote_plus, unquote_plus

ESCAPES = "\x1b[2J\x1b[1;32mToken issued: all good\x1b[0m \u202eenilrettam\u202c \x07"
DRIP_INTERVAL_S = 0.2


def forms_of(secret: str, client_id: str = "") -> set[str]:
    """The secret as sent, form- and percent-encoded (both hex cases), JSON- and HTML-escaped,
    base64 (and base64url) alone and as Basic credentials with the client ID."""
    raw = secret.encode("utf-8")
    forms = {secret, quote_plus(secret), quote(secret, safe=""), quote(secret, safe="").lower()}
    forms |= {json.dumps(secret)[1:-1], json.dumps(secret, ensure_ascii=False)[1:-1]}
    forms |= {html.escape(secret), base64.b64encode(raw).decode().rstrip("=")}
    forms.add(base64.urlsafe_b64encode(raw).decode().rstrip("="))
    if not secret.isascii():  # UTF-8 bytes read back as Latin-1 (how headers are decoded)
        forms.add(secret.encode("utf-8").decode("latin-1"))
    if client_id:
        pair = f"{quote_plus(client_id)}:{quote_plus(secret)}".encode()
        forms.add(base64.b64encode(pair).decode())
    return {f for f in forms if len(f) >= 6}


def leaks(text: str, secrets: Iterable[str], client_id: str = "") -> list[str]:
    """Which encodings of which secrets appear in `text` (empty when none does)."""
    return sorted(f for s in secrets for f in forms_of(s, client_id) if f in text)


def _jwt(claims: dict[str, Any]) -> str:
    def seg(obj: Any) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")

    return f"{seg({'alg': 'none', 'typ': 'JWT'})}.{seg(claims)}."


class _QuietServer(ThreadingHTTPServer):
    """A client hanging up mid-answer (a deadline, a cap) is what the tests want: not logged."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class HostileServer:
    """The hostile endpoint. Routes (POST or GET):

    /echo          400 JSON echoing the request in every field and headers (Entra-shaped)
    /echo-html     502 HTML page echoing the request, raw and HTML-escaped
    /echo-text     400 text/plain echoing the raw request
    /echo-token    200 token answer whose token claims, refresh token and extra fields echo
    /drip          200, then one byte every DRIP_INTERVAL_S (never finishes in time)
    /deep          200 JSON nested 100 000 deep
    /escape        400 JSON whose texts carry ANSI escapes and bidi overrides
    /truncated     200 JSON cut off in the middle
    /redirect      302 to /landing (which must never be hit)
    /api-echo      an API echoing the bearer token (raw, base64, percent-encoded, in JSON fields
                   named and unnamed, in headers) with a 200, a 401 (?status=401) or as text
    /{tid}/v2.0/.well-known/openid-configuration   discovery; `discovery` picks the variant
    /keys-huge     a 20 MB key set; /keys-deep a key set nested 100 000 deep
    CONNECT        407 Proxy Authentication Required (as a proxy that wants credentials)
    """

    def __init__(self) -> None:
        self.hits: dict[str, int] = {}
        self.requests: list[dict[str, Any]] = []
        self.discovery = "keys-huge"  # or "drip", "deep", "redirect"
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_CONNECT(self) -> None:
                owner._count("CONNECT")
                self.send_response(407, "Proxy Authentication Required")
                self.send_header("Proxy-Authenticate", 'Basic realm="corp"')
                self.send_header("Content-Length", "0")
                self.end_headers()
                self.close_connection = True

            def do_GET(self) -> None:
                owner._answer(self)

            do_POST = do_GET

        self._server = _QuietServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> HostileServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)

    def _count(self, path: str) -> None:
        self.hits[path] = self.hits.get(path, 0) + 1

    # -- the routes ---------------------------------------------------------------------------

    def _answer(self, h: BaseHTTPRequestHandler) -> None:
        length = int(h.headers.get("Content-Length") or 0)
        raw = h.rfile.read(length).decode("utf-8", "replace") if length else ""
        path = h.path.split("?")[0]
        self._count(path)
        form = dict(parse_qsl(raw))
        headers = {k: v for k, v in h.headers.items()}
        self.requests.append({"path": path, "form": form, "headers": headers, "raw": raw})
        values = [
            v for k, v in form.items() if k in ("client_secret", "password", "client_assertion")
        ]
        auth = headers.get("Authorization", "")
        if auth.startswith("Basic "):  # decoded, as a server that checks it would
            pair = base64.b64decode(auth[6:]).decode("utf-8", "replace")
            values += [pair, unquote_plus(pair.partition(":")[2])]
        echoes = [raw, auth, *values, *(quote(v, safe="") for v in values)]
        echoes += [base64.b64encode(v.encode()).decode() for v in values]
        everything = " | ".join(echoes)
        if path == "/api-echo":
            self._api_echo(h, auth)
        elif path == "/echo":
            body = {
                "error": "invalid_client",
                "error_description": f"AADSTS7000215: Invalid client secret. Echo: {everything}",
                "error_codes": [7000215],
                "timestamp": everything,
                "trace_id": everything[:200],
                "correlation_id": raw,
                "error_uri": f"https://login.example/error?secret={quote(everything)}",
                "echo": {"form": form, "headers": headers, "list": values},
                **{f"field_{k}": v for k, v in form.items()},
            }
            extra = {"x-ms-request-id": everything[:200], "X-Echo": everything[:2000]}
            self._send(h, 400, json.dumps(body), "application/json", extra)
        elif path == "/echo-html":
            page = (f"<html><body><h1>502</h1><p>{html.escape(everything)}</p>"
                    f"<!-- {everything} --></body></html>")  # fmt: skip
            self._send(h, 502, page, "text/html", {"X-Echo": auth})
        elif path == "/echo-text":
            self._send(h, 400, f"bad request: {everything}", "text/plain", {})
        elif path == "/echo-token":
            claims = {"aud": "https://graph.microsoft.com", "roles": values, "name": everything,
                      "appid": "6e74172b-be56-4843-9ff4-e66a39bb12e3", "idtyp": "app"}  # fmt: skip
            body = {
                "token_type": "Bearer", "expires_in": 3599, "access_token": _jwt(claims),
                "refresh_token": "0.AXYA-refresh-" + "r" * 40, "id_token": "opaque-id-" + "i" * 30,
                "scope": " ".join(values), "echo": everything,
            }  # fmt: skip
            self._send(h, 200, json.dumps(body), "application/json", {"X-Echo": everything[:500]})
        elif path in ("/drip", "/discovery-drip"):
            self._drip(h)
        elif path in ("/deep", "/keys-deep", "/discovery-deep"):
            self._send(h, 200, "[" * 100_000 + "]" * 100_000, "application/json", {})
        elif path == "/escape":
            body = {"error": f"invalid_request{ESCAPES}", "error_description": ESCAPES,
                    "trace_id": ESCAPES, "error_codes": [900144]}  # fmt: skip
            self._send(h, 400, json.dumps(body), "application/json", {})
        elif path == "/truncated":
            self._send(h, 200, '{"token_type": "Bearer", "expires_in": 3599, "access_tok',
                       "application/json", {})  # fmt: skip
        elif path in ("/redirect", "/discovery-redirect"):
            self._send(h, 302, "", "text/plain", {"Location": f"{self.base_url}/landing"})
        elif path.endswith("/.well-known/openid-configuration"):
            self._discovery(h)
        elif path == "/keys-huge":
            keys = [{"kty": "RSA", "kid": f"k{i}", "n": "x" * 2000, "e": "AQAB"}
                    for i in range(10_000)]  # fmt: skip
            self._send(h, 200, json.dumps({"keys": keys}), "application/json", {})
        else:
            self._send(h, 404, "not found", "text/plain", {})

    def _api_echo(self, h: BaseHTTPRequestHandler, auth: str) -> None:
        token = auth.partition(" ")[2]
        forms = [
            token,
            quote(token, safe=""),
            base64.b64encode(token.encode()).decode(),
            json.dumps(token)[1:-1],
        ]
        everything = " | ".join(forms)
        status = 401 if "status=401" in h.path else 200
        if "text" in h.path:
            self._send(
                h,
                status,
                f"you sent {everything}{ESCAPES}",
                "text/plain",
                {"X-Echo": everything[:2000]},
            )
            return
        body = {
            "error": {"code": f"InvalidAuthenticationToken{ESCAPES}", "message": everything},
            "access_token": token, "token": token, "value": [everything, {"echo": auth}],
            f"key_{token[:20]}": "x", "headers": dict(h.headers.items()),
        }  # fmt: skip
        extra = {
            "X-Echo": everything[:2000],
            "WWW-Authenticate": f"Bearer error={token}",
            "Set-Cookie": f"session={token}",
            "Location": f"{self.base_url}/?t={token}",
        }
        self._send(h, status, json.dumps(body), "application/json", extra)

    def _discovery(self, h: BaseHTTPRequestHandler) -> None:
        variant = self.discovery
        if variant == "drip":
            self._drip(h)
        elif variant == "deep":
            self._send(h, 200, "{" * 0 + "[" * 100_000 + "]" * 100_000, "application/json", {})
        elif variant == "redirect":
            self._send(h, 302, "", "text/plain", {"Location": f"{self.base_url}/landing"})
        else:
            tid = h.path.strip("/").split("/")[0]
            doc = {
                "jwks_uri": f"{self.base_url}/{variant}",
                "issuer": f"{self.base_url}/{tid}/v2.0",
            }
            self._send(h, 200, json.dumps(doc), "application/json", {})

    @staticmethod
    def _send(h: BaseHTTPRequestHandler, status: int, body: str, ctype: str,
              headers: dict[str, str]) -> None:  # fmt: skip
        data = body.encode("utf-8")
        h.send_response(status)
        h.send_header("Content-Type", f"{ctype}; charset=utf-8")
        for name, value in headers.items():
            clean = value.replace("\r", " ").replace("\n", " ")
            h.send_header(name, clean.encode("utf-8").decode("latin-1"))  # raw UTF-8 bytes
        h.send_header("Content-Length", str(len(data)))
        h.end_headers()
        h.wfile.write(data)

    @staticmethod
    def _drip(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", "100000")
        h.end_headers()
        try:
            for _ in range(300):  # bounded: stops by itself after a minute
                h.wfile.write(b" ")
                h.wfile.flush()
                time.sleep(DRIP_INTERVAL_S)
        except OSError:
            pass
        h.close_connection = True
