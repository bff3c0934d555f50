"""Before Qt loads: is there a display, and are the system libraries Qt needs installed?

Qt aborts the process when it finds no display or misses a library ("reinstalling may fix this
problem"); this says instead, in one plain message, what is wrong and what to install. It
imports no Qt, and its usual path costs a few file checks.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import sys
from collections.abc import Mapping
from pathlib import Path

NO_DISPLAY = (
    "No display found: the window needs a graphical session (DISPLAY or WAYLAND_DISPLAY is "
    "not set). The command line works without one: `main.py token --help`."
)
# Library file -> Debian/Ubuntu package (README lists them; .ci/run installs the core set).
PACKAGES = {
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libOpenGL.so.0": "libopengl0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libglib-2.0.so.0": "libglib2.0-0t64 (libglib2.0-0 before Debian 13 / Ubuntu 24.04)",
    "libdbus-1.so.3": "libdbus-1-3",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libwayland-client.so.0": "libwayland-client0",
}
_CORE = ("libEGL.so.1", "libGL.so.1", "libxkbcommon.so.0", "libfontconfig.so.1",
         "libglib-2.0.so.0", "libdbus-1.so.3")  # fmt: skip
_XCB = ("libxcb-cursor.so.0", "libxcb-icccm.so.4", "libxcb-keysyms.so.1", "libxcb-image.so.0",
        "libxcb-render-util.so.0", "libxcb-shape.so.0", "libxkbcommon-x11.so.0")  # fmt: skip
_HEADLESS = ("offscreen", "minimal", "vnc", "eglfs", "linuxfb")
_MISSING_SO = re.compile(r"(lib[\w.+-]+\.so(?:\.\d+)*)")


def display_problem(environ: Mapping[str, str] = os.environ) -> str:
    """A plain message when the window cannot open here ('' when it should)."""
    if not sys.platform.startswith("linux"):
        return ""
    platform = environ.get("QT_QPA_PLATFORM", "").split(":")[0].split(";")[0]
    headless = platform.startswith(_HEADLESS)
    if not headless and not (environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY")):
        return NO_DISPLAY
    wanted = _CORE
    plugin = ""
    if not headless and (platform == "xcb" or not environ.get("WAYLAND_DISPLAY")):
        wanted, plugin = _CORE + _XCB, "libqxcb.so"
    missing = [name for name in wanted if not _found(name)]
    if missing:
        missing = _confirmed(missing, plugin)
    return missing_message(missing) if missing else ""


def missing_message(libraries: list[str]) -> str:
    """Which packages to install for these missing libraries."""
    packages = sorted({PACKAGES.get(lib, lib) for lib in libraries})
    return (
        "The window cannot start: Qt needs system libraries that are not installed ("
        + ", ".join(libraries)
        + "). On Debian or Ubuntu: sudo apt-get install "
        + " ".join(p.split(" ")[0] for p in packages)
        + ". The command line works without them: `main.py token --help`."
    )


def explain_import_error(exc: ImportError) -> str:
    """A missing-library message for Qt's ImportError ('' when it is another problem)."""
    found = _MISSING_SO.search(str(exc))
    if "cannot open shared object" not in str(exc) or not found:
        return ""
    return missing_message([found.group(1)])


def _library_dirs() -> list[Path]:
    arch = getattr(sys.implementation, "_multiarch", "")  # CPython's; sysconfig costs ~2 ms
    if not arch:
        import sysconfig

        arch = sysconfig.get_config_var("MULTIARCH") or ""
    dirs = [f"/usr/lib/{arch}", f"/lib/{arch}"] if arch else []
    dirs += ["/usr/lib64", "/lib64", "/usr/lib", "/lib"]
    extra = os.environ.get("LD_LIBRARY_PATH", "")
    return [Path(d) for d in (*extra.split(os.pathsep), *dirs) if d]


def _found(name: str) -> bool:
    return any((folder / name).exists() for folder in _library_dirs())


def _confirmed(suspects: list[str], plugin: str) -> list[str]:
    """Of the libraries not seen in the usual folders, those the loader really cannot find
    (ldd on Qt's own libraries); none when that cannot be asked (then Qt says it)."""
    import subprocess  # only when a library seems missing

    spec = importlib.util.find_spec("PySide6")
    ldd = shutil.which("ldd")
    if spec is None or not spec.submodule_search_locations or ldd is None:
        return []
    qt = Path(next(iter(spec.submodule_search_locations))) / "Qt"
    targets = [qt / "lib" / "libQt6Gui.so.6"]
    if plugin:
        targets.append(qt / "plugins" / "platforms" / plugin)
    try:
        done = subprocess.run([ldd, *map(str, targets)], capture_output=True, text=True,
                              timeout=10, check=False)  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return []
    gone = {m.group(1) for m in re.finditer(r"(\S+) => not found", done.stdout)}
    # Qt loads libxcb-cursor at run time (no link entry for ldd), yet cannot start without it.
    gone.update(name for name in suspects if name == "libxcb-cursor.so.0")
    return sorted(gone)
