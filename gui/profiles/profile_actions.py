"""The profile panel's actions: new, duplicate (with its keychain copy), rename, delete, history.

Each function does the store work and shows its own dialogs (confirmations and problems, with
`parent` as their parent); the panel refreshes its list and emits its signals afterwards.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QWidget

from core.store.config import FileProblem
from core.store.history import HistoryStore
from core.store.profiles import Profile, ProfileError, ProfileStore
from core.store.secret_store import SecretKind, SecretRef, SecretStore, SecretStoreError
from core.token.authority import default_target, get_cloud
from core.token.models import Endpoint

Button = QMessageBox.StandardButton


def ask_save_changes(parent: QWidget, profile: Profile | None) -> QMessageBox.StandardButton:
    """Ask Save / Discard / Cancel about unsaved changes to `profile` (None: a new one)."""
    what = f"the profile “{profile.name}”" if profile else "a new profile"
    return QMessageBox.question(
        parent,
        "Unsaved changes",
        f"The form has changes not saved to {what}. Save them?",
        Button.Save | Button.Discard | Button.Cancel,
        Button.Save,
    )


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
        QMessageBox.warning(parent, "Profile not renamed", exc.message)
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
        QMessageBox.warning(parent, "Profile not duplicated", exc.message)
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
    answer = QMessageBox.question(
        parent,
        "Delete profile",
        f"Delete the profile “{profile.name}”? Its remembered secret is removed from the "
        "keychain and its history is cleared. This cannot be undone.",
        Button.Yes | Button.No,
        Button.No,
    )
    if answer != Button.Yes:
        return False
    try:
        profiles.delete(profile.id)
    except ProfileError as exc:
        QMessageBox.warning(parent, "Profile not deleted", exc.message)
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
        QMessageBox.warning(parent, "Profile deleted", "\n\n".join(problems))
    return True


def clear_history(parent: QWidget, history: HistoryStore, profile: Profile) -> None:
    """Clear a profile's history (a problem is shown)."""
    try:
        history.clear(profile.id)
    except FileProblem as exc:
        QMessageBox.warning(parent, "History not cleared", exc.message)
