"""Entra Token Tester: parse the command line, then start the window or a CLI command."""

from __future__ import annotations

import argparse
import sys

from core.cli import add_commands
from core.cli import run as run_command
from core.cli.terminal import SafeParser


def build_parser(*, with_commands: bool = True) -> argparse.ArgumentParser:
    parser = SafeParser(
        prog="main.py",
        description="Test Microsoft Entra ID app credentials: request a token and explain it. "
        "With no command, the desktop window opens.",
    )
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
    if with_commands:
        add_commands(parser)
    else:
        parser.set_defaults(command=None)
    return parser


def _may_name_a_command(argv: list[str]) -> bool:
    """False for a plain window start (`main.py`, `main.py --sandbox`): then the command
    parsers, and the core modules they import, are not loaded before the first paint."""
    return any(not arg.startswith("-") or arg in ("-h", "--help") for arg in argv)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = build_parser(with_commands=_may_name_a_command(argv)).parse_args(argv)
    if args.command:
        return run_command(args)
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
    sys.exit(main())
