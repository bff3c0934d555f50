"""GUI fixtures: the in-process sandbox, a main window with injected settings and delays."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from core.sandbox import Sandbox
from gui.main_window import MainWindow
from tests.core.conftest import secret_service  # noqa: F401  (the real Secret Service fixture)
from tests.gui.scripted import Dialogs

GUI_DIR = Path(__file__).parent
# The offscreen platform reports this for every top-level window; it is not a fault of ours.
OFFSCREEN_NOISE = "This plugin does not support propagateSizeHints"
OFFSCREEN_RAISE = "This plugin does not support raise"  # it cannot stack windows either
SLOW_DELAY_S = 1.5
NEW_SECRET_DELAY_S = 1.5  # the just-created secret works on the first retry (2 s later)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Ignore the offscreen platform's propagateSizeHints and raise notices in the GUI tests."""
    for item in items:
        if GUI_DIR in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE, OFFSCREEN_RAISE))


@pytest.fixture(scope="session")
def sandbox() -> Iterator[Sandbox]:
    """One in-process sandbox for the GUI tests (its slow tenant waits SLOW_DELAY_S)."""
    with Sandbox(slow_delay_s=SLOW_DELAY_S, new_secret_delay_s=NEW_SECRET_DELAY_S) as sb:
        yield sb


@pytest.fixture
def settings_path(tmp_path: Path) -> Path:
    return tmp_path / "ui" / "window.ini"


@pytest.fixture
def config_folder(tmp_path: Path) -> Path:
    """The window's profiles and history folder (never the user's)."""
    return tmp_path / "config"


@pytest.fixture
def make_window(qtbot: QtBot, settings_path: Path, config_folder: Path) -> Iterator:
    """Build windows with injected dependencies; each is closed and its threads joined."""
    windows: list[MainWindow] = []

    def make(**kwargs) -> MainWindow:
        kwargs.setdefault("settings_path", settings_path)
        kwargs.setdefault("config_dir", config_folder)
        window = MainWindow(**kwargs)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        windows.append(window)
        return window

    yield make
    for window in windows:
        if window.ready:  # no unsaved-changes prompt at teardown (dialogs are unpatched by now)
            window.panel.set_unsaved(False)
        window.close()
        for worker in window.workers():
            assert worker.wait(10), "a worker thread outlived its test"
    # Free the closed windows' reference cycles here, on the main thread. Left to a later
    # garbage collection that happens to run on a worker thread, shiboken defers deleting the
    # widgets to the main thread's next Python call, which may be in the middle of a paint.
    windows.clear()
    gc.collect()


@pytest.fixture
def window(make_window, sandbox: Sandbox) -> MainWindow:
    """A sandbox-mode window with the demo setup in the form and a 1 s clipboard delay."""
    return make_window(sandbox=sandbox, clear_delay_s=1)


@pytest.fixture
def dialogs(qapp, monkeypatch: pytest.MonkeyPatch) -> Iterator[Dialogs]:
    """Message boxes are clicked through as scripted, file dialogs answer from the script;
    no box shown during the test may offer a bare Yes, No or OK."""
    scripted = Dialogs(monkeypatch)
    yield scripted
    scripted.stop()
    assert not scripted.vague_buttons(), "a dialog's buttons do not say what they do"
