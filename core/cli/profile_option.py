"""`token --profile NAME`: start from a saved profile, with the options given on top of it."""

from __future__ import annotations

import argparse
import sys

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (mypy knows the name)

if TYPE_CHECKING:
    from core.store.profile import Profile
    from core.store.profiles import ProfileStore
    from core.token.models import TokenRequestInput


def profile_store(args: argparse.Namespace) -> ProfileStore:
    """The profile store of the config folder the options name, loaded (problems as warnings)."""
    from core.store.config import config_dir
    from core.store.profiles import ProfileStore

    store = ProfileStore(config_dir(getattr(args, "config_dir", None)))
    report = store.load()
    if report.problem:
        print(f"warning: {report.problem}", file=sys.stderr)
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return store


class _DefaultStr(str):
    """An option's default value, told apart from the same value typed explicitly."""


class _DefaultFloat(float):
    """An option's default number, told apart from the same number typed explicitly."""


# token option dest -> profile field
_OVERRIDABLE = {
    "cloud": "cloud",
    "authority": "authority",
    "tenant": "tenant",
    "client_id": "client_id",
    "endpoint": "endpoint",
    "grant": "grant",
    "scope": "scope",
    "resource": "resource",
    "auth_method": "auth_method",
    "token_url": "token_url",
    "username": "username",
    "timeout": "timeout_s",
    "certificate_key": "certificate_key_path",
    "assertion_alg": "assertion_alg",
    "send_x5c": "send_x5c",
    "redirect_host": "redirect_host",
    "redirect_port": "redirect_port",
    "redirect_path": "redirect_path",
    "prompt": "prompt",
    "login_hint": "login_hint",
    "domain_hint": "domain_hint",
}


def add_profile_option(parser: argparse.ArgumentParser) -> None:
    """Add `--profile NAME` to the token command, and mark defaults so overrides can be seen."""
    parser.add_argument(
        "--profile",
        metavar="NAME",
        help="start from a saved profile (its secret comes from the keychain); the other "
        "options given override it",
    )
    for action in parser._actions:
        if action.dest in _OVERRIDABLE and isinstance(action.default, str):
            action.default = _DefaultStr(action.default)
        elif action.dest in _OVERRIDABLE and isinstance(action.default, float):
            action.default = _DefaultFloat(action.default)


def is_default(args: argparse.Namespace, dest: str) -> bool:
    """True when the option was not typed (its value is the parser's default)."""
    return not _given(args, dest)


def _given(args: argparse.Namespace, dest: str) -> bool:
    value = getattr(args, dest, None)
    return value is not None and not isinstance(value, (_DefaultStr, _DefaultFloat))


def _apply(args: argparse.Namespace, profile: Profile) -> argparse.Namespace:
    import copy

    from core.store.profile_json import to_json_value
    from core.token.authority import CLOUDS_BY_KEY, default_target

    ns = copy.copy(args)
    for dest, name in _OVERRIDABLE.items():
        if not _given(args, dest):
            setattr(ns, dest, to_json_value(getattr(profile, name)))
    other_cloud = _given(args, "cloud") and args.cloud != profile.cloud
    if other_cloud and not _given(args, "authority"):
        ns.authority = ""  # --cloud Y means Y's login host, not the profile's authority
    if not _given(args, "scope") and not _given(args, "resource"):
        scope, resource = profile.scope, profile.resource
        old = CLOUDS_BY_KEY.get(profile.cloud)
        if other_cloud and old is not None:  # the old cloud's default Graph follows the cloud
            defaults = {default_target(old, e) for e in profile.endpoint.__class__}
            scope = "" if scope in defaults else scope
            resource = "" if resource in defaults else resource
        ns.scope = scope or None  # both empty: the cloud's default target applies
        ns.resource = resource or None
    from core.cli.credentials import credential_kind
    from core.token.models import CredentialKind

    chosen = credential_kind(args) is not CredentialKind.SECRET or args.secret_env or \
        args.secret_stdin or args.no_secret  # fmt: skip
    if not chosen:  # the profile's credential, unless the options choose one
        if profile.credential is CredentialKind.CERTIFICATE:
            ns.certificate = profile.certificate_path
        elif profile.credential is CredentialKind.FEDERATED:
            ns.assertion_file = profile.assertion_file or None
            if not ns.assertion_file:  # a pasted assertion is never kept: ask for it
                ns.assertion_stdin = True
    return ns


def profile_token_inputs(args: argparse.Namespace) -> TokenRequestInput:
    """The token inputs for `token --profile NAME`: the profile, the options given on top, the
    secrets from the options, else from the keychain, else from the prompt.

    Raises:
        core.cli.credentials.UsageError: no such profile.
    """
    from core.cli.credentials import UsageError, credentials, inputs_from_args
    from core.store.profile import ProfileNotFoundError
    from core.store.secret_store import SecretKind, SecretRef, SecretStoreError, open_secret_store

    try:
        profile = profile_store(args).require(args.profile)
    except ProfileNotFoundError as exc:
        raise UsageError(exc.message) from None
    ns = _apply(args, profile)
    kept = {}
    wanted = {SecretKind.CLIENT_SECRET: not (ns.secret_env or ns.secret_stdin or ns.no_secret)}
    if ns.certificate:
        wanted = {
            SecretKind.CERTIFICATE_PASSWORD: not (
                ns.certificate_password_env or ns.certificate_password_stdin
            )
        }
    elif ns.assertion_file or ns.assertion_env or ns.assertion_stdin:
        wanted = {}
    if ns.grant == "password":
        wanted[SecretKind.PASSWORD] = not (ns.password_env or ns.password_stdin)
    if profile.remember_secret and any(wanted.values()):
        store = open_secret_store()
        if not store.is_secure:
            print(f"note: {store.reason}", file=sys.stderr)
        for kind in (k for k, want in wanted.items() if want and store.is_secure):
            try:
                kept[kind] = store.get(SecretRef(profile.id, kind))
            except SecretStoreError as exc:
                print(f"warning: {exc.message}", file=sys.stderr)
    creds = credentials(
        ns,
        known_secret=kept.get(SecretKind.CLIENT_SECRET),
        known_password=kept.get(SecretKind.PASSWORD),
        known_certificate_password=kept.get(SecretKind.CERTIFICATE_PASSWORD),
    )
    return inputs_from_args(ns, creds)
