"""Validators for what `check` writes: the JSON document against its published JSON Schema
(docs/schemas/check-1.schema.json), and JUnit XML, read with an XML parser, against the
content model of the JUnit schema CI servers read (Jenkins xUnit's junit-10.xsd)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

ROOT = Path(__file__).resolve().parents[3]
CHECK_SCHEMA = ROOT / "docs" / "schemas" / "check-1.schema.json"

# junit-10.xsd: the attributes each element may have (required ones first), its children.
_SUREFIRE_TIME = re.compile(r"^(([0-9]{0,3},)*[0-9]{3}|[0-9]{0,3})*(\.[0-9]*)?$")
_ELEMENTS: dict[str, tuple[set[str], set[str], set[str]]] = {
    # name: (required attributes, optional attributes, allowed children)
    "testsuites": (set(), {"name", "time", "tests", "failures", "errors"}, {"testsuite"}),
    "testsuite": (
        {"name", "tests", "failures", "errors"},
        {
            "group",
            "time",
            "skipped",
            "timestamp",
            "hostname",
            "id",
            "package",
            "file",
            "log",
            "url",
        },
        {"testsuite", "properties", "testcase", "system-out", "system-err"},
    ),
    "testcase": (
        {"name"},
        {"time", "classname", "group"},
        {
            "skipped",
            "error",
            "failure",
            "rerunFailure",
            "rerunError",
            "flakyFailure",
            "flakyError",
            "system-out",
            "system-err",
        },
    ),
    "failure": (set(), {"type", "message"}, set()),
    "error": (set(), {"type", "message"}, set()),
    "skipped": (set(), {"type", "message"}, set()),
    "properties": (set(), set(), {"property"}),
    "property": ({"name", "value"}, set(), set()),
    "system-out": (set(), set(), set()),
    "system-err": (set(), set(), set()),
}


def check_json_problems(document: Any) -> list[str]:
    """Where a `check --json` document breaks its schema, or its summary disagrees with its
    results ([] when it is valid)."""
    schema = json.loads(CHECK_SCHEMA.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema)
    problems = [f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}"
                for e in validator.iter_errors(document)]  # fmt: skip
    if problems:
        return problems
    states = [r["state"] for r in document["results"]]
    summary = document["summary"]
    counted = {"total": len(states), "ok": states.count("ok"),
               "warnings": states.count("warning"), "failed": states.count("failed")}  # fmt: skip
    problems += [f"summary {k} is {summary[k]}, the results say {v}"
                 for k, v in counted.items() if summary[k] != v]  # fmt: skip
    if document["ok"] != (counted["failed"] == 0):
        problems.append("ok disagrees with the failed count")
    return problems


def junit_problems(root: ET.Element) -> list[str]:
    """Where JUnit XML (parsed) breaks junit-10.xsd, or its counts disagree with its cases."""
    problems: list[str] = []
    if root.tag != "testsuites":
        return [f"the root element is <{root.tag}>, not <testsuites>"]

    def walk(element: ET.Element) -> None:
        rule = _ELEMENTS.get(element.tag)
        if rule is None:
            problems.append(f"<{element.tag}> is not a JUnit element")
            return
        required, optional, children = rule
        for name in sorted(required - set(element.attrib)):
            problems.append(f"<{element.tag}> lacks the required attribute {name}")
        for name in sorted(set(element.attrib) - required - optional):
            problems.append(f"<{element.tag}> has an attribute JUnit does not know: {name}")
        if "time" in element.attrib and not _SUREFIRE_TIME.match(element.attrib["time"]):
            problems.append(f"<{element.tag}> time {element.attrib['time']!r} is not a time")
        if not children and len(element):
            problems.append(f"<{element.tag}> may hold text only")
        for child in element:
            if child.tag not in children:
                problems.append(f"<{child.tag}> may not be inside <{element.tag}>")
            walk(child)

    walk(root)
    cases = root.findall(".//testcase")
    failed = sum(1 for c in cases if c.find("failure") is not None)
    for name, value in (("tests", len(cases)), ("failures", failed)):
        if root.get(name, str(value)) != str(value):
            problems.append(f"testsuites {name}={root.get(name)!r}, its cases say {value}")
    for suite in root.iter("testsuite"):
        cases = suite.findall("testcase")
        failed = sum(1 for c in cases if c.find("failure") is not None)
        for name, value in (("tests", len(cases)), ("failures", failed)):
            if suite.get(name) != str(value):
                problems.append(f"testsuite {name}={suite.get(name)!r}, its cases say {value}")
    return problems
