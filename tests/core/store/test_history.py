"""History: the last results per profile, with IDs and outcome but never a token or secret."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.redaction import Secret
from core.store.config import FileProblem
from core.store.history import HistoryEntry, HistoryStore, details, entry_from_result, summary
from core.token.models import TokenRequestInput
from core.token.request import build_request
from core.token.result import (
    ErrorFields,
    FailureKind,
    Outcome,
    TokenFields,
    TokenResult,
    TransportFailure,
)

SECRET = "Qq9Q~history-test-secret-value-0123456789"
TOKEN = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJyb2xlcyI6WyJVc2VyLlJlYWQuQWxsIl19.c2lnbmF0dXJl"
PROFILE = "3d9c4b7e-8c1f-4f0e-9a57-2b1c0d9e8f7a"
CORRELATION = "2f1b9d5e-3c4a-4b8e-9f0d-1a2b3c4d5e6f"
TRACE = "8c6f1e2d-7b3a-4c5d-9e8f-0a1b2c3d4e5f"


def _request() -> object:
    inputs = TokenRequestInput(
        tenant="contoso.onmicrosoft.com", client_id="app-id", client_secret=Secret(SECRET)
    )
    return build_request(inputs)


def _token_result() -> TokenResult:
    return TokenResult(
        outcome=Outcome.TOKEN,
        request=_request(),  # type: ignore[arg-type]
        status=200,
        elapsed_ms=123.46,
        received_at=1_800_000_000.0,
        body_text=f'{{"access_token": "{TOKEN}", "token_type": "Bearer"}}',
        body_json={"access_token": TOKEN, "token_type": "Bearer", "expires_in": 3599},
        token=TokenFields(
            token_type="Bearer",
            access_token=Secret(TOKEN),
            expires_in=3599,
            scope="https://graph.microsoft.com/.default",
        ),
    )


def _refused_result() -> TokenResult:
    description = (
        f"AADSTS7000215: Invalid client secret provided. You sent {SECRET}.\r\n"
        f"Trace ID: {TRACE}\r\nCorrelation ID: {CORRELATION}"
    )
    return TokenResult(
        outcome=Outcome.REFUSED,
        request=_request(),  # type: ignore[arg-type]
        status=401,
        received_at=1_800_000_100.0,
        error=ErrorFields(
            error="invalid_client",
            error_description=description,
            error_codes=(7000215,),
            trace_id=TRACE,
            correlation_id=CORRELATION,
        ),
    )


def test_success_entry_keeps_outcome_expiry_roles_and_scopes() -> None:
    """A token result becomes an entry with expiry, roles and scopes, without the token."""
    entry = entry_from_result(_token_result(), roles=("User.Read.All",))
    assert entry.ok and entry.outcome == "token" and entry.status == 200
    assert entry.at == 1_800_000_000.0 and entry.expires_at == 1_800_003_599.0
    assert entry.roles == ("User.Read.All",)
    assert entry.scopes == ("https://graph.microsoft.com/.default",)
    assert entry.elapsed_ms == 123.5
    assert TOKEN not in repr(entry)


def test_refused_entry_keeps_codes_and_ids_with_the_secret_masked() -> None:
    """A refusal keeps the AADSTS code and IDs; a secret echoed in the description is masked."""
    entry = entry_from_result(_refused_result())
    assert not entry.ok and entry.status == 401
    assert entry.aadsts == (7000215,)
    assert (entry.correlation_id, entry.trace_id) == (CORRELATION, TRACE)
    assert entry.error.startswith("invalid_client: AADSTS7000215: Invalid client secret")
    assert SECRET not in entry.error and "********" in entry.error
    assert "Trace ID" not in entry.error  # first line of the description only


def test_no_answer_entry_keeps_the_plain_failure() -> None:
    """A transport failure is remembered by its plain message."""
    result = TokenResult(
        outcome=Outcome.NO_ANSWER,
        request=None,
        failure=TransportFailure(FailureKind.TIMEOUT, "No response within 30 s."),
    )
    entry = entry_from_result(result, at=5.0)
    assert (entry.ok, entry.outcome, entry.error, entry.at) == (
        False,
        "no_answer",
        "No response within 30 s.",
        5.0,
    )


def test_history_file_never_holds_token_or_secret(tmp_path: Path) -> None:
    """After recording success and refusal, the file holds neither the token nor the secret."""
    store = HistoryStore(tmp_path)
    store.add(PROFILE, entry_from_result(_token_result(), roles=("User.Read.All",)))
    store.add(PROFILE, entry_from_result(_refused_result()))
    text = (tmp_path / "history.json").read_text()
    assert TOKEN not in text and SECRET not in text
    assert CORRELATION in text and "7000215" in text


def test_keeps_the_newest_n_per_profile_across_reloads(tmp_path: Path) -> None:
    """Only the last `limit` entries of a profile are kept, newest first, after a reload."""
    store = HistoryStore(tmp_path, limit=20)
    for i in range(25):
        store.add(PROFILE, HistoryEntry(at=float(i), ok=i % 2 == 0, outcome="token"))
    store.add("other", HistoryEntry(at=99.0, ok=True, outcome="token"))
    reloaded = HistoryStore(tmp_path, limit=20)
    assert [e.at for e in reloaded.entries(PROFILE)] == [float(i) for i in range(24, 4, -1)]
    assert reloaded.entries(PROFILE)[0] == HistoryEntry(at=24.0, ok=True, outcome="token")
    assert reloaded.entries("missing") == ()


def test_entries_round_trip_every_field(tmp_path: Path) -> None:
    """An entry read back from the file equals the one written."""
    entry = entry_from_result(_refused_result())
    HistoryStore(tmp_path).add(PROFILE, entry)
    assert HistoryStore(tmp_path).entries(PROFILE) == (entry,)


def test_clear_one_profile_or_all(tmp_path: Path) -> None:
    """Clearing one profile keeps the others; clearing all empties the file."""
    store = HistoryStore(tmp_path)
    for pid in (PROFILE, "other"):
        store.add(pid, HistoryEntry(at=1.0, ok=True, outcome="token"))
    store.clear(PROFILE)
    assert HistoryStore(tmp_path).entries(PROFILE) == ()
    assert len(HistoryStore(tmp_path).entries("other")) == 1
    store.clear()
    assert json.loads((tmp_path / "history.json").read_text())["profiles"] == {}


@pytest.mark.parametrize(
    "content",
    [
        b"{nope",
        b'{"schema_version": 1, "profiles": []}',
        b'{"schema_version": 2, "profiles": {}}',
    ],
)
def test_corrupt_history_is_kept_aside(tmp_path: Path, content: bytes) -> None:
    """An unusable history file is reported, moved aside unchanged, and recording goes on."""
    (tmp_path / "history.json").write_bytes(content)
    store = HistoryStore(tmp_path)
    assert "could not be used" in store.load()
    kept = list(tmp_path.glob("history.json.corrupt-*"))
    assert [p.read_bytes() for p in kept] == [content]
    store.add(PROFILE, HistoryEntry(at=1.0, ok=True, outcome="token"))
    assert len(HistoryStore(tmp_path).entries(PROFILE)) == 1


@pytest.mark.parametrize(
    "bad",
    [
        '{"ok": "yes"}',
        '{"ok": true, "at": 1, "status": "200"}',
        '{"ok": true, "at": 1, "trace_id": "' + "t" * 101 + '"}',
        '{"ok": true, "at": 1, "scopes": ["s"' + ', "s"' * 200 + "]}",
        '{"ok": true, "at": 1, "scopes": ["' + "s" * 501 + '"]}',
        "[]",
    ],
)
def test_one_bad_entry_is_dropped_not_the_whole_file(tmp_path: Path, bad: str) -> None:
    """An entry that cannot be read is dropped on load; the good ones stay, nothing moves."""
    good = '{"ok": true, "at": 2, "outcome": "token"}'
    text = f'{{"schema_version": 1, "profiles": {{"p": [{good}, {bad}], "q": [{bad}]}}}}'
    (tmp_path / "history.json").write_text(text)
    store = HistoryStore(tmp_path)
    assert store.load() == "" and store.dropped == 2
    assert [e.at for e in store.entries("p")] == [2.0] and store.entries("q") == ()
    assert not list(tmp_path.glob("history.json.corrupt-*"))


def test_unsaveable_history_is_a_plain_error_but_kept_in_memory(tmp_path: Path) -> None:
    """If the folder cannot be written, add raises FileProblem and the entry stays in memory."""
    (tmp_path / "file").write_text("x")
    store = HistoryStore(tmp_path / "file" / "config")
    with pytest.raises(FileProblem, match="could not be saved"):
        store.add(PROFILE, HistoryEntry(at=1.0, ok=True, outcome="token"))
    assert len(store.entries(PROFILE)) == 1


def test_summary_and_details_quote_what_support_needs() -> None:
    """The one-line summary shows verdict, status and codes; details add the IDs."""
    entry = entry_from_result(_refused_result())
    line = summary(entry)
    assert "FAILED" in line and "HTTP 401" in line and "AADSTS7000215" in line
    text = details(entry)
    assert f"Correlation ID: {CORRELATION}" in text and f"Trace ID: {TRACE}" in text
    assert SECRET not in line + text


def test_fields_are_bounded_when_written_and_read_back_whole(tmp_path: Path) -> None:
    """A 150-character trace ID, 300 scopes and a 600-character scope are cut when the entry
    is written, so the file reads back with every entry (it was wiped on load before)."""
    import dataclasses

    base = _token_result()
    long_scope = "s" * 600
    result = dataclasses.replace(
        base,
        token=dataclasses.replace(base.token, scope=" ".join([long_scope] + ["x"] * 299)),
        error=ErrorFields(trace_id="t" * 150, correlation_id="c" * 150),
    )
    store = HistoryStore(tmp_path)
    store.add(PROFILE, entry_from_result(result, roles=tuple(f"R{i}" for i in range(250))))
    fresh = HistoryStore(tmp_path)
    assert fresh.load() == "" and fresh.dropped == 0
    (entry,) = fresh.entries(PROFILE)
    assert len(entry.trace_id) == 100 and len(entry.correlation_id) == 100
    assert len(entry.scopes) == 200 and len(entry.scopes[0]) == 500 and len(entry.roles) == 200


def test_history_keeps_the_last_20_by_default(tmp_path: Path) -> None:
    """Without a limit given, each profile keeps its 20 newest results."""
    store = HistoryStore(tmp_path)
    for n in range(25):
        store.add(PROFILE, HistoryEntry(at=float(n), ok=True, outcome="token"))
    entries = HistoryStore(tmp_path).entries(PROFILE)
    assert [e.at for e in entries] == [float(n) for n in range(24, 4, -1)]


def test_every_text_field_is_scrubbed(tmp_path: Path) -> None:
    """A trace ID or scope that echoes the secret (a hostile server) is masked in the file."""
    from urllib.parse import quote

    base = _token_result()
    echoed = ErrorFields(trace_id=f"x {quote(SECRET, safe='')}")
    token = TokenFields(access_token=Secret(TOKEN), scope=SECRET)
    result = dataclasses_replace(base, error=echoed, token=token)
    store = HistoryStore(tmp_path)
    store.add(PROFILE, entry_from_result(result, roles=(SECRET,)))
    text = (tmp_path / "history.json").read_text("utf-8")
    assert SECRET not in text and quote(SECRET, safe="") not in text and "********" in text


def dataclasses_replace(obj: TokenResult, **changes: object) -> TokenResult:
    import dataclasses

    return dataclasses.replace(obj, **changes)  # type: ignore[arg-type]


def test_a_wait_for_replication_is_kept_and_read_back(tmp_path: Path) -> None:
    """A token after retries keeps how the wait ended, the attempts and the seconds; the
    summary and details say it was replication; entries written before the fields existed
    read back as 'no wait', and a broken count drops only that entry."""
    from dataclasses import replace

    from core.token.replication import ReplicationWait, WaitEnd

    worked = replace(_token_result(), replication=ReplicationWait(WaitEnd.WORKED, 4, 22.4, 120))
    entry = entry_from_result(worked)
    assert (entry.wait, entry.attempts, entry.waited_s) == ("worked", 4, 22.4)
    store = HistoryStore(tmp_path)
    store.add(PROFILE, entry)
    store.add(PROFILE, entry_from_result(_refused_result()))
    again = HistoryStore(tmp_path).entries(PROFILE)
    assert again[1] == entry and again[0].wait == "" and again[0].attempts == 1
    assert "worked after 22 s: it was replication (4 attempts)" in summary(again[1])
    assert "Replication: worked after 22 s" in details(again[1])
    assert "replication" not in summary(again[0]) + details(again[0])
    doc = json.loads((tmp_path / "history.json").read_text())
    old = dict(doc["profiles"][PROFILE][0])
    for name in ("wait", "attempts", "waited_s"):
        old.pop(name)
    broken = dict(doc["profiles"][PROFILE][1], attempts="4")
    doc["profiles"][PROFILE] = [old, broken]
    (tmp_path / "history.json").write_text(json.dumps(doc))
    store = HistoryStore(tmp_path)
    (read,) = store.entries(PROFILE)
    assert read.wait == "" and read.attempts == 1 and store.dropped == 1
