"""Benchmark: the complete window's start-up and memory beside a bare QMainWindow (offscreen, X11).

Run: uv run python tests/benchmarks/gui_startup.py [--runs 15] [--platforms offscreen xcb]
     [--slow 5] [--no-bytecode]

On each Qt platform (offscreen, and xcb on an Xvfb server this script starts), in one run:
1. starts, interleaved in a shuffled order each round, `--runs` times each:
   - bare: a script that shows an empty QMainWindow of the app's size and exits at its first
     paint (Python, PySide6 and a window: the floor any Qt window pays);
   - first frame: `main.py` up to its first painted frame (the empty window);
   - complete: `main.py` up to the frame that shows the whole window (request form, answer pane
     and profiles painted; the event loop is then free for input);
   - bare + plain widgets: the bare window holding, in three form layouts, as many plain widgets
     as the complete window shows at that paint, counted from the real window just before (its
     visible labels as QLabel; line edits, combo boxes, lists and text views as QLineEdit;
     push, tool and check buttons as QPushButton), with the stylesheet the app applied. It
     imports nothing of the app, loads no icon and builds nothing hidden: it is what any window
     with that much content pays in PySide6, the floor the complete window can be held to
     (containers, splitters, tabs, menus and the status bar are left out, so it is low);
   and reports the medians of the wall time from spawn to that paint, and of the CPU time the
   process had used by then (all threads; less sensitive to other load on the machine), each
   as a ratio to bare;
2. peak memory (ru_maxrss) after one Send: `main.py --sandbox` sends the demo request to its
   in-process sandbox, prints a marker when the answer is shown and exits; beside the bare
   window's peak after its first paint (median of the runs above), the same bare window once it
   has also imported what a Send and the keychain load (urllib3, truststore, PyJWT,
   cryptography, keyring: the floor for this figure; the app speaks HTTP through urllib3 and
   never imports requests), and the complete window's peak before any Send;
3. (offscreen) sends a sandbox request that takes `--slow` seconds in this process and reports
   the longest gap between two ticks of a 2 ms QTimer on the UI thread (the event-loop stall).
Targets: complete window <= 1.3 x bare (wall), peak memory after one Send <= 1.6 x bare,
longest stall < 50 ms.

Bytecode: an installed app has its bytecode compiled (`uv sync` compiles it), so the children
cache it in a temporary folder, after one warm-up start. With `--no-bytecode` they inherit this
environment (with PYTHONDONTWRITEBYTECODE=1 every start compiles the app's source files).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

# The same size the app opens at (gui.main_window.default_size), so both paint as many pixels.
BARE = """
import sys
from PySide6.QtCore import QEvent, QObject, QSize, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

class FirstPaint(QObject):
    seen = False
    def eventFilter(self, obj, event):
        if not self.seen and event.type() == QEvent.Type.Paint:
            self.seen = True
            QTimer.singleShot(0, done)
        return False

def done():
    if "--libraries" in sys.argv:  # what a Send and the keychain load, as the app does later
        import keyring, jwt, urllib3, truststore, cryptography.x509
        keyring.get_keyring()
    print("ETT_FIRST_PAINT", flush=True)
    app.quit()

app = QApplication(sys.argv)
window = QMainWindow()
window.installEventFilter(watcher := FirstPaint())
available = window.screen().availableGeometry().size()
window.resize(QSize(1320, 780).boundedTo(QSize(available.width() - 16, available.height() - 48)))
window.show()
sys.exit(app.exec())
"""
# The bare window with plain widgets in form layouts and the app's stylesheet; argv: the number
# of labels, fields and buttons, and the stylesheet's file.
_WIDGETS = """
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget
labels, fields, buttons = (int(n) for n in sys.argv[1:4])
central = QWidget()
columns = [QFormLayout() for _ in range(3)]
row = QHBoxLayout(central)
for form in columns:
    row.addLayout(form)
made = [QLineEdit() for _ in range(fields)] + [QPushButton("Button") for _ in range(buttons)]
for index in range(max(labels, len(made))):
    form = columns[index % 3]
    label = QLabel(f"Label {index}:") if index < labels else None
    field = made[index] if index < len(made) else None
    if label is not None and field is not None:
        form.addRow(label, field)
    else:
        form.addRow(label or field)
window.setCentralWidget(central)
with open(sys.argv[4], encoding="utf-8") as sheet:
    app.setStyleSheet(sheet.read())
window.show()"""
PLAIN = BARE.replace("window.show()", _WIDGETS)
# Counts the widgets the complete window shows at its ready paint, built as `main.py` builds it;
# argv: the file to write the stylesheet the app applied to. Prints labels, fields, buttons.
COUNT = """
import os, sys
from PySide6.QtWidgets import (QAbstractButton, QAbstractItemView, QApplication, QComboBox,
                               QLabel, QLineEdit, QPlainTextEdit, QTextEdit, QWidget)
from gui.app import create_app
from gui.main_window import MainWindow
app = create_app(stylesheet=False)
folder = os.environ["ENTRA_TOKEN_TESTER_CONFIG_DIR"]
window = MainWindow(settings_path=os.path.join(folder, "window.ini"), deferred=True)
window.show()
app.processEvents()
window.finish_setup()
app.processEvents()
shown = [w for w in window.findChildren(QWidget) if w.isVisibleTo(window)]
fields = (QLineEdit, QComboBox, QAbstractItemView, QPlainTextEdit, QTextEdit)
kinds = (QLabel,), fields, (QAbstractButton,)
print(*(sum(isinstance(w, kind) for w in shown) for kind in kinds))
with open(sys.argv[1], "w", encoding="utf-8") as sheet:
    sheet.write(QApplication.instance().styleSheet())
"""
FLOOR = "bare + plain widgets"
CANDIDATES = {  # name: (arguments after the interpreter, environment, marker)
    "bare": (["-c", BARE], {}, "ETT_FIRST_PAINT"),
    "first frame": (["main.py"], {"ETT_BENCH_FIRST_PAINT": "1"}, "ETT_FIRST_PAINT"),
    "complete": (["main.py"], {"ETT_BENCH_READY": "1"}, "ETT_READY"),
    FLOOR: (["-c", PLAIN], {}, "ETT_FIRST_PAINT"),  # its counts are added by `plain_counts`
}


class Run:
    """One child process: wall seconds to its marker, CPU seconds, peak RSS in MB, marker line."""

    def __init__(self, cmd: list[str], marker: str, env: dict[str, str]) -> None:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, text=True)  # fmt: skip
        assert proc.stdout is not None
        self.line, self.wall = "", float("nan")
        cpu = None
        for line in proc.stdout:
            if line.startswith(marker):
                self.wall = time.perf_counter() - started
                cpu = cpu_so_far(proc.pid)  # the child is about to quit: its exit is not counted
                self.line = line.strip()
                break
        proc.stdout.read()
        proc.stdout.close()
        _, status, usage = os.wait4(proc.pid, 0)
        code = os.waitstatus_to_exitcode(status)
        if code != 0 or self.wall != self.wall:
            raise SystemExit(f"{cmd[:2]} failed (exit {code}) before printing {marker}")
        self.cpu = cpu if cpu is not None else usage.ru_utime + usage.ru_stime
        self.rss = usage.ru_maxrss / 1024


def cpu_so_far(pid: int) -> float | None:
    """CPU seconds a running process has used, all threads (Linux); None elsewhere."""
    try:
        tasks = Path(f"/proc/{pid}/task").iterdir()
        return sum(int((t / "schedstat").read_text().split()[0]) for t in tasks) / 1e9
    except (OSError, ValueError, IndexError):
        return None


@contextlib.contextmanager
def xvfb() -> Iterator[str]:
    """A private Xvfb server (1920 x 1080); yields its display name."""
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1920x1080x24", "-nolisten", "tcp"],
        pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    try:
        if not number:
            raise SystemExit("Xvfb did not start")
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(10)


def plain_counts(env: dict[str, str], sheet: Path) -> list[str]:
    """The labels, fields and buttons the complete window shows (the floor's arguments, with
    the stylesheet's file, which this writes)."""
    out = subprocess.run([sys.executable, "-c", COUNT, str(sheet)], cwd=ROOT, env=env,
                         capture_output=True, text=True, check=True).stdout  # fmt: skip
    return [*out.split()[:3], str(sheet)]


def measure(runs: int, env: dict[str, str], plain: list[str]) -> dict[str, list[Run]]:
    """Each candidate `runs` times, interleaved (a shuffled order each round), then the Sends.

    `plain`: the floor's arguments (`plain_counts`)."""
    results: dict[str, list[Run]] = {name: [] for name in CANDIDATES}
    order = list(CANDIDATES)
    for _ in range(runs):
        random.shuffle(order)
        for name in order:
            args, extra, marker = CANDIDATES[name]
            args = [*args, *plain] if name == FLOOR else args
            results[name].append(Run([sys.executable, *args], marker, dict(env, **extra)))
    results["after one Send"] = sends = []
    results["bare + libraries"] = floor = []
    for _ in range(max(3, runs // 5)):
        floor.append(Run([sys.executable, "-c", BARE, "--libraries"], "ETT_FIRST_PAINT", env))
        sends.append(Run([sys.executable, "main.py", "--sandbox"], "ETT_TOKEN_DONE",
                         dict(env, ETT_BENCH_TOKEN="1")))  # fmt: skip
        if sends[-1].line != "ETT_TOKEN_DONE token":
            raise SystemExit(f"the sandbox request did not issue a token: {sends[-1].line}")
    return results


def report(platform: str, results: dict[str, list[Run]], plain: list[str]) -> tuple[float, float]:
    """Print one platform's table; returns (complete / bare wall, Send peak / bare peak)."""

    def median(name: str, attr: str) -> float:
        return statistics.median(getattr(run, attr) for run in results[name])

    bare_wall, bare_cpu, bare_rss = (median("bare", a) for a in ("wall", "cpu", "rss"))
    print(f"\n{platform}: median of {len(results['bare'])} interleaved starts each")
    print(f"  {'':<40} {'wall':>8} {'x bare':>7} {'CPU':>8} {'x bare':>7}")
    for name in CANDIDATES:
        wall, cpu = median(name, "wall"), median(name, "cpu")
        print(f"  {name + ' painted':<40} {wall * 1000:6.0f} ms {wall / bare_wall:6.2f}x "
              f"{cpu * 1000:6.0f} ms {cpu / bare_cpu:6.2f}x")  # fmt: skip
    print(f"  ({FLOOR}: {plain[0]} labels, {plain[1]} fields and {plain[2]} buttons, as the "
          "complete window shows, and the app's stylesheet)")  # fmt: skip
    print(f"  {'peak memory':<40} {'MB':>8} {'x bare':>7}")
    for name in ("bare", "bare + libraries", "complete", "after one Send"):
        rss = median(name, "rss")
        print(f"  {name:<40} {rss:8.0f} {rss / bare_rss:6.2f}x")
    return median("complete", "wall") / bare_wall, median("after one Send", "rss") / bare_rss


def measure_stall(slow_s: float, settings: Path) -> tuple[float, float, int]:
    """(longest UI stall in s, request duration in s, timer ticks) during a slow request."""
    from PySide6.QtCore import QEventLoop

    from core.sandbox import Sandbox, scenarios
    from gui.app import _warm_up, create_app
    from gui.main_window import MainWindow
    from tests.gui.stall import StallMeter

    app = create_app([])
    slow = next(s for s in scenarios() if s.key == "fault-slow")
    with Sandbox(slow_delay_s=slow_s) as sandbox:
        window = MainWindow(settings_path=settings, sandbox=sandbox)
        window.show()
        app.processEvents()
        window.load_scenario(slow)
        _warm_up()  # as the app does on a worker once the window is up, before any Send
        app.processEvents()
        meter = StallMeter(2)
        loop = QEventLoop()
        window.worker.finished.connect(loop.quit)
        meter.start()
        started = time.perf_counter()
        window.send()
        loop.exec()
        duration = time.perf_counter() - started
        meter.stop()
        report = window.response.report
        if report is None or not report.issued:
            raise SystemExit("the slow sandbox request did not issue a token")
        window.close()
    return meter.longest, duration, len(meter.gaps)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--platforms", nargs="+", default=["offscreen", "xcb"],
                        choices=["offscreen", "xcb"])  # fmt: skip
    parser.add_argument("--slow", type=float, default=5.0, help="sandbox delay, s (0: skip)")
    parser.add_argument("--no-bytecode", action="store_true",
                        help="inherit PYTHONDONTWRITEBYTECODE (compile every start)")  # fmt: skip
    args = parser.parse_args()
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, ENTRA_TOKEN_TESTER_CONFIG_DIR=tmp)
        env.pop("QT_QPA_PLATFORM", None)
        if not args.no_bytecode:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        print(f"GUI start-up benchmark: Python {sys.version.split()[0]}, bytecode cache "
              f"{'on' if 'PYTHONDONTWRITEBYTECODE' not in env else 'off'}, "
              f"targets: complete <= 1.3x bare, memory after one Send <= 1.6x bare")  # fmt: skip
        for platform in args.platforms:
            with contextlib.ExitStack() as stack:
                penv = dict(env, QT_QPA_PLATFORM=platform)
                if platform == "xcb":
                    penv["DISPLAY"] = stack.enter_context(xvfb())
                plain = plain_counts(penv, Path(tmp) / f"{platform}.qss")
                measure(1, penv, plain)  # warm-up: bytecode, font caches, the page cache
                results = measure(args.runs, penv, plain)
                time_ratio, memory_ratio = report(platform, results, plain)
                ok = ok and time_ratio <= 1.3 and memory_ratio <= 1.6
        if args.slow > 0:
            stall, duration, ticks = measure_stall(args.slow, Path(tmp) / "stall.ini")
            print(f"\nlongest UI stall during a {duration:.1f} s request ({ticks} ticks of 2 ms): "
                  f"{stall * 1000:.1f} ms (target < 50 ms)")  # fmt: skip
            ok = ok and stall < 0.05
    print("all targets met" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
