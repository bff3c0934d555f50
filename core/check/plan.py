"""What a check run covers: saved profiles or a checks file, each with the secrets it needs.

A checks file is the document File > Export profiles writes; each entry may add `secret_env`,
`password_env` or `certificate_password_env`, naming the environment variable that holds that
secret. Secrets never come from the file itself (a secret-looking field is dropped).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.redaction import Secret
from core.store import profile_json as pj
from core.store.config import FileProblem, parse_json, read_text_limited
from core.store.profile import Profile, to_input
from core.store.secret_store import SecretKind, SecretRef, SecretStore, SecretStoreError
from core.token.models import CredentialKind, GrantType, TokenRequestInput

# checks-file field -> the secret it names the variable of
ENV_FIELDS = {
    "secret_env": SecretKind.CLIENT_SECRET,
    "password_env": SecretKind.PASSWORD,
    "certificate_password_env": SecretKind.CERTIFICATE_PASSWORD,
}
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,127}$")


class CheckFileError(ValueError):
    """A checks file that cannot be used; `message` names the entry and the field."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CheckEntry:
    """One credential to check: a profile, and the variables its secrets come from."""

    profile: Profile
    env: Mapping[SecretKind, str] = field(default_factory=dict)
    saved: bool = True  # a saved profile (its secrets may be in the keychain)


@dataclass(frozen=True)
class CheckItem:
    """One credential ready to send, or the reason it cannot be (then it fails unsent)."""

    name: str
    profile_id: str  # '' for an entry of a checks file
    inputs: TokenRequestInput | None
    problem: str = ""


def read_checks_file(path: str | Path) -> tuple[list[CheckEntry], tuple[str, ...]]:
    """The entries of a checks file, and warnings (unknown fields dropped).

    Raises:
        CheckFileError: unreadable, too large, not a profiles document, a wrong field or an
            environment variable name that is not one.
    """
    try:
        data = parse_json(read_text_limited(Path(path), pj.MAX_FILE_BYTES))
    except FileProblem as exc:
        raise CheckFileError(exc.message) from None
    except ValueError as exc:
        raise CheckFileError(f"{path} cannot be read: {exc}.") from None
    envs: list[dict[SecretKind, str]] = []
    if isinstance(data, dict) and isinstance(data.get("profiles"), list):
        stripped = []
        for index, raw in enumerate(data["profiles"][: pj.MAX_PROFILES + 1], start=1):
            env: dict[SecretKind, str] = {}
            if isinstance(raw, dict):
                raw = dict(raw)
                for key, kind in ENV_FIELDS.items():
                    if key in raw:
                        env[kind] = _env_name(raw.pop(key), index, key)
            stripped.append(raw)
            envs.append(env)
        data = {**data, "profiles": stripped + data["profiles"][len(stripped) :]}
    try:
        parsed = pj.parse_document(data)
    except pj.ProfileFormatError as exc:
        raise CheckFileError(f"{path}: {exc.message}") from None
    entries = [
        CheckEntry(Profile(**{k: v for k, v in record.items() if k != "id"}), env, saved=False)
        for record, env in zip(parsed.records, envs, strict=False)
    ]
    return entries, parsed.warnings


def _env_name(value: Any, index: int, key: str) -> str:
    if not isinstance(value, str) or not _ENV_NAME.match(value):
        raise CheckFileError(
            f'Profile {index}: "{key}" must be the name of an environment variable (letters, '
            "digits and _), not a secret itself (the value is not repeated here)."
        )
    return value


def needed(profile: Profile) -> dict[SecretKind, bool]:
    """The secrets a profile's request uses, each with whether it cannot go without it."""
    kinds: dict[SecretKind, bool] = {}
    password_grant = profile.grant is GrantType.PASSWORD
    if profile.credential is CredentialKind.SECRET:
        kinds[SecretKind.CLIENT_SECRET] = not password_grant  # a public client sends none
    elif profile.credential is CredentialKind.CERTIFICATE:
        kinds[SecretKind.CERTIFICATE_PASSWORD] = False  # only a PFX or encrypted key has one
    if password_grant:
        kinds[SecretKind.PASSWORD] = True
    return kinds


def plan(
    entries: Iterable[CheckEntry],
    *,
    environ: Mapping[str, str],
    secrets: SecretStore | None = None,
    overrides: Mapping[str, Any] | None = None,
    for_window: bool = False,
) -> list[CheckItem]:
    """Each entry's request inputs, its secrets from its variables, else from the keychain
    (saved profiles that remember them). A secret that cannot be found makes the item fail
    unsent with a plain reason; nothing here prompts or raises for one entry's trouble.

    Args:
        overrides: TokenRequestInput fields set on every item (the sandbox's address, say).
        for_window: word a missing secret for the window (no checks file to point to).
    """
    items = []
    for entry in entries:
        profile, found, problems = entry.profile, {}, []
        if profile.grant in (GrantType.AUTHORIZATION_CODE, GrantType.DEVICE_CODE):
            how = "the Send button" if for_window else f'token --profile "{profile.name}"'
            items.append(CheckItem(profile.name, profile.id if entry.saved else "", None,
                                   "a sign-in needs someone to sign in, so it cannot be checked "
                                   f"unattended; sign in with {how}"))  # fmt: skip
            continue
        for kind, required in needed(profile).items():
            value, problem = _secret(entry, kind, environ, secrets)
            if value is not None:
                found[kind] = value
            elif problem or required:
                problems.append(problem or _missing(entry, kind, for_window))
        if profile.credential is CredentialKind.FEDERATED and not profile.assertion_file:
            problems.append("no assertion file is saved with this profile (a pasted assertion "
                            "is never kept), so it cannot be checked unattended")  # fmt: skip
        inputs = to_input(
            profile,
            client_secret=found.get(SecretKind.CLIENT_SECRET),
            password=found.get(SecretKind.PASSWORD),
            certificate_password=found.get(SecretKind.CERTIFICATE_PASSWORD),
        )
        if overrides:
            inputs = dataclasses.replace(inputs, **overrides)
        inputs = with_default_target(inputs)
        pid = profile.id if entry.saved else ""
        if problems:
            items.append(CheckItem(profile.name, pid, None, "; ".join(problems)))
        else:
            items.append(CheckItem(profile.name, pid, inputs))
    return items


def with_default_target(inputs: TokenRequestInput) -> TokenRequestInput:
    """A profile with neither scope nor resource asks for the cloud's Microsoft Graph, as
    `token --profile` does."""
    from core.token.authority import CLOUDS_BY_KEY, default_target
    from core.token.models import Endpoint

    cloud = CLOUDS_BY_KEY.get(inputs.cloud)
    if inputs.scope or inputs.resource or inputs.token_url or cloud is None:
        return inputs
    target = default_target(cloud, inputs.endpoint)
    if inputs.endpoint is Endpoint.V2:
        return dataclasses.replace(inputs, scope=target)
    return dataclasses.replace(inputs, resource=target)


def _secret(
    entry: CheckEntry, kind: SecretKind, environ: Mapping[str, str], store: SecretStore | None
) -> tuple[Secret | None, str]:
    name = entry.env.get(kind)
    if name:
        value = environ.get(name)
        if value is None:
            return None, f"the environment variable {name} (for the {kind.words}) is not set"
        return Secret(value), ""
    if store is None or not entry.saved or not entry.profile.remember_secret:
        return None, ""
    try:
        return store.get(SecretRef(entry.profile.id, kind)), ""
    except SecretStoreError as exc:
        return None, f"the keychain could not be read: {exc.message}"


def _missing(entry: CheckEntry, kind: SecretKind, for_window: bool = False) -> str:
    field_name = next(k for k, v in ENV_FIELDS.items() if v is kind)
    if entry.saved and for_window:
        return (f"no {kind.words} is remembered in the keychain for this profile (select it, "
                f"tick 'Remember secret in the keychain' and save it)")  # fmt: skip
    if entry.saved:
        return (f"no {kind.words} is remembered in the keychain for this profile (tick "
                f"'Remember secret in the keychain' and save it, or check it from a --file "
                f"entry with \"{field_name}\")")  # fmt: skip
    return f'no {kind.words}: name its environment variable with "{field_name}"'
