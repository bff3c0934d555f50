"""Render an API call (`call`, `token --call`) and a credential expiry read (`token
--check-expiry`) for people or as the documented JSON."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TextIO

from core.cli import EXIT_NO_ANSWER, EXIT_OK, EXIT_REFUSED
from core.redaction import fingerprint
from core.timefmt import iso_utc

if TYPE_CHECKING:
    from core.api.call import ApiRequest
    from core.api.expiry import CredentialExpiry
    from core.api.report import CallReport

CALL_SCHEMA = "entra-token-tester/call/1"
MAX_BODY_CHARS = 64 * 1024  # in human output; --json carries the whole (capped) body
CALL_FIELDS = ("request", "token", "permission", "response", "failure", "error", "diagnosis")


def call_exit_code(report: CallReport) -> int:
    """0 allowed (2xx), 3 no answer, 1 any other answer (refused, redirected, failed)."""
    outcome = report.result.outcome
    return EXIT_OK if outcome == "allowed" else EXIT_NO_ANSWER if outcome == "no_answer" \
        else EXIT_REFUSED  # fmt: skip


def call_json(report: CallReport, request: ApiRequest) -> dict[str, Any]:
    """The `call/1` document (README: JSON output of `call --json`)."""
    from core.cli.output import diagnosis_json

    r, facts, check = report.result, report.facts, report.check
    doc: dict[str, Any] = {
        "schema": CALL_SCHEMA,
        "outcome": r.outcome,
        "ok": r.ok,
        "verdict": r.verdict,
        "request": {"method": r.method, "url": r.url, "headers": dict(r.request_headers)},
        "token": {
            "readable": facts.readable,
            "kind": facts.kind if facts.readable else None,
            "audience": facts.audience or None,
            "app_id": facts.app_id or None,
            "tenant_id": facts.tenant_id or None,
            "roles": list(facts.roles),
            "scopes": list(facts.scopes),
            "expires_at": iso_utc(facts.expires_at),
            "fingerprint": fingerprint(request.token),
        },
        "permission": None,
        "response": None,
        "failure": None,
        "error": None,
        "diagnosis": diagnosis_json(report.diagnosis),
    }
    if check is not None:
        doc["permission"] = {
            "state": check.state, "kind": check.kind, "call": check.call,
            "needed": list(check.needed), "held": list(check.held), "text": check.text,
            "fix": check.fix or None, "source": check.source or None,
        }  # fmt: skip
    if r.status is not None:
        doc["response"] = {
            "status": r.status, "reason": r.reason or None, "elapsed_ms": round(r.elapsed_ms, 1),
            "received_at": iso_utc(r.received_at), "headers": dict(r.headers),
            "content_type": r.content_type or None, "size": r.size,
            "json": r.body_json, "text": None if r.body_json is not None else r.body_text,
            "truncated": r.truncated, "location": r.location or None,
        }  # fmt: skip
    if r.failure is not None:
        f = r.failure
        doc["failure"] = {"kind": f.kind.value, "message": f.message, "detail": f.detail or None}
    if r.error_code or r.error_message:
        doc["error"] = {"code": r.error_code or None, "message": r.error_message or None}
    return doc


def write_call(doc: dict[str, Any], out: TextIO, *, headers: bool = True) -> None:
    """The call for people: request, permission check, verdict, answer, diagnosis."""
    from core.cli.output import write_diagnosis

    request = doc["request"]
    out.write(f"Call: {request['method']} {request['url']}\n")
    permission = doc["permission"]
    if permission is not None:
        out.write(f"  Permission: {permission['text']}\n")
        if permission["fix"] and permission["state"] != "has":
            out.write(f"  Fix: {permission['fix']}\n")
    out.write(doc["verdict"] + "\n")
    response = doc["response"]
    if response is not None:
        size = f"{response['size']} bytes" + (" (cut off at the size limit)"
                                              if response["truncated"] else "")  # fmt: skip
        out.write(f"  HTTP {response['status']} {response['reason'] or ''}".rstrip()
                  + f", {response['elapsed_ms']:.0f} ms, {size}\n")  # fmt: skip
        if headers:
            for name, value in response["headers"].items():
                out.write(f"  {name}: {value}\n")
        body = doc["_body_text"]
        if body:
            cut = len(body) > MAX_BODY_CHARS
            out.write(body[:MAX_BODY_CHARS] + ("\n… (more in --json)" if cut else "") + "\n")
    if doc["failure"] is not None:
        out.write(f"  {doc['failure']['message']}\n")
    if doc["diagnosis"] is not None:
        write_diagnosis(doc["diagnosis"], out)


def expiry_json(expiry: CredentialExpiry) -> dict[str, Any]:
    """The `expiry` object of `token --check-expiry --json` (README)."""
    return {
        "outcome": expiry.outcome,
        "client_id": expiry.client_id,
        "app_name": expiry.app_name or None,
        "message": expiry.message or None,
        "warn_days": expiry.warn_days,
        "warning": expiry.warning or None,
        "used_kind": expiry.used_kind,
        "used_match": expiry.used_match,
        "status": expiry.call.status if expiry.call is not None else None,
        "credentials": [_entry_json(e) for e in expiry.entries],
    }


def _entry_json(e: Any) -> dict[str, Any]:
    return {
        "kind": e.kind, "name": e.name, "key_id": e.key_id, "hint": e.hint or None,
        "thumbprint": e.thumbprint or None, "start": iso_utc(e.start), "end": iso_utc(e.end),
        "days_left": e.days_left, "state": e.state, "used": e.used,
    }  # fmt: skip


_STATE_WORDS = {"valid": "valid", "expiring": "EXPIRING SOON", "expired": "EXPIRED",
                "not_yet_valid": "not valid yet", "unknown": "no end date"}  # fmt: skip


def _day(iso: str | None) -> str:
    return iso[:10] if iso else "-"


def write_expiry(doc: dict[str, Any], out: TextIO) -> None:
    """The credentials table: name, start, end, days left, state, and which was used."""
    if doc["outcome"] != "read":
        out.write(f"Credential expiry: not read. {doc['message'] or ''}\n".rstrip() + "\n")
        return
    name = f"{doc['app_name']} ({doc['client_id']})" if doc["app_name"] else doc["client_id"]
    out.write(f"Credential expiry of {name} (amber under {doc['warn_days']} days):\n")
    rows = [("", "KIND", "NAME", "STARTS", "ENDS", "DAYS LEFT", "STATE")]
    for e in doc["credentials"]:
        label = e["name"] or "(no name)"
        if e["kind"] == "secret" and e["hint"]:
            label += f" ({e['hint']}…)"
        elif e["thumbprint"]:
            label += f" ({e['thumbprint']})"
        days = "-" if e["days_left"] is None else str(e["days_left"])
        rows.append(("→" if e["used"] else " ", e["kind"], label, _day(e["start"]),
                     _day(e["end"]), days, _STATE_WORDS.get(e["state"], e["state"])))  # fmt: skip
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        out.write("  " + "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
        out.write("\n")
    if doc["used_match"] == "matched":
        out.write("  → the credential this run used\n")
    elif doc["used_kind"] == "secret":
        out.write("  The secret used matches no listed hint (or more than one).\n")
    if doc["warning"]:
        out.write(f"warning: {doc['warning']}\n")
