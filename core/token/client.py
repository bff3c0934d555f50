"""Sending: post a prepared request and turn whatever comes back into a TokenResult."""

from __future__ import annotations

import json
import logging
import threading
import time
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from core.redaction import Secret, reveal
from core.token.models import (
    NOTABLE_HEADERS,
    ErrorFields,
    FailureKind,
    Outcome,
    PreparedRequest,
    TokenFields,
    TokenRequestInput,
    TokenResult,
    TransportFailure,
)
from core.token.preflight import check, has_errors

if TYPE_CHECKING:
    import requests

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 16 * 1024 * 1024  # a token response is a few KB; keep a junk page bounded
_session: requests.Session | None = None
_session_lock = threading.Lock()


def shared_session() -> requests.Session:
    """The one `requests.Session` of the process (connection reuse; proxies from the env)."""
    global _session
    with _session_lock:
        if _session is None:
            import requests

            _session = requests.Session()
        return _session


def request_token(
    inputs: TokenRequestInput, *, session: requests.Session | None = None
) -> TokenResult:
    """Check, build and send: the whole round trip. Never raises for input or network trouble."""
    from core.token.request import RequestBuildError, build_request

    findings = check(inputs)
    try:
        prepared = build_request(inputs)
    except RequestBuildError:
        prepared = None
    if prepared is None or has_errors(findings):
        return TokenResult(outcome=Outcome.BLOCKED, request=prepared, findings=findings)
    return replace(send(prepared, session=session), findings=findings)


def send(prepared: PreparedRequest, *, session: requests.Session | None = None) -> TokenResult:
    """POST the prepared request with TLS verification on and an explicit timeout."""
    import requests

    session = session or shared_session()
    headers = {name: reveal(value) for name, value in prepared.headers}
    started = time.perf_counter()
    try:
        response = session.post(
            prepared.url,
            data=prepared.body().encode("utf-8"),
            headers=headers,
            timeout=prepared.timeout_s,
            allow_redirects=False,
            stream=True,
            verify=True,
        )
        try:
            raw, truncated = _read_limited(response)
        finally:
            response.close()
    except requests.RequestException as exc:
        elapsed = (time.perf_counter() - started) * 1000
        failure = transport_failure(exc, prepared)
        log.info("POST %s: no answer (%s) after %.0f ms", prepared.url, failure.kind.value, elapsed)
        return TokenResult(
            outcome=Outcome.NO_ANSWER,
            request=prepared,
            elapsed_ms=elapsed,
            received_at=time.time(),
            failure=failure,
        )
    elapsed = (time.perf_counter() - started) * 1000
    result = _result_from_response(prepared, response, raw, truncated, elapsed)
    log.info("POST %s: HTTP %s in %.0f ms", prepared.url, result.status, elapsed)
    return result


def _read_limited(response: requests.Response) -> tuple[bytes, bool]:
    chunks, size = [], 0
    for chunk in response.iter_content(64 * 1024):
        chunks.append(chunk)
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            return b"".join(chunks)[:MAX_BODY_BYTES], True
    return b"".join(chunks), False


def _result_from_response(
    prepared: PreparedRequest,
    response: requests.Response,
    raw: bytes,
    truncated: bool,
    elapsed_ms: float,
) -> TokenResult:
    text = raw.decode(response.encoding or "utf-8", errors="replace")
    body = _parse_json(text)
    all_headers = tuple((k, v) for k, v in response.headers.items())
    lower = {k.lower(): v for k, v in all_headers}
    notable = tuple((h, lower[h.lower()]) for h in NOTABLE_HEADERS if h.lower() in lower)
    token = _token_fields(body) if body else None
    ok = 200 <= response.status_code < 300 and token is not None and token.access_token
    error = _error_fields(body) if body and "error" in body else None
    return TokenResult(
        outcome=Outcome.TOKEN if ok else Outcome.REFUSED,
        request=prepared,
        status=response.status_code,
        reason=response.reason or "",
        elapsed_ms=elapsed_ms,
        received_at=time.time(),
        headers=notable,
        all_headers=all_headers,
        body_text=text,
        body_json=body,
        body_truncated=truncated,
        token=token if ok else None,
        error=error,
    )


def _parse_json(text: str) -> dict[str, Any] | None:
    stripped = text.lstrip()
    if not stripped.startswith("{"):
        return None
    try:
        value = json.loads(stripped)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def as_int(value: Any) -> int | None:
    """An int from an int or a numeric string (v1 sends numbers as strings), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _secret(value: Any) -> Secret | None:
    return Secret(value) if isinstance(value, str) and value else None


def _token_fields(body: dict[str, Any]) -> TokenFields | None:
    if "access_token" not in body:
        return None
    return TokenFields(
        token_type=_text(body.get("token_type")),
        access_token=_secret(body.get("access_token")),
        expires_in=as_int(body.get("expires_in")),
        ext_expires_in=as_int(body.get("ext_expires_in")),
        expires_on=as_int(body.get("expires_on")),
        not_before=as_int(body.get("not_before")),
        refresh_in=as_int(body.get("refresh_in")),
        resource=_text(body.get("resource")),
        scope=_text(body.get("scope")),
        refresh_token=_secret(body.get("refresh_token")),
        id_token=_secret(body.get("id_token")),
    )


def _error_fields(body: dict[str, Any]) -> ErrorFields:
    codes = body.get("error_codes")
    code_list = [as_int(c) for c in codes] if isinstance(codes, list) else []
    claims = body.get("claims")
    return ErrorFields(
        error=_text(body.get("error")),
        error_description=_text(body.get("error_description")),
        error_codes=tuple(c for c in code_list if c is not None),
        trace_id=_text(body.get("trace_id")),
        correlation_id=_text(body.get("correlation_id")),
        timestamp=_text(body.get("timestamp")),
        error_uri=_text(body.get("error_uri")),
        suberror=_text(body.get("suberror")),
        claims=claims if isinstance(claims, str) else json.dumps(claims) if claims else "",
    )


def transport_failure(exc: BaseException, prepared: PreparedRequest) -> TransportFailure:
    """Classify a failure with no HTTP answer, with a plain one-line message."""
    import requests

    host = _host(prepared.url)
    detail = _chain_text(exc)
    lowered = detail.lower()
    if isinstance(
        exc,
        (
            requests.exceptions.InvalidURL,
            requests.exceptions.MissingSchema,
            requests.exceptions.InvalidSchema,
            requests.exceptions.URLRequired,
        ),
    ):
        return TransportFailure(FailureKind.INVALID_URL, f"'{prepared.url}' is not a valid URL.",
                                detail)  # fmt: skip
    if isinstance(exc, requests.exceptions.ProxyError):
        if "407" in detail:
            return TransportFailure(
                FailureKind.PROXY_AUTH,
                "The proxy server asked for credentials (HTTP 407 Proxy Authentication Required).",
                detail,
            )
        return TransportFailure(
            FailureKind.PROXY, "The proxy server could not be reached or refused the request.",
            detail,
        )  # fmt: skip
    if isinstance(exc, requests.exceptions.SSLError):
        return TransportFailure(
            FailureKind.TLS, f"The TLS (HTTPS) connection to {host} could not be verified.", detail
        )
    if isinstance(exc, requests.exceptions.Timeout):
        return TransportFailure(
            FailureKind.TIMEOUT,
            f"No response from {host} within {prepared.timeout_s:g} s.",
            detail,
        )
    if any(
        s in lowered
        for s in (
            "name or service not known",
            "nodename nor servname",
            "getaddrinfo failed",
            "name resolution",
            "no address associated",
            "failed to resolve",
            "nameresolutionerror",
            "temporary failure in name",
        )
    ):
        return TransportFailure(FailureKind.DNS, f"The host name {host} could not be resolved.",
                                detail)  # fmt: skip
    if "refused" in lowered:
        return TransportFailure(
            FailureKind.REFUSED, f"{host} refused the connection (nothing listens there).", detail
        )
    return TransportFailure(
        FailureKind.CONNECTION, f"The connection to {host} broke before a full answer came.",
        detail,
    )  # fmt: skip


def _host(url: str) -> str:
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        return parts.netloc or url
    except ValueError:
        return url


def _chain_text(exc: BaseException) -> str:
    """The messages of an exception and its causes, one line (no secrets: URLs only)."""
    seen, parts = set(), []
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        parts.append(f"{type(current).__name__}: {current}")
        current = current.__cause__ or current.__context__
    return " <- ".join(parts)[:2000]
