"""The window's columns: Profiles | request form | answer, in two splitters, under the banner."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QSizeGrip,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from gui import theme
from gui.answer.response_view import ResponseView
from gui.form.request_panel import RequestPanel
from gui.sandbox_mode import BANNER

PROFILES_WIDTH = 184
ANSWER_MIN_WIDTH = 380


@dataclass
class Columns:
    """The widgets the window keeps: the central widget and what is inside it."""

    central: QWidget
    banner: QLabel
    request: RequestPanel
    response: ResponseView
    splitter: QSplitter  # request form | answer
    side_splitter: QSplitter  # Profiles | the rest

    def fit(self) -> None:
        """Size the columns; call once they are in the window and the stylesheet is applied.

        Under the app stylesheet, putting a polished widget tree into a shown window polishes
        it all again (measured: 13-20 ms of CPU for the complete window); so the window gets
        its central widget first, then the stylesheet, then asks for size hints (they polish).
        """
        theme.ensure_stylesheet(QApplication.instance())
        self.request.fit_minimum_width()
        self.splitter.setSizes([self.request.minimumWidth() + 20, 10_000])
        self.side_splitter.setSizes([PROFILES_WIDTH, 10_000])

    def minimum_width(self) -> int:
        """The narrowest the columns can be: each column's minimum plus the handles."""
        side = self.side_splitter
        widths = (side.widget(0).minimumWidth(), self.request.minimumWidth(), ANSWER_MIN_WIDTH)
        return sum(widths) + 2 * side.handleWidth()


def name_window_parts(window: QMainWindow) -> None:
    """Give the window's own parts names a screen reader can say (Qt leaves them unnamed)."""
    window.menuBar().setAccessibleName("Menu bar")
    window.statusBar().setAccessibleName("Status bar")
    for grip in window.findChildren(QSizeGrip):
        grip.setAccessibleName("Resize the window")
    for splitter in window.findChildren(QSplitter):
        splitter.setAccessibleName("Columns")
        for index in range(1, splitter.count()):
            splitter.handle(index).setAccessibleName("Drag to resize the columns")
    for tabs in window.findChildren(QTabWidget):
        for stack in tabs.findChildren(QStackedWidget):
            stack.setAccessibleName(tabs.accessibleName() or "Tab pages")


def _margined(widget: QWidget, name: str, margins: tuple[int, int, int, int]) -> QWidget:
    pane = QWidget(objectName=name)
    layout = QVBoxLayout(pane)
    layout.setContentsMargins(*margins)
    layout.addWidget(widget)
    return pane


def build_columns(profiles: QWidget, clock: Callable[[], float]) -> Columns:
    """Lay out the profiles column, a new request panel and a new answer pane (then put
    `central` in the window and call `fit`)."""
    banner = QLabel(BANNER, objectName="sandboxBanner")
    banner.setAccessibleName("Sandbox mode")
    banner.hide()
    request = RequestPanel()
    response = ResponseView(clock)
    answer = _margined(response, "answerPanel", (8, 12, 12, 12))
    answer.setMinimumWidth(ANSWER_MIN_WIDTH)
    profiles_pane = _margined(profiles, "profilesPanel", (10, 12, 4, 12))
    profiles_pane.setMinimumWidth(150)
    # The form column keeps its width (a whole GUID); the answer takes the spare width.
    splitter = QSplitter(Qt.Orientation.Horizontal, objectName="mainSplitter")
    side_splitter = QSplitter(Qt.Orientation.Horizontal, objectName="sideSplitter")
    splitter.addWidget(request)
    splitter.addWidget(answer)
    splitter.setChildrenCollapsible(False)
    side_splitter.addWidget(profiles_pane)
    side_splitter.addWidget(splitter)
    side_splitter.setCollapsible(1, False)
    for each in (splitter, side_splitter):
        each.setStretchFactor(0, 0)
        each.setStretchFactor(1, 1)
    central = QWidget()
    layout = QVBoxLayout(central)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    layout.addWidget(banner)
    layout.addWidget(side_splitter, 1)
    # No size hint is asked here: they polish, and the stylesheet comes later (`Columns.fit`).
    return Columns(central, banner, request, response, splitter, side_splitter)
