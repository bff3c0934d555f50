"""Two processes saving at once never lose each other's profiles or history entries."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from core.store.history import HistoryStore
from core.store.profiles import ProfileStore

ROOT = Path(__file__).resolve().parents[3]
SAVES = 200
WORKER = """
import sys
from pathlib import Path
from core.store.history import HistoryEntry, HistoryStore
from core.store.profile import Profile
from core.store.profiles import ProfileStore

folder, tag, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
profiles, history = ProfileStore(folder), HistoryStore(folder)
profiles.load()
history.load()
print("ready", flush=True)
sys.stdin.readline()  # both start together
for n in range(count):
    profiles.save(Profile(name=f"{tag}-{n}"))
    history.add(f"{tag}-{n}", HistoryEntry(at=float(n), ok=True, outcome="token"))
"""


def test_two_processes_times_200_saves_keep_all_400(tmp_path: Path) -> None:
    """Each process holds an old copy in memory and saves 200 profiles and 200 history
    entries while the other does the same: all 400 of each are in the files afterwards."""
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(tmp_path), tag, str(SAVES)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for tag in ("a", "b")
    ]
    try:
        for proc in procs:
            assert proc.stdout is not None and proc.stdout.readline() == "ready\n"
        for proc in procs:
            assert proc.stdin is not None
            proc.stdin.write("go\n")
            proc.stdin.flush()
        for proc in procs:
            proc.communicate(timeout=240)
            assert proc.returncode == 0
    finally:
        for proc in procs:
            if proc.returncode is None:
                proc.kill()
                proc.communicate()
    names = {p.name for p in ProfileStore(tmp_path).list()}
    assert names == {f"{tag}-{n}" for tag in ("a", "b") for n in range(SAVES)}
    history = HistoryStore(tmp_path)
    assert history.load() == ""
    assert sum(len(history.entries(f"{t}-{n}")) for t in "ab" for n in range(SAVES)) == 400
