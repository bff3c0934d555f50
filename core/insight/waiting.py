"""What a wait for replication means: the verdict's words and the diagnosis's added cause and step.

A brand-new secret (or certificate) is refused as unknown until Entra has replicated it
(identity-platform.md §9): a refusal that started working after retries was replication, one
that outlasted the whole wait was not (core/token/replication.py does the waiting).
"""

from __future__ import annotations

from core.token.replication import (
    CERTIFICATE_UNKNOWN,
    ReplicationWait,
    WaitEnd,
    unknown_credential_code,
)
from core.token.result import TokenResult

SUGGESTED_LIMIT_S = 120
OPTION = "“This secret is new: retry while Entra replicates it”"


def _what(code: int | None) -> str:
    return "certificate" if code == CERTIFICATE_UNKNOWN else "secret"


def _attempts(wait: ReplicationWait) -> str:
    return f"{wait.attempts} attempt{'s' if wait.attempts != 1 else ''}"


def headline(result: TokenResult, base: str) -> str:
    """The verdict's headline once a wait ended: worked, time up, or stopped ('' otherwise:
    the ordinary headline `base` stands)."""
    wait = result.replication
    if wait is None or (not wait.retried and wait.end is not WaitEnd.STOPPED):
        return ""
    seconds = f"{wait.waited_s:.0f} s"
    what = _what(wait.code)
    if wait.end is WaitEnd.WORKED:
        return f"Worked after {seconds}: it was replication, not a wrong {what}. {base}"
    if wait.end is WaitEnd.TIME_UP:
        check = "the Value (not the Secret ID)" if what == "secret" else "the uploaded certificate"
        return (
            f"Still refused after {seconds}: this is not replication. Check {check}, the app "
            f"and the tenant (AADSTS{wait.code})"
        )
    if wait.end is WaitEnd.STOPPED:
        return f"Stopped after {seconds} ({_attempts(wait)}): {base}"
    return ""


def note(result: TokenResult) -> str:
    """One line for the verdict's notes (and the history) saying what the wait did."""
    wait = result.replication
    if wait is None or wait.end is WaitEnd.NOT_NEEDED:
        return ""
    what, seconds = _what(wait.code), f"{wait.waited_s:.0f} s"
    if wait.end is WaitEnd.WORKED:
        return (
            f"Entra refused the new {what} as unknown until it had replicated: "
            f"{_attempts(wait)} over {seconds}."
        )
    if wait.end is WaitEnd.TIME_UP:
        return f"Refused as unknown for {seconds} ({_attempts(wait)}, limit {wait.limit_s:g} s)."
    if wait.end is WaitEnd.STOPPED:
        return f"The wait for replication was stopped after {seconds} ({_attempts(wait)})."
    return (
        f"Refused as unknown, then another error after {seconds} ({_attempts(wait)}): the "
        f"{what} has replicated, this error is the next thing to fix."
    )


def adjust(number: int, result: TokenResult, cause: str, fix: tuple[str, ...]) -> tuple[
    str, tuple[str, ...]
]:  # fmt: skip
    """The diagnosis of AADSTS7000215 / 700027 with replication weighed: a possible cause with
    the retry offered while the credential may be new; ruled out once a whole wait failed."""
    code = unknown_credential_code(result)
    if code != number:
        return cause, fix
    what = _what(code)
    wait = result.replication
    fix = tuple(step for step in fix if "Wait a few minutes" not in step)  # said better here
    if wait is not None and wait.end is WaitEnd.TIME_UP:
        ruled_out = (
            f"Still refused after {wait.waited_s:.0f} s of retries ({_attempts(wait)}): this is "
            f"not replication."
        )
        return f"{ruled_out} {cause}", fix
    made = "created" if what == "secret" else "uploaded"
    maybe = (
        f"A {what} {made} in the last few minutes is refused this way until Entra has "
        "replicated it to every server (usually seconds, sometimes minutes; Microsoft "
        "documents no limit)."
    )
    retry = (
        f"If you {made} this {what} in the last few minutes, send again and let the tester "
        f"retry while Entra replicates it: in the window tick {OPTION}; on the command line "
        f"add --wait-new {SUGGESTED_LIMIT_S}."
    )
    if wait is not None and wait.end is WaitEnd.STOPPED:
        retry = f"The wait was stopped after {wait.waited_s:.0f} s. {retry}"
    return f"{cause} {maybe}", (retry, *fix)
