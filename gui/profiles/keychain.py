"""The window's secret store: opened lazily off the UI thread, one keychain call at a time (no Qt).

keyring is a heavy import and a keychain call can block (a locked keychain may prompt on the
desktop), so the window opens the store and runs its calls on worker threads. The functions
below are what those workers run.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from core.redaction import Secret
from core.store.secret_store import SecretKind, SecretRef, SecretStore, sync_profile_secrets

OPENING = "Opening the keychain…"


class LazySecretStore(SecretStore):
    """A `SecretStore` that opens the real one (keyring's choice) on first use.

    Calls are serialised: a keychain backend need not be thread-safe, and a save followed by a
    load must not overtake each other.

    Args:
        opener: makes the real store (default: `core.store.secret_store.open_secret_store`).
        store: an already open store to use instead (tests inject one).
    """

    def __init__(
        self,
        opener: Callable[[], SecretStore] | None = None,
        store: SecretStore | None = None,
    ) -> None:
        self._opener = opener
        self._store = store
        self._lock = threading.RLock()

    def open(self) -> SecretStore:
        """The real store, opening it first if needed (slow: call it on a worker)."""
        with self._lock:
            if self._store is None:
                if self._opener is None:
                    from core.store.secret_store import open_secret_store

                    self._store = open_secret_store()
                else:
                    self._store = self._opener()
            return self._store

    @property
    def is_open(self) -> bool:
        return self._store is not None

    @property  # type: ignore[override]
    def backend_name(self) -> str:
        return self._store.backend_name if self._store is not None else OPENING

    @property  # type: ignore[override]
    def is_secure(self) -> bool:
        return self._store.is_secure if self._store is not None else False

    @property  # type: ignore[override]
    def reason(self) -> str:
        return self._store.reason if self._store is not None else OPENING

    def get(self, ref: SecretRef) -> Secret | None:
        with self._lock:
            return self.open().get(ref)

    def set(self, ref: SecretRef, secret: Secret) -> None:
        with self._lock:
            self.open().set(ref, secret)

    def delete(self, ref: SecretRef) -> None:
        with self._lock:
            self.open().delete(ref)


Secrets = dict[SecretKind, Secret | None]


def load_secrets(store: SecretStore, profile_id: str) -> tuple[str, Secrets]:
    """A profile's remembered secrets (runs on a worker); raises SecretStoreError."""
    return profile_id, {kind: store.get(SecretRef(profile_id, kind)) for kind in SecretKind}


def save_secrets(
    store: SecretStore, profile_id: str, remember: bool, secrets: Secrets
) -> tuple[str, bool]:
    """Make the keychain match a saved profile (runs on a worker); raises SecretStoreError."""
    sync_profile_secrets(store, profile_id, remember, secrets)
    return profile_id, remember
