"""Secret storage: the real Secret Service, the in-memory fallback, and plain-worded failures."""

from __future__ import annotations

import logging
from pathlib import Path

import keyring
import keyring.backend
import pytest
from keyring.backends import SecretService, chainer, fail, null
from keyring.errors import KeyringLocked

from core.redaction import Secret
from core.store.history import HistoryStore, entry_from_result
from core.store.profile import Profile
from core.store.profiles import ProfileStore
from core.store.secret_store import (
    SERVICE,
    KeyringSecretStore,
    MemorySecretStore,
    SecretKind,
    SecretRef,
    SecretStoreError,
    open_secret_store,
    sync_profile_secrets,
)
from core.token.models import TokenRequestInput
from core.token.request import build_request
from core.token.result import Outcome, TokenFields, TokenResult
from tests.core.keychain import SecretService as PrivateService
from tests.fakes.memory_keyring import MemoryKeyring

SECRET = "Xk8Q~keychain-test-secret-0123456789abcd"
PASSWORD = "correct horse battery staple 42!"
REF = SecretRef("0b5b6d4e-1111-4c2e-9d7a-5f1e2a3b4c5d", SecretKind.CLIENT_SECRET)


class PlaintextKeyring(MemoryKeyring):
    """Stands in for keyrings.alt's file backend: only its module name matters here."""

    priority = 20  # type: ignore[assignment]


PlaintextKeyring.__module__ = "keyrings.alt.file"


def test_memory_store_round_trip_is_not_secure() -> None:
    """The memory store keeps, returns and forgets a secret, and never claims to be secure."""
    store = MemorySecretStore()
    store.set(REF, Secret(SECRET))
    assert store.get(REF) == Secret(SECRET)
    store.set(REF, Secret(""))  # an empty secret removes the entry
    assert store.get(REF) is None
    assert store.is_secure is False
    assert "memory for this run only" in store.reason


def test_keyring_store_uses_one_service_and_id_kind_user_names() -> None:
    """Entries go under service entra-token-tester, user `<profile id>:<kind>`."""
    backend = MemoryKeyring()
    store = KeyringSecretStore(backend)
    store.set(REF, Secret(SECRET))
    store.set(SecretRef(REF.profile_id, SecretKind.PASSWORD), Secret(PASSWORD))
    assert backend.entries == {
        (SERVICE, f"{REF.profile_id}:client_secret"): SECRET,
        (SERVICE, f"{REF.profile_id}:password"): PASSWORD,
    }
    store.delete_profile(REF.profile_id)
    assert backend.entries == {}
    store.delete(REF)  # deleting what is not there is fine


@pytest.mark.parametrize(
    ("backend", "words"),
    [
        (fail.Keyring(), "No system keychain was found"),
        (null.Keyring(), "switched off"),
        (PlaintextKeyring(), "keeps secrets in a file"),
        (MemoryKeyring(), "not a system keychain"),
    ],
)
def test_no_secure_backend_gives_memory_store_with_reason(backend: object, words: str) -> None:
    """Fail, null, plaintext and unknown backends give the memory store, never a file."""
    store = open_secret_store(backend)
    assert isinstance(store, MemorySecretStore)
    assert store.is_secure is False
    assert words in store.reason
    assert "memory for this run only" in store.reason


def test_missing_keychain_from_keyrings_own_choice() -> None:
    """With keyring's fail backend set globally, the app gets a session-only memory store."""
    keyring.set_keyring(fail.Keyring())
    store = open_secret_store()
    assert isinstance(store, MemorySecretStore) and not store.is_secure
    store.set(REF, Secret(SECRET))
    assert store.get(REF) == Secret(SECRET)


@pytest.mark.parametrize(
    ("error", "words"),
    [
        (KeyringLocked("Failed to unlock the collection!"), "locked"),
        (PermissionError(13, "Permission denied"), "refused access"),
        (ConnectionRefusedError(111, "Connection refused"), "cannot be reached"),
        (RuntimeError("something odd"), "reported an error (RuntimeError)"),
    ],
)
def test_backend_errors_become_one_plain_error(
    error: Exception, words: str, caplog: pytest.LogCaptureFixture
) -> None:
    """Any backend failure is a SecretStoreError in plain words, without the secret."""
    backend = MemoryKeyring()
    store = KeyringSecretStore(backend)
    backend.fail_with = error
    for call in (lambda: store.set(REF, Secret(SECRET)), lambda: store.get(REF)):
        with pytest.raises(SecretStoreError) as info:
            call()
        assert words in info.value.message
        assert "client secret" in info.value.message
    assert SECRET not in caplog.text


@pytest.mark.keychain
def test_real_secret_service_round_trip(secret_service: PrivateService) -> None:
    """Set, get and delete through the real Secret Service, reported as a secure keychain."""
    store = open_secret_store()
    assert isinstance(store, KeyringSecretStore)
    assert store.is_secure and store.backend_name.startswith("Secret Service")
    store.set(REF, Secret(SECRET))
    assert store.get(REF) == Secret(SECRET)
    assert keyring.get_password(SERVICE, REF.username) == SECRET  # really in the keychain
    store.set(REF, Secret(SECRET + "-rotated"))
    assert store.get(REF) == Secret(SECRET + "-rotated")
    store.delete(REF)
    assert store.get(REF) is None


@pytest.mark.keychain
def test_chained_backends_use_the_keychain_never_a_file(
    secret_service: PrivateService, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When keyring chains a file backend before the keychain, only the keychain is used."""
    plaintext = PlaintextKeyring()
    real = SecretService.Keyring()
    monkeypatch.setattr(keyring.backend, "get_all_keyring", lambda: [plaintext, real])
    store = open_secret_store(chainer.ChainerBackend())
    assert store.is_secure
    store.set(REF, Secret(SECRET))
    assert plaintext.entries == {}
    assert real.get_password(SERVICE, REF.username) == SECRET


@pytest.mark.keychain
def test_secret_is_in_no_file_under_the_config_folder(
    secret_service: PrivateService, config_dir: Path
) -> None:
    """A remembered secret reaches the keychain only: not the profiles or history files."""
    store = ProfileStore(config_dir)
    profile = store.save(Profile(name="Contoso", client_id="app", remember_secret=True))
    secrets = open_secret_store()
    secrets.set(SecretRef(profile.id, SecretKind.CLIENT_SECRET), Secret(SECRET))
    inputs = TokenRequestInput(
        tenant="contoso.onmicrosoft.com", client_id="app", client_secret=Secret(SECRET)
    )
    token = "eyJ0eXAiOiJKV1QifQ.eyJyb2xlcyI6WyJhIl19.c2ln"
    result = TokenResult(
        outcome=Outcome.TOKEN,
        request=build_request(inputs),
        status=200,
        body_text=f'{{"access_token": "{token}"}}',
        token=TokenFields(token_type="Bearer", access_token=Secret(token), expires_in=3599),
    )
    HistoryStore(config_dir).add(profile.id, entry_from_result(result, roles=("a",)))
    files = [p for p in config_dir.rglob("*") if p.is_file()]
    assert {p.name for p in files} == {"profiles.json", "history.json", "profiles.json.lock",
                                       "history.json.lock"}  # fmt: skip
    for path in files:
        data = path.read_bytes()
        assert SECRET.encode() not in data and token.encode() not in data
    keyring_files = [p for p in secret_service.data_dir.rglob("*") if p.is_file()]
    assert keyring_files, "the keyring daemon wrote its (encrypted) store"
    assert all(SECRET.encode() not in p.read_bytes() for p in keyring_files)


@pytest.mark.keychain
def test_locked_keychain_gives_a_clear_error_and_keeps_entries(
    secret_service: PrivateService,
) -> None:
    """A locked collection fails with 'locked' in plain words; the stored secret survives."""
    store = open_secret_store()
    store.set(REF, Secret(SECRET))
    secret_service.lock()
    for call in (lambda: store.get(REF), lambda: store.set(REF, Secret("other"))):
        with pytest.raises(SecretStoreError) as info:
            call()
        assert "locked" in info.value.message and "Unlock it" in info.value.message


@pytest.mark.keychain
def test_keychain_service_gone_gives_a_clear_error(
    secret_service: PrivateService, caplog: pytest.LogCaptureFixture
) -> None:
    """When the keyring daemon and then D-Bus disappear, calls fail in plain words."""
    store = open_secret_store()
    store.set(REF, Secret(SECRET))
    secret_service.stop_daemon()
    with caplog.at_level(logging.WARNING), pytest.raises(SecretStoreError) as info:
        store.get(REF)
    assert "cannot be reached" in info.value.message
    secret_service.stop_bus()
    with pytest.raises(SecretStoreError) as info:
        store.set(REF, Secret(SECRET))
    assert "cannot be reached" in info.value.message
    assert SECRET not in caplog.text


def test_sync_follows_the_remember_option() -> None:
    """Remembering stores the given secrets (empty removes); forgetting removes them all."""
    backend = MemoryKeyring()
    store = KeyringSecretStore(backend)
    pid = REF.profile_id
    both = {SecretKind.CLIENT_SECRET: Secret(SECRET), SecretKind.PASSWORD: Secret(PASSWORD)}
    sync_profile_secrets(store, pid, True, both)
    assert len(backend.entries) == 2
    sync_profile_secrets(store, pid, True, {SecretKind.PASSWORD: None})
    assert list(backend.entries) == [(SERVICE, f"{pid}:client_secret")]
    sync_profile_secrets(store, pid, False, {})
    assert backend.entries == {}
