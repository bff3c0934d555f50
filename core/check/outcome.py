"""One checked credential in plain terms: OK or FAILED, why, what the token allows, expiry."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any

from core.check.plan import CheckItem
from core.token.models import Severity
from core.token.result import Outcome, TokenResult

DAY_S = 86400.0


@dataclass(frozen=True)
class CheckOutcome:
    """The result of checking one credential.

    `state` is `ok`, `warning` (a token came back but the credential expires within the
    warning days) or `failed`; `outcome` is the token outcome (`token`, `refused`,
    `no_answer`, `blocked`) or `not_checked` (no secret, deadline, cancelled).
    """

    name: str
    profile_id: str
    state: str
    outcome: str
    code: str = ""  # "AADSTS7000215", "HTTP 503", "timeout", "preflight" ('' when OK)
    title: str = ""  # the diagnosis title, or why it was not checked
    status: int | None = None
    roles: tuple[str, ...] = ()
    scopes: tuple[str, ...] = ()
    lifetime_s: int | None = None  # expires_in of the token issued
    expires_at: float | None = None  # the token's expiry (epoch seconds)
    credential_expires_at: float | None = None  # the credential's own end date, when known
    credential_expiry_source: str = ""  # "certificate" (read locally) or "graph"
    expiry_note: str = ""  # with --check-expiry: why the end date could not be read
    warning: str = ""
    elapsed_ms: float = 0.0
    attempts: int = 0
    retry_after_s: float | None = None  # the wait a 429 asked for, when it was honoured
    replication: str = ""  # with --wait-new: how waiting for a new credential ended
    result: TokenResult | None = field(default=None, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        return self.state != "failed"


def _replication(result: TokenResult) -> str:
    """'' unless the new credential was retried: then how that ended, in words."""
    wait = result.replication
    if wait is None or not wait.retried:
        return ""
    how = {"worked": "worked", "time_up": "still refused when the wait was up",
           "other_error": "then refused for another reason",
           "stopped": "stopped"}.get(wait.end.value, wait.end.value)  # fmt: skip
    return f"new credential {how} after {wait.attempts} attempts in {wait.waited_s:g} s"


def not_checked(item: CheckItem, why: str) -> CheckOutcome:
    """An item that was never sent: no secret, deadline reached, cancelled."""
    return CheckOutcome(item.name, item.profile_id, "failed", "not_checked", "not checked", why)


def outcome_of(
    item: CheckItem,
    result: TokenResult,
    *,
    attempts: int = 1,
    retry_after_s: float | None = None,
    credential_expires_at: float | None = None,
    credential_expiry_source: str = "",
    expiry_note: str = "",
    warn_days: float | None = None,
    strict: bool = False,
    now: float | None = None,
) -> CheckOutcome:
    """Summarise a token result: diagnosis code and title on failure, roles and scopes,
    lifetime and expiry on success; `warn_days` marks a credential ending soon."""
    from core.insight.diagnosis import diagnose
    from core.insight.verdict import verdict_for_result

    moment = time.time() if now is None else now
    cert = result.request.certificate if result.request is not None else None
    if credential_expires_at is None and cert is not None and math.isfinite(cert.not_after):
        credential_expires_at, credential_expiry_source = cert.not_after, "certificate"
    common: dict[str, Any] = {
        "name": item.name, "profile_id": item.profile_id, "outcome": result.outcome.value,
        "status": result.status, "elapsed_ms": round(result.elapsed_ms, 1),
        "attempts": attempts, "retry_after_s": retry_after_s, "result": result,
        "credential_expires_at": credential_expires_at,
        "credential_expiry_source": credential_expiry_source,
        "expiry_note": expiry_note if credential_expires_at is None else "",
        "replication": _replication(result),
    }  # fmt: skip
    if result.outcome is Outcome.BLOCKED:
        errors = [f.title for f in result.findings if f.severity is Severity.ERROR]
        title = "not sent: " + (errors[0][:1].lower() + errors[0][1:] if errors else "the "
                                "request has errors")  # fmt: skip
        return CheckOutcome(state="failed", code="preflight", title=title, **common)
    if not result.ok:
        d = diagnose(result)
        return CheckOutcome(state="failed", code=d.code if d else "", title=d.title if d else
                            "no token in the answer", **common)  # fmt: skip
    verdict = verdict_for_result(result, tenant=item.inputs.tenant if item.inputs else "",
                                 now=moment)  # fmt: skip
    token = result.token
    state, warning = "ok", ""
    if credential_expires_at is not None and warn_days is not None:
        days = (credential_expires_at - moment) / DAY_S
        if days <= warn_days:
            state = "failed" if strict else "warning"
            warning = (
                f"the credential expired {-days:.0f} days ago"
                if days < 0
                else f"the credential expires in {days:.0f} days (within {warn_days:g})"
            )
    return CheckOutcome(
        state=state,
        code="expiring" if warning and strict else "",
        title="token issued",
        roles=tuple(verdict.roles),
        scopes=tuple(verdict.scopes),
        lifetime_s=token.expires_in if token else None,
        expires_at=result.expires_at(),
        warning=warning,
        **common,
    )
