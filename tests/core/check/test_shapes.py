"""The validators of check's JSON and JUnit output catch what breaks their schema."""

from __future__ import annotations

import copy
import xml.etree.ElementTree as ET

from core.check.outcome import CheckOutcome
from core.check.report import document, junit_xml, summarise
from tests.core.check.shapes import check_json_problems, junit_problems

NOW = 1_800_000_000.0
OUTCOMES = [
    CheckOutcome("Daemon", "p1", "ok", "token", status=200, roles=("User.Read.All",),
                 lifetime_s=3599, expires_at=NOW + 3599, elapsed_ms=12.5, attempts=1),
    CheckOutcome("Wrong", "", "failed", "refused", code="AADSTS7000215", title="Invalid secret",
                 status=401, elapsed_ms=8.0, attempts=2, retry_after_s=1.0),
    CheckOutcome("Soon", "", "warning", "token", status=200, lifetime_s=3599,
                 credential_expires_at=NOW + 86400 * 5, credential_expiry_source="graph",
                 warning="the credential expires in 5 days (within 30)", attempts=1),
    CheckOutcome("Unsent", "", "failed", "not_checked", "not checked", "no secret"),
]  # fmt: skip


def _doc() -> dict:
    return document(OUTCOMES, summarise(OUTCOMES, 1.25), NOW)


def test_the_document_check_writes_is_valid() -> None:
    """Every state and outcome kind, as report.document writes them: no problem."""
    assert check_json_problems(_doc()) == []


def test_broken_documents_are_caught() -> None:
    """A missing field, an undocumented one (a token), a wrong type, a summary that lies."""
    missing = _doc()
    del missing["results"][0]["roles"]
    extra = _doc()
    extra["results"][0]["access_token"] = "eyJ0eXAi"
    wrong_type = _doc()
    wrong_type["results"][1]["status"] = "401"
    lying = _doc()
    lying["summary"]["failed"] = 0
    ok_failed = copy.deepcopy(_doc())
    ok_failed["results"][1]["ok"] = True
    for broken in (missing, extra, wrong_type, lying, ok_failed):
        assert check_json_problems(broken) != []


def test_the_junit_check_writes_is_valid() -> None:
    """JUnit XML from report.junit_xml, parsed: the junit-10.xsd content model holds."""
    root = ET.fromstring(junit_xml(OUTCOMES, summarise(OUTCOMES, 1.25), NOW))
    assert junit_problems(root) == []
    assert len(root.findall("./testsuite/testcase")) == 4
    assert len(root.findall("./testsuite/testcase/failure")) == 2


def test_broken_junit_is_caught() -> None:
    """Counts that disagree, an unknown attribute, a bad time, a misplaced element."""
    text = junit_xml(OUTCOMES, summarise(OUTCOMES, 1.25), NOW)
    for old, new in [
        ('tests="4"', 'tests="5"'),
        ('classname="credentials"', 'classname="credentials" result="ok"'),
        ('time="1.250"', 'time="1.25 s"'),
        ("<system-out>", "<failure/><system-out>"),
        ("\n  <testsuite ", '\n  <testcase name="x"/>\n  <testsuite '),
    ]:
        broken = text.replace(old, new, 1)
        assert broken != text
        assert junit_problems(ET.fromstring(broken.split("\n", 1)[1])) != [], old
