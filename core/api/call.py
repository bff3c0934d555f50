"""One call to an API with a bearer token, and its result with the token and secrets masked.

The call goes through `exchange()`: total deadline, size cap, no redirect followed (a 3xx is the
answer: the token is never sent on to another host), no cookies. The result holds only scrubbed
text: the token, the extra secrets given and anything token-shaped are masked in the body, the
headers, the reason and any failure text.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlsplit

from core import safejson
from core.redaction import MASK, Scrubber, Secret, is_secret_name, reveal
from core.token.authority import is_loopback_host
from core.token.models import DEFAULT_TIMEOUT_S, timeout_problem
from core.token.result import TransportFailure
from core.token.transport import exchange

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
MAX_ANSWER_BYTES = 4 * 1024 * 1024  # an API answer shown to a person
MAX_BODY_BYTES = 1024 * 1024  # what may be sent
MAX_HEADERS = 50
_FORBIDDEN_HEADERS = {"authorization", "host", "content-length", "cookie", "transfer-encoding"}


class CallInputError(ValueError):
    """The call cannot be sent as given (bad method, URL, header); the message says why."""


@dataclass(frozen=True)
class ApiRequest:
    """A call: method, URL, extra headers and body, sent with `Authorization: Bearer <token>`.

    `extra_secrets` are other secrets to mask in whatever comes back (the client secret that
    got the token, say).
    """

    method: str
    url: str
    token: Secret = field(repr=False)
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = field(default=b"", repr=False)
    timeout_s: float = DEFAULT_TIMEOUT_S
    extra_secrets: tuple[Secret, ...] = field(default=(), repr=False)

    def secrets(self) -> tuple[Secret, ...]:
        """The token, the extra secrets and the values of secret-named headers."""
        named = tuple(Secret(v) for k, v in self.headers if is_secret_name(k) and v)
        return (self.token, *self.extra_secrets, *named)

    def scrubber(self) -> Scrubber:
        return Scrubber(self.secrets())

    def redacted_headers(self) -> list[tuple[str, str]]:
        """The headers as sent, the token and secret-named values masked."""
        out = [("Authorization", f"Bearer {MASK}")]
        out += [(k, MASK if is_secret_name(k) else v) for k, v in self.headers]
        return out


def check_request(request: ApiRequest) -> str:
    """Why the call cannot be sent ('' when it can): a known method, an http(s) URL with a
    host (plain http for loopback only: a token never crosses a network in clear text), no
    user name or password in the URL, headers that do not replace Authorization, sizes."""
    if request.method not in METHODS:
        return f"unknown method {request.method!r}: use one of {', '.join(METHODS)}"
    try:
        parts = urlsplit(request.url)
        host = parts.hostname or ""
        parts.port  # noqa: B018  (raises for a bad port)
    except ValueError:
        return "the URL is malformed"
    if parts.scheme not in ("https", "http") or not host:
        return "the URL must start with https:// and name a host"
    if parts.scheme == "http" and not is_loopback_host(host):
        return "the URL must use https: the token would travel in clear text over plain http"
    if parts.username is not None or parts.password is not None:
        return "the URL must not carry a user name or password"
    if any(c.isspace() for c in request.url):
        return "the URL contains spaces"
    if len(request.headers) > MAX_HEADERS:
        return f"at most {MAX_HEADERS} headers"
    for name, value in request.headers:
        if not name or any(c.isspace() or c == ":" for c in name) or not name.isascii():
            return f"not a header name: {name!r}"
        if name.lower() in _FORBIDDEN_HEADERS:
            return f"the {name} header is set by the tester"
        if "\n" in value or "\r" in value:
            return f"the {name} header's value has a line break"
    if len(request.body) > MAX_BODY_BYTES:
        return f"the body is larger than {MAX_BODY_BYTES // 1024} KB"
    if not reveal(request.token).strip():
        return "there is no token to send"
    return timeout_problem(request.timeout_s)


def parse_header(text: str) -> tuple[str, str]:
    """`'Name: value'` as a pair; raises CallInputError when there is no name."""
    name, sep, value = text.partition(":")
    if not sep or not name.strip():
        raise CallInputError(f"a header is written 'Name: value' (got {text[:40]!r})")
    return name.strip(), value.strip()


@dataclass(frozen=True)
class ApiCallResult:
    """What a call gave, scrubbed: an HTTP answer (`status` set) or a `failure`."""

    method: str
    url: str
    request_headers: tuple[tuple[str, str], ...]  # as sent, token masked
    elapsed_ms: float = 0.0
    received_at: float | None = None
    status: int | None = None
    reason: str = ""
    headers: tuple[tuple[str, str], ...] = ()
    body_text: str = ""  # pretty JSON when the body is JSON, else the text
    body_json: Any = None
    content_type: str = ""
    size: int = 0
    truncated: bool = False
    failure: TransportFailure | None = None
    error_code: str = ""  # Graph-style error.code (or OAuth `error`)
    error_message: str = ""
    location: str = ""  # a redirect's target, never followed

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300

    @property
    def outcome(self) -> str:
        """allowed (2xx), refused (401/403), redirected (3xx), failed (other), no_answer."""
        if self.status is None:
            return "no_answer"
        if self.ok:
            return "allowed"
        if self.status in (401, 403):
            return "refused"
        if 300 <= self.status < 400:
            return "redirected"
        return "failed"

    def header(self, name: str) -> str:
        return next((v for k, v in self.headers if k.lower() == name.lower()), "")

    @property
    def verdict(self) -> str:
        """The one line: "Allowed: 200 OK in 84 ms" / "Refused: 403 Authorization_RequestDenied"."""
        if self.status is None:
            return f"No answer: {self.failure.message if self.failure else 'no response'}"
        what = self.error_code or self.reason or ""
        status = f"{self.status} {what}".strip()
        if self.ok:
            return f"Allowed: {self.status} {self.reason}".strip() + f" in {self.elapsed_ms:.0f} ms"
        if self.outcome == "refused":
            return f"Refused: {status}"
        if self.outcome == "redirected":
            where = urlsplit(self.location).netloc or self.location or "another address"
            return (
                f"Not followed: {self.status} {self.reason} redirect to {where} (the token "
                "is never sent on)".replace("  ", " ")
            )
        return f"Failed: {status}"


def send_call(
    request: ApiRequest, *, ca_file: str | None = None, cancel: threading.Event | None = None
) -> ApiCallResult:
    """Send the call (check it first with `check_request`); never raises for network trouble.

    Raises:
        CallInputError: the request cannot be sent (see `check_request`).
    """
    problem = check_request(request)
    if problem:
        raise CallInputError(problem)
    headers = [("Authorization", f"Bearer {reveal(request.token)}"), ("Accept", "application/json")]
    given = {k.lower() for k, _ in request.headers}
    headers = [h for h in headers if h[0].lower() not in given or h[0] == "Authorization"]
    headers += list(request.headers)
    if request.body and "content-type" not in given:
        headers.append(("Content-Type", "application/json"))
    answer = exchange(
        request.method, request.url, body=request.body, headers=headers,
        timeout_s=request.timeout_s, max_bytes=MAX_ANSWER_BYTES, ca_file=ca_file, cancel=cancel,
    )  # fmt: skip
    scrub = request.scrubber()
    sent = tuple(request.redacted_headers())
    base = ApiCallResult(request.method, scrub.text(request.url), sent, answer.elapsed_ms,
                         answer.finished_at)  # fmt: skip
    if answer.failure is not None:
        f = answer.failure
        failure = TransportFailure(f.kind, scrub.text(f.message), scrub.text(f.detail))
        return replace(base, failure=failure)
    text = answer.text()
    parsed = _json(text)
    shown = scrub_json(scrub, parsed) if parsed is not None else None
    body_text = json.dumps(shown, indent=2, ensure_ascii=False) if parsed is not None else text
    code, message = _error(shown)
    all_headers = tuple((k, _header(scrub, k, v)) for k, v in answer.headers)
    return replace(
        base,
        status=answer.status,
        reason=scrub.text(answer.reason),
        headers=all_headers,
        body_text=scrub.text(body_text),
        body_json=shown,
        content_type=answer.header("Content-Type"),
        size=len(answer.body),
        truncated=answer.truncated,
        error_code=code,
        error_message=message,
        location=scrub.text(answer.header("Location")),
    )


# Names that look secret to the generic rule but are ordinary in API answers (Graph's error
# `code`, a credential's `keyId`, `hint` and thumbprint, `passwordCredentials` lists).
_PUBLIC_API_NAMES = frozenset(
    {"code", "keyid", "customkeyidentifier", "hint", "key", "token_type", "tokentype",
     "passwordcredentials", "keycredentials", "usage", "type"}
)  # fmt: skip


def scrub_json(scrub: Scrubber, data: Any, name: str = "") -> Any:
    """An API's JSON with every string scrubbed (keys too) and the values of secret-named
    fields (`access_token`, `secretText`, `password`, …) masked whole."""
    if isinstance(data, dict):
        return {scrub.text(str(k)): scrub_json(scrub, v, str(k)) for k, v in data.items()}
    if isinstance(data, list):
        return [scrub_json(scrub, v, name) for v in data]
    if isinstance(data, str):
        if name and name.lower() not in _PUBLIC_API_NAMES and is_secret_name(name):
            return MASK if data else ""
        return scrub.text(data)
    return data


def _header(scrub: Scrubber, name: str, value: str) -> str:
    if is_secret_name(name) or name.lower() in ("set-cookie", "cookie"):
        return MASK if value else ""
    return scrub.text(value)


def _json(text: str) -> Any:
    stripped = text.lstrip()
    if not stripped.startswith(("{", "[")):
        return None
    try:
        return safejson.loads(stripped)
    except safejson.JsonError:
        return None


def _error(body: Any) -> tuple[str, str]:
    """Graph's `{"error": {"code", "message"}}`, or OAuth's `{"error", "error_description"}`."""
    if not isinstance(body, dict):
        return "", ""
    err = body.get("error")
    if isinstance(err, dict):
        code, message = err.get("code"), err.get("message")
        return (code if isinstance(code, str) else "", message if isinstance(message, str) else "")
    if isinstance(err, str):
        desc = body.get("error_description") or body.get("message")
        return err, desc if isinstance(desc, str) else ""
    return "", ""
