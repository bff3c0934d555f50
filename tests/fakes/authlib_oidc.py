"""A standards-compliant third-party OpenID provider on loopback, built from Authlib's own
grants (not ours): discovery document, JWKS, authorization code with PKCE (S256 required) and
OpenID ID tokens with the nonce, the device authorization grant (RFC 8628), and refresh.

The authorize endpoint approves at once for its one user (no page), and `approve(user_code)` is
what the user does on the device page; enough to run our flows against someone else's server.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from authlib.oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import ClientMixin, grants
from authlib.oauth2.rfc6749.requests import BasicOAuth2Payload, OAuth2Request
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oauth2.rfc8628 import DeviceAuthorizationEndpoint, DeviceCodeGrant
from authlib.oauth2.rfc8628.models import DeviceCredentialDict
from authlib.oidc.core import UserInfo
from authlib.oidc.core.grants import OpenIDCode
from joserfc.jwk import RSAKey

CLIENT_ID = "oidc-public-client"
USER = {"sub": "user-1", "name": "Ada Lovelace", "preferred_username": "ada@provider.example"}
KID = "provider-key-1"


class Client(ClientMixin):
    """A public client (no secret) allowed the code, device code and refresh grants."""

    def get_client_id(self) -> str:
        return CLIENT_ID

    def get_default_redirect_uri(self) -> str:
        return "http://127.0.0.1/"

    def get_allowed_scope(self, scope: str) -> str:
        return scope

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        parts = urlsplit(redirect_uri)  # loopback, any port (RFC 8252 7.3)
        return parts.scheme == "http" and parts.hostname in ("127.0.0.1", "localhost")

    def check_client_secret(self, client_secret: str) -> bool:
        return False

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method == "none"

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type in ("authorization_code", "refresh_token", DeviceCodeGrant.GRANT_TYPE)


class Code(dict):  # type: ignore[type-arg]
    def get_redirect_uri(self) -> str:
        return str(self["redirect_uri"])

    def get_scope(self) -> str:
        return str(self["scope"])

    def get_nonce(self) -> str | None:
        return self.get("nonce")

    def get_auth_time(self) -> int:
        return int(self["auth_time"])

    def get_acr(self) -> None:
        return None

    def get_amr(self) -> None:
        return None

    def is_expired(self) -> bool:
        return time.time() > self["expires_at"]


class _Request(OAuth2Request):
    def __init__(
        self, method: str, uri: str, data: dict[str, str], headers: dict[str, str]
    ) -> None:
        super().__init__(method, uri, headers=headers)
        self.payload = BasicOAuth2Payload(data)
        self._data = data

    @property
    def form(self) -> dict[str, str]:
        return self._data if self.method == "POST" else {}

    @property
    def args(self) -> dict[str, str]:
        return self._data if self.method == "GET" else {}


class Provider(AuthorizationServer):
    def __init__(self) -> None:
        super().__init__()
        self.client = Client()
        self.key = RSAKey.generate_key(2048, parameters={"kid": KID, "use": "sig"})
        self.issuer = ""
        self.codes: dict[str, Code] = {}
        self.devices: dict[str, DeviceCredentialDict] = {}
        self.approved: set[str] = set()
        self.refresh_tokens: set[str] = set()

    def query_client(self, client_id: str) -> Client | None:
        return self.client if client_id == CLIENT_ID else None

    def save_token(self, token: dict[str, Any], request: Any) -> None:
        if token.get("refresh_token"):
            self.refresh_tokens.add(token["refresh_token"])

    def create_oauth2_request(self, request: Any) -> OAuth2Request:
        method, uri, data, headers = request
        return _Request(method, uri, data, headers)

    def handle_response(self, status: int, body: Any, headers: Any) -> tuple[int, Any, Any]:
        return status, body, headers

    def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
        """No framework signals here."""

    def approve(self, user_code: str) -> None:
        """What the user does on the device page."""
        self.approved.add(user_code)


def _token(
    grant_type: Any,
    client: Any,
    user: Any = None,
    scope: Any = None,
    expires_in: Any = None,
    include_refresh_token: bool = True,
) -> dict[str, Any]:
    token = {
        "token_type": "Bearer",
        "access_token": secrets.token_urlsafe(32),
        "expires_in": 3600,
        "scope": scope or "",
    }
    if include_refresh_token:
        token["refresh_token"] = secrets.token_urlsafe(32)
    return token


@contextmanager
def oidc_provider() -> Iterator[Provider]:
    """Serve the provider on 127.0.0.1; `provider.issuer` is its issuer URL."""
    p = Provider()

    def jwt_config() -> dict[str, Any]:
        return {"key": p.key.as_dict(private=True), "alg": "RS256", "iss": p.issuer, "exp": 3600}

    class OpenID(OpenIDCode):
        def exists_nonce(self, nonce: str, request: Any) -> bool:
            return False

        def get_jwt_config(self, grant: Any = None, client: Any = None) -> dict[str, Any]:
            return jwt_config()

        def resolve_client_private_key(self, client: Any) -> Any:
            return p.key

        def get_client_algorithm(self, client: Any) -> str:
            return "RS256"

        def get_client_claims(self, client: Any) -> dict[str, Any]:
            return {"iss": p.issuer, "aud": [CLIENT_ID]}

        def get_encode_header(self, client: Any) -> dict[str, Any]:
            return {"alg": "RS256", "kid": KID}

        def generate_user_info(self, user: Any, scope: str) -> UserInfo:
            return UserInfo(USER)

    class AuthCode(grants.AuthorizationCodeGrant):
        TOKEN_ENDPOINT_AUTH_METHODS = ["none"]

        def save_authorization_code(self, code: str, request: Any) -> None:
            data = request.payload.data
            p.codes[code] = Code(
                redirect_uri=request.payload.redirect_uri,
                scope=request.payload.scope,
                nonce=data.get("nonce"),
                auth_time=int(time.time()),
                code_challenge=data.get("code_challenge"),
                code_challenge_method=data.get("code_challenge_method"),
                expires_at=time.time() + 600,
            )

        def query_authorization_code(self, code: str, client: Any) -> Code | None:
            found = p.codes.get(code)
            return found if found is not None and not found.is_expired() else None

        def delete_authorization_code(self, authorization_code: Code) -> None:
            for key, value in list(p.codes.items()):
                if value is authorization_code:
                    del p.codes[key]

        def authenticate_user(self, authorization_code: Code) -> dict[str, str]:
            return USER

    class Challenge(CodeChallenge):
        SUPPORTED_CODE_CHALLENGE_METHOD = ["S256"]

        def get_authorization_code_challenge(self, authorization_code: Code) -> str:
            return str(authorization_code["code_challenge"])

        def get_authorization_code_challenge_method(self, authorization_code: Code) -> str:
            return str(authorization_code["code_challenge_method"])

    class Refresh(grants.RefreshTokenGrant):
        TOKEN_ENDPOINT_AUTH_METHODS = ["none"]
        INCLUDE_NEW_REFRESH_TOKEN = True

        def authenticate_refresh_token(self, refresh_token: str) -> Any:
            if refresh_token not in p.refresh_tokens:
                return None
            return _Stored(refresh_token)

        def authenticate_user(self, credential: Any) -> dict[str, str]:
            return USER

        def revoke_old_credential(self, credential: Any) -> None:
            p.refresh_tokens.discard(credential.token)

    class Device(DeviceCodeGrant):
        def query_device_credential(self, device_code: str) -> Any:
            return p.devices.get(device_code)

        def query_user_grant(self, user_code: str) -> Any:
            return (USER, True) if user_code in p.approved else None

        def should_slow_down(self, credential: Any) -> bool:
            return False

    class DeviceEndpoint(DeviceAuthorizationEndpoint):
        CLIENT_AUTH_METHODS = ["none"]

        def get_verification_uri(self) -> str:
            return p.issuer + "/device"

        def save_device_credential(self, client_id: str, scope: str, data: dict) -> None:  # type: ignore[type-arg]
            p.devices[data["device_code"]] = DeviceCredentialDict(
                client_id=client_id,
                scope=scope,
                expires_at=int(time.time()) + 600,
                **{k: v for k, v in data.items() if k != "expires_at"},
            )

    p.register_grant(AuthCode, [Challenge(required=True), OpenID(require_nonce=False)])
    p.register_grant(Refresh)
    p.register_grant(Device)
    p.register_endpoint(DeviceEndpoint)
    p.register_token_generator("default", _token)

    class Handler(BaseHTTPRequestHandler):
        def _send(self, status: int, body: Any, headers: Any = ()) -> None:
            data = json.dumps(body).encode("utf-8") if body is not None else b""
            self.send_response(status)
            for name, value in headers:
                self.send_header(name, value)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            args = dict(parse_qsl(parts.query, keep_blank_values=True))
            if parts.path == "/.well-known/openid-configuration":
                self._send(
                    200,
                    {
                        "issuer": p.issuer,
                        "authorization_endpoint": p.issuer + "/authorize",
                        "token_endpoint": p.issuer + "/token",
                        "device_authorization_endpoint": p.issuer + "/device_authorization",
                        "jwks_uri": p.issuer + "/jwks",
                        "response_types_supported": ["code"],
                        "code_challenge_methods_supported": ["S256"],
                        "id_token_signing_alg_values_supported": ["RS256"],
                    },
                )
            elif parts.path == "/jwks":
                self._send(200, {"keys": [p.key.as_dict(private=False)]})
            elif parts.path == "/authorize":
                request = ("GET", p.issuer + self.path, args, dict(self.headers.items()))
                grant = p.get_consent_grant(request, end_user=USER)
                status, body, headers = p.create_authorization_response(
                    grant.request, grant_user=USER, grant=grant
                )
                self._send(status, body, headers)
            else:
                self._send(404, {"error": "not_found"})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            form = dict(parse_qsl(self.rfile.read(length).decode("utf-8")))
            request = ("POST", p.issuer + self.path, form, dict(self.headers.items()))
            if self.path == "/device_authorization":
                status, body, headers = p.create_endpoint_response("device_authorization", request)
            else:
                status, body, headers = p.create_token_response(request)
            self._send(status, body, headers)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    p.issuer = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield p
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


class _Stored:
    def __init__(self, token: str) -> None:
        self.token = token

    def get_scope(self) -> str:
        return "openid profile offline_access"

    def is_expired(self) -> bool:
        return False

    def is_revoked(self) -> bool:
        return False

    def check_client(self, client: Any) -> bool:
        return True
