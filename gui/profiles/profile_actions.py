"""The profile panel's actions: new, duplicate (with its keychain copy), rename, delete, history.

Each function does the store work and shows its own dialogs (confirmations and problems, with
`parent` as their parent); the panel refreshes its list and emits its signals afterwards.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from PySide6.QtWidgets import QWidget

from core.store.config import FileProblem
from core.store.history import HistoryStore
from core.store.profile import Profile, ProfileError
from core.store.profiles import ProfileStore
from core.store.secret_store import SecretKind, SecretRef, SecretStore, SecretStoreError
from core.token.authority import default_target, get_cloud
from core.token.models import Endpoint
from gui import messages
from gui.messages import Role

LeaveChoice = Literal["save", "discard", "stay"]


def ask_save_changes(parent: QWidget, profile: Profile | None) -> LeaveChoice:
    """Ask Save changes / Discard changes / Cancel about unsaved changes to `profile`."""
    what = f"the profile “{profile.name}”" if profile else "a new profile"
    choices = {
        "save": ("&Save changes", Role.AcceptRole),
        "discard": ("&Discard changes", Role.DestructiveRole),
        "stay": ("Cancel", Role.RejectRole),
    }
    text = f"The form has changes not saved to {what}. Save them?"
    answer = messages.ask(parent, "Unsaved changes", text, choices, default="save")
    return "save" if answer == "save" else "discard" if answer == "discard" else "stay"


def blank_profile(profiles: ProfileStore) -> Profile:
    """A new, unsaved profile with a unique name and the global v2.0 default scope."""
    name = profiles.unique_name("New profile")
    return Profile(name=name, scope=default_target(get_cloud("global"), Endpoint.V2))


def rename_profile(parent: QWidget, profiles: ProfileStore, profile_id: str, name: str) -> bool:
    """Rename a profile (a refusal is shown); True when a rename was tried."""
    profile = profiles.get(profile_id)
    if profile is None or name == profile.name:
        return False
    try:
        profiles.rename(profile_id, name)
    except ProfileError as exc:
        messages.tell(parent, "Profile not renamed", exc.message)
    return True


def duplicate_profile(
    parent: QWidget,
    profiles: ProfileStore,
    secrets: SecretStore,
    source: Profile,
    report: Callable[[str], None],
) -> Profile | None:
    """Save a copy of `source`, with its remembered secrets; None after a shown refusal."""
    try:
        copy = profiles.duplicate(source.id)
    except ProfileError as exc:
        messages.tell(parent, "Profile not duplicated", exc.message)
        return None
    if source.remember_secret:
        copy_secrets(secrets, source.id, copy.id, report)
    return copy


def copy_secrets(
    secrets: SecretStore, source_id: str, target_id: str, report: Callable[[str], None]
) -> None:
    """Copy every remembered secret of one profile to another; a keychain problem is reported."""
    try:
        for kind in SecretKind:
            value = secrets.get(SecretRef(source_id, kind))
            if value is not None:
                secrets.set(SecretRef(target_id, kind), value)
    except SecretStoreError as exc:
        report(f"The copy has no remembered secret: {exc.message}")


def delete_profile(
    parent: QWidget,
    profile: Profile,
    profiles: ProfileStore,
    secrets: SecretStore,
    history: HistoryStore,
) -> bool:
    """After a confirmation, delete a profile, its secrets and its history; True when deleted."""
    text = (
        f"Delete the profile “{profile.name}”? Its remembered secret is removed from the "
        "keychain and its history is cleared. This cannot be undone."
    )
    choices = {"delete": ("&Delete profile", Role.DestructiveRole),
               "keep": ("&Keep profile", Role.RejectRole)}  # fmt: skip
    if messages.ask(parent, "Delete profile", text, choices, default="keep") != "delete":
        return False
    try:
        profiles.delete(profile.id)
    except ProfileError as exc:
        messages.tell(parent, "Profile not deleted", exc.message)
        return False
    problems = []
    try:
        secrets.delete_profile(profile.id)
    except SecretStoreError as exc:
        problems.append(f"Its secret may remain in the keychain: {exc.message}")
    try:
        history.clear(profile.id)
    except FileProblem as exc:
        problems.append(exc.message)
    if problems:
        messages.tell(parent, "Profile deleted", "\n\n".join(problems))
    return True


def clear_history(parent: QWidget, history: HistoryStore, profile: Profile) -> None:
    """Clear a profile's history (a problem is shown)."""
    try:
        history.clear(profile.id)
    except FileProblem as exc:
        messages.tell(parent, "History not cleared", exc.message)
