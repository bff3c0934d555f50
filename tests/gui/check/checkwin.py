"""Saved profiles of sandbox scenarios, their secrets in an in-memory keychain, for the
check-all window tests."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from core.redaction import Secret
from core.sandbox import Sandbox, scenarios
from core.store.profile import Profile, from_input
from core.store.profiles import ProfileStore
from core.store.secret_store import KeyringSecretStore, SecretKind, SecretRef
from gui.form.form_data import input_from_strings
from tests.fakes.memory_keyring import MemoryKeyring

SCENARIOS = {s.key: s for s in scenarios()}
SECRET_FIELDS = {"client_secret": SecretKind.CLIENT_SECRET, "password": SecretKind.PASSWORD,
                 "certificate_password": SecretKind.CERTIFICATE_PASSWORD}  # fmt: skip


def seed(
    folder: Path, sandbox: Sandbox, keys: list[str], *, forget: tuple[str, ...] = ()
) -> tuple[KeyringSecretStore, list[Profile], list[str]]:
    """Save one profile per scenario (named by its title, "#2" on for a repeat), its secrets
    remembered in a memory keychain except for the keys in `forget` (saved without them);
    returns the keychain, the profiles and every secret value used."""
    store = ProfileStore(folder)
    secrets = KeyringSecretStore(MemoryKeyring())
    saved: list[Profile] = []
    values: list[str] = []
    for index, key in enumerate(keys):
        form = sandbox.scenario_form(SCENARIOS[key].form)
        inputs = input_from_strings(form, authority=sandbox.base_url)
        repeat = keys[:index].count(key)
        name = SCENARIOS[key].title + (f" #{repeat + 1}" if repeat else "")
        profile = store.save(dataclasses.replace(from_input(inputs, name),
                                                 remember_secret=key not in forget))  # fmt: skip
        for field, kind in SECRET_FIELDS.items():
            if form.get(field):
                values.append(form[field])
                if key not in forget:
                    secrets.set(SecretRef(profile.id, kind), Secret(form[field]))
        saved.append(profile)
    return secrets, saved, values
