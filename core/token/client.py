"""Sending: post a prepared request and turn whatever comes back into a TokenResult.

Everything that comes back is scrubbed here, once, before anyone else sees it: the request's
secrets (in every encoding) and the tokens received are masked in the body text, the parsed
body, the headers, the error fields and any failure text (`TokenResult.scrubber`).
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import replace
from typing import Any

from core import safejson
from core.redaction import Scrubber, Secret, reveal
from core.token.models import PreparedRequest, TokenRequestInput
from core.token.preflight import check, has_errors
from core.token.result import (
    NOTABLE_HEADERS,
    ErrorFields,
    FailureKind,
    Outcome,
    TokenFields,
    TokenResult,
    TransportFailure,
    answer_scrubber,
)
from core.token.transport import MAX_BODY_BYTES, HttpResult, SharedConnections, exchange

log = logging.getLogger(__name__)

__all__ = ["MAX_BODY_BYTES", "as_int", "request_token", "result_from_answer", "send"]


def request_token(
    inputs: TokenRequestInput,
    *,
    ca_file: str | None = None,
    cancel: threading.Event | None = None,
    shared: SharedConnections | None = None,
) -> TokenResult:
    """Check, build and send: the whole round trip. Never raises for input or network trouble.

    `shared`: keep-alive connections shared by a batch of requests (see `transport`)."""
    from core.token.credential.resolve import resolve_credential
    from core.token.request import RequestBuildError, build_request

    inputs, unreadable = resolve_credential(inputs)
    findings = unreadable + check(inputs)
    try:
        prepared = build_request(inputs)
    except RequestBuildError:
        prepared = None
    if prepared is None or has_errors(findings):
        return TokenResult(outcome=Outcome.BLOCKED, request=prepared, findings=findings)
    answer = send(prepared, ca_file=ca_file, cancel=cancel, shared=shared)
    return replace(answer, findings=findings)


def send(
    prepared: PreparedRequest,
    *,
    ca_file: str | None = None,
    cancel: threading.Event | None = None,
    shared: SharedConnections | None = None,
) -> TokenResult:
    """POST the prepared request: TLS verified, no redirects, all of it within its timeout."""
    answer = exchange(
        "POST",
        prepared.url,
        body=prepared.body().encode("utf-8"),
        headers=[(name, reveal(value)) for name, value in prepared.headers],
        timeout_s=prepared.timeout_s,
        ca_file=ca_file,
        cancel=cancel,
        shared=shared,
    )
    if answer.failure is not None:
        scrub = prepared.scrubber()
        failure = answer.failure
        peer = None
        if failure.kind is FailureKind.TLS and not (cancel is not None and cancel.is_set()):
            from core.token.tls_probe import probe

            left = prepared.timeout_s - answer.elapsed_ms / 1000
            peer = probe(prepared.url, left, failure.detail) if left > 0.1 else None
        return TokenResult(
            outcome=Outcome.NO_ANSWER,
            request=prepared,
            elapsed_ms=answer.elapsed_ms,
            received_at=answer.finished_at,
            failure=TransportFailure(
                failure.kind, scrub.text(failure.message), scrub.text(failure.detail), peer
            ),
            built_scrubber=(prepared, None, scrub),
        )
    return result_from_answer(prepared, answer)


def result_from_answer(prepared: PreparedRequest, answer: HttpResult) -> TokenResult:
    """The TokenResult of an HTTP answer to `prepared` (scrubbed); the answer must have come."""
    text = answer.text()
    body, body_error = _parse_json(text)
    status = answer.status or 0
    token = _token_fields(body) if body else None
    ok = 200 <= status < 300 and token is not None and bool(token.access_token)
    scrub = answer_scrubber(prepared, token)
    # Built once: the result keeps it when it holds the same token (on a refusal, only when no
    # token came, as the result then has none to build from).
    built = (prepared, token, scrub) if ok or token is None else None
    all_headers = tuple((k, _header_value(scrub, k, v)) for k, v in answer.headers)
    lower = {k.lower(): v for k, v in all_headers}
    notable = tuple((h, lower[h.lower()]) for h in NOTABLE_HEADERS if h.lower() in lower)
    error = _error_fields(body, scrub) if body and "error" in body else None
    return TokenResult(
        outcome=Outcome.TOKEN if ok else Outcome.REFUSED,
        request=prepared,
        status=answer.status,
        reason=scrub.text(answer.reason),
        elapsed_ms=answer.elapsed_ms,
        received_at=answer.finished_at,
        headers=notable,
        all_headers=all_headers,
        body_text=scrub.text(text),
        body_json=scrub.value(body) if body is not None else None,
        body_truncated=answer.truncated,
        body_error=body_error,
        token=token if ok else None,
        error=error,
        built_scrubber=built,
    )


def _header_value(scrub: Scrubber, name: str, value: str) -> str:
    from core.redaction import is_secret_name, mask_value

    if is_secret_name(name) or name.lower() in ("set-cookie", "cookie"):
        return mask_value(value)
    return scrub.text(value)


def _parse_json(text: str) -> tuple[dict[str, Any] | None, str]:
    """The body as a JSON object, or None and why not ('' when it does not look like JSON)."""
    stripped = text.lstrip()
    if not stripped.startswith(("{", "[")):
        return None, ""
    try:
        value = safejson.loads(stripped)
    except safejson.JsonError as exc:
        if exc.kind == "depth":
            return None, str(exc)
        return None, "the JSON is cut off or broken: " + str(exc)
    if not isinstance(value, dict):
        return None, "the JSON is not an object"
    return value, ""


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


def _error_fields(body: dict[str, Any], scrub: Scrubber) -> ErrorFields:
    codes = body.get("error_codes")
    code_list = [as_int(c) for c in codes] if isinstance(codes, list) else []
    claims = body.get("claims")
    claims_text = claims if isinstance(claims, str) else json.dumps(claims) if claims else ""

    def text(name: str) -> str:
        return scrub.text(_text(body.get(name)))

    return ErrorFields(
        error=text("error"),
        error_description=text("error_description"),
        error_codes=tuple(c for c in code_list if c is not None),
        trace_id=text("trace_id"),
        correlation_id=text("correlation_id"),
        timestamp=text("timestamp"),
        error_uri=text("error_uri"),
        suberror=text("suberror"),
        claims=scrub.text(claims_text),
    )
