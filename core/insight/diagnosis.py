"""Explain a failed token request: what went wrong, why, and what an admin does about it."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from core.insight.catalog import CatalogError, load_catalog, require_table
from core.redaction import Secret
from core.token.authority import is_guid
from core.token.models import GrantType, Severity
from core.token.result import Outcome, TokenResult

CATALOG_FILE = "aadsts.json"
ERROR_LOOKUP = "https://login.microsoftonline.com/error?code={code}"
ERROR_REFERENCE = "https://learn.microsoft.com/entra/identity-platform/reference-error-codes"
_TABLES = ("aadsts", "oauth", "http", "transport", "special")
_AADSTS_IN_TEXT = re.compile(r"AADSTS(\d{4,8})")
UMBRELLA_CODES = frozenset({70002, 50012})  # followed by a more specific code
# Entra's own throttling codes: on a 429 their block takes the HTTP 429 block's steps (which carry
# the Retry-After wait) instead of a second block saying the same thing.
THROTTLE_CODES = frozenset({50196, 90055})


@dataclass(frozen=True)
class Diagnosis:
    """One explained failure; `parts` holds one diagnosis per code when an answer has several."""

    code: str
    title: str
    cause: str
    fix: tuple[str, ...]
    link: str = ""
    support: tuple[tuple[str, str], ...] = ()
    parts: tuple[Diagnosis, ...] = ()
    said: str = ""  # the server's own words (Entra's error_description), scrubbed
    retry_after_s: int | None = None  # the server's Retry-After: wait this long before sending


@lru_cache(maxsize=1)
def catalog() -> dict[str, Any]:
    """The diagnosis catalog, loaded once and shape-checked (every entry: title, cause, fix)."""
    data = load_catalog(CATALOG_FILE)
    for table in _TABLES:
        require_table(data, table, ("title", "cause", "fix"), CATALOG_FILE)
    for table in _TABLES:
        for name, entry in data[table].items():
            if not isinstance(entry["fix"], list) or not all(entry["fix"]):
                raise CatalogError(f"{CATALOG_FILE}: {table}.{name}.fix must list steps")
    return data


def _fill(text: str, values: dict[str, str]) -> str:
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return text


def _entry(table: str, key: str, name: str, link: str = "", **values: str) -> Diagnosis:
    entry = catalog()[table][key]
    return Diagnosis(
        code=name,
        title=_fill(entry["title"], values),
        cause=_fill(entry["cause"], values),
        fix=tuple(_fill(step, values) for step in entry["fix"]),
        link=link,
    )


def explain_aadsts(
    number: int, *, secret: Secret | None = None, result: TokenResult | None = None
) -> Diagnosis:
    """The diagnosis of one AADSTS code (a generic one when the code is not in the catalog).

    With the `result`, assertion codes name the values the request carried and what to compare
    them with (core/insight/compare.py), and an "unknown credential" refusal weighs replication
    (core/insight/waiting.py).
    """
    code = f"AADSTS{number}"
    link = ERROR_LOOKUP.format(code=number)
    if number == 7000215 and secret is not None and is_guid(secret.reveal()):
        base = _entry("special", "secret_id_as_value", code, link)
    elif str(number) in catalog()["aadsts"]:
        base = _entry("aadsts", str(number), code, link)
    else:
        base = _entry("special", "unknown_aadsts", code, link, code=code)
    if result is None:
        return base
    from core.insight.compare import compare
    from core.insight.waiting import adjust

    sent, steps = compare(number, result)
    cause, fix = adjust(number, result, f"{base.cause} {sent}".strip(), steps + base.fix)
    if (cause, fix) == (base.cause, base.fix):
        return base
    return Diagnosis(base.code, base.title, cause, fix, base.link)


def error_codes(result: TokenResult) -> tuple[int, ...]:
    """The AADSTS numbers of an answer: `error_codes`, else those named in the description."""
    if result.error is None:
        return ()
    codes = list(result.error.error_codes)
    if not codes:
        codes = [int(c) for c in _AADSTS_IN_TEXT.findall(result.error.error_description)]
    return tuple(dict.fromkeys(codes))


def _secret_sent(result: TokenResult) -> Secret | None:
    if result.request is None:
        return None
    value = result.request.field("client_secret")
    return value if isinstance(value, Secret) else None


def _support(result: TokenResult, codes: tuple[int, ...]) -> tuple[tuple[str, str], ...]:
    err = result.error
    request_id = result.header("x-ms-request-id")
    client_request_id = result.header("client-request-id") or (
        result.request.client_request_id if result.request else ""
    )
    status = f"{result.status} {result.reason}".strip() if result.status is not None else ""
    pairs = [
        ("AADSTS codes", ", ".join(f"AADSTS{c}" for c in codes)),
        ("Error", err.error if err else ""),
        ("Trace ID", err.trace_id if err else ""),
        ("Correlation ID", err.correlation_id if err else ""),
        ("Timestamp", err.timestamp if err else ""),
        ("Request ID", request_id),
        ("client-request-id", client_request_id),
        ("HTTP status", status),
        ("Server", result.header("x-ms-ests-server")),
        ("Token endpoint", result.request.url if result.request else ""),
    ]
    if result.failure is not None:
        pairs.append(("Failure", result.failure.kind.value))
        if (peer := result.failure.certificate) is not None:
            pairs += [("Certificate problem", peer.problem), ("Certificate subject", peer.subject),
                      ("Certificate issuer", peer.issuer),
                      ("Certificate valid", f"{peer.not_before} to {peer.not_after}")]  # fmt: skip
    return tuple((label, value) for label, value in pairs if value)


def _http_diagnosis(result: TokenResult) -> Diagnosis:
    status = result.status or 0
    code = f"HTTP {status}"
    body = result.body_text.lstrip()[:200].lower()
    is_html = body.startswith("<") or "text/html" in result.header("Content-Type").lower()
    if status == 429:
        wait = result.retry_after_s()
        wait_text = f"{wait} s (Retry-After)" if wait is not None else "a minute"
        return _entry("http", "429", code, ERROR_REFERENCE, wait=wait_text)
    if status >= 500:
        found = _entry("http", "5xx", code, "", status=str(status))
        cause, fix = found.cause, found.fix
        if is_html:
            cause = f"{cause} The answer was a web page, likely from a gateway or proxy."
        if (wait := result.retry_after_s()) is not None:
            fix = (f"Wait {wait} s before sending again (the server's Retry-After).", *fix[1:])
        return Diagnosis(found.code, found.title, cause, fix, found.link)
    if str(status) in catalog()["http"] and status != 400:
        return _entry("http", str(status), code, ERROR_REFERENCE)
    if is_html:
        return _entry("http", "html", code)
    if result.body_error:
        return _entry("http", "cut_off", code, status=str(status), problem=result.body_error)
    if 200 <= status < 300:
        return _entry("http", "no_token", code)
    if result.body_json is None and result.body_text.strip():
        return _entry("http", "non_json", code)
    key = str(status) if str(status) in catalog()["http"] else "other"
    return _entry("http", key, code, ERROR_REFERENCE, status=str(status))


def _refused(result: TokenResult) -> Diagnosis:
    codes = error_codes(result)
    secret = _secret_sent(result)
    parts = [explain_aadsts(c, secret=secret, result=result) for c in codes]
    err = result.error
    if not parts and err is not None and err.error:
        if err.error in catalog()["oauth"]:
            parts.append(_entry("oauth", err.error, err.error, ERROR_REFERENCE))
        else:
            fallback = _http_diagnosis(result)
            parts.append(Diagnosis(err.error, f"Error '{err.error}'", fallback.cause, fallback.fix))
    if result.status == 429 and parts and not any(p.code == "HTTP 429" for p in parts):
        throttled = _http_diagnosis(result)
        if any(c in THROTTLE_CODES for c in codes):  # one block: Entra's words, the wait's steps
            parts = [replace(p, fix=throttled.fix) if c in THROTTLE_CODES else p
                     for p, c in zip(parts, codes, strict=False)]  # fmt: skip
        else:
            parts.append(throttled)
    if not parts:
        parts.append(_http_diagnosis(result))
    specific = [p for p, c in zip(parts, codes, strict=False) if c not in UMBRELLA_CODES]
    primary = specific[0] if specific else parts[0]
    said = result.scrubber().text(err.error_description.strip()) if err is not None else ""
    return Diagnosis(
        code=primary.code,
        title=primary.title,
        cause=primary.cause,
        fix=primary.fix,
        link=primary.link,
        support=_support(result, codes),
        parts=tuple(parts) if len(parts) > 1 else (),
        said=said,
        retry_after_s=result.retry_after_s(),
    )


def _no_answer(result: TokenResult) -> Diagnosis:
    failure = result.failure
    kind = failure.kind.value if failure else "connection"
    timeout = result.request.timeout_s if result.request else 0.0
    found = _entry("transport", kind, kind, "", timeout=f"{timeout:g} s")
    request = result.request
    if kind == "timeout" and (request is None or request.grant is GrantType.DEVICE_CODE):
        found = _entry("special", "signin_timeout", kind)  # waited for a user, not a server
    cause = f"{failure.message} {found.cause}" if failure and failure.message else found.cause
    title, fix = found.title, found.fix
    if failure is not None and failure.certificate is not None:
        from core.insight.tls_text import certificate_fix, certificate_text

        peer = failure.certificate
        host = (urlsplit(result.request.url).hostname or "") if result.request else ""
        title = f"{title} ({peer.problem})"
        cause = f"{failure.message} {certificate_text(peer, host)} {found.cause}"
        fix = certificate_fix(peer, host) + fix
    return Diagnosis(kind, title, cause, fix, support=_support(result, ()))


def _blocked(result: TokenResult) -> Diagnosis:
    errors = [f for f in result.findings if f.severity is Severity.ERROR]
    parts = tuple(Diagnosis(f.code, f.title, f.detail, (f.fix,) if f.fix else ()) for f in errors)
    base = _entry("special", "preflight", "preflight")
    fixes = tuple(step for p in parts for step in p.fix) or base.fix
    if len(parts) == 1:  # one error: its whole explanation ("Wrong password for this PFX")
        cause = f"{parts[0].title}. {parts[0].cause}"
    else:
        cause = " ".join(f"{p.title}." for p in parts) or base.cause
    return Diagnosis("preflight", base.title, cause, fixes, parts=parts if len(parts) > 1 else ())


def diagnose(result: TokenResult) -> Diagnosis | None:
    """Explain why a token request failed; None when a token was issued."""
    if result.outcome is Outcome.TOKEN:
        return None
    if result.outcome is Outcome.BLOCKED:
        return _blocked(result)
    if result.outcome is Outcome.NO_ANSWER:
        return _no_answer(result)
    return _refused(result)


def support_text(d: Diagnosis) -> str:
    """The support details as a copyable block (what Microsoft support asks for)."""
    shown = d.code.startswith(("AADSTS", "HTTP ")) and d.code not in d.title
    lines = [f"{d.title} ({d.code})" if shown else d.title]
    width = max((len(label) for label, _ in d.support), default=0)
    lines += [f"{label.ljust(width)}  {value}" for label, value in d.support]
    return "\n".join(lines)
