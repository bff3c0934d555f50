"""A read-only token URL preview that wraps anywhere and grows to show every line."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase, QResizeEvent, QTextOption
from PySide6.QtWidgets import QPlainTextEdit, QSizePolicy, QWidget


class UrlPreview(QPlainTextEdit):
    """Monospaced, wrapped at any character, and exactly as tall as its wrapped text.

    A URL has no spaces to break at, so it wraps anywhere; the height follows the number of
    wrapped lines at the current width, so the last line is never clipped.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="tokenUrlPreview", readOnly=True)
        self.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.setWordWrapMode(QTextOption.WrapMode.WrapAnywhere)
        self.setFrameShape(QPlainTextEdit.Shape.NoFrame)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setTabChangesFocus(True)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.setAccessibleName("Token URL preview (read only)")
        # Not connected to documentSizeChanged: that fires while the document is destroyed.
        self._fit_height()

    def show_text(self, text: str) -> None:
        """Show this text (a no-op when it is already shown, so a selection survives)."""
        if text != self.toPlainText():
            self.setPlainText(text)
            self._fit_height()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._fit_height()

    def _fit_height(self) -> None:
        layout = self.document().documentLayout()
        block, content = self.document().firstBlock(), 0.0
        while block.isValid():  # blockBoundingRect lays the block out at the current width
            content += layout.blockBoundingRect(block).height()
            block = block.next()
        lines = max(1, round(content / self.fontMetrics().lineSpacing()))
        margin = self.document().documentMargin()
        frame = 2 * self.frameWidth() + 2  # +2: QPlainTextEdit's own top/bottom inset
        height = lines * self.fontMetrics().lineSpacing() + int(2 * margin) + frame
        if (self.minimumHeight(), self.maximumHeight()) != (height, height):
            self.setFixedHeight(height)
