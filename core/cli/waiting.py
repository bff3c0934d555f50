"""`--wait-new S` on the command line: retry a new credential with a live line, Ctrl+C stops.

The retry itself is core.token.replication's; here are the terminal parts: the live line on
standard error (rewritten in place on a terminal, one line per attempt otherwise) and Ctrl+C,
which stops the wait at once instead of killing the command (the last answer is reported,
then the command exits 130).
"""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
from collections.abc import Iterator
from typing import TextIO

from core.token.models import TokenRequestInput
from core.token.replication import Progress, request_token_retrying
from core.token.result import TokenResult

ERASE_LINE = "\r\x1b[K"


class LiveLine:
    """One status line on `stream`: rewritten in place on a terminal, else one line a call."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.in_place = _isatty(stream) and hasattr(stream, "write_control")
        self.shown = False

    def show(self, text: str) -> None:
        if self.in_place:
            self.stream.write_control(ERASE_LINE)  # type: ignore[attr-defined]
            self.stream.write(text)
        else:
            self.stream.write(text + "\n")
        self.shown = True
        self.stream.flush()

    def clear(self) -> None:
        """Remove the line (on a terminal), so the report starts on a clean line."""
        if self.in_place and self.shown:
            self.stream.write_control(ERASE_LINE)  # type: ignore[attr-defined]
            self.stream.flush()
        self.shown = False


def _isatty(stream: TextIO) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


@contextlib.contextmanager
def ctrl_c_sets(event: threading.Event) -> Iterator[None]:
    """While inside, Ctrl+C (SIGINT) sets `event` instead of raising KeyboardInterrupt (main
    thread only; elsewhere nothing changes)."""

    def on_sigint(signum: int, frame: object) -> None:
        event.set()

    try:
        previous = signal.signal(signal.SIGINT, on_sigint)
    except ValueError:  # not the main thread: signals stay as they are
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def send_waiting(
    inputs: TokenRequestInput,
    *,
    limit_s: float,
    ca_file: str | None = None,
    err: TextIO | None = None,
    cancel: threading.Event | None = None,
) -> TokenResult:
    """Send, retrying while a new credential replicates, with the live line on `err`."""
    stop = cancel if cancel is not None else threading.Event()
    line = LiveLine(err if err is not None else sys.stderr)

    def progress(p: Progress) -> None:
        line.show(p.line("Ctrl+C"))

    with ctrl_c_sets(stop):
        result = request_token_retrying(
            inputs, limit_s=limit_s, ca_file=ca_file, cancel=stop, on_progress=progress
        )
    line.clear()
    return result
