"""Where remembered secrets live: the OS keychain through keyring, or memory for this run only.

There is never a file fallback. `open_secret_store()` uses keyring only when its backend is a
known system keychain (Secret Service, KDE Wallet, Windows Credential Manager, macOS Keychain);
with keyring's fail or null backends, a plaintext or file backend (keyrings.alt and the like)
or anything unknown, it returns a `MemorySecretStore` that says why in plain words.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from dataclasses import dataclass
from enum import Enum
from typing import Any

from core.redaction import Secret, redact_text

log = logging.getLogger(__name__)

SERVICE = "entra-token-tester"

# keyring backend module -> the keychain's name in plain words.
SYSTEM_KEYCHAINS = {
    "keyring.backends.SecretService": "Secret Service (GNOME Keyring or compatible)",
    "keyring.backends.libsecret": "Secret Service via libsecret (GNOME Keyring or compatible)",
    "keyring.backends.kwallet": "KDE Wallet",
    "keyring.backends.Windows": "Windows Credential Manager",
    "keyring.backends.macOS": "macOS Keychain",
}
MEMORY_ONLY = "secrets are kept in memory for this run only"


class SecretKind(str, Enum):
    """The kinds of secret a profile can remember."""

    CLIENT_SECRET = "client_secret"
    PASSWORD = "password"
    CERTIFICATE_PASSWORD = "certificate_password"  # the PFX or encrypted key's password

    @property
    def words(self) -> str:
        return {"client_secret": "client secret", "password": "password",
                "certificate_password": "certificate password"}[self.value]  # fmt: skip


@dataclass(frozen=True)
class SecretRef:
    """Which secret: a profile's stable id and the kind. Never the value."""

    profile_id: str
    kind: SecretKind

    @property
    def username(self) -> str:
        """The keyring user name: `<profile id>:<kind>`."""
        return f"{self.profile_id}:{self.kind.value}"


class SecretStoreError(Exception):
    """The keychain failed (locked, access denied, service gone); `message` is plain words."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class SecretStore(ABC):
    """Get, set and delete secrets by reference.

    Attributes:
        backend_name: the store in plain words ("macOS Keychain").
        is_secure: True only for a system keychain.
        reason: why secrets are not in a system keychain ('' when they are).
    """

    backend_name: str = ""
    is_secure: bool = False
    reason: str = ""

    @abstractmethod
    def get(self, ref: SecretRef) -> Secret | None:
        """The stored secret, or None. Raises SecretStoreError."""

    @abstractmethod
    def set(self, ref: SecretRef, secret: Secret) -> None:
        """Store a secret (an empty one deletes the entry). Raises SecretStoreError."""

    @abstractmethod
    def delete(self, ref: SecretRef) -> None:
        """Remove a secret; a missing one is fine. Raises SecretStoreError."""

    def delete_profile(self, profile_id: str) -> None:
        """Remove every secret of a profile (when the profile is deleted)."""
        for kind in SecretKind:
            self.delete(SecretRef(profile_id, kind))


class MemorySecretStore(SecretStore):
    """Secrets in this process's memory only: gone when the program ends."""

    backend_name = "Memory only (this run)"
    is_secure = False

    def __init__(self, reason: str = "") -> None:
        self.reason = reason or f"No system keychain is used: {MEMORY_ONLY}."
        self._values: dict[str, Secret] = {}

    def get(self, ref: SecretRef) -> Secret | None:
        return self._values.get(ref.username)

    def set(self, ref: SecretRef, secret: Secret) -> None:
        if not secret:
            self.delete(ref)
            return
        self._values[ref.username] = Secret(secret.reveal())

    def delete(self, ref: SecretRef) -> None:
        self._values.pop(ref.username, None)


def describe_backend(backend: Any) -> tuple[str, bool, str]:
    """A keyring backend as (name in plain words, is a system keychain, reason when not)."""
    cls = type(backend)
    module = cls.__module__
    if module in SYSTEM_KEYCHAINS:
        return SYSTEM_KEYCHAINS[module], True, ""
    label = f"{module}.{cls.__name__}"
    if module == "keyring.backends.fail":
        return "No keychain", False, f"No system keychain was found: {MEMORY_ONLY}."
    if module == "keyring.backends.null":
        return "No keychain", False, f"The keychain is switched off (null backend): {MEMORY_ONLY}."
    if module.startswith(("keyrings.alt", "keyrings.cryptfile")) or "file" in label.lower():
        return label, False, f"The keyring backend {label} keeps secrets in a file: {MEMORY_ONLY}."
    return label, False, f"The keyring backend {label} is not a system keychain: {MEMORY_ONLY}."


def _system_backend(backend: Any) -> Any:
    """The backend to use: for keyring's chainer, its best system keychain (never a file)."""
    if type(backend).__module__ == "keyring.backends.chainer":
        chained = [b for b in backend.backends if describe_backend(b)[1]]
        return chained[0] if chained else backend
    return backend


def _close_leaked_connections(exc: BaseException) -> None:
    """Close D-Bus connections left open in the failing frames.

    WORKAROUND: keyring's SecretService backend opens a connection in
    `get_preferred_collection` and raises InitError/KeyringLocked without closing it.
    """
    tb = exc.__traceback__
    while tb is not None:
        for value in list(tb.tb_frame.f_locals.values()):
            if type(value).__module__.startswith("jeepney") and hasattr(value, "close"):
                try:
                    value.close()
                except Exception:  # closing a broken connection may fail; nothing to do
                    pass
        tb = tb.tb_next


_LOCKED = ("locked", "unlock", "promptdismissed", "dismissed")
_DENIED = ("accessdenied", "access denied", "not allowed", "permission", "denied")
_GONE = (
    "dbus",
    "d-bus",
    "not available",
    "not provided",
    "serviceunknown",
    "no such",
    "connection",
    "socket",
    "initerror",
)


def _plain_reason(exc: BaseException) -> str:
    words = f"{type(exc).__name__} {exc}".lower()
    if any(w in words for w in _LOCKED):
        return (
            "the keychain is locked. Unlock it (log in to the desktop session or open your "
            "keychain app) and try again."
        )
    if any(w in words for w in _DENIED) or isinstance(exc, PermissionError):
        return "the keychain refused access."
    if any(w in words for w in _GONE) or isinstance(exc, (ConnectionError, OSError)):
        return "the keychain service cannot be reached (is the desktop keyring running?)."
    return f"the keychain reported an error ({type(exc).__name__})."


class KeyringSecretStore(SecretStore):
    """Secrets in a keyring backend under service `entra-token-tester`, user `<id>:<kind>`."""

    def __init__(self, backend: Any = None) -> None:
        if backend is None:
            import keyring

            backend = keyring.get_keyring()
        self._backend = _system_backend(backend)
        self.backend_name, self.is_secure, self.reason = describe_backend(self._backend)

    def _fail(
        self, exc: Exception, verb: str, ref: SecretRef, value: Secret | None = None
    ) -> SecretStoreError:
        _close_leaked_connections(exc)
        detail = redact_text(f"{type(exc).__name__}: {exc}", [value])
        log.warning("keychain %s of %s failed: %s", verb, ref.username, detail)
        return SecretStoreError(
            f"Could not {verb} the {ref.kind.words} in the keychain ({self.backend_name}): "
            f"{_plain_reason(exc)}"
        )

    def get(self, ref: SecretRef) -> Secret | None:
        try:
            value = self._backend.get_password(SERVICE, ref.username)
        except Exception as exc:  # any backend failure becomes one typed error
            raise self._fail(exc, "read", ref) from None
        return Secret(value) if value else None

    def set(self, ref: SecretRef, secret: Secret) -> None:
        if not secret:
            self.delete(ref)
            return
        try:
            self._backend.set_password(SERVICE, ref.username, secret.reveal())
        except Exception as exc:  # any backend failure becomes one typed error
            raise self._fail(exc, "save", ref, secret) from None

    def delete(self, ref: SecretRef) -> None:
        if self.get(ref) is None:
            return
        try:
            self._backend.delete_password(SERVICE, ref.username)
        except Exception as exc:  # any backend failure becomes one typed error
            raise self._fail(exc, "remove", ref) from None


def sync_profile_secrets(
    store: SecretStore,
    profile_id: str,
    remember: bool,
    secrets: dict[SecretKind, Secret | None],
) -> None:
    """Make the store match a profile's "remember" option after it is saved.

    With `remember`, each given secret is stored (an empty one removes its entry); without
    it, every secret of the profile is removed. Raises SecretStoreError.
    """
    if not remember:
        store.delete_profile(profile_id)
        return
    for kind, value in secrets.items():
        store.set(SecretRef(profile_id, kind), value or Secret(""))


def open_secret_store(backend: Any = None) -> SecretStore:
    """The store to use: the system keychain when keyring has one, else memory for this run.

    Args:
        backend: a keyring backend to judge instead of keyring's own choice.
    """
    if backend is None:
        try:
            import keyring

            backend = keyring.get_keyring()
        except Exception as exc:  # a broken keyring configuration must not stop the app
            log.warning("keyring could not start: %s", exc)
            return MemorySecretStore(f"The keychain could not be opened: {MEMORY_ONLY}.")
    store = KeyringSecretStore(backend)
    if store.is_secure:
        return store
    return MemorySecretStore(store.reason)
