"""Strict reading and writing of profile JSON (the profiles file and import/export files).

Anything read here may be hostile: every value is checked for type and size, unknown fields
are dropped with a warning, and every problem is one `ProfileFormatError` with a plain message
naming the profile and the field. Secrets never belong in this JSON: a secret-looking field is
dropped (its value is never repeated in a message).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from enum import Enum
from typing import Any

from core.redaction import is_secret_name
from core.token.ids import random_uuid
from core.token.models import (
    MAX_TIMEOUT_S,
    AssertionAlg,
    AuthMethod,
    CredentialKind,
    Endpoint,
    GrantType,
    timeout_problem,
)

SCHEMA = "entra-token-tester/profiles"
SCHEMA_VERSION = 1
MAX_FILE_BYTES = 1_000_000
MAX_PROFILES = 1000
MAX_FIELD_CHARS = 4096
MAX_NAME_CHARS = 200
MAX_WARNINGS = 20

TEXT_FIELDS = (
    "cloud",
    "tenant",
    "client_id",
    "scope",
    "resource",
    "username",
    "token_url",
    "authority",
    "notes",
    "certificate_path",
    "certificate_key_path",
    "assertion_file",
    "redirect_host",
    "redirect_path",
    "prompt",
    "login_hint",
    "domain_hint",
)
CHOICE_FIELDS: dict[str, type[Enum]] = {
    "endpoint": Endpoint,
    "grant": GrantType,
    "auth_method": AuthMethod,
    "credential": CredentialKind,
    "assertion_alg": AssertionAlg,
}
BOOL_FIELDS = ("remember_secret", "send_x5c")
PORT_FIELDS = ("redirect_port",)
# A browser sign-in's settings are written only when they differ from these (most profiles have
# no sign-in; a file stays readable, without warnings, by versions that do not know them).
SIGNIN_DEFAULTS = {
    "redirect_host": "127.0.0.1",
    "redirect_port": 0,
    "redirect_path": "/",
    "prompt": "",
    "login_hint": "",
    "domain_hint": "",
}
FIELDS = ("id", "name", *TEXT_FIELDS, *CHOICE_FIELDS, "timeout_s", *BOOL_FIELDS, *PORT_FIELDS)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# Characters that reorder or hide text: a name could otherwise read as another one.
_BIDI = re.compile(r"[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
_ID = re.compile(r"^[A-Za-z0-9-]{1,64}$")


class ProfileFormatError(ValueError):
    """Profile JSON that cannot be used; `message` says where and why in plain words."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ParsedProfiles:
    """Validated profile records (dicts of `FIELDS`, ids possibly missing) and warnings."""

    records: tuple[dict[str, Any], ...]
    warnings: tuple[str, ...] = ()


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    return "a list" if isinstance(value, list) else "an object"


def _shown(key: str) -> str:
    """A field name as it may appear in a message: quoted, cut short, control chars removed."""
    clean = _BIDI.sub("?", _CONTROL.sub("?", key))
    return f'"{clean[:40]}…"' if len(clean) > 40 else f'"{clean}"'


def clean_name(name: Any, where: str = "The profile") -> str:
    """A usable profile name, stripped; raises ProfileFormatError for an unusable one."""
    if not isinstance(name, str):
        raise ProfileFormatError(f'{where}: "name" must be text, not {_kind(name)}.')
    name = name.strip()
    if not name:
        raise ProfileFormatError(f"{where}: the name is empty; a profile needs a name.")
    if len(name) > MAX_NAME_CHARS:
        raise ProfileFormatError(f"{where}: the name is longer than {MAX_NAME_CHARS} characters.")
    if _CONTROL.search(name):
        raise ProfileFormatError(f"{where}: the name contains line breaks or control characters.")
    if _BIDI.search(name):
        raise ProfileFormatError(
            f"{where}: the name contains invisible or text-direction characters (such as "
            "right-to-left overrides) that would make it read as something else."
        )
    return name


def _field(key: str, value: Any, where: str) -> Any:
    label = f"{where}: field {_shown(key)}"
    if key in TEXT_FIELDS:
        if not isinstance(value, str):
            raise ProfileFormatError(f"{label} must be text, not {_kind(value)}.")
        if len(value) > MAX_FIELD_CHARS:
            raise ProfileFormatError(f"{label} is longer than {MAX_FIELD_CHARS} characters.")
        return value
    if key in CHOICE_FIELDS:
        choices = CHOICE_FIELDS[key]
        allowed = ", ".join(str(c.value) for c in choices)
        if not isinstance(value, str) or value not in {str(c.value) for c in choices}:
            raise ProfileFormatError(f"{label} must be one of {allowed}.")
        return choices(value)
    if key == "timeout_s":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ProfileFormatError(f"{label} must be a number of seconds, not {_kind(value)}.")
        if problem := timeout_problem(value):
            raise ProfileFormatError(f"{label}: {problem}.")
        return float(value)
    if key in PORT_FIELDS:
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 65535:
            raise ProfileFormatError(f"{label} must be a port from 0 (any free port) to 65535.")
        return value
    if key in BOOL_FIELDS:
        if not isinstance(value, bool):
            raise ProfileFormatError(f"{label} must be true or false, not {_kind(value)}.")
        return value
    if key == "id":
        if not isinstance(value, str) or not _ID.match(value):
            raise ProfileFormatError(f"{label} must be a short identifier.")
        return value
    return clean_name(value, where)  # "name"


def parse_record(
    raw: Any, index: int, *, own_file: bool = False
) -> tuple[dict[str, Any], list[str]]:
    """Validate one profile object (index counts from 1 in messages). In the app's own file
    (`own_file`), a timeout above today's limit (older versions allowed 3600 s) is lowered to
    the limit with a warning, so a file the app wrote is never refused for it."""
    where = f"Profile {index}"
    if not isinstance(raw, dict):
        raise ProfileFormatError(f"{where} must be an object, not {_kind(raw)}.")
    if isinstance(raw.get("name"), str) and raw["name"].strip():
        where = f"Profile {index} ({_shown(raw['name'])[1:-1]})"
    if "name" not in raw:
        raise ProfileFormatError(f"{where} has no name.")
    record: dict[str, Any] = {}
    warnings: list[str] = []
    for key, value in raw.items():
        if own_file and key == "timeout_s" and _over_limit(value):
            record[key] = MAX_TIMEOUT_S
            warnings.append(f"{where}: timeout lowered to {MAX_TIMEOUT_S:g} s, the most allowed.")
        elif key in FIELDS:
            record[key] = _field(key, value, where)
        elif is_secret_name(key):
            warnings.append(f"{where}: field {_shown(key)} ignored: profiles never hold secrets.")
        else:
            warnings.append(f"{where}: unknown field {_shown(key)} ignored.")
    return record, warnings


def _over_limit(value: Any) -> bool:
    return (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value > MAX_TIMEOUT_S
    )


def parse_document(data: Any, *, own_file: bool = False) -> ParsedProfiles:
    """Validate a whole profiles document: `{"schema_version": 1, "profiles": [...]}`."""
    if not isinstance(data, dict) or not isinstance(data.get("profiles"), list):
        raise ProfileFormatError(
            'This is not a profiles file: expected an object with a "profiles" list '
            "(as written by Export)."
        )
    version = data.get("schema_version", SCHEMA_VERSION)
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ProfileFormatError('"schema_version" must be a whole number.')
    if version > SCHEMA_VERSION:
        raise ProfileFormatError(
            f"It was written by a newer version of Entra Token Tester (schema {version}; "
            f"this version reads schema {SCHEMA_VERSION})."
        )
    items = data["profiles"]
    if len(items) > MAX_PROFILES:
        raise ProfileFormatError(
            f"It holds {len(items)} profiles; at most {MAX_PROFILES} are read."
        )
    records, warnings = [], []
    for index, raw in enumerate(items, start=1):
        record, found = parse_record(raw, index, own_file=own_file)
        records.append(record)
        warnings.extend(found)
    if len(warnings) > MAX_WARNINGS:
        extra = len(warnings) - MAX_WARNINGS
        warnings = [*warnings[:MAX_WARNINGS], f"… and {extra} more warnings."]
    return ParsedProfiles(tuple(records), tuple(warnings))


def new_id() -> str:
    """A fresh, stable profile id."""
    return random_uuid()  # not uuid.uuid4(): uuid loads platform (~4 ms together)


def to_json_value(value: Any) -> Any:
    """A field value as stored in JSON (enums become their string value)."""
    return value.value if isinstance(value, Enum) else value


def _default_signin(key: str, value: Any) -> bool:
    return key in SIGNIN_DEFAULTS and value == SIGNIN_DEFAULTS[key]


def document(records: list[dict[str, Any]], *, with_ids: bool) -> dict[str, Any]:
    """The JSON document for profile records, ready for `json.dumps`."""
    keep = FIELDS if with_ids else FIELDS[1:]
    profiles = [
        {k: to_json_value(r[k]) for k in keep if k in r and not _default_signin(k, r[k])}
        for r in records
    ]
    return {"schema": SCHEMA, "schema_version": SCHEMA_VERSION, "profiles": profiles}
