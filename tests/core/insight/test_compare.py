"""Assertion failures say what to compare; the verdict names the credential used."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from core.insight.compare import ASSERTION_CODES, compare
from core.insight.diagnosis import diagnose
from core.insight.verdict import verdict_for_result
from core.sandbox import Sandbox, scenarios
from core.sandbox import directory as d
from core.sandbox.certificates import WRONG_SUBJECT, demo_certificates
from core.token.client import request_token
from core.token.models import CredentialKind, TokenRequestInput
from core.token.request import build_request
from core.token.result import ErrorFields, Outcome, TokenResult
from tests.core.sandbox.conftest import to_inputs

SCENARIOS = {s.key: s for s in scenarios()}
FACTS_CODES = {700027, 700024, 50048, 700030, 50012, 7000216, 70021, 700211, 700213, 7002137,
               7002138, 700229, 7000232}  # fmt: skip


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as sb:
        yield sb


def _send(sandbox: Sandbox, key: str) -> TokenResult:
    return request_token(to_inputs(SCENARIOS[key].form, sandbox))


def test_every_assertion_code_of_the_facts_is_covered() -> None:
    """Section 5.2's assertion codes all get a 'what to compare' text."""
    assert FACTS_CODES <= ASSERTION_CODES


def test_700027_names_the_thumbprint_sent_and_where_to_compare(sandbox: Sandbox) -> None:
    result = _send(sandbox, "cert-not-uploaded")
    diagnosis = diagnose(result)
    assert diagnosis is not None and diagnosis.code == "AADSTS700027"
    sha1 = next(c.sha1 for c in demo_certificates() if c.name == "not-uploaded")
    sha256 = next(c.sha256 for c in demo_certificates() if c.name == "not-uploaded")
    assert sha256 in diagnosis.cause and sha1 in diagnosis.cause
    assert any(sha1 in step and "Thumbprint column" in step for step in diagnosis.fix)


def test_70021_names_issuer_subject_and_audience(sandbox: Sandbox) -> None:
    diagnosis = diagnose(_send(sandbox, "federated-wrong-subject"))
    assert diagnosis is not None and diagnosis.code == "AADSTS70021"
    assert f"subject '{WRONG_SUBJECT}'" in diagnosis.cause
    assert f"issuer '{d.EXTERNAL_ISSUER}'" in diagnosis.cause
    assert any("case-sensitively" in step for step in diagnosis.fix)


def test_700024_and_50048_name_the_times_and_claims(sandbox: Sandbox) -> None:
    expired = diagnose(_send(sandbox, "assertion-expired"))
    assert expired is not None and "was valid from" in expired.cause and "(UTC)" in expired.cause
    mismatch = diagnose(_send(sandbox, "assertion-sub-iss"))
    assert mismatch is not None and mismatch.code == "AADSTS50048"
    assert f"sub '{d.DAEMON.object_id}'" in mismatch.cause
    assert any(d.DAEMON.client_id in step for step in mismatch.fix)


def test_verdict_names_the_credential(sandbox: Sandbox) -> None:
    """appidacr/azpacr 2 with a certificate reads 'certificate'; with a federated token,
    'federated credential'."""
    cert = verdict_for_result(_send(sandbox, "cert-ps256"))
    assert cert.credential == "certificate" and "certificate" in cert.headline
    federated = verdict_for_result(_send(sandbox, "federated-ok"))
    assert federated.credential == "federated credential"
    assert "federated credential" in federated.headline


def test_no_credential_and_managed_identity() -> None:
    """7000216 and 7000232 say what the request carried."""
    inputs = TokenRequestInput(
        tenant="contoso.example",
        client_id=d.DAEMON.client_id,
        scope="x/.default",
        credential=CredentialKind.CERTIFICATE,
    )
    result = TokenResult(
        outcome=Outcome.REFUSED,
        request=build_request(inputs),
        status=401,
        error=ErrorFields(error="invalid_client", error_codes=(7000216,)),
    )
    assert "a certificate was chosen but no assertion was sent" in compare(7000216, result)[0]
    assert d.DAEMON.client_id in compare(7000232, result)[0]


def test_blocked_by_one_error_says_it_in_full(sandbox: Sandbox) -> None:
    """A PFX opened with a wrong password: the diagnosis names the file, not only the title."""
    diagnosis = diagnose(_send(sandbox, "cert-pfx-wrong-password"))
    assert diagnosis is not None and diagnosis.code == "preflight"
    assert "Wrong password for this PFX (contoso-daemon.pfx)" in diagnosis.cause
