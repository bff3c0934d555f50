"""Core test fixtures: no real keychain or home folder, and a private Secret Service on demand."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import keyring.core
import pytest

from tests.core.keychain import REQUIRE_ENV, SecretService, missing_programs, private_secret_service


@pytest.fixture
def config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temporary config folder; HOME and the XDG folders point into tmp_path too."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    folder = tmp_path / "config"
    monkeypatch.setenv("ENTRA_TOKEN_TESTER_CONFIG_DIR", str(folder))
    return folder


@pytest.fixture
def secret_service(monkeypatch: pytest.MonkeyPatch) -> Iterator[SecretService]:
    """A real, private, unlocked Secret Service, set as keyring's backend for the test.

    Skips when dbus-daemon or gnome-keyring-daemon is missing, unless ETT_REQUIRE_KEYCHAIN=1
    (as in CI), where a missing program is a failure.
    """
    missing = missing_programs()
    if missing:
        reason = f"needs {' and '.join(missing)} (apt-get install gnome-keyring dbus)"
        if os.environ.get(REQUIRE_ENV) == "1":
            pytest.fail(f"{REQUIRE_ENV}=1 but the keychain tests cannot run: {reason}")
        pytest.skip(reason)
    from keyring.backends import SecretService as secret_service_backend

    with private_secret_service() as service:
        monkeypatch.setattr(keyring.core, "_keyring_backend", secret_service_backend.Keyring())
        yield service
