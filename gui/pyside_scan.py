"""A cheaper PySide6 import hook: the same "does this module use PySide6" answer, minus `inspect`.

Once PySide6 is imported, its `__feature__` support checks every module imported afterwards for
the text "PySide6" in its source, through `inspect.getsource` (path lookups, an encoding probe
with `tokenize`, `linecache`, a join of every line). Over the ~100 modules the window imports
that took about 15 ms of CPU before the complete window, a tenth of all our start-up work
beyond a bare QMainWindow (tests/benchmarks/gui_startup.py). Reading the `.py` file's bytes
gives the same answer; anything else (no source file, an unreadable one) still goes to
PySide6's own check. The app never selects a `__feature__`, so the answer only matters to
PySide6's bookkeeping, and it stays exact.

WORKAROUND: PySide6 `shibokensupport/feature.py` `_mod_uses_pyside` (PYSIDE-2029).
Importing this module applies it; it is a no-op when PySide6 changes that function's name.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import ModuleType

import PySide6.QtCore  # noqa: F401  (PySide6's import hook is installed with it)

_FEATURE = "shibokensupport.feature"


def _fast(original: Callable[[ModuleType], bool]) -> Callable[[ModuleType], bool]:
    def uses_pyside(module: ModuleType) -> bool:
        path = getattr(module, "__file__", None)
        if not isinstance(path, str) or not path.endswith(".py"):
            return original(module)
        try:
            with open(path, "rb") as source:
                return b"PySide6" in source.read()
        except OSError:
            return original(module)

    uses_pyside.original = original  # type: ignore[attr-defined]
    return uses_pyside


def install() -> bool:
    """Swap in the cheaper check (once); False when PySide6 has no such hook to tune."""
    feature = sys.modules.get(_FEATURE)
    original = getattr(feature, "_mod_uses_pyside", None)
    if feature is None or not callable(original):
        return False
    if not hasattr(original, "original"):
        feature._mod_uses_pyside = _fast(original)  # type: ignore[attr-defined]
    return True


install()
