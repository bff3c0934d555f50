"""What the command line loads: `--help` only argparse and its own options, a token request
no Qt, requests, PyJWT or cryptography (start-up time is most of what a script pays)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import main
from core.cli import COMMAND_MODULES
from core.sandbox import Sandbox
from core.sandbox import directory as d

ROOT = Path(__file__).resolve().parents[3]
THIRD_PARTY = ("PySide6", "requests", "urllib3", "jwt", "cryptography", "truststore", "keyring",
               "filelock", "platformdirs")  # fmt: skip


def _loaded_by(*argv: str, env: dict[str, str] | None = None) -> tuple[set[str], str]:
    """(every module `main.py ARGV` left in sys.modules, its standard output)."""
    code = (  # printed at exit: a command ends the process itself (core.cli.end_process)
        "import atexit, runpy, sys\n"
        "atexit.register(lambda: print('\\n'.join(sys.modules), file=sys.stderr))\n"
        f"sys.argv = ['main.py', *{list(argv)!r}]\n"
        "runpy.run_path('main.py', run_name='__main__')\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, env={**os.environ, **(env or {})})  # fmt: skip
    return set(proc.stderr.split()), proc.stdout


def _tops(modules: set[str]) -> set[str]:
    return {m.split(".")[0] for m in modules}


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as sb:
        yield sb


def test_token_help_loads_no_library_models_or_other_command() -> None:
    """`token --help` loads no third-party library, not the request models or cloud objects
    (dataclasses), and no other command's module: it stays within 30 ms of a bare start."""
    loaded, out = _loaded_by("token", "--help")
    assert "--client-id" in out and "usgov-dod" in out  # the help itself is whole
    assert not _tops(loaded) & set(THIRD_PARTY)
    heavy = {"core.token.models", "core.token.authority", "core.redaction", "core.cli.signin_cmd"}
    assert not loaded & heavy
    others = {m for name, m in COMMAND_MODULES.items() if name not in ("token", "call")}
    assert not loaded & others  # `call` lends token its --call-* options
    assert "shutil" not in loaded  # argparse's formatter imports it (and bz2, lzma) for a width


def test_top_level_help_lists_every_command() -> None:
    """`main.py --help` (no command named) still builds and lists every command."""
    loaded, out = _loaded_by("--help")
    for name, module in COMMAND_MODULES.items():
        assert f"    {name} " in out, name
        assert module in loaded
    assert not _tops(loaded) & set(THIRD_PARTY)


def test_named_command_reads_the_line_as_argparse_does() -> None:
    """Only the named command's parser is built; the probe skips --config-dir's value and
    gives up (every parser is built) when it cannot tell."""
    assert main.named_command(["token", "--tenant", "decode"]) == "token"
    assert main.named_command(["--config-dir", "token", "decode", "-"]) == "decode"
    assert main.named_command(["--config-dir=token", "--sandbox", "cert", "x"]) == "cert"
    assert main.named_command(["--help"]) is None
    assert main.named_command(["--config-dir"]) is None
    parser = main.build_parser(only="decode")
    sub = next(a for a in parser._actions if a.dest == "command")
    assert list(sub.choices) == ["decode"]
    assert list(next(a for a in main.build_parser()._actions if a.dest == "command").choices) == [
        *COMMAND_MODULES
    ]


def test_config_dir_named_like_a_command_runs_the_command_after_it(tmp_path: Path) -> None:
    """`main.py --config-dir token profiles list` runs `profiles list` (in the folder
    `token`), not `token`."""
    proc = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--config-dir", "token", "profiles", "list"],
        cwd=tmp_path, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "token" not in proc.stderr


def test_token_request_loads_no_qt_requests_or_crypto(sandbox: Sandbox) -> None:
    """A client-credentials token request with its verdict loads urllib3 but not Qt,
    requests, PyJWT, cryptography, the keychain, uuid or html."""
    loaded, out = _loaded_by(
        "token", "--cloud", "sandbox", "--authority", sandbox.base_url,
        "--tenant", d.CONTOSO.id, "--client-id", d.DAEMON.client_id,
        "--secret-env", "STARTUP_SECRET", "--scope", "https://graph.microsoft.com/.default",
        env={"STARTUP_SECRET": d.VALID_SECRET.value},
    )  # fmt: skip
    assert out.startswith("Token issued in "), out
    assert "urllib3" in loaded
    assert not _tops(loaded) & {"PySide6", "requests", "jwt", "cryptography", "keyring"}
    # Nor the standard modules it can do without: uuid (which loads platform) and html.
    assert not loaded & {"uuid", "html"}
