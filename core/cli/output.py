"""Render results for people (a short summary) or machines (the documented JSON).

Shared by `token` and `decode`: the verdict and the diagnosis read the same everywhere.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from typing import TYPE_CHECKING, Any, TextIO

from core.cli import EXIT_NO_ANSWER, EXIT_OK, EXIT_REFUSED, EXIT_USAGE
from core.redaction import fingerprint, redact_mapping, redact_text, reveal
from core.timefmt import describe, iso_utc
from core.token.models import Finding, Outcome, PreparedRequest, TokenRequestInput, TokenResult

if TYPE_CHECKING:
    from core.insight.diagnosis import Diagnosis
    from core.insight.verdict import Verdict

SCHEMA = "entra-token-tester/token/1"
EXIT_CODES = {
    Outcome.TOKEN: EXIT_OK,
    Outcome.REFUSED: EXIT_REFUSED,
    Outcome.BLOCKED: EXIT_USAGE,
    Outcome.NO_ANSWER: EXIT_NO_ANSWER,
}
MAX_TEXT_BODY = 4096


def verdict_json(verdict: Verdict) -> dict[str, Any]:
    """A verdict as JSON: its fields, plus `*_iso` renderings of its times."""
    doc = asdict(verdict)
    for name in ("issued_at", "not_before", "expires_at"):
        doc[f"{name}_iso"] = iso_utc(doc[name])
    return dict(json.loads(json.dumps(doc, default=str)))


def diagnosis_json(d: Diagnosis | None) -> dict[str, Any] | None:
    """A diagnosis as JSON, with its copyable support text."""
    if d is None:
        return None
    from core.insight.diagnosis import support_text

    doc = asdict(d)
    doc["support"] = dict(d.support)
    doc["parts"] = [diagnosis_json(part) for part in d.parts]
    doc["support_text"] = support_text(d)
    return doc


def write_verdict(v: dict[str, Any], out: TextIO) -> None:
    """The verdict block: headline, the facts an admin reads first, then warnings and notes."""
    out.write(v["headline"] + "\n")
    audience = v["audience"]
    if v["audience_name"] and v["audience_name"] != audience:
        audience = f"{v['audience_name']} ({audience})"
    fields = [
        ("Kind", f"{v['token_kind']} ({v['kind_reason']})" if v["kind_reason"] else ""),
        ("Credential", v["credential"]),
        ("Version", v["version"]),
        ("Issuer", v["issuer"]),
        ("Audience", audience),
        ("Tenant", v["tenant_id"]),
        ("Client app", v["client_id"]),
        ("Issued at", describe(v["issued_at"]) if v["issued_at"] is not None else ""),
        ("Not before", describe(v["not_before"]) if v["not_before"] is not None else ""),
        ("Expires", describe(v["expires_at"]) if v["expires_at"] is not None else ""),
        ("Roles", ", ".join(v["roles"])),
        ("Scopes", ", ".join(v["scopes"])),
    ]
    for label, value in fields:
        if value:
            out.write(f"  {label:<11} {value}\n")
    for title, items, mark in (
        ("Allows", v["allows"], "-"),
        ("Warnings", v["warnings"], "!"),
        ("Notes", v["notes"], "-"),
    ):
        if items:
            out.write(f"{title}:\n" + "".join(f"  {mark} {item}\n" for item in items))


def write_diagnosis(d: dict[str, Any], out: TextIO) -> None:
    """The diagnosis block: what went wrong, why, the fix steps, then the support details."""
    parts = d["parts"] or [d]
    for part in parts:
        code = "" if part["code"] in part["title"] else f" ({part['code']})"
        out.write(f"Diagnosis: {part['title']}{code}\n  {part['cause']}\n")
        for number, step in enumerate(part["fix"], 1):
            out.write(f"  {number}. {step}\n")
        if part["link"]:
            out.write(f"  More: {part['link']}\n")
    if d["support"]:
        out.write("Support details:\n")
        out.write("".join(f"  {k}: {v}\n" for k, v in d["support"].items()))


def dry_run(inputs: TokenRequestInput, *, as_json: bool, out: TextIO | None = None) -> int:
    """Print the redacted request and the pre-flight findings without sending anything."""
    from core.token.preflight import check, has_errors
    from core.token.request import RequestBuildError, build_request

    out = out or sys.stdout
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
    out: TextIO | None = None,
) -> int:
    """Print the result with its verdict (and diagnosis); returns the documented exit code."""
    from core.insight.diagnosis import diagnose
    from core.insight.verdict import verdict_for_result

    out = out or sys.stdout
    doc = result_json(result, show_token=show_token)
    doc["verdict"] = verdict_json(verdict_for_result(result, tenant=inputs.tenant))
    doc["diagnosis"] = diagnosis_json(diagnose(result))
    if as_json:
        out.write(json.dumps(doc, indent=2) + "\n")
    else:
        _write_human(result, doc, out, show_token=show_token)
    return EXIT_CODES[result.outcome]


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
        "verdict": None,
        "diagnosis": None,
    }
    if result.status is not None:
        body: Any = redact_mapping(result.body_json) if result.body_json is not None else None
        doc["response"] = {
            "status": result.status,
            "reason": result.reason,
            "elapsed_ms": round(result.elapsed_ms, 1),
            "received_at": iso_utc(result.received_at),
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
            "expires_at": iso_utc(result.expires_at()),
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


def _write_findings(findings: tuple[Finding, ...], out: TextIO) -> None:
    for f in findings:
        label = "error" if f.severity.value == "error" else "warning"
        where = f" [{f.field}]" if f.field else ""
        out.write(f"{label}{where}: {f.title}. {f.detail}")
        out.write(f" Fix: {f.fix}\n" if f.fix else "\n")


def _write_human(
    result: TokenResult, doc: dict[str, Any], out: TextIO, *, show_token: bool
) -> None:
    _write_findings(result.findings, out)
    write_verdict(doc["verdict"], out)
    if result.request is not None:
        status = f"HTTP {result.status} {result.reason}".strip() if result.status else "no answer"
        out.write(f"Request: POST {result.request.url} ({status}, {result.elapsed_ms:.0f} ms)\n")
    if result.failure is not None:
        out.write(f"  {result.failure.message}\n")
    if result.error is not None:
        err = doc["error"]
        out.write(f"  error: {err['error']}\n")
        first = err["error_description"].splitlines()[0] if err["error_description"] else ""
        if first:
            out.write(f"  {first}\n")
    elif doc["response"] and doc["response"]["text"] and not result.ok:
        out.write(f"  body: {' '.join(doc['response']['text'][:200].split())}\n")
    if doc["diagnosis"] is not None:
        write_diagnosis(doc["diagnosis"], out)
    tok = result.token
    if tok is not None and tok.access_token:
        if show_token:
            out.write(f"Access token: {reveal(tok.access_token)}\n")
        else:
            out.write(f"Access token: {fingerprint(tok.access_token)} (--show-token prints it)\n")
