"""The cheaper PySide6 import check gives PySide6's own answer for every kind of module."""

from __future__ import annotations

import importlib
import sys

import pytest

from gui import pyside_scan


@pytest.mark.parametrize(
    "name",
    ["gui.theme", "gui.main_window", "core.redaction", "json", "sys", "PySide6.QtCore",
     "_hashlib"],
)  # fmt: skip
def test_same_answer_as_pyside(name: str) -> None:
    """Source with "PySide6", source without, a builtin, an extension: the answers agree."""
    assert pyside_scan.install()
    check = sys.modules["shibokensupport.feature"]._mod_uses_pyside
    module = importlib.import_module(name)
    assert check.original(module) is check(module)
    assert check(module) is name.startswith("gui.")  # an extension module has no source


def test_installed_once() -> None:
    """Installing twice keeps one wrapper around PySide6's own check."""
    pyside_scan.install()
    first = sys.modules["shibokensupport.feature"]._mod_uses_pyside
    pyside_scan.install()
    assert sys.modules["shibokensupport.feature"]._mod_uses_pyside is first
    assert not hasattr(first.original, "original")
