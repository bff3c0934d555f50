"""The sandbox is an independent implementation: it imports nothing from the client side."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SANDBOX = ROOT / "core" / "sandbox"


def imported_modules(path: Path, root: Path = ROOT) -> set[str]:
    """Absolute module names a file imports (relative imports resolved against its package)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = ".".join(path.relative_to(root).with_suffix("").parts[:-1])
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                module = f"{base}.{node.module}" if node.module else base
                names.update(f"{module}.{a.name}" for a in node.names)
            elif node.module:
                names.update(f"{node.module}.{a.name}" for a in node.names)
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", ""))
            in ("import_module", "__import__")
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            names.add(str(node.args[0].value))
    return names


def offenders(path: Path, root: Path = ROOT) -> list[str]:
    bad = []
    for name in imported_modules(path, root):
        parts = name.split(".")
        if parts[0] in ("core", "gui", "PySide6", "shiboken6") and parts[:2] != ["core", "sandbox"]:
            bad.append(name)
    return sorted(bad)


def test_sandbox_imports_only_itself_stdlib_and_third_party() -> None:
    """No module under core/sandbox imports core.* outside core.sandbox (nor gui or Qt)."""
    files = sorted(SANDBOX.rglob("*.py"))
    assert len(files) >= 5
    found = {str(p.relative_to(ROOT)): offenders(p) for p in files}
    assert {k: v for k, v in found.items() if v} == {}


def test_scanner_sees_every_import_form(tmp_path: Path) -> None:
    """The scanner catches plain, from, relative and dynamic imports of the client side."""
    pkg = tmp_path / "core" / "sandbox"
    pkg.mkdir(parents=True)
    sample = pkg / "x.py"
    sample.write_text(
        "import core.models\nfrom core import client\nfrom .. import redaction\n"
        "from core.sandbox import keys\nimport importlib\nimportlib.import_module('core.decode')\n"
        "__import__('gui.app')\n"
    )
    assert offenders(sample, tmp_path) == [
        "core.client",
        "core.decode",
        "core.models",
        "core.redaction",
        "gui.app",
    ]
