"""Render results for people (a short summary) or machines (the documented JSON).

Shared by `token` and `decode`: the verdict and the diagnosis read the same everywhere.
"""

from __future__ import annotations

import io
import json
import sys
from dataclasses import asdict
from typing import TYPE_CHECKING, Any, TextIO

from core.cli import EXIT_NO_ANSWER, EXIT_OK, EXIT_REFUSED, EXIT_USAGE
from core.cli.cert_output import credential_json, write_credential
from core.redaction import fingerprint
from core.timefmt import describe, iso_utc
from core.token.models import Finding, PreparedRequest, TokenRequestInput
from core.token.result import FailureKind, Outcome, TokenResult

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


_INTERNAL_CODES = frozenset({*(kind.value for kind in FailureKind), "preflight"})


def write_diagnosis(d: dict[str, Any], out: TextIO) -> None:
    """The diagnosis block: what went wrong, why, the fix steps, then the support details."""
    parts = d["parts"] or [d]
    for part in parts:
        internal = part["code"] in _INTERNAL_CODES  # our own keys, not something to look up
        code = "" if internal or part["code"] in part["title"] else f" ({part['code']})"
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
    from core.cli.credentials import NOT_GIVEN
    from core.token.credential.resolve import resolve_credential
    from core.token.preflight import check, has_errors
    from core.token.request import RequestBuildError, build_request

    out = out or sys.stdout
    inputs, unreadable = resolve_credential(inputs)
    findings = unreadable + check(inputs)
    try:
        prepared: PreparedRequest | None = build_request(inputs)
    except RequestBuildError:
        prepared = None
    ok = not has_errors(findings) and prepared is not None
    missing = [n for n in ("client_secret", "password") if getattr(inputs, n) == NOT_GIVEN]
    if as_json:
        doc = _empty_doc("dry_run", ok)
        doc["request"] = _request_json(prepared)
        doc["credential"] = credential_json(prepared)
        doc["findings"] = [_finding_json(f) for f in findings]
        doc["secrets_not_given"] = missing
        out.write(json.dumps(doc, indent=2) + "\n")
    else:
        _write_findings(findings, out)
        if prepared is not None:
            out.write(prepared.redacted_text() + "\n")
        for name in missing:
            what = "client secret" if name == "client_secret" else "password"
            out.write(f"note: no {what} given; it is masked here and asked for when the request "
                      "is really sent.\n")  # fmt: skip
    return EXIT_OK if ok else EXIT_USAGE


def _empty_doc(outcome: str, ok: bool) -> dict[str, Any]:
    """Every documented field of the token schema; those that do not apply stay null."""
    return {
        "schema": SCHEMA,
        "outcome": outcome,
        "ok": ok,
        "request": None,
        "credential": None,
        "findings": [],
        "response": None,
        "token": None,
        "error": None,
        "failure": None,
        "verdict": None,
        "diagnosis": None,
        "wait": None,
    }


def _null_if_empty(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: (None if v == "" else v) for k, v in doc.items()}


def report(
    result: TokenResult,
    inputs: TokenRequestInput,
    *,
    as_json: bool,
    show_token: bool = False,
    out: TextIO | None = None,
    extra: dict[str, Any] | None = None,
    extra_text: str = "",
) -> int:
    """Print the result with its verdict (and diagnosis); returns the documented exit code.

    `extra` (JSON fields) and `extra_text` (human lines) are what the token was then used for
    (`--call`, `--check-expiry`); they were scrubbed and are scrubbed again here."""
    from core.insight.diagnosis import diagnose
    from core.insight.verdict import verdict_for_result

    out = out or sys.stdout
    scrub = result.scrubber()
    doc = result_json(result)
    doc["verdict"] = verdict_json(verdict_for_result(result, tenant=inputs.tenant))
    doc["diagnosis"] = diagnosis_json(diagnose(result))
    doc.update(extra or {})
    # The last pass of the one scrubber: whatever the answer or the token carried is masked
    # in every field (keys too) before anything is written.
    doc = scrub.value(doc, by_name=False)
    token = result.token.access_token if result.token is not None else None
    if as_json:
        if show_token and token:
            doc["token"]["access_token"] = token.reveal()
        out.write(json.dumps(doc, indent=2) + "\n")
    else:
        text = io.StringIO()
        _write_human(result, doc, text)
        out.write(scrub.text(text.getvalue()))
        if token and show_token:
            out.write(f"Access token: {token.reveal()}\n")
        elif token:
            out.write(f"Access token: {fingerprint(token)} (--show-token prints it)\n")
        out.write(scrub.text(extra_text))
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


def result_json(result: TokenResult) -> dict[str, Any]:
    """The machine schema of a token result (documented in README.md); the answer's texts were
    scrubbed when it was received (core.token.client), and `report` scrubs the whole again."""
    doc = _empty_doc(result.outcome.value, result.ok)
    doc["request"] = _request_json(result.request)
    doc["credential"] = credential_json(result.request)
    doc["findings"] = [_finding_json(f) for f in result.findings]
    if result.status is not None:
        body = result.body_json
        doc["response"] = {
            "status": result.status,
            "reason": result.reason or None,
            "elapsed_ms": round(result.elapsed_ms, 1),
            "received_at": iso_utc(result.received_at),
            "headers": dict(result.headers),
            "json": body,
            "text": None if body is not None else result.body_text[:MAX_TEXT_BODY] or None,
            "truncated": result.body_truncated or len(result.body_text) > MAX_TEXT_BODY,
            "problem": result.body_error or None,
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
    if result.error is not None:
        err = result.error
        doc["error"] = _null_if_empty(
            {
                "error": err.error,
                "error_description": err.error_description,
                "error_codes": list(err.error_codes),
                "trace_id": err.trace_id,
                "correlation_id": err.correlation_id,
                "timestamp": err.timestamp,
                "error_uri": err.error_uri,
                "suberror": err.suberror,
            }
        )
    if result.replication is not None:
        wait = result.replication
        doc["wait"] = {"end": wait.end.value, "attempts": wait.attempts,
                       "waited_s": wait.waited_s, "limit_s": wait.limit_s,
                       "code": f"AADSTS{wait.code}" if wait.code else None}  # fmt: skip
    if result.failure is not None:
        doc["failure"] = _null_if_empty(
            {
                "kind": result.failure.kind.value,
                "message": result.failure.message,
                "detail": result.failure.detail,
                "certificate": (
                    asdict(result.failure.certificate) if result.failure.certificate else None
                ),
            }
        )
    return doc


def _write_findings(findings: tuple[Finding, ...], out: TextIO) -> None:
    for f in findings:
        label = "error" if f.severity.value == "error" else "warning"
        where = f" [{f.field}]" if f.field else ""
        out.write(f"{label}{where}: {f.title}. {f.detail}")
        out.write(f" Fix: {f.fix}\n" if f.fix else "\n")


def _write_human(result: TokenResult, doc: dict[str, Any], out: TextIO) -> None:
    _write_findings(result.findings, out)
    write_verdict(doc["verdict"], out)
    write_credential(doc["credential"], out)
    if result.request is not None:
        status = f"HTTP {result.status} {result.reason}".strip() if result.status else "no answer"
        out.write(f"Request: POST {result.request.url} ({status}, {result.elapsed_ms:.0f} ms)\n")
    if result.failure is not None:
        out.write(f"  {result.failure.message}\n")
    if result.error is not None:
        err = doc["error"]
        out.write(f"  error: {err['error'] or '(none)'}\n")
        first = err["error_description"].splitlines()[0] if err["error_description"] else ""
        if first:
            out.write(f"  {first}\n")
    elif doc["response"] and doc["response"]["text"] and not result.ok:
        out.write(f"  body: {' '.join(doc['response']['text'][:200].split())}\n")
    if doc["diagnosis"] is not None:
        write_diagnosis(doc["diagnosis"], out)
