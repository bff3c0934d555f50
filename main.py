"""Entra Token Tester: parse the command line, then start the window or a CLI command."""

from __future__ import annotations

import argparse
import sys

from core.cli import add_commands, end_process
from core.cli import run as run_command
from core.cli.terminal import SafeParser

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (mypy knows the name)
if TYPE_CHECKING:
    from typing import NoReturn


def build_parser(*, with_commands: bool = True, only: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser: with every command's sub-parser, only `only`'s (when it names
    a command), or none (a window start)."""
    parser = SafeParser(
        prog="main.py",
        description="Test Microsoft Entra ID app credentials: request a token and explain it. "
        "With no command, the desktop window opens.",
    )
    _add_options(parser)
    if with_commands:
        add_commands(parser, only=only)
    else:
        parser.set_defaults(command=None)
    return parser


def _add_options(parser: argparse.ArgumentParser) -> None:
    """The options that come before a command."""
    parser.add_argument(
        "--sandbox",
        action="store_true",
        help="open the window with the built-in local identity provider (no tenant needed)",
    )
    parser.add_argument(
        "--config-dir",
        metavar="DIR",
        help="folder for profiles and history (default: the platform's config folder, "
        "or $ENTRA_TOKEN_TESTER_CONFIG_DIR)",
    )


def _may_name_a_command(argv: list[str]) -> bool:
    """False for a plain window start (`main.py`, `main.py --sandbox`): then the command
    parsers, and the core modules they import, are not loaded before the first paint."""
    return any(not arg.startswith("-") or arg in ("-h", "--help") for arg in argv)


class _ProbeError(Exception):
    """The probe could not read the command line (the full parser then says why)."""


class _Probe(SafeParser):
    def error(self, message: str) -> NoReturn:
        raise _ProbeError(message)


def named_command(argv: list[str]) -> str | None:
    """The command word as the full parser will read it (`--config-dir DIR` skipped), or None.

    Only that command's parser is then built, so `main.py token --help` imports no other
    command's module.
    """
    probe = _Probe(add_help=False)
    _add_options(probe)
    probe.add_argument("command", nargs="?")
    try:
        command = probe.parse_known_args(argv)[0].command
    except _ProbeError:
        return None
    return command if isinstance(command, str) else None


def main(argv: list[str] | None = None, *, leave: bool = False) -> int:
    """Run the command or the window; returns the exit code. With `leave` (the script run
    itself), a command ends the process as soon as its output is written (`end_process`)."""
    argv = sys.argv[1:] if argv is None else argv
    if _may_name_a_command(argv):
        parser = build_parser(only=named_command(argv))
    else:
        parser = build_parser(with_commands=False)
    args = parser.parse_args(argv)
    if args.command:
        code = run_command(args)
        return end_process(code) if leave else code
    from gui.platform_check import display_problem, explain_import_error  # no Qt here

    if problem := display_problem():
        print(problem, file=sys.stderr)
        return 2
    try:
        from gui.app import run_gui  # Qt is imported only for the window
    except ImportError as exc:
        if not (problem := explain_import_error(exc)):
            raise
        print(problem, file=sys.stderr)
        return 2

    return run_gui(args)


if __name__ == "__main__":
    sys.exit(main(leave=True))
