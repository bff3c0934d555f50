"""`main.py profiles list|show`: the saved profiles, never their secrets."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from core.cli import EXIT_OK, EXIT_USAGE, add_config_dir
from core.cli.profile_option import profile_store

if TYPE_CHECKING:
    from core.store.profile import Profile
    from core.store.profiles import ProfileStore

LIST_SCHEMA = "entra-token-tester/profile-list/1"
SHOW_SCHEMA = "entra-token-tester/profile/1"
HISTORY_SHOWN = 5


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "profiles",
        help="list and show saved profiles",
        description="List and show saved profiles (kept in the config folder; secrets are only "
        "ever in the system keychain and are never shown).",
    )
    actions = p.add_subparsers(dest="profiles_action", metavar="ACTION", required=True)
    ls = actions.add_parser("list", help="list the saved profiles")
    ls.add_argument("--json", action="store_true", help="print JSON")
    add_config_dir(ls)
    show = actions.add_parser("show", help="show one profile (never its secret)")
    show.add_argument("name", metavar="NAME", help="profile name (any case) or id")
    show.add_argument("--json", action="store_true", help="print JSON")
    add_config_dir(show)


def profile_json(profile: Profile) -> dict[str, Any]:
    """A profile as JSON (never a secret: profiles hold none)."""
    from core.store.profile_json import FIELDS, to_json_value

    return {k: to_json_value(getattr(profile, k)) for k in FIELDS}


def _target(p: Profile) -> str:
    return p.token_url or p.scope or p.resource


def _list(store: ProfileStore, as_json: bool) -> int:
    profiles = store.list()
    if as_json:
        doc = {
            "schema": LIST_SCHEMA,
            "config_dir": str(store.directory),
            "profiles": [profile_json(p) for p in profiles],
        }
        print(json.dumps(doc, indent=2))
        return EXIT_OK
    if not profiles:
        print(f"No profiles in {store.directory}.")
        return EXIT_OK
    head = ("NAME", "CLOUD", "EP", "GRANT", "TENANT", "CLIENT ID", "KEYCHAIN")
    rows = [
        (
            p.name,
            p.cloud,
            p.endpoint.value,
            p.grant.value,
            p.tenant,
            p.client_id,
            "remember" if p.remember_secret else "-",
        )
        for p in profiles
    ]
    widths = [max(len(r[i]) for r in (head, *rows)) for i in range(len(head))]
    for row in (head, *rows):
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    return EXIT_OK


def secret_status(profile: Profile) -> dict[str, Any]:
    """Whether the profile's secrets are in the keychain (never their values)."""
    from core.store.secret_store import SecretKind, SecretRef, SecretStoreError, open_secret_store
    from core.token.models import CredentialKind, GrantType

    kinds = {
        CredentialKind.SECRET: [SecretKind.CLIENT_SECRET],
        CredentialKind.CERTIFICATE: [SecretKind.CERTIFICATE_PASSWORD],
        CredentialKind.FEDERATED: [],
    }[profile.credential]
    if profile.grant is GrantType.PASSWORD:
        kinds.append(SecretKind.PASSWORD)
    store = open_secret_store()
    status: dict[str, Any] = {
        "remember": profile.remember_secret,
        "keychain": store.backend_name,
        "secure": store.is_secure,
        "note": store.reason,
        "stored": {},
    }
    if not profile.remember_secret or not store.is_secure:
        return status
    for kind in kinds:
        try:
            status["stored"][kind.value] = store.get(SecretRef(profile.id, kind)) is not None
        except SecretStoreError as exc:
            status["stored"][kind.value] = None
            status["note"] = exc.message
    return status


_SHOW_LABELS = (
    ("name", "name"),
    ("id", "id"),
    ("cloud", "cloud"),
    ("authority", "authority"),
    ("endpoint", "endpoint"),
    ("tenant", "tenant"),
    ("client_id", "client ID"),
    ("grant", "grant"),
    ("username", "username"),
    ("scope", "scope"),
    ("resource", "resource"),
    ("token_url", "token URL"),
    ("auth_method", "client auth"),
    ("timeout_s", "timeout"),
    ("credential", "credential"),
    ("certificate_path", "certificate"),
    ("certificate_key_path", "key file"),
    ("assertion_alg", "signing"),
    ("assertion_file", "assertion file"),
)


def _signin_lines(profile: Profile) -> list[tuple[str, str]]:
    """A browser sign-in's redirect (port 0: any free one), prompt and hints, when set."""
    if profile.grant.value != "authorization_code":
        return []
    port = f":{profile.redirect_port}" if profile.redirect_port else ""
    note = "" if profile.redirect_port else " (any free port)"
    lines = [("redirect", f"http://{profile.redirect_host}{port}{profile.redirect_path}{note}")]
    lines += [(label, value) for label, value in (
        ("prompt", profile.prompt), ("login hint", profile.login_hint),
        ("domain hint", profile.domain_hint)) if value]  # fmt: skip
    return lines


def _show(store: ProfileStore, key: str, as_json: bool) -> int:
    from dataclasses import asdict

    from core.store.history import HistoryStore, summary
    from core.store.profile import ProfileNotFoundError

    try:
        profile = store.require(key)
    except ProfileNotFoundError as exc:
        if as_json:
            from core.cli.terminal import usage_error_json

            print(usage_error_json(exc.message, "profiles"))
        else:
            print(f"error: {exc.message}", file=sys.stderr)
        return EXIT_USAGE
    secret = secret_status(profile)
    history = HistoryStore(store.directory)
    if history.load():
        print(f"warning: {history.problem}", file=sys.stderr)
    recent = history.entries(profile.id)[:HISTORY_SHOWN]
    if as_json:
        doc = {"schema": SHOW_SCHEMA, **profile_json(profile), "secret": secret}
        doc["history"] = [asdict(e) for e in recent]
        print(json.dumps(doc, indent=2))
        return EXIT_OK
    values = profile_json(profile)
    for key_name, label in _SHOW_LABELS:
        value = values[key_name]
        if value != "":
            print(f"{label:<16}{value:g} s" if key_name == "timeout_s" else f"{label:<16}{value}")
    for label, value in _signin_lines(profile):
        print(f"{label:<16}{value}")
    print(f"{'keychain':<16}{_secret_words(secret)}")
    if profile.notes:
        print(f"{'notes':<16}" + profile.notes.replace("\n", "\n" + " " * 16))
    if recent:
        print("recent results:")
        for entry in recent:
            print("  " + summary(entry))
    return EXIT_OK


def _secret_words(secret: dict[str, Any]) -> str:
    if not secret["remember"]:
        return "not remembered (the secret is asked for each time)"
    if not secret["secure"]:
        return secret["note"]
    stored = [k.replace("_", " ") for k, v in secret["stored"].items() if v]
    missing = [k.replace("_", " ") for k, v in secret["stored"].items() if v is False]
    words = f"remembered in {secret['keychain']}: "
    words += ", ".join([*(f"{k} stored" for k in stored), *(f"no {k} stored" for k in missing)])
    unknown = [k for k, v in secret["stored"].items() if v is None]
    return words + (f" ({secret['note']})" if unknown else "")


def run(args: argparse.Namespace) -> int:
    store = profile_store(args)
    if args.profiles_action == "list":
        return _list(store, args.json)
    return _show(store, args.name, args.json)
