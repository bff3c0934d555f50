"""Every demo scenario, sent through the core client over HTTP, ends as its `expect` says."""

from __future__ import annotations

import dataclasses
import json

import pytest

from core.sandbox import EMITTED_CODES, Sandbox, Scenario, describe, scenarios
from core.token.client import request_token
from core.token.models import TokenRequestInput
from core.token.result import FailureKind, Outcome
from tests.core.sandbox.conftest import to_inputs

REQUIRED = {
    "cc-v2-graph", "cc-v1-graph", "cc-v2-api", "secret-expired", "secret-id", "tenant-unknown",
    "tenant-wrong", "tenant-malformed", "no-admin-consent", "short-lived", "password-ok",
    "password-wrong", "password-mfa", "password-disabled", "password-locked",
    "password-expired", "password-ca-blocked", "password-unknown-user", "app-disabled",
    "scope-not-default", "resource-on-v2", "password-confidential-no-secret",
    "public-client-secret", "fault-slow", "fault-throttled", "fault-503",
    "fault-malformed-json", "fault-huge-body", "fault-dropped", "fault-tls",
    "cert-ps256", "cert-rs256-pfx", "cert-not-uploaded", "assertion-expired", "assertion-sub-iss",
    "cert-pfx-wrong-password", "federated-ok", "federated-wrong-subject",
}  # fmt: skip
PLAIN = [s for s in scenarios() if not s.needs_tls]


def test_scenario_catalog_covers_the_issue_and_is_well_formed() -> None:
    """Keys are unique, the required scenarios exist, forms use TokenRequestInput's fields."""
    keys = [s.key for s in scenarios()]
    assert len(keys) == len(set(keys))
    assert set(keys) >= REQUIRED
    field_names = {f.name for f in dataclasses.fields(TokenRequestInput)}
    for s in scenarios():
        assert set(s.form) <= field_names, s.key
        assert s.form["cloud"] == "sandbox" and s.form["endpoint"] in ("v1", "v2")
        assert s.form["grant"] in ("client_credentials", "password")
        assert s.form["auth_method"] in ("body", "basic")
        assert all(isinstance(v, str) for v in s.form.values())
        assert s.title and s.description and s.expect
    with pytest.raises(dataclasses.FrozenInstanceError):
        scenarios()[0].key = "x"  # type: ignore[misc]


def test_every_expected_code_is_an_emitted_code() -> None:
    """Each AADSTS code a scenario expects is in EMITTED_CODES."""
    for s in scenarios():
        if s.expect.startswith("AADSTS"):
            assert int(s.expect[6:]) in EMITTED_CODES


def _check(s: Scenario, result: object, sandbox: Sandbox | None = None) -> None:
    from core.token.result import TokenResult

    assert isinstance(result, TokenResult)
    if s.expect == "token after AADSTS7000215 retries":  # one send: refused, not replicated
        assert sandbox is not None and sandbox.new_secret_ready_in() > 0
        assert result.error is not None and result.error.error_codes == (7000215,)
    elif s.expect == "token":
        assert result.outcome is Outcome.TOKEN, (s.key, result.status, result.body_text[:300])
    elif s.expect.startswith("AADSTS"):
        assert result.outcome is Outcome.REFUSED
        assert result.error is not None and result.error.error_codes == (int(s.expect[6:]),)
    elif s.expect.startswith("HTTP"):
        assert result.outcome is Outcome.REFUSED
        assert result.status == int(s.expect.split()[1].rstrip(","))
    elif s.expect == "not sent":
        assert result.outcome is Outcome.BLOCKED
    elif s.expect == "connection closed":
        assert result.outcome is Outcome.NO_ANSWER
        assert result.failure is not None and result.failure.kind is FailureKind.CONNECTION
    else:
        raise AssertionError(f"unchecked expectation {s.expect!r}")


@pytest.mark.parametrize("scenario", PLAIN, ids=[s.key for s in PLAIN])
def test_scenario_end_to_end(sandbox: Sandbox, scenario: Scenario) -> None:
    """The scenario's form, sent by the core client, gets the outcome the menu promises."""
    result = request_token(to_inputs(scenario.form, sandbox))
    _check(scenario, result, sandbox)


def test_tls_scenario_fails_with_a_tls_error() -> None:
    """The TLS scenario against a TLS sandbox whose CA is not trusted ends in a TLS failure."""
    (scenario,) = [s for s in scenarios() if s.needs_tls]
    with Sandbox(tls=True) as sb:
        result = request_token(to_inputs(scenario.form, sb.base_url))
    assert result.outcome is Outcome.NO_ANSWER
    assert result.failure is not None and result.failure.kind is FailureKind.TLS


def test_describe_lists_the_directory_as_json() -> None:
    """describe() is JSON-able and names tenants, apps with secret values and IDs, users."""
    info = json.loads(json.dumps(describe()))
    assert {t["domain"] for t in info["tenants"]} == {"contoso.example", "fabrikam.example"}
    secrets = [s for app in info["apps"] for s in app["secrets"]]
    assert any(s["expired"] for s in secrets) and any(not s["expired"] for s in secrets)
    assert all(len(s["value"]) == 40 and "Q~" in s["value"] for s in secrets)
    assert all(len(s["secret_id"]) == 36 for s in secrets)
    assert {a["type"] for a in info["apps"]} == {"public", "confidential"}
    assert any(not a["enabled"] for a in info["apps"])
    assert any(a["token_lifetime_s"] == 120 for a in info["apps"])
    assert len(info["users"]) >= 8
    assert [s["key"] for s in info["scenarios"]] == [s.key for s in scenarios()]


def test_describe_lists_certificates_and_files(sandbox: Sandbox) -> None:
    """Without a running sandbox the files are named; with one, their paths and the
    certificates' thumbprints (made per run) are listed, and scenario forms point at them."""
    static = describe()
    names = {f["file"] for f in static["files"]}
    assert {"contoso-daemon.pem", "contoso-daemon.pfx", "not-uploaded.pem", "expired.pem",
            "github-token.jwt"} <= names  # fmt: skip
    assert all(f["path"] is None for f in static["files"]) and static["certificates"] == []
    live = describe(sandbox)
    assert all(f["path"].startswith(str(sandbox.files_dir)) for f in live["files"])
    by_name = {c["name"]: c for c in live["certificates"]}
    assert by_name["expired"]["expired"] and not by_name["contoso-daemon"]["expired"]
    assert by_name["not-uploaded"]["uploaded_to"] == []
    assert len(by_name["contoso-daemon"]["thumbprint_sha1"]) == 40
    pipeline = next(a for a in live["apps"] if a["federated_credentials"])
    assert pipeline["federated_credentials"][0]["subject"] == "repo:contoso/app:ref:refs/heads/main"
    forms = {s["key"]: s["form"] for s in live["scenarios"]}
    assert forms["cert-ps256"]["certificate_path"] == str(sandbox.files_dir / "contoso-daemon.pem")
