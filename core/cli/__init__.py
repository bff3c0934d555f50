"""The headless command line over the core: `main.py token|decode|sandbox|profiles|cert|check`.

Each command lives in its own module with `add_parser(subparsers)` (argparse only, no heavy
imports, so `--help` stays fast and Qt never loads) and a `run(args) -> int` that imports what
it needs when it runs.
"""

from __future__ import annotations

import argparse
import importlib

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (see main.py)
if TYPE_CHECKING:
    from typing import NoReturn

# Command name -> module under core.cli that implements it.
COMMAND_MODULES = {
    "token": "core.cli.token_cmd",
    "decode": "core.cli.decode_cmd",
    "sandbox": "core.cli.sandbox_cmd",
    "profiles": "core.cli.profiles_cmd",
    "cert": "core.cli.cert_cmd",
    "check": "core.cli.check_cmd",
    "call": "core.cli.call_cmd",
}

# `token --grant` words of the delegated sign-in grants -> GrantType values (core/cli/signin_cmd).
SIGNIN_GRANTS = {
    "auth-code": "authorization_code",
    "device-code": "urn:ietf:params:oauth:grant-type:device_code",
}

# Exit codes (documented in README.md).
EXIT_OK = 0
EXIT_REFUSED = 1
EXIT_USAGE = 2
EXIT_NO_ANSWER = 3
EXIT_INTERRUPTED = 130  # Ctrl+C (as a shell reports a process killed by SIGINT)


EXIT_BROKEN_PIPE = 141  # as a Unix tool killed by SIGPIPE (`| head`, `| grep -q`)


def add_commands(parser: argparse.ArgumentParser, only: str | None = None) -> None:
    """Add the commands' sub-parsers to the top-level parser: every one, or only the one named
    `only` when it is a command (the others' modules are then not even imported)."""
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, module_name in COMMAND_MODULES.items():
        if only not in COMMAND_MODULES or name == only:
            importlib.import_module(module_name).add_parser(sub)


def seconds(text: str) -> float:
    """argparse type for a time limit: a positive, finite number up to the shared limit."""
    from core.token.limits import timeout_problem

    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError("a number of seconds is expected") from None
    problem = timeout_problem(value)
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return value


def add_config_dir(parser: argparse.ArgumentParser) -> None:
    """`--config-dir DIR` on a command too (`profiles list --config-dir X`), without
    replacing the one given before the command when it is not repeated."""
    parser.add_argument(
        "--config-dir", metavar="DIR", default=argparse.SUPPRESS,
        help="folder for profiles and history (as before the command)",
    )  # fmt: skip


def run(args: argparse.Namespace) -> int:
    """Run the command that argparse selected; returns the process exit code.

    Output goes through `terminal.SafeStream` (no control characters from outside reach the
    terminal), and a closed pipe ends the command quietly, as Unix tools do.
    """
    import sys

    from core.cli.terminal import SafeStream, usage_error_json, wants_json

    if getattr(args, "sandbox", False):
        message = (
            "--sandbox opens the window with the sandbox; the command line does not use it. "
            "Run `main.py sandbox` in another terminal and pass its address: "
            "`main.py token --cloud sandbox --authority URL ...`."
        )
        if wants_json():
            print(usage_error_json(message, args.command))
        else:
            print(f"error: {message}", file=sys.stderr)
        return EXIT_USAGE
    module = importlib.import_module(COMMAND_MODULES[args.command])
    stdout, stderr = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = SafeStream(stdout), SafeStream(stderr)
    try:
        code = int(module.run(args))
        sys.stdout.flush()
        return code
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        _silence(stdout)
        return EXIT_BROKEN_PIPE
    finally:
        sys.stdout, sys.stderr = stdout, stderr


def _silence(stream: object) -> None:
    """After a closed pipe: send what is left to /dev/null, so exiting prints no error."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())  # type: ignore[attr-defined]
    except (OSError, AttributeError, ValueError):
        pass


EXIT_FLUSH_FAILED = 120  # what Python itself exits with when stdout cannot be flushed


def end_process(code: int) -> NoReturn:
    """End the process once a command is done, skipping the interpreter's teardown.

    Freeing every imported module (cryptography, urllib3, ...) takes 50-100 ms after the work
    is done and its output written: time every script that runs a command waits for nothing.
    What that exit does that matters runs first, as the interpreter runs it: the threading
    exit hooks and the wait for non-daemon threads, the `atexit` handlers (temporary folders,
    logging), the flush of stdout and stderr (a failed flush exits 120, as Python does).
    On an interpreter without those hooks, this is a plain `sys.exit(code)`.
    """
    import atexit
    import os
    import sys
    import threading

    wait_for_threads = getattr(threading, "_shutdown", None)
    run_exit_handlers = getattr(atexit, "_run_exitfuncs", None)
    if wait_for_threads is None or run_exit_handlers is None:
        sys.exit(code)
    wait_for_threads()
    run_exit_handlers()
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError) as exc:
            code = code or EXIT_FLUSH_FAILED
            if stream is sys.stdout and sys.stderr is not None:
                why = getattr(exc, "strerror", None) or exc
                print(f"error: the output could not be written ({why})", file=sys.stderr)
    os._exit(code)
