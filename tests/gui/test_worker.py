"""CallWorker: results by signal, errors as signals, superseded and cancelled calls dropped."""

from __future__ import annotations

import threading

import pytest
from pytestqt.qtbot import QtBot

from gui.worker import CallWorker


@pytest.fixture
def worker(qtbot: QtBot):
    w = CallWorker("test")
    yield w
    assert w.wait(5)


def test_result_arrives_as_succeeded(qtbot: QtBot, worker: CallWorker) -> None:
    """The callable's return value is emitted, then finished."""
    events: list[object] = []
    worker.succeeded.connect(lambda value: events.append(value))
    worker.finished.connect(lambda: events.append("finished"))
    with qtbot.assertNotEmitted(worker.failed), qtbot.waitSignal(worker.finished, timeout=3000):
        worker.start(lambda a, b: a + b, 2, b=3)
    assert events == [5, "finished"]
    assert not worker.busy


def test_exception_becomes_failed(qtbot: QtBot, worker: CallWorker, caplog) -> None:
    """An exception is logged and emitted as `failed`; nothing escapes the thread."""

    def boom() -> None:
        raise ValueError("bad input")

    with (
        qtbot.assertNotEmitted(worker.succeeded),
        qtbot.waitSignal(worker.failed, timeout=3000) as blocker,
    ):
        worker.start(boom)
    assert isinstance(blocker.args[0], ValueError)
    assert "raised ValueError" in caplog.text


def test_superseded_result_is_dropped(qtbot: QtBot, worker: CallWorker) -> None:
    """A newer start wins: the older call's late result never reaches the UI."""
    gate = threading.Event()
    results: list[object] = []
    worker.succeeded.connect(results.append)

    def slow() -> str:
        gate.wait(5)
        return "old"

    worker.start(slow)
    with qtbot.waitSignal(worker.succeeded, timeout=3000):
        worker.start(lambda: "new")
    gate.set()
    assert worker.wait(5)
    qtbot.wait(50)  # let a (wrongly) queued late result arrive, if any
    assert results == ["new"]


def test_cancel_drops_the_result_and_finishes_once(qtbot: QtBot, worker: CallWorker) -> None:
    """Cancel emits finished at once; the cancelled call's result is never emitted."""
    gate = threading.Event()
    finished: list[bool] = []
    worker.finished.connect(lambda: finished.append(True))
    with qtbot.assertNotEmitted(worker.succeeded, wait=100):
        worker.start(lambda: gate.wait(5))
        assert worker.busy
        worker.cancel()
        assert not worker.busy
        gate.set()
        assert worker.wait(5)
    assert finished == [True]
