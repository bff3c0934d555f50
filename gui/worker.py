"""The one generic worker: run a core callable off the UI thread and report back by signal."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

log = logging.getLogger(__name__)


PROGRESS = object()  # a keyword argument given this value gets a progress reporter (below)


class CallWorker(QObject):
    """Runs one callable at a time on a background thread; the newest call wins.

    Each `start()` gets a generation number. A blocking `requests` call cannot be interrupted,
    so `cancel()` and a newer `start()` simply make the running call stale: its result is
    dropped when it arrives. The thread is a daemon thread, so closing the window while a
    request hangs never holds the process open until the timeout. The worker never touches a
    widget: results travel back by queued signal to the thread that owns the worker.

    Signals:
        started(int): a call began; carries its generation.
        succeeded(object): the current call returned this value.
        failed(object): the current call raised this exception (already logged).
        finished(): the current call ended (after succeeded/failed) or was cancelled.
        progressed(object): the current call reported progress (a keyword argument passed as
            `PROGRESS` becomes a callable the call uses to report; stale reports are dropped).
    """

    started = Signal(int)
    succeeded = Signal(object)
    failed = Signal(object)
    finished = Signal()
    progressed = Signal(object)
    _done = Signal(int, bool, object)  # generation, ok, value/exception (thread -> owner)
    _progress = Signal(int, object)  # generation, report (thread -> owner)

    def __init__(self, name: str = "call", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._name = name
        self._generation = 0
        self._busy = False
        self._threads: list[threading.Thread] = []
        self._done.connect(self._on_done)
        self._progress.connect(self._on_progress)

    @property
    def busy(self) -> bool:
        """True while the current call runs."""
        return self._busy

    @property
    def generation(self) -> int:
        return self._generation

    def start(self, func: Callable[..., Any], *args: Any, **kwargs: Any) -> int:
        """Run `func(*args, **kwargs)` on a new thread; any older call becomes stale."""
        self._generation += 1
        generation = self._generation
        self._busy = True
        for name, value in kwargs.items():
            if value is PROGRESS:
                kwargs[name] = lambda report, g=generation: self._report(g, report)
        thread = threading.Thread(
            target=self._run,
            args=(generation, func, args, kwargs),
            name=f"{self._name}-{generation}",
            daemon=True,
        )
        self._threads = [t for t in self._threads if t.is_alive()] + [thread]
        self.started.emit(generation)
        thread.start()
        return generation

    def cancel(self) -> None:
        """Stop waiting for the current call: its result will be dropped."""
        if not self._busy:
            return
        self._generation += 1
        self._busy = False
        log.info("%s: cancelled; a late result will be dropped", self._name)
        self.finished.emit()

    def wait(self, timeout_s: float = 5.0) -> bool:
        """Join every thread this worker started (for tests and orderly shutdown)."""
        for thread in list(self._threads):
            thread.join(timeout_s)
        self._threads = [t for t in self._threads if t.is_alive()]
        return not self._threads

    def _run(
        self, generation: int, func: Callable[..., Any], args: tuple, kwargs: dict[str, Any]
    ) -> None:
        try:
            value = func(*args, **kwargs)
        except Exception as exc:  # every failure becomes a signal, never a crash
            log.exception("%s: the call raised %s", self._name, type(exc).__name__)
            self._emit(generation, False, exc)
        else:
            self._emit(generation, True, value)

    def _emit(self, generation: int, ok: bool, value: object) -> None:
        try:
            self._done.emit(generation, ok, value)
        except RuntimeError:  # the worker's Qt object is gone: the window has closed
            log.debug("%s: result after shutdown dropped", self._name)

    def _report(self, generation: int, report: object) -> None:
        try:
            self._progress.emit(generation, report)
        except RuntimeError:  # the window has closed
            pass

    @Slot(int, object)
    def _on_progress(self, generation: int, report: object) -> None:
        if generation == self._generation and self._busy:
            self.progressed.emit(report)

    @Slot(int, bool, object)
    def _on_done(self, generation: int, ok: bool, value: object) -> None:
        if generation != self._generation:
            log.info("%s: result of a superseded call dropped", self._name)
            return
        self._busy = False
        (self.succeeded if ok else self.failed).emit(value)
        self.finished.emit()
