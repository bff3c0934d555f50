"""A private, unlocked Secret Service for tests: its own D-Bus session and gnome-keyring-daemon.

Nothing touches the user's session bus or home: the bus listens in a temporary folder, the
keyring daemon's HOME, XDG_DATA_HOME and XDG_RUNTIME_DIR are in that folder too, and both
processes are killed at the end.
"""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

PROGRAMS = ("dbus-daemon", "gnome-keyring-daemon")
REQUIRE_ENV = "ETT_REQUIRE_KEYCHAIN"
UNLOCK_PASSWORD = "test-keyring-password"
START_TIMEOUT_S = 10.0

_BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir={folder}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


def missing_programs() -> list[str]:
    """The programs this needs that are not installed."""
    return [name for name in PROGRAMS if shutil.which(name) is None]


@dataclass
class SecretService:
    """A running private Secret Service: its bus address, folders and processes."""

    address: str
    root: Path
    data_dir: Path
    bus: subprocess.Popen[bytes]
    daemon: subprocess.Popen[bytes]

    def stop_daemon(self) -> None:
        """Kill the keyring daemon (the bus stays): the Secret Service is gone."""
        _stop(self.daemon)

    def stop_bus(self) -> None:
        """Kill the bus: D-Bus itself is gone."""
        _stop(self.bus)

    def lock(self) -> None:
        """Lock the default collection, as a screen lock or a timeout would."""
        import secretstorage

        connection = secretstorage.dbus_init()
        try:
            secretstorage.get_default_collection(connection).lock()
        finally:
            connection.close()


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.kill()
    process.wait(timeout=5)
    for stream in (process.stdin, process.stdout, process.stderr):
        if stream is not None:
            stream.close()


def _read_address(bus: subprocess.Popen[bytes]) -> str:
    assert bus.stdout is not None
    ready, _, _ = select.select([bus.stdout], [], [], START_TIMEOUT_S)
    line = bus.stdout.readline().decode().strip() if ready else ""
    if not line:
        raise RuntimeError("dbus-daemon did not print its address")
    return line


def _wait_unlocked(address: str) -> None:
    import secretstorage

    deadline = time.monotonic() + START_TIMEOUT_S
    last: Exception | None = None
    while time.monotonic() < deadline:
        try:
            connection = secretstorage.dbus_init()
        except Exception as exc:
            last = exc
        else:
            try:
                if secretstorage.check_service_availability(connection):
                    collection = secretstorage.get_default_collection(connection)
                    if not collection.is_locked():
                        return
            except Exception as exc:
                last = exc
            finally:
                connection.close()
        time.sleep(0.05)
    raise RuntimeError(f"the private Secret Service did not come up on {address}: {last}")


@contextmanager
def private_secret_service() -> Iterator[SecretService]:
    """Start a private bus and an unlocked gnome-keyring-daemon; stop both afterwards.

    The caller must point DBUS_SESSION_BUS_ADDRESS at `address` for code under test; this
    sets it for the duration (and restores the previous value).
    """
    root = Path(tempfile.mkdtemp(prefix="ett-kr-"))  # short: a socket path has a length limit
    run_dir, data_dir, home = root / "run", root / "data", root / "home"
    for folder in (run_dir, data_dir, home):
        folder.mkdir(mode=0o700)
    config = root / "bus.conf"
    config.write_text(_BUS_CONFIG.format(folder=root))
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "XDG_DATA_HOME": str(data_dir),
        "XDG_RUNTIME_DIR": str(run_dir),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "LANG": "C.UTF-8",
    }
    bus = subprocess.Popen(
        ["dbus-daemon", f"--config-file={config}", "--nofork", "--print-address=1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    daemon: subprocess.Popen[bytes] | None = None
    previous = os.environ.get("DBUS_SESSION_BUS_ADDRESS")
    try:
        address = _read_address(bus)
        env["DBUS_SESSION_BUS_ADDRESS"] = address
        daemon = subprocess.Popen(
            ["gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets"],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        assert daemon.stdin is not None
        daemon.stdin.write(UNLOCK_PASSWORD.encode())
        daemon.stdin.close()
        os.environ["DBUS_SESSION_BUS_ADDRESS"] = address
        _wait_unlocked(address)
        yield SecretService(address, root, data_dir, bus, daemon)
    finally:
        if previous is None:
            os.environ.pop("DBUS_SESSION_BUS_ADDRESS", None)
        else:
            os.environ["DBUS_SESSION_BUS_ADDRESS"] = previous
        if daemon is not None:
            _stop(daemon)
        _stop(bus)
        shutil.rmtree(root, ignore_errors=True)
