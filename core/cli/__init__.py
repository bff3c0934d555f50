"""The headless command line over the core: `main.py token|decode|sandbox|profiles ...`.

Each command lives in its own module with `add_parser(subparsers)` (argparse only, no heavy
imports, so `--help` stays fast and Qt never loads) and a `run(args) -> int` that imports what
it needs when it runs.
"""

from __future__ import annotations

import argparse
import importlib

# Command name -> module under core.cli that implements it.
COMMAND_MODULES = {
    "token": "core.cli.token_cmd",
    "decode": "core.cli.decode_cmd",
    "sandbox": "core.cli.sandbox_cmd",
    "profiles": "core.cli.profiles_cmd",
}

# Exit codes (documented in README.md).
EXIT_OK = 0
EXIT_REFUSED = 1
EXIT_USAGE = 2
EXIT_NO_ANSWER = 3


def add_commands(parser: argparse.ArgumentParser) -> None:
    """Add every command's sub-parser to the top-level parser."""
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module_name in COMMAND_MODULES.values():
        importlib.import_module(module_name).add_parser(sub)


def run(args: argparse.Namespace) -> int:
    """Run the command that argparse selected; returns the process exit code."""
    module = importlib.import_module(COMMAND_MODULES[args.command])
    try:
        return int(module.run(args))
    except KeyboardInterrupt:
        return 130
