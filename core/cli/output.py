"""Render a token result for people (a short summary) or machines (the documented JSON)."""

from __future__ import annotations

import json
import sys
import time
from datetime import datetime, timezone
from typing import Any, TextIO

from core.cli import EXIT_NO_ANSWER, EXIT_OK, EXIT_REFUSED, EXIT_USAGE
from core.models import Finding, Outcome, PreparedRequest, TokenRequestInput, TokenResult
from core.redaction import fingerprint, redact_mapping, redact_text, reveal

SCHEMA = "entra-token-tester/token/1"
EXIT_CODES = {
    Outcome.TOKEN: EXIT_OK,
    Outcome.REFUSED: EXIT_REFUSED,
    Outcome.BLOCKED: EXIT_USAGE,
    Outcome.NO_ANSWER: EXIT_NO_ANSWER,
}
MAX_TEXT_BODY = 4096


def dry_run(inputs: TokenRequestInput, *, as_json: bool, out: TextIO = sys.stdout) -> int:
    """Print the redacted request and the pre-flight findings without sending anything."""
    from core.preflight import check, has_errors
    from core.request import RequestBuildError, build_request

    findings = check(inputs)
    try:
        prepared: PreparedRequest | None = build_request(inputs)
    except RequestBuildError:
        prepared = None
    if as_json:
        doc = {
            "schema": SCHEMA,
            "outcome": "dry_run",
            "ok": not has_errors(findings),
            "request": _request_json(prepared),
            "findings": [_finding_json(f) for f in findings],
        }
        out.write(json.dumps(doc, indent=2) + "\n")
    else:
        _write_findings(findings, out)
        if prepared is not None:
            out.write(prepared.redacted_text() + "\n")
    return EXIT_USAGE if has_errors(findings) or prepared is None else EXIT_OK


def report(
    result: TokenResult,
    inputs: TokenRequestInput,
    *,
    as_json: bool,
    show_token: bool = False,
    out: TextIO = sys.stdout,
) -> int:
    """Print the result; returns the documented exit code for its outcome."""
    if as_json:
        out.write(json.dumps(result_json(result, show_token=show_token), indent=2) + "\n")
    else:
        _write_human(result, out, show_token=show_token)
    return EXIT_CODES[result.outcome]


def _iso(epoch: float | None) -> str | None:
    if epoch is None:
        return None
    return datetime.fromtimestamp(epoch, tz=timezone.utc).isoformat(timespec="seconds")


def _finding_json(f: Finding) -> dict[str, str]:
    return {
        "code": f.code,
        "severity": f.severity.value,
        "field": f.field,
        "title": f.title,
        "detail": f.detail,
        "fix": f.fix,
    }


def _request_json(prepared: PreparedRequest | None) -> dict[str, Any] | None:
    if prepared is None:
        return None
    return {
        "method": prepared.method,
        "url": prepared.url,
        "client_request_id": prepared.client_request_id,
        "headers": dict(prepared.redacted_headers()),
        "form": dict(prepared.redacted_form()),
    }


def result_json(result: TokenResult, *, show_token: bool = False) -> dict[str, Any]:
    """The machine schema of a token result (documented in README.md)."""
    secrets = result.request.secrets() if result.request else ()
    doc: dict[str, Any] = {
        "schema": SCHEMA,
        "outcome": result.outcome.value,
        "ok": result.ok,
        "request": _request_json(result.request),
        "findings": [_finding_json(f) for f in result.findings],
        "response": None,
        "token": None,
        "error": None,
        "failure": None,
    }
    if result.status is not None:
        body: Any = redact_mapping(result.body_json) if result.body_json is not None else None
        doc["response"] = {
            "status": result.status,
            "reason": result.reason,
            "elapsed_ms": round(result.elapsed_ms, 1),
            "received_at": _iso(result.received_at),
            "headers": dict(result.headers),
            "json": body,
            "text": None
            if body is not None
            else redact_text(result.body_text[:MAX_TEXT_BODY], secrets),
            "truncated": result.body_truncated or len(result.body_text) > MAX_TEXT_BODY,
        }
    if result.token is not None:
        tok = result.token
        doc["token"] = {
            "token_type": tok.token_type,
            "expires_in": tok.expires_in,
            "ext_expires_in": tok.ext_expires_in,
            "expires_on": tok.expires_on,
            "expires_at": _iso(result.expires_at()),
            "scope": tok.scope or None,
            "resource": tok.resource or None,
            "fingerprint": fingerprint(tok.access_token) if tok.access_token else None,
            "has_refresh_token": bool(tok.refresh_token),
            "has_id_token": bool(tok.id_token),
        }
        if show_token:
            doc["token"]["access_token"] = reveal(tok.access_token)
    if result.error is not None:
        err = result.error
        doc["error"] = {
            "error": err.error,
            "error_description": redact_text(err.error_description, secrets),
            "error_codes": list(err.error_codes),
            "trace_id": err.trace_id,
            "correlation_id": err.correlation_id,
            "timestamp": err.timestamp,
            "error_uri": err.error_uri,
            "suberror": err.suberror or None,
        }
    if result.failure is not None:
        doc["failure"] = {
            "kind": result.failure.kind.value,
            "message": result.failure.message,
            "detail": redact_text(result.failure.detail, secrets),
        }
    return doc


def _relative(seconds: float) -> str:
    minutes = int(abs(seconds) // 60)
    span = f"{minutes} min" if minutes < 120 else f"{minutes // 60} h {minutes % 60} min"
    if abs(seconds) < 60:
        span = f"{int(abs(seconds))} s"
    return f"in {span}" if seconds >= 0 else f"{span} ago"


def _write_findings(findings: tuple[Finding, ...], out: TextIO) -> None:
    for f in findings:
        label = "error" if f.severity.value == "error" else "warning"
        where = f" [{f.field}]" if f.field else ""
        out.write(f"{label}{where}: {f.title}. {f.detail}")
        out.write(f" Fix: {f.fix}\n" if f.fix else "\n")


def _write_human(result: TokenResult, out: TextIO, *, show_token: bool) -> None:
    secrets = result.request.secrets() if result.request else ()
    _write_findings(result.findings, out)
    if result.outcome is Outcome.BLOCKED:
        out.write("Not sent: fix the errors above.\n")
        return
    url = result.request.url if result.request else ""
    timing = f"{result.elapsed_ms:.0f} ms"
    if result.outcome is Outcome.NO_ANSWER and result.failure:
        out.write(f"FAILED: no answer from the server ({timing})\n")
        out.write(f"  {result.failure.message}\n  POST {url}\n")
        return
    status = f"HTTP {result.status} {result.reason}".strip()
    if result.outcome is Outcome.TOKEN and result.token:
        tok = result.token
        out.write(f"OK: token issued ({status}, {timing})\n  POST {url}\n")
        out.write(f"  Token type   {tok.token_type or '?'}\n")
        expires = result.expires_at()
        if expires is not None:
            local = datetime.fromtimestamp(expires).strftime("%Y-%m-%d %H:%M:%S")
            out.write(f"  Expires      {local} ({_relative(expires - time.time())})\n")
        if tok.scope:
            out.write(f"  Scope        {tok.scope}\n")
        if tok.resource:
            out.write(f"  Resource     {tok.resource}\n")
        if show_token and tok.access_token:
            out.write(f"  Access token {reveal(tok.access_token)}\n")
        elif tok.access_token:
            out.write(f"  Access token {fingerprint(tok.access_token)} (--show-token prints it)\n")
        return
    out.write(f"FAILED: the server refused ({status}, {timing})\n  POST {url}\n")
    if result.error:
        err = result.error
        first_line = err.error_description.splitlines()[0] if err.error_description else ""
        out.write(f"  error        {err.error}\n")
        if first_line:
            out.write(f"  description  {redact_text(first_line, secrets)}\n")
        for label, value in (
            ("error codes", ", ".join(str(c) for c in err.error_codes)),
            ("trace ID", err.trace_id),
            ("correlation", err.correlation_id),
            ("timestamp", err.timestamp),
        ):
            if value:
                out.write(f"  {label:<12} {value}\n")
    elif result.body_text:
        snippet = " ".join(result.body_text[:200].split())
        out.write(f"  body         {redact_text(snippet, secrets)}\n")
