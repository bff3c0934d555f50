"""Drag and drop of files onto a widget: the accepted kinds go to a callback."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QWidget


class FileDrop(QObject):
    """Makes `host` accept dropped local files whose names end in `suffixes`.

    `on_file(path) -> bool` says whether it used the file; the drop is accepted when any was.
    """

    def __init__(self, host: QWidget, suffixes: tuple[str, ...],
                 on_file: Callable[[str], bool]) -> None:  # fmt: skip
        super().__init__(host)
        self._suffixes, self._on_file = suffixes, on_file
        host.setAcceptDrops(True)
        host.installEventFilter(self)

    def _wanted(self, path: str) -> bool:
        return path.lower().endswith(self._suffixes)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.DragEnter and isinstance(event, QDragEnterEvent):
            urls = event.mimeData().urls()
            if any(u.isLocalFile() and self._wanted(u.toLocalFile()) for u in urls):
                event.acceptProposedAction()
                return True
        elif event.type() == QEvent.Type.Drop and isinstance(event, QDropEvent):
            used = [self._on_file(u.toLocalFile()) for u in event.mimeData().urls()
                    if u.isLocalFile()]  # fmt: skip
            if any(used):
                event.acceptProposedAction()
                return True
        return super().eventFilter(watched, event)
