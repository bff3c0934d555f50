"""Boundaries that must hold: core never imports Qt or gui; the CLI never loads Qt."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = ("PySide6", "shiboken6", "gui")


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", "") == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            names.add(str(node.args[0].value))
    return names


def test_core_never_imports_qt_or_gui() -> None:
    """No module under core/ imports PySide6, shiboken6 or gui."""
    offenders = []
    files = sorted((ROOT / "core").rglob("*.py"))
    assert files, "core/ has no Python files"
    for path in files:
        for name in _imported_modules(path):
            if name.split(".")[0] in FORBIDDEN:
                offenders.append(f"{path.relative_to(ROOT)} imports {name}")
    assert offenders == []


def test_architecture_check_detects_a_qt_import(tmp_path: Path) -> None:
    """The import scanner itself sees the forms of import it must forbid."""
    sample = tmp_path / "x.py"
    sample.write_text(
        "import PySide6.QtCore\nfrom gui import app\nimport importlib\n"
        "importlib.import_module('shiboken6')\n"
    )
    assert {"PySide6.QtCore", "gui", "shiboken6"} <= _imported_modules(sample)


def _modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys; print('\\n'.join(sys.modules))"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return set(out.stdout.split())


def test_importing_core_leaves_qt_unloaded() -> None:
    """`import core` and its CLI in a fresh interpreter load no Qt module."""
    loaded = _modules_after("import core, core.cli, core.token.models, core.token.authority")
    assert not {m for m in loaded if m.split(".")[0] in ("PySide6", "shiboken6")}


def test_token_help_does_not_load_qt() -> None:
    """`main.py token --help` prints usage without importing PySide6 (or requests)."""
    code = (
        "import sys, runpy\nsys.argv = ['main.py', 'token', '--help']\n"
        "try:\n    runpy.run_path('main.py', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
    )
    loaded = _modules_after(code)
    assert "PySide6" not in loaded
    assert "requests" not in loaded


def test_window_start_skips_command_parsers() -> None:
    """`main.py` and `main.py --sandbox` build no command parser; any word or --help does."""
    import main

    assert not main._may_name_a_command([])
    assert not main._may_name_a_command(["--sandbox", "--config-dir=/tmp/x"])
    assert main._may_name_a_command(["token"]) and main._may_name_a_command(["--help"])
    assert main.build_parser(with_commands=False).parse_args(["--sandbox"]).command is None
    assert main.build_parser().parse_args(["token"]).command == "token"
