"""Before Qt loads: no display and missing system libraries give one plain message."""

from __future__ import annotations

import pytest

from gui import platform_check


def test_no_display_names_the_command_line(monkeypatch: pytest.MonkeyPatch) -> None:
    """Linux with neither DISPLAY nor WAYLAND_DISPLAY (and no headless platform): the message."""
    monkeypatch.setattr(platform_check.sys, "platform", "linux")
    assert platform_check.display_problem({}) == platform_check.NO_DISPLAY
    assert platform_check.display_problem({"QT_QPA_PLATFORM": "offscreen"}) == ""


def test_missing_xcb_libraries_are_named_with_their_packages(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """On X11, libraries the loader cannot find are named with the apt package to install."""
    monkeypatch.setattr(platform_check.sys, "platform", "linux")
    monkeypatch.setattr(platform_check, "_found", lambda name: "xcb" not in name)
    monkeypatch.setattr(platform_check, "_confirmed", lambda names, plugin: ["libxcb-cursor.so.0"])
    message = platform_check.display_problem({"DISPLAY": ":0"})
    assert "libxcb-cursor.so.0" in message and "apt-get install libxcb-cursor0" in message
    assert "main.py token --help" in message


def test_libraries_found_or_unconfirmed_let_qt_start(monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing missing, or a suspicion ldd does not confirm: no message (Qt starts)."""
    monkeypatch.setattr(platform_check.sys, "platform", "linux")
    monkeypatch.setattr(platform_check, "_found", lambda name: True)
    assert platform_check.display_problem({"DISPLAY": ":0"}) == ""
    monkeypatch.setattr(platform_check, "_found", lambda name: False)
    monkeypatch.setattr(platform_check, "_confirmed", lambda names, plugin: [])
    assert platform_check.display_problem({"WAYLAND_DISPLAY": "wayland-0"}) == ""


def test_qt_import_error_names_the_package() -> None:
    """Qt's ImportError for a missing shared library becomes the package advice."""
    error = ImportError("libEGL.so.1: cannot open shared object file: No such file or directory")
    assert "apt-get install libegl1" in platform_check.explain_import_error(error)
    assert platform_check.explain_import_error(ImportError("No module named x")) == ""
