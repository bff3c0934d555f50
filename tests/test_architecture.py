"""Boundaries that must hold: core never imports Qt or gui, the parts import only downwards, no
import cycles, and the CLI never loads Qt."""

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
            names.add(node.module)  # and each name, which may be a submodule
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
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


# The helpers every part uses (redaction, times, JSON) import none of the parts.
_SHARED_HELPER = ("core.token", "core.insight", "core.store", "core.cli", "core.api", "core.signin")
# part -> parts it must never import (each name also covers its submodules).
FORBIDDEN_BETWEEN_PARTS = {
    "core.token": (
        "core.insight",
        "core.store",
        "core.cli",
        "core.check",
        "core.api",
        "core.signin",
    ),
    "core.insight": ("core.store", "core.cli", "core.check", "core.api", "core.signin"),
    "core.store": ("core.insight", "core.cli", "core.check", "core.api", "core.signin"),
    "core.check": ("core.cli",),
    "core.api": ("core.store", "core.cli", "core.check"),
    # Delegated sign-in builds on core.token (and the shared helpers); nothing above it.
    "core.signin": (
        "core.insight",
        "core.store",
        "core.cli",
        "core.sandbox",
        "core.check",
        "core.api",
    ),
    "core.redaction": _SHARED_HELPER,
    "core.timefmt": _SHARED_HELPER,
    # Below core.redaction too.
    "core.safejson": (*_SHARED_HELPER, "core.redaction"),
    "core.secret_forms": (*_SHARED_HELPER, "core.redaction"),
    "gui.form": ("gui.answer", "gui.profiles"),
    "gui.answer": ("gui.form", "gui.profiles"),
    "gui.profiles": ("gui.answer",),
}


def _module_files(root: Path = ROOT) -> dict[str, Path]:
    """Dotted module name -> file, for every module of core/ and gui/ (packages by their name)."""
    found = {}
    for top in ("core", "gui"):
        for path in sorted((root / top).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _within(name: str, part: str) -> bool:
    return name == part or name.startswith(part + ".")


def import_graph(root: Path = ROOT) -> dict[str, set[str]]:
    """Module -> project modules it imports anywhere in the file (lazy imports included)."""
    modules = _module_files(root)
    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        deps = set()
        for name in _imported_modules(path):
            while name and name not in modules:
                name = name.rpartition(".")[0]
            if name and name != module and not _within(module, name):
                deps.add(name)
        graph[module] = deps
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(found)


def part_violations(graph: dict[str, set[str]]) -> list[str]:
    bad: set[str] = set()
    for module, deps in sorted(graph.items()):
        for part, forbidden in FORBIDDEN_BETWEEN_PARTS.items():
            if _within(module, part):
                bad.update(
                    f"{module} imports {d}" for d in deps if any(_within(d, f) for f in forbidden)
                )
        if not _within(module, "core.cli") and module.startswith("core"):
            bad.update(f"{module} imports {d}" for d in deps if _within(d, "core.cli"))
    return sorted(bad)


def test_parts_import_only_downwards() -> None:
    """token <- insight <- api <- cli/gui and store <- cli/gui: no part imports one above it."""
    graph = import_graph()
    assert {"core.token.client", "core.insight.verdict", "core.store.profiles"} <= set(graph)
    assert {"core.api.call", "core.api.expiry"} <= set(graph)
    assert part_violations(graph) == []


def test_no_import_cycles() -> None:
    """No two modules of core/ or gui/ import each other, directly or through others."""
    assert cycles(import_graph()) == []


def test_rule_checks_catch_a_violation_and_a_cycle(tmp_path: Path) -> None:
    """The part rules and the cycle finder see a planted upward import and a planted cycle."""
    for rel, text in {
        "core/__init__.py": "",
        "core/token/__init__.py": "",
        "core/token/a.py": "def f():\n    from core.store import b\n",
        "core/store/__init__.py": "",
        "core/store/b.py": "import core.token.a\n",
        "core/insight/__init__.py": "",
        "core/insight/c.py": "from core.cli import run\n",
        "core/cli/__init__.py": "",
        "gui/__init__.py": "",
    }.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    graph = import_graph(tmp_path)
    assert part_violations(graph) == [
        "core.insight.c imports core.cli",
        "core.token.a imports core.store",
        "core.token.a imports core.store.b",
    ]
    assert cycles(graph) == [["core.store.b", "core.token.a"]]


def test_every_package_says_what_it_is_for() -> None:
    """Each package of core/ and gui/ opens with a docstring of at least one sentence."""
    for path in sorted(
        [*(ROOT / "core").rglob("__init__.py"), *(ROOT / "gui").rglob("__init__.py")]
    ):
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
        assert doc and len(doc) > 40, f"{path.relative_to(ROOT)} has no docstring"


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
    assert not {"requests", "urllib3", "truststore", "filelock"} & loaded


def test_sending_loads_no_proxy_machinery_or_uuid() -> None:
    """The HTTP stack and a new profile id leave urllib.request (~8 ms with tempfile, shutil,
    mimetypes) and uuid (~4 ms with platform) unloaded: only a non-loopback URL asks for the
    proxy settings, and `check` of a file without ids makes one per entry."""
    code = (
        "import core.token.transport, core.token.network as n, core.store.profile_json as p\n"
        "assert n.proxy_for('http://127.0.0.1:8080/x') is None\n"
        "assert len(p.new_id()) == 36\n"
    )
    loaded = _modules_after(code)
    assert not {"urllib.request", "uuid", "platform"} & loaded


def test_window_start_skips_command_parsers() -> None:
    """`main.py` and `main.py --sandbox` build no command parser; any word or --help does."""
    import main

    assert not main._may_name_a_command([])
    assert not main._may_name_a_command(["--sandbox", "--config-dir=/tmp/x"])
    assert main._may_name_a_command(["token"]) and main._may_name_a_command(["--help"])
    assert main.build_parser(with_commands=False).parse_args(["--sandbox"]).command is None
    assert main.build_parser().parse_args(["token"]).command == "token"
