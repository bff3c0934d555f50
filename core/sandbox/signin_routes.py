"""The sign-in routes of the sandbox's HTTP handler: authorize (GET the page, POST the forms),
the device code endpoint and the device code verification page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from core.sandbox import authorize, device_page
from core.sandbox.delegated import OAuthError, device_code_response
from core.sandbox.errors import EntraError
from core.sandbox.issuer import resolve_tenant

AUTHORIZE_PATHS = {("oauth2", "authorize"): "v1", ("oauth2", "v2.0", "authorize"): "v2"}
DEVICE_CODE_PATHS = {("oauth2", "devicecode"): "v1", ("oauth2", "v2.0", "devicecode"): "v2"}
MAX_QUERY_FIELDS = 50
PAGE_TYPE = "text/html; charset=utf-8"


class SignInRoutes:
    """Mixed into the sandbox's request handler (core/sandbox/server.py)."""

    server: Any
    command: str
    path: str
    body: bytes

    # provided by the handler
    send_raw: Callable[..., None]
    send_json: Callable[..., None]
    _ids: Callable[[], dict[str, str]]
    _form: Callable[[], dict[str, str]]

    def signin_route(self, parts: list[str]) -> bool:
        """Serve the request when it is a sign-in route; False when it is not one."""
        rest = tuple(parts[1:])
        if len(parts) >= 3 and rest in AUTHORIZE_PATHS:
            self._authorize(parts[0], AUTHORIZE_PATHS[rest])
        elif len(parts) >= 3 and rest in DEVICE_CODE_PATHS:
            self._device_code(parts[0], DEVICE_CODE_PATHS[rest])
        elif parts == [device_page.DEVICE_PAGE.strip("/")]:
            form = self._form() if self.command == "POST" else None
            self._page(device_page.device_page(self.server.signin, form))
        else:
            return False
        return True

    def _page(self, answer: authorize.Answer) -> None:
        headers = {
            "Cache-Control": "no-store",
            "X-Frame-Options": "DENY",
            "Referrer-Policy": "no-referrer",
        }
        if answer.location:
            headers["Location"] = answer.location
        self.send_raw(answer.status, answer.body, PAGE_TYPE, headers)

    def _authorize(self, segment: str, version: str) -> None:
        state = self.server.signin
        if self.command == "POST":
            self._page(authorize.submit(state, self._form()))
            return
        query = urlsplit(self.path).query
        params: dict[str, str] = {}
        try:
            pairs = parse_qsl(query, keep_blank_values=True, max_num_fields=MAX_QUERY_FIELDS)
        except ValueError:
            pairs = []
        for key, value in pairs:
            params.setdefault(key, value)
        self._page(authorize.start(state, version, segment, params))

    def _device_code(self, segment: str, version: str) -> None:
        try:
            if self.command != "POST":
                raise EntraError(900561, method=self.command)
            tenant, _ = resolve_tenant(segment)
            body = device_code_response(
                version, tenant, self._form(), self.server.signin, self.server.sandbox.base_url
            )
        except EntraError as exc:
            self.send_json(exc.status, exc.body(**self._ids()), code=exc.code)
            return
        self.send_json(200, body, code=0)

    def send_oauth_error(self, exc: OAuthError) -> None:
        ids = self._ids()
        body = {"error": exc.error, "error_description": exc.description, "error_codes": [], **ids}
        self.send_json(400, body)
