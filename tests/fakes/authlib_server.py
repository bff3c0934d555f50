"""A third-party OAuth 2.0 server on loopback that authenticates clients with `private_key_jwt`
(RFC 7523) through Authlib's own assertion verification, not ours."""

from __future__ import annotations

import json
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

from authlib.oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import ClientMixin, InvalidClientError, grants
from authlib.oauth2.rfc6749.requests import BasicOAuth2Payload, OAuth2Request
from authlib.oauth2.rfc7523 import JWTBearerClientAssertion
from joserfc import jwt as jose_jwt
from joserfc.errors import JoseError
from joserfc.jwk import RSAKey

CLIENT_ID = "third-party-client"


class Client(ClientMixin):
    """One registered client: private_key_jwt with the public key given at start."""

    def __init__(self, public_pem: bytes) -> None:
        self.public_pem = public_pem

    def get_client_id(self) -> str:
        return CLIENT_ID

    def get_allowed_scope(self, scope: str) -> str:
        return scope

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method == JWTBearerClientAssertion.CLIENT_AUTH_METHOD

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "client_credentials"


class _FormRequest(OAuth2Request):
    """A token request whose form body is already parsed (Authlib's payload system)."""

    def __init__(self, uri: str, form: dict[str, str], headers: dict[str, str]) -> None:
        super().__init__("POST", uri, headers=headers)
        self._form = form
        self.payload = BasicOAuth2Payload(form)

    @property
    def form(self) -> dict[str, str]:
        return self._form


class _Server(AuthorizationServer):
    def __init__(self, client: Client) -> None:
        super().__init__()
        self.client = client
        self.issued: list[dict[str, Any]] = []

    def query_client(self, client_id: str) -> Client | None:
        return self.client if client_id == CLIENT_ID else None

    def save_token(self, token: dict[str, Any], request: Any) -> None:
        self.issued.append(token)

    def create_oauth2_request(self, request: Any) -> OAuth2Request:
        uri, body, headers = request
        return _FormRequest(uri, dict(parse_qsl(body, keep_blank_values=True)), headers)

    def handle_response(self, status: int, body: Any, headers: Any) -> tuple[int, Any, Any]:
        return status, body, headers

    def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
        """No framework signals here."""


def _bearer(grant_type, client, user=None, scope=None, expires_in=None,
            include_refresh_token=True) -> dict[str, Any]:  # fmt: skip
    return {"token_type": "Bearer", "access_token": secrets.token_urlsafe(32),
            "expires_in": 3600, "scope": scope or ""}  # fmt: skip


@contextmanager
def authlib_server(public_pem: bytes) -> Iterator[tuple[str, _Server]]:
    """Serve `POST /oauth/token` on 127.0.0.1; yields (token URL, Authlib's server)."""
    auth = _Server(Client(public_pem))
    url_box: dict[str, str] = {}

    class Assertion(JWTBearerClientAssertion):
        def get_audiences(self) -> list[str]:
            return [url_box["url"]]

        def validate_jti(self, claims: Any, jti: str) -> bool:
            seen = url_box.setdefault("jtis", "")
            url_box["jtis"] = seen + jti + "\n"
            return jti + "\n" not in seen

        def resolve_client_public_key(self, client: Client) -> Any:
            return RSAKey.import_key(client.public_pem)

        def process_assertion_claims(self, assertion: str, resolve_key: Any) -> Any:
            # The server's one setting: accept PS256 besides RS256 (joserfc recommends RS256
            # only by default). Signature and claims are checked by joserfc and Authlib.
            try:
                token = jose_jwt.decode(assertion, resolve_key, algorithms=["RS256", "PS256"])
            except JoseError as exc:
                raise InvalidClientError(description=exc.description) from exc
            self.verify_claims(token.claims)
            return token.claims

    class ClientCredentials(grants.ClientCredentialsGrant):
        TOKEN_ENDPOINT_AUTH_METHODS = [Assertion.CLIENT_AUTH_METHOD]

    auth.register_grant(ClientCredentials)
    auth.register_token_generator("default", _bearer)
    auth.register_client_auth_method(Assertion.CLIENT_AUTH_METHOD, Assertion())

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length).decode("utf-8")
            request = (url_box["url"], body, dict(self.headers.items()))
            status, payload, headers = auth.create_token_response(request)
            data = json.dumps(payload).encode("utf-8")
            self.send_response(status)
            for name, value in headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    url_box["url"] = f"http://127.0.0.1:{httpd.server_address[1]}/oauth/token"
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)  # fmt: skip
    thread.start()
    try:
        yield url_box["url"], auth
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()
