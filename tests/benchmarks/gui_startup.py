"""Benchmark: window start-up, memory and UI responsiveness, beside a bare QMainWindow.

Run: uv run python tests/benchmarks/gui_startup.py [--runs 10] [--slow 5]

In one run, offscreen:
1. starts `main.py` N times and a bare QMainWindow script N times (interleaved), and reports the
   median time from process start to the first painted frame (each prints a marker then), and
   to the frame that shows the complete window (form and answer panels: the app builds them
   right after its first frame, then loads requests/PyJWT/cryptography on a worker thread);
2. reports the peak memory (ru_maxrss of the child) of `main.py --sandbox` after it sent one
   sandbox token request, beside the bare window's peak;
3. sends a sandbox request that takes `--slow` seconds in this process and reports the longest
   gap between two ticks of a 2 ms QTimer on the UI thread (the event-loop stall).
Targets: first paint <= 1.5 x bare, peak memory < 130 MB, longest stall < 50 ms.

Bytecode: the children inherit this environment. With PYTHONDONTWRITEBYTECODE=1 (as on our
development machine) every start compiles the app's ~60 source files, which an installed app
never does; `--bytecode` lets the children cache bytecode in a temporary folder (after one
warm-up start) to measure what an installed app costs. The report says which it measured.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

BARE = """
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

class FirstPaint(QObject):
    seen = False
    def eventFilter(self, obj, event):
        if not self.seen and event.type() == QEvent.Type.Paint:
            self.seen = True
            QTimer.singleShot(0, lambda: (print("ETT_FIRST_PAINT", flush=True), app.quit()))
        return False

app = QApplication(sys.argv)
watcher = FirstPaint()
app.installEventFilter(watcher)
window = QMainWindow()
window.resize(1180, 760)
window.show()
sys.exit(app.exec())
"""


def run_until(cmd: list[str], marker: str, env: dict[str, str]) -> tuple[float, float, str]:
    """(seconds from spawn to the marker line, child's peak RSS in MB, the marker line)."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    line, elapsed = "", float("nan")
    for line in proc.stdout:
        if line.startswith(marker):
            elapsed = time.perf_counter() - started
            break
    proc.stdout.read()
    proc.stdout.close()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0 or elapsed != elapsed:
        raise SystemExit(f"{cmd} failed (exit {proc.returncode}) before printing {marker}")
    return elapsed, usage.ru_maxrss / 1024, line.strip()


def measure_startup(runs: int, env: dict[str, str]) -> dict[str, float]:
    py = sys.executable
    app_times, ready_times, bare_times = [], [], []
    paint_env = dict(env, ETT_BENCH_FIRST_PAINT="1")
    ready_env = dict(env, ETT_BENCH_READY="1")
    for _ in range(runs):
        app_times.append(run_until([py, "main.py"], "ETT_FIRST_PAINT", paint_env)[0])
        ready_times.append(run_until([py, "main.py"], "ETT_READY", ready_env)[0])
        bare_times.append(run_until([py, "-c", BARE], "ETT_FIRST_PAINT", env)[0])
    _, app_rss, line = run_until(
        [py, "main.py", "--sandbox"], "ETT_TOKEN_DONE", dict(env, ETT_BENCH_TOKEN="1")
    )
    if line != "ETT_TOKEN_DONE token":
        raise SystemExit(f"the sandbox request did not issue a token: {line}")
    _, bare_rss, _ = run_until([py, "-c", BARE], "ETT_FIRST_PAINT", env)
    return {
        "app_paint": statistics.median(app_times),
        "app_ready": statistics.median(ready_times),
        "bare_paint": statistics.median(bare_times),
        "app_rss": app_rss,
        "bare_rss": bare_rss,
    }


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
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--slow", type=float, default=5.0, help="sandbox delay in seconds")
    parser.add_argument(
        "--bytecode", action="store_true", help="let the children cache bytecode (installed app)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, ENTRA_TOKEN_TESTER_CONFIG_DIR=tmp, QT_QPA_PLATFORM="offscreen")
        if args.bytecode:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
            measure_startup(1, env)  # warm-up: compiles and caches everything once
        cached = "PYTHONDONTWRITEBYTECODE" not in env
        r = measure_startup(args.runs, env)
        stall, duration, ticks = measure_stall(args.slow, Path(tmp) / "stall.ini")
    ratio = r["app_paint"] / r["bare_paint"]
    rows = [
        ("first paint, app (median)", f"{r['app_paint'] * 1000:.0f} ms", ""),
        ("full window painted, app (median)", f"{r['app_ready'] * 1000:.0f} ms",
         f"{r['app_ready'] / r['bare_paint']:.2f} x bare"),
        ("first paint, bare QMainWindow (median)", f"{r['bare_paint'] * 1000:.0f} ms", ""),
        ("ratio app / bare", f"{ratio:.2f}", "<= 1.5"),
        ("peak memory, app after one sandbox token", f"{r['app_rss']:.0f} MB", "< 130 MB"),
        ("peak memory, bare QMainWindow", f"{r['bare_rss']:.0f} MB", ""),
        (f"longest UI stall, {duration:.1f} s request ({ticks} ticks)", f"{stall * 1000:.1f} ms",
         "< 50 ms"),
    ]  # fmt: skip
    print(f"GUI start-up benchmark ({args.runs} runs each, offscreen, Python {sys.version[:4]}, "
          f"bytecode cache {'on' if cached else 'off'})")  # fmt: skip
    for name, value, target in rows:
        print(f"  {name:<52} {value:>10}  {target}")
    ok = ratio <= 1.5 and r["app_rss"] < 130 and stall < 0.05
    print("all targets met" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
