"""Put the window back as it was left (splitters, last profile or form values) and save it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QByteArray, QSize
from PySide6.QtWidgets import QSplitter, QStatusBar

from gui.ui_state import REMEMBERED_FIELDS, UiState

DEFAULT_SIZE = QSize(1320, 780)  # fits a 1366 x 768 laptop once clamped to its work area

if TYPE_CHECKING:
    from PySide6.QtGui import QScreen

    from core.store.history import HistoryStore
    from core.store.profiles import ProfileStore
    from gui.answer.clipboard import ClipboardGuard
    from gui.form.request_form import RequestForm
    from gui.profiles.profile_panel import ProfilePanel


class MainWindow(Protocol):
    """What of gui/main_window.py's window is saved and restored."""

    state: UiState
    ready: bool
    splitter: QSplitter
    side_splitter: QSplitter
    profiles: ProfileStore
    history: HistoryStore
    panel: ProfilePanel
    form: RequestForm
    clipboard: ClipboardGuard

    @property
    def session(self) -> object | None: ...

    def saveGeometry(self) -> QByteArray: ...

    def restoreGeometry(self, geometry: QByteArray) -> bool: ...

    def resize(self, size: QSize) -> None: ...

    def screen(self) -> QScreen: ...

    def statusBar(self) -> QStatusBar: ...


def default_size(available: QSize) -> QSize:
    """DEFAULT_SIZE, made smaller where the screen's work area (less a title bar) is smaller."""
    return DEFAULT_SIZE.boundedTo(QSize(available.width() - 16, available.height() - 48))


def place(window: MainWindow) -> None:
    """The size and place the window was left at, or the default size for this screen."""
    if (geometry := window.state.geometry()) is not None:
        window.restoreGeometry(geometry)
    else:
        window.resize(default_size(window.screen().availableGeometry().size()))


def restore(window: MainWindow) -> None:
    """Splitters, then the last profile (or else the last non-secret form values)."""
    from gui.form.form_data import input_from_strings

    state = window.state
    if (splitter := state.splitter()) is not None:
        window.splitter.restoreState(splitter)
    if (side := state.splitter("sideSplitter")) is not None:
        window.side_splitter.restoreState(side)
    last = state.last_profile_id()
    if last and window.profiles.get(last) is not None:
        window.panel.select(last)
    elif values := state.form_values():
        window.form.load_input(input_from_strings(values))
    if problem := window.profiles.report.problem or window.history.problem:
        window.statusBar().showMessage(problem, 8000)


def save(window: MainWindow) -> None:
    """Geometry always; the rest once the panels exist. Never a secret (see ui_state)."""
    state = window.state
    state.set_geometry(window.saveGeometry())
    if not window.ready:
        state.sync()
        return
    from gui.form.form_data import remembered_strings

    state.set_splitter(window.splitter.saveState())
    state.set_splitter(window.side_splitter.saveState(), "sideSplitter")
    state.set_last_profile_id(window.panel.current_id())
    state.set_clear_delay_s(window.clipboard.clear_delay_s)
    if window.session is None:  # demo values from sandbox mode are not worth remembering
        inputs = window.form.to_input()
        state.set_form_values(remembered_strings(inputs, REMEMBERED_FIELDS))
    state.sync()
