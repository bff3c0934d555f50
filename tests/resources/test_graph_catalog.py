"""Graph permissions catalog: shape, cited sources and valid permission names of every entry."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

RESOURCES = Path(__file__).resolve().parents[2] / "resources"
CATALOG_FILE = RESOURCES / "graph_permissions.json"
NAMES_FILE = RESOURCES / "graph_permission_names.json"

KINDS = ("application", "delegated")
TIERS = ("least", "higher")
HTTP_VERBS = {"GET", "POST", "PUT", "PATCH", "DELETE"}
ENTRY_KEYS = {
    "method",
    "path",
    "description",
    "application",
    "delegated",
    "source",
    "checked_against",
}
OPTIONAL_KEYS = {"note"}
NAME = re.compile(r"[A-Za-z][A-Za-z0-9_.-]*")
PLACEHOLDER = re.compile(r"\{[^{}]*\}")
PLACEHOLDER_NAME = re.compile(r"\{[A-Za-z][A-Za-z-]*\}")
SOURCE_PATH = re.compile(r"/en-us/graph/api/([a-z0-9_-]+)")
GITHUB_COPY = re.compile(
    r"/[\w.-]+/[\w.-]+/blob/[0-9a-f]{40}/api-reference/v1\.0/"
    r"(?:api/(?P<page>[a-z0-9_-]+)\.md|includes/permissions/(?P<table>[a-z0-9_-]+)-permissions\.md)"
)
LEARN_COPY = re.compile(r"(?:/[a-z]{2}-[a-z]{2})?/graph/api/(?P<page>[a-z0-9_-]+)")


@cache
def _load(path: Path) -> dict[str, Any]:
    data = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path.name} must hold a JSON object"
    return data


def catalog() -> dict[str, Any]:
    return _load(CATALOG_FILE)


def names() -> dict[str, Any]:
    return _load(NAMES_FILE)


def calls() -> list[dict[str, Any]]:
    return catalog()["calls"]


def _label(call: dict[str, Any]) -> str:
    return f"{call.get('method')} {call.get('path')}"


def _options(call: dict[str, Any], kind: str, tier: str) -> list[list[str]]:
    return call[kind][tier]


def _slug(source: str) -> str:
    match = SOURCE_PATH.fullmatch(urlsplit(source).path)
    assert match, source
    return match.group(1)


def test_schema_and_version_fields() -> None:
    data, known = catalog(), names()
    assert data["schema"] == "graph-permissions"
    assert data["version"] == 1
    assert known["schema"] == "graph-permission-names"
    assert known["version"] == 1
    for doc in (data, known):
        assert isinstance(doc["_about"], str) and doc["_about"]
        assert isinstance(doc["description"], str) and len(doc["description"]) > 200
    assert isinstance(data["calls"], list)
    source = known["source"]
    assert urlsplit(source["url"]).netloc == "github.com"
    assert source["repository"].startswith("microsoftgraph/")
    assert re.fullmatch(r"[0-9a-f]{40}", source["commit"])
    assert source["commit"] in source["url"] and source["path"] in source["url"]


def test_at_least_55_calls() -> None:
    assert len(calls()) >= 55, len(calls())


def test_every_entry_has_the_documented_fields_only() -> None:
    for call in calls():
        keys = set(call)
        assert keys >= ENTRY_KEYS, f"{_label(call)} lacks {sorted(ENTRY_KEYS - keys)}"
        extra = keys - ENTRY_KEYS - OPTIONAL_KEYS
        assert not extra, f"{_label(call)} has unknown fields {sorted(extra)}"
        for field in ("description", "note"):
            if field in call:
                assert isinstance(call[field], str) and call[field].strip(), _label(call)
        for kind in KINDS:
            assert set(call[kind]) == set(TIERS), f"{_label(call)}: {kind} needs least and higher"


def test_methods_are_http_verbs() -> None:
    bad = [_label(c) for c in calls() if c["method"] not in HTTP_VERBS]
    assert not bad, bad


def test_paths_are_patterns_below_the_version() -> None:
    for call in calls():
        path = call["path"]
        assert path.startswith("/"), _label(call)
        assert not path.startswith(("/v1.0", "/beta")), f"{_label(call)}: path is relative to /v1.0"
        assert "?" not in path and not re.search(r"\s", path), _label(call)
        assert "//" not in path and not path.endswith("/"), _label(call)
        rest = PLACEHOLDER.sub("", path)
        assert "{" not in rest and "}" not in rest, f"{_label(call)}: unbalanced braces"
        for placeholder in PLACEHOLDER.findall(path):
            assert PLACEHOLDER_NAME.fullmatch(placeholder), f"{_label(call)}: {placeholder}"


def test_no_duplicate_method_and_path() -> None:
    seen: set[tuple[str, str]] = set()
    for call in calls():
        key = (call["method"], call["path"].lower())
        assert key not in seen, f"duplicate entry {_label(call)}"
        seen.add(key)


def test_every_source_is_a_v1_learn_api_reference_page() -> None:
    for call in calls():
        url = urlsplit(call["source"])
        assert url.scheme == "https" and url.netloc == "learn.microsoft.com", _label(call)
        assert SOURCE_PATH.fullmatch(url.path), f"{_label(call)}: {call['source']}"
        assert parse_qs(url.query) == {"view": ["graph-rest-1.0"]}, _label(call)
        assert not url.fragment, _label(call)


def test_every_entry_was_checked_against_a_copy_of_its_source_page() -> None:
    """Each cross-check is the same page's table: its GitHub source at a commit, or the page."""
    for call in calls():
        slug = _slug(call["source"])
        copies = call["checked_against"]
        assert copies and len(copies) == len(set(copies)), _label(call)
        for copy in copies:
            url = urlsplit(copy)
            assert url.scheme == "https" and not url.fragment, f"{_label(call)}: {copy}"
            if url.netloc == "github.com":
                match = GITHUB_COPY.fullmatch(url.path)
                assert match, f"{_label(call)}: not a docs file at a commit: {copy}"
                page = match["page"] or re.sub(r"-\d+$", "", match["table"])
            else:
                assert url.netloc == "learn.microsoft.com", f"{_label(call)}: {copy}"
                match = LEARN_COPY.fullmatch(url.path)
                assert match, f"{_label(call)}: not an API reference page: {copy}"
                assert parse_qs(url.query).get("view", ["graph-rest-1.0"]) == ["graph-rest-1.0"]
                page = match["page"]
            assert page == slug, f"{_label(call)}: {copy} is not a copy of {slug}"


def test_options_are_non_empty_lists_of_distinct_names() -> None:
    for call in calls():
        for kind in KINDS:
            for tier in TIERS:
                options = _options(call, kind, tier)
                assert isinstance(options, list), f"{_label(call)} {kind}.{tier}"
                for option in options:
                    assert isinstance(option, list) and option, f"{_label(call)} {kind}.{tier}"
                    assert len(option) == len(set(option)), f"{_label(call)} {kind}.{tier}"
                    for name in option:
                        assert isinstance(name, str) and NAME.fullmatch(name), (
                            f"{_label(call)} {kind}.{tier}: {name!r}"
                        )
                keys = [frozenset(o) for o in options]
                assert len(keys) == len(set(keys)), f"{_label(call)} {kind}.{tier}: repeated option"


def test_every_permission_name_is_valid_for_its_kind() -> None:
    known = {kind: set(names()[kind]) for kind in KINDS}
    unknown = [
        f"{_label(call)}: {kind} {name}"
        for call in calls()
        for kind in KINDS
        for tier in TIERS
        for option in _options(call, kind, tier)
        for name in option
        if name not in known[kind]
    ]
    assert not unknown, "not a Microsoft Graph permission of that kind:\n" + "\n".join(unknown)


def test_least_privileged_and_higher_options_are_disjoint() -> None:
    for call in calls():
        for kind in KINDS:
            least = {frozenset(o) for o in _options(call, kind, "least")}
            higher = {frozenset(o) for o in _options(call, kind, "higher")}
            both = sorted(sorted(o) for o in least & higher)
            assert not both, f"{_label(call)} {kind}: {both} is both least and higher"


def test_higher_options_only_where_a_least_privileged_one_exists() -> None:
    for call in calls():
        assert any(_options(call, kind, "least") for kind in KINDS), f"{_label(call)}: no kind"
        for kind in KINDS:
            if not _options(call, kind, "least"):
                assert not _options(call, kind, "higher"), f"{_label(call)} {kind}"


def test_me_paths_allow_no_application_permission() -> None:
    """/me needs a signed-in user: an app-only token can never call it."""
    for call in calls():
        if call["path"] == "/me" or call["path"].startswith("/me/"):
            assert call["application"] == {"least": [], "higher": []}, _label(call)


def test_names_file_lists_are_sorted_distinct_names() -> None:
    known = names()
    for kind in KINDS:
        listed = known[kind]
        assert listed == sorted(set(listed)), f"{kind} must be sorted and distinct"
        bad = [n for n in listed if not isinstance(n, str) or not NAME.fullmatch(n)]
        assert not bad, bad
    for name in ("User.Read", "openid", "offline_access"):
        assert name in known["delegated"]
    assert "User.Read" not in known["application"]  # a delegated-only permission
    assert "Application.ReadWrite.OwnedBy" not in known["delegated"]  # application only


def test_names_added_from_api_reference_are_listed_with_their_tables() -> None:
    known = names()
    for name, entry in known["added_from_api_reference"].items():
        assert entry["kinds"] and set(entry["kinds"]) <= set(KINDS), name
        for kind in entry["kinds"]:
            assert name in known[kind], f"{name} is not listed under {kind}"
        assert entry["seen_in"], name
        for url in entry["seen_in"]:
            assert urlsplit(url).netloc in {"github.com", "learn.microsoft.com"}, url
