"""What the worker computes for the window: send, decode, explain, diagnose, verify (no Qt).

These functions run on the worker thread, so every slow or I/O-bound core call (the request,
the signature check's key download) stays off the UI thread, and the heavy libraries they
import (requests, PyJWT, cryptography) load after the window's first paint.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from core.redaction import Secret
from core.token.models import TokenRequestInput
from core.token.result import Outcome, TokenResult

log = logging.getLogger(__name__)
# The answer's first words, by outcome (the verdict banner and Summary).
OUTCOME_TEXT = {
    Outcome.TOKEN: "Token issued",
    Outcome.REFUSED: "Refused by the token endpoint",
    Outcome.NO_ANSWER: "No answer from the token endpoint",
    Outcome.BLOCKED: "Not sent: the form has errors",
}


@dataclass(frozen=True)
class Report:
    """Everything the response view shows for one answer, or for one pasted token."""

    result: TokenResult | None  # None when a pasted token was decoded without sending
    token: Secret | None = field(default=None, repr=False)  # the access token, if any
    decoded: Any = None  # core.insight.decode.DecodedToken
    decode_error: str = ""  # why the token could not be read (opaque, encrypted, junk)
    paste_line: str = ""  # a paste that is no readable token, in one line
    verdict: Any = None  # core.insight.verdict.Verdict
    claims: tuple[Any, ...] = ()  # core.insight.claims.ClaimRow rows
    diagnosis: Any = None  # core.insight.diagnosis.Diagnosis, on failure
    support: str = ""  # support details ready to copy, on failure
    signature: Any = None  # core.insight.signature.SignatureResult
    advice: tuple[Any, ...] = ()  # core.insight.diagnosis.Diagnosis per warning of a token
    signin_text: str = ""  # a delegated sign-in: who signed in and the ID token's checks
    refresh: Any = field(default=None, repr=False)  # core.signin.RefreshSession, in memory only
    origin: str = ""  # the banner's first words when the answer is not the form's (Check all)

    @property
    def issued(self) -> bool:
        return self.result is not None and self.result.outcome is Outcome.TOKEN


def send_and_inspect(
    inputs: TokenRequestInput,
    extra_authorities: tuple[str, ...] = (),
    *,
    ca_file: str | None = None,
    cancel: threading.Event | None = None,
    names: dict[str, str] | None = None,
    wait_new_s: float = 0.0,
    on_progress: Callable[[Any], None] | None = None,
) -> Report:
    """Check, build and send the request, then explain whatever came back.

    With `wait_new_s`, a credential refused as unknown is retried while Entra replicates it
    (core.token.replication), telling `on_progress` of each refusal."""
    if wait_new_s > 0:
        from core.token.replication import request_token_retrying

        result = request_token_retrying(inputs, limit_s=wait_new_s, ca_file=ca_file,
                                        cancel=cancel, on_progress=on_progress)  # fmt: skip
    else:
        from core.token.client import request_token

        result = request_token(inputs, ca_file=ca_file, cancel=cancel)
    return inspect_result(result, tenant=inputs.tenant, extra_authorities=extra_authorities,
                          ca_file=ca_file, names=names)  # fmt: skip


def inspect_result(
    result: TokenResult,
    *,
    tenant: str = "",
    extra_authorities: tuple[str, ...] = (),
    ca_file: str | None = None,
    names: dict[str, str] | None = None,
) -> Report:
    """The verdict, claims, signature (for a token) or the diagnosis (for anything else)."""
    from core.insight.advice import advice
    from core.insight.verdict import verdict_for_result

    verdict = verdict_for_result(result, tenant=tenant, names=names)
    token = result.token.access_token if result.token is not None else None
    if result.outcome is not Outcome.TOKEN or token is None:
        from core.insight.diagnosis import diagnose, support_text

        diagnosis = diagnose(result)
        support = support_text(diagnosis) if diagnosis is not None else ""
        return Report(result=result, verdict=verdict, diagnosis=diagnosis, support=support)
    from core.insight.decode import scrubbed
    from core.insight.verdict import with_signature

    decoded, error = _decode(token.reveal())
    claims, signature = _explain(decoded, extra_authorities, ca_file, result.scrubber())
    if decoded is not None:
        decoded = scrubbed(decoded, result.scrubber())
    verdict = with_signature(verdict, signature)
    return Report(
        result=result,
        token=token,
        decoded=decoded,
        decode_error=error,
        verdict=verdict,
        claims=claims,
        signature=signature,
        advice=advice(verdict, tenant),
    )


def inspect_token(
    text: str,
    *,
    tenant: str = "",
    extra_authorities: tuple[str, ...] = (),
    ca_file: str | None = None,
    names: dict[str, str] | None = None,
) -> Report:
    """Decode a pasted token without sending anything, and explain it."""
    from core.insight.advice import advice
    from core.insight.banner import paste_line
    from core.insight.decode import DecodeError, decode_token
    from core.insight.verdict import verdict_for_token, with_signature

    try:
        decoded = decode_token(text)
    except DecodeError as exc:
        line, detail = paste_line(text, exc)
        return Report(result=None, decode_error=detail, paste_line=line)
    claims, signature = _explain(decoded, extra_authorities, ca_file)
    verdict = with_signature(verdict_for_token(decoded, tenant=tenant, names=names), signature)
    return Report(
        result=None,
        token=decoded.raw,  # the token itself, without the "Bearer", quotes or breaks pasted
        decoded=decoded,
        verdict=verdict,
        claims=claims,
        signature=signature,
        advice=advice(verdict, tenant),
    )


def _decode(text: str) -> tuple[Any, str]:
    from core.insight.decode import DecodeError, decode_token

    try:
        return decode_token(text), ""
    except DecodeError as exc:
        return None, str(exc)


def _explain(
    decoded: Any, extra_authorities: tuple[str, ...], ca_file: str | None = None, scrub: Any = None
) -> tuple[tuple[Any, ...], Any]:
    if decoded is None:
        return (), None
    from core.insight.claims import explain_claims
    from core.insight.decode import scrubbed
    from core.insight.signature import verify_signature

    shown = scrubbed(decoded, scrub) if scrub is not None else decoded
    claims = explain_claims(shown.payload)
    signature = verify_signature(decoded, extra_authorities=extra_authorities, ca_file=ca_file)
    return claims, signature
