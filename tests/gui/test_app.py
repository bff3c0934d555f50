"""Start-up: the real entry point opens the window, paints before heavy imports, never crashes."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gui.app import install_excepthook

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("requests", "urllib3", "truststore", "jwt", "cryptography", "keyring")
# What only later actions need (a sign-in, a new profile, a suggestion, a digest, a missing
# library's diagnosis, a Unicode host name, a certificate's rows, an answer): each cost 1-40 ms
# before the complete window.
LATER = ("webbrowser", "uuid", "difflib", "hashlib", "html", "subprocess", "sysconfig",
         "stringprep", "ssl", "http.client", "socket", "core.signin.loopback",
         "core.signin.device", "gui.form.credential_widgets",
         "gui.form.certificate_card", "core.token.result", "gui.answer.analysis")  # fmt: skip


# PySide6 builds all of a class's Python enums when the class is first touched (~0.25 ms each
# on Python 3.11): these cost 6-25 ms each, and the complete window needs none of them.
UNTOUCHED = {"PySide6.QtWidgets": ("QStyle",)}


def _run(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    full_env = dict(os.environ, QT_QPA_PLATFORM="offscreen",
                    ENTRA_TOKEN_TESTER_CONFIG_DIR=str(tmp_path), **env)  # fmt: skip
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=full_env, capture_output=True, text=True,
        timeout=60,
    )  # fmt: skip


@pytest.mark.parametrize("names", [HEAVY, LATER], ids=["heavy", "later"])
def test_window_paints_before_heavy_libraries_load(tmp_path: Path, names: tuple[str]) -> None:
    """Up to the complete window, requests, PyJWT, cryptography and keyring are not imported,
    nor the standard modules only later actions need."""
    code = (
        "import sys, argparse\n"
        "from gui.platform_check import display_problem\n"
        "display_problem()\n"  # as main.py checks the display first
        "from gui.app import create_app\n"
        "from gui.main_window import MainWindow\n"
        "app = create_app([], stylesheet=False)\n"  # as run_gui starts it
        f"w = MainWindow(settings_path={str(tmp_path / 'w.ini')!r}, deferred=True)\n"
        "w.show(); app.processEvents(); w.finish_setup(); app.processEvents()\n"
        f"print(sorted(m for m in {names!r} if m in sys.modules))\n"
    )
    proc = _run(["-c", code], tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


def test_window_builds_no_costly_enum_class(tmp_path: Path) -> None:
    """Up to the complete window, no class with many enums is touched (see UNTOUCHED)."""
    code = (
        "import importlib\n"
        "from gui.app import create_app\n"
        "from gui.main_window import MainWindow\n"
        "app = create_app([], stylesheet=False)\n"
        f"w = MainWindow(settings_path={str(tmp_path / 'w.ini')!r}, deferred=True)\n"
        "w.show(); app.processEvents(); w.finish_setup(); app.processEvents()\n"
        f"print(sorted(m + '.' + n for m, names in {UNTOUCHED!r}.items() for n in names\n"
        "             if n in vars(importlib.import_module(m))))\n"
    )
    proc = _run(["-c", code], tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


def test_main_opens_the_window(tmp_path: Path) -> None:
    """`main.py` paints its first frame, then the complete window, and exits cleanly."""
    first = _run(["main.py"], tmp_path, ETT_BENCH_FIRST_PAINT="1")
    ready = _run(["main.py"], tmp_path, ETT_BENCH_READY="1")
    assert (first.returncode, first.stdout) == (0, "ETT_FIRST_PAINT\n"), first.stderr
    assert (ready.returncode, ready.stdout) == (0, "ETT_READY\n"), ready.stderr
    assert (tmp_path / "window.ini").is_file()  # --config-dir / env decides where state goes


def test_sandbox_mode_issues_a_token(tmp_path: Path) -> None:
    """`main.py --sandbox` starts the in-process sandbox and the demo form gets a token."""
    proc = _run(["main.py", "--sandbox"], tmp_path, ETT_BENCH_TOKEN="1")
    assert (proc.returncode, proc.stdout) == (0, "ETT_TOKEN_DONE token\n"), proc.stderr


def test_excepthook_logs_and_shows_a_plain_message(
    qapp, monkeypatch: pytest.MonkeyPatch, caplog, dialogs
) -> None:
    """An unexpected exception is logged and shown as a short dialog, secrets masked."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    install_excepthook(qapp)
    token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhYmMifQ.c2lnbmF0dXJl"
    try:
        raise RuntimeError(f"boom with {token}")
    except RuntimeError as exc:
        with caplog.at_level(logging.ERROR):
            sys.excepthook(type(exc), exc, exc.__traceback__)
    shown = dialogs.texts("critical")
    assert len(shown) == 1 and dialogs.buttons == [("Close",)]
    assert "RuntimeError: boom with ********" in shown[0]
    assert token not in shown[0]
    assert "unexpected error: RuntimeError" in caplog.text
    assert token not in caplog.text


@pytest.mark.parametrize("argv", ["[]", "['main.py', '--sandbox']"])
def test_new_app_runs_fusion_whatever_the_platform_default(tmp_path: Path, argv: str) -> None:
    """create_app starts Qt with Fusion (as on Windows/macOS, where the default differs)."""
    code = (
        "from gui.app import create_app\n"
        f"app = create_app({argv}, stylesheet=False)\n"
        "print(app.style().metaObject().className())\n"
    )
    proc = _run(["-c", code], tmp_path, QT_STYLE_OVERRIDE="Windows")
    assert (proc.returncode, proc.stdout) == (0, "QFusionStyle\n"), proc.stderr
