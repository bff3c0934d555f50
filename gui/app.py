"""Start the window: QApplication, theme, crash guard; heavy imports only after first paint."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

import gui.pyside_scan  # noqa: F401  (first of ours: the modules after it import faster)
from gui import theme
from gui.main_window import MainWindow

# Only what the first frame needs is imported above; the rest where first used.

log = logging.getLogger(__name__)
BENCH_FIRST_PAINT = "ETT_BENCH_FIRST_PAINT"  # print a marker at first paint, then quit
BENCH_READY = "ETT_BENCH_READY"  # print a marker once the full window is built and shown
BENCH_TOKEN = "ETT_BENCH_TOKEN"  # sandbox mode: send the demo request, print a marker, quit


def create_app(argv: list[str] | None = None, *, stylesheet: bool = True) -> QApplication:
    """The QApplication with names for QSettings and the OS-following light/dark look.

    Args:
        argv: the command line for Qt (None: sys.argv).
        stylesheet: False leaves the stylesheet to the window, which applies it once its
            panels are assembled (`theme.ensure_stylesheet`; the start-up path).
    """
    app = QApplication.instance()
    fusion = app is None  # a new app gets Fusion from its arguments: no QStyle wrapper needed
    if app is None:
        args = list(argv if argv is not None else sys.argv) or ["entra-token-tester"]
        app = QApplication([*args, "-style", "Fusion"])  # args[0] is the program name
    app.setApplicationName("Entra Token Tester")
    app.setOrganizationName("EntraTokenTester")
    # No display name: Qt would append it to every window title ("… — Sandbox — Entra Token
    # Tester"); the window's title names the app itself.
    theme.apply_theme(app, stylesheet=stylesheet, set_style=not fusion)
    return app


def install_excepthook(app: QApplication) -> None:
    """Log an unexpected exception and show a plain message instead of crashing."""

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        import traceback

        from core.redaction import redact_text
        from gui import messages

        # The traceback's frames, but the message only redacted: it may quote a token.
        frames = "".join(traceback.format_tb(tb))
        log.error("unexpected error: %s: %s\n%s", exc_type.__name__,
                  redact_text(str(exc)), frames)  # fmt: skip
        messages.tell(
            app.activeWindow(),
            "Unexpected error",
            "Something went wrong inside Entra Token Tester. Your input is still in the form.\n\n"
            f"{exc_type.__name__}: {redact_text(str(exc))[:500]}",
            icon=messages.Icon.Critical,
        )

    sys.excepthook = hook


class _OnNextPaint(QObject):
    """Calls back once, right after the window's next paint has been handled.

    It watches the window only: an application-wide filter would run Python for every event
    of every widget while the panels are built and shown.
    """

    def __init__(self, window: QObject, callback: Callable[[], None]) -> None:
        super().__init__()
        self._window, self._callback, self._seen = window, callback, False
        window.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if not self._seen and event.type() == QEvent.Type.Paint:
            self._seen = True
            QTimer.singleShot(0, self._fire)
        return False

    def _fire(self) -> None:
        self._window.removeEventFilter(self)
        self._callback()


def _settings_path(config_dir: str | None) -> Path | None:
    folder = config_dir or os.environ.get("ENTRA_TOKEN_TESTER_CONFIG_DIR")
    return Path(folder) / "window.ini" if folder else None


def _start_sandbox():  # runs on the worker thread: imports PyJWT and cryptography there
    from core.sandbox import Sandbox

    return Sandbox().start()


def _warm_up() -> None:
    """Load what a Send needs (libraries and catalogs), on a worker after the window is up.

    Importing a module holds the interpreter lock for long stretches (compiling it, when no
    bytecode is cached), so doing it during the first Send would stall the UI thread.
    """
    import importlib

    for name in ("urllib3", "truststore", "core.token.client", "core.insight.signature",
                 "core.insight.verdict"):  # fmt: skip
        importlib.import_module(name)
    from core.insight.claims import catalog as claims_catalog
    from core.insight.diagnosis import catalog as diagnosis_catalog

    claims_catalog()
    diagnosis_catalog()


def run_gui(args: argparse.Namespace) -> int:
    """Open the window (and the in-process sandbox for --sandbox); returns the exit code."""
    started = time.perf_counter()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    app = create_app(stylesheet=False)  # the window applies it once its panels exist
    install_excepthook(app)
    bench_paint = os.environ.get(BENCH_FIRST_PAINT) == "1"
    bench_token = os.environ.get(BENCH_TOKEN) == "1"
    bench_ready = os.environ.get(BENCH_READY) == "1"
    # The first frame is the empty window at its remembered size; the panels are built right
    # after it is painted, then the heavy libraries load on worker threads. Measured: building
    # the panels before show() would make the first frame the complete one, but ~2.3-2.5x a
    # bare QMainWindow (their imports and widgets), where the empty frame comes at ~1.3x.
    explicit = getattr(args, "config_dir", None)  # None: the window asks core.store.config later
    window = MainWindow(settings_path=_settings_path(explicit), config_dir=explicit, deferred=True)
    QGuiApplication.styleHints().colorSchemeChanged.connect(
        lambda _scheme: (theme.apply_theme(app), window.refresh_icons())
    )
    window.show()

    holder: dict[str, object] = {}

    def on_sandbox(sandbox) -> None:
        holder["sandbox"] = sandbox
        window.attach_sandbox(sandbox)
        if bench_token:
            window.worker.finished.connect(lambda: _bench_done(window))
            window.send()

    def on_sandbox_failed(exc: object) -> None:
        from core.redaction import redact_text

        window.response.show_failure(
            "The sandbox could not start",
            "The local sandbox could not start",
            f"{type(exc).__name__}: {redact_text(str(exc))}",
        )

    def after_ready_paint() -> None:
        log.info("window ready after %.0f ms", (time.perf_counter() - started) * 1000)
        if bench_ready:
            _quit_with_marker("ETT_READY")
            return
        window.open_keychain()  # keyring loads on a worker; the panel then names the keychain
        QTimer.singleShot(0, window.response.build_tabs)  # idle now; the first answer is quicker
        from gui.worker import CallWorker

        if getattr(args, "sandbox", False):
            starter = holder["starter"] = CallWorker("sandbox-start")
            starter.succeeded.connect(on_sandbox)
            starter.failed.connect(on_sandbox_failed)
            starter.start(_start_sandbox)
        warmer = holder["warmer"] = CallWorker("warm-up")
        warmer.start(_warm_up)

    def after_first_paint() -> None:
        log.info("first paint after %.0f ms", (time.perf_counter() - started) * 1000)
        if bench_paint:
            _quit_with_marker("ETT_FIRST_PAINT")
            return
        window.finish_setup()
        watchers.append(_OnNextPaint(window, after_ready_paint))

    watchers = [_OnNextPaint(window, after_first_paint)]
    try:
        return app.exec()
    finally:
        sandbox = holder.get("sandbox")
        if sandbox is not None:
            sandbox.stop()


def _quit_with_marker(text: str) -> None:
    """Write a line for the benchmark that drives this process (never any data), then quit."""
    sys.stdout.write(text + "\n")
    sys.stdout.flush()
    QApplication.quit()


def _bench_done(window: MainWindow) -> None:
    report = window.response.report
    outcome = report.result.outcome.value if report and report.result else "none"
    _quit_with_marker(f"ETT_TOKEN_DONE {outcome}")
