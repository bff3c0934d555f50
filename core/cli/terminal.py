"""What reaches the terminal: no control characters from outside, no value in a usage error.

A token or a server may carry ANSI escapes or bidi overrides that would clear the screen or
fake a verdict; `printable` shows them as visible escapes. `SafeParser` is argparse with
usage errors that never repeat a value (it may be a secret pasted in the wrong place), in
JSON when `--json` was asked for.
"""

from __future__ import annotations

import argparse
import os
import re
import sys

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (mypy knows the name)
if TYPE_CHECKING:
    from typing import Any, NoReturn, TextIO

EXIT_USAGE = 2
# C0 controls but tab and newline, DEL, C1 controls, and the Unicode format characters that
# reorder or hide text (bidi embeddings, overrides and isolates, marks, zero-width ones).
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]"
)


def printable(text: str) -> str:
    """Text safe to print on a terminal: every unsafe character shown as `\\x1b`, `\\u202e`."""
    return _UNSAFE.sub(lambda m: _escape(m.group()), text)


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


class SafeStream:
    """A text stream that writes `printable` text only (wraps stdout or stderr)."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(printable(text))
        return len(text)

    def flush(self) -> None:
        self._stream.flush()

    def write_control(self, sequence: str) -> None:
        """Write our own terminal control sequence (`\r`, erase line) as it is: only for text
        this program made, never for anything from outside."""
        self._stream.write(sequence)

    def isatty(self) -> bool:
        return self._stream.isatty()

    def fileno(self) -> int:
        return self._stream.fileno()

    def __getattr__(self, name: str) -> object:
        return getattr(self._stream, name)


def _option_names(words: str) -> str:
    """The option names among unrecognised arguments, without any value given with them."""
    names = [w.split("=", 1)[0] for w in words.split() if w.startswith("-")]
    values = sum(1 for w in words.split() if not w.startswith("-"))
    parts = []
    if names:
        parts.append("unknown option" + ("s " if len(names) > 1 else " ") + ", ".join(names))
    if values:
        parts.append(f"{values} unexpected value" + ("s" if values > 1 else ""))
    return " and ".join(parts) + " (values are not repeated here: one may be a secret)"


def safe_usage_message(message: str) -> str:
    """An argparse error message with every value it quotes removed."""
    if message.startswith("unrecognized arguments:"):
        return _option_names(message.partition(":")[2])
    message = re.sub(r"(invalid [\w ]+ value): '.*?'(?=$| \()", r"\1 (value not shown)", message)
    message = re.sub(r"(ignored explicit argument) '.*'", r"\1 (value not shown)", message)
    message = re.sub(r"(ambiguous option: )(-[^\s=]*)=\S*", r"\1\2=…", message)
    return re.sub(r"(invalid choice): '.*?'", r"\1 (value not shown)", message)


# Command -> (schema, the other documented top-level fields, all null in a usage error).
USAGE_SCHEMAS = {
    "token": ("entra-token-tester/token/1", ("request", "findings", "response", "token",
              "failure", "verdict", "diagnosis", "wait")),
    "decode": ("entra-token-tester/decode/1", ("token", "verdict", "signature", "header",
               "claims")),
    "profiles": ("entra-token-tester/usage/1", ()),
    "call": ("entra-token-tester/call/1", ("outcome", "verdict", "request", "token",
             "permission", "response", "failure", "diagnosis")),
}  # fmt: skip


def usage_error_json(message: str, command: str) -> str:
    """The JSON a usage error gives under --json: the command's schema with every documented
    field (null), and `error` with the message and the exit code."""
    import json

    schema, fields = USAGE_SCHEMAS.get(command, ("entra-token-tester/usage/1", ()))
    doc: dict[str, object] = {"schema": schema, "ok": False}
    if command == "token":
        doc["outcome"] = "usage_error"
    doc.update(dict.fromkeys(fields))
    if command == "token":
        doc["findings"] = []
    doc["error"] = {"kind": "usage", "message": message, "exit_code": EXIT_USAGE}
    return json.dumps(doc, indent=2)


def wants_json(argv: list[str] | None = None) -> bool:
    """True when the command line asks for JSON output (usage errors are then JSON too)."""
    words = sys.argv[1:] if argv is None else argv
    return "--json" in words


def command_of(argv: list[str] | None = None) -> str:
    """The command word of a command line ('' for none)."""
    words = sys.argv[1:] if argv is None else argv
    return next((w for w in words if w in USAGE_SCHEMAS or w == "sandbox"), "")


def terminal_columns(fallback: int = 80) -> int:
    """`shutil.get_terminal_size().columns`, without importing shutil (it loads bz2 and lzma:
    about 4 ms of every `--help`): $COLUMNS, else the terminal's width, else `fallback`."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns > 0:
        return columns
    try:
        return os.get_terminal_size(sys.__stdout__.fileno()).columns or fallback  # type: ignore[union-attr]
    except (AttributeError, ValueError, OSError):
        return fallback


class HelpFormatter(argparse.HelpFormatter):
    """argparse's help layout, as wide as the terminal (found without shutil)."""

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24,
                 width: int | None = None) -> None:  # fmt: skip
        width = terminal_columns() - 2 if width is None else width
        super().__init__(prog, indent_increment, max_help_position, width)


class SafeParser(argparse.ArgumentParser):
    """argparse, with usage errors that repeat no value and are JSON under --json, and help
    laid out by `HelpFormatter` unless a parser asks for another."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        message = safe_usage_message(message)
        if wants_json():
            text = usage_error_json(f"{self.prog}: {message}", command_of())
            sys.stdout.write(text + "\n")
            sys.exit(EXIT_USAGE)
        self.print_usage(sys.stderr)
        sys.stderr.write(printable(f"{self.prog}: error: {message}\n"))
        sys.exit(EXIT_USAGE)


class LinesHelpFormatter(HelpFormatter):
    """argparse help where an option's help may hold lines of its own (one value a line)."""

    def _split_lines(self, text: str, width: int) -> list[str]:
        import textwrap

        lines: list[str] = []
        for line in text.splitlines():
            match = re.match(r"^(\s+\S+\s+)", line)
            hang = " " * len(match.group(1)) if match else ""
            lines += textwrap.wrap(line, width, subsequent_indent=hang) or [""]
        return lines


def value_lines(values: list[tuple[str, str]]) -> str:
    """Help text listing choices, one line each: `  key  meaning`."""
    width = max(len(key) for key, _ in values)
    return "\n".join(f"  {key.ljust(width)}  {meaning}" for key, meaning in values)
