"""`end_process`: a command's process ends without the interpreter's teardown, but with
everything that teardown does that matters (threads, atexit handlers, flushed output)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
# Buffered standard streams, as a script's are (PYTHONUNBUFFERED would write at once).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}

SCRIPT = """
import atexit, sys, threading, time
from core.cli import end_process

class Teardown:
    def __del__(self):
        sys.stderr.write("module teardown ran\\n")

keep = Teardown()  # freed only by the interpreter's teardown of this module
atexit.register(lambda: sys.stderr.write("atexit handler ran\\n"))
worker = threading.Thread(target=lambda: (time.sleep(0.2), sys.stdout.write("thread done ")))
worker.start()
sys.stdout.write("buffered, no newline")  # still in the buffer: a pipe is block-buffered
end_process(int(sys.argv[1]))
"""


def run(code: int, stdout: object = subprocess.PIPE) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", SCRIPT, str(code)], cwd=ROOT, env=ENV,
                          stdout=stdout, stderr=subprocess.PIPE, text=True, timeout=60)  # fmt: skip


def test_threads_handlers_and_output_survive_and_the_code_is_kept() -> None:
    proc = run(3)
    assert proc.returncode == 3
    assert proc.stdout == "buffered, no newlinethread done "
    assert "atexit handler ran" in proc.stderr
    assert "module teardown ran" not in proc.stderr  # the 50-100 ms it saves


def test_output_that_cannot_be_written_fails_as_python_does() -> None:
    """`python -c 'print(1)' > /dev/full` exits 120; here with a message, not a traceback."""
    script = "import sys; from core.cli import end_process as end; print(1); end(int(sys.argv[1]))"
    with open("/dev/full", "w") as full:
        for code, expected in ((0, 120), (4, 4)):  # a failure's own code is kept
            proc = subprocess.run([sys.executable, "-c", script, str(code)], cwd=ROOT,
                                  env=ENV, stdout=full, stderr=subprocess.PIPE, text=True,
                                  timeout=60)  # fmt: skip
            assert proc.returncode == expected
            assert (
                proc.stderr == "error: the output could not be written (No space left on device)\n"
            )


def test_the_script_ends_a_command_this_way_and_in_process_callers_get_the_code() -> None:
    """`main.py` run as the script leaves after a command (no teardown of what it loaded);
    `main.main()` called in-process returns the code."""
    import main

    assert main.main(["decode", "--file", str(ROOT / "absent.jwt")]) == 2
    script = (
        "import runpy, sys\n"
        "class Teardown:\n"
        "    def __del__(self):\n"
        "        sys.stderr.write('module teardown ran\\n')\n"
        "keep = Teardown()\n"
        "sys.argv = ['main.py', *sys.argv[1:]]\n"
        "runpy.run_path('main.py', run_name='__main__')\n"
    )
    argv = [sys.executable, "-c", script, "decode", "--file", "absent.jwt"]
    proc = subprocess.run(argv, cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert proc.stderr == "error: cannot read absent.jwt: No such file or directory\n"
