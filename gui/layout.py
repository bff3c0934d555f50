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
    """Lay out the profiles column, a new request panel and a new answer pane."""
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
    # The start-up path builds the panels before the stylesheet (see theme.ensure_stylesheet);
    # size hints polish widgets, so they are asked only now (see RequestPanel).
    theme.ensure_stylesheet(QApplication.instance())
    request.fit_minimum_width()
    splitter.setSizes([request.minimumWidth() + 20, 10_000])
    side_splitter.setSizes([PROFILES_WIDTH, 10_000])
    return Columns(central, banner, request, response, splitter, side_splitter)
