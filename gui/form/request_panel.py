"""The request column: the form (scrolling when tall) above a busy bar and the Send button."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from gui.form.request_form import RequestForm


class RequestPanel(QWidget):
    """Holds the form and the Send button; never narrower than the form needs.

    The form does not scroll sideways, so the panel's minimum width is the form's own minimum
    (a whole GUID in the ID fields) plus the margins and a vertical scroll bar.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="requestPanel")
        self.form = RequestForm()
        scroll = QScrollArea(objectName="formScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self.form)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.send_button = QPushButton("&Send", objectName="sendButton")
        self.send_button.setToolTip("Send the token request (Ctrl+Enter)")
        self.send_button.setAccessibleName("Send")
        self.busy = QProgressBar(objectName="busyIndicator", textVisible=False)
        self.busy.setRange(0, 0)
        self.busy.setMaximumHeight(6)
        self.busy.setAccessibleName("Request running")
        self.busy.hide()
        send_row = QHBoxLayout()
        send_row.addWidget(self.busy, 1)
        send_row.addWidget(self.send_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 8, 12)
        layout.addWidget(scroll, 1)
        layout.addLayout(send_row)
        self._scroll = scroll
        QWidget.setTabOrder(self.form.token_url_edit, self.send_button)

    def fit_minimum_width(self) -> None:
        """Set the minimum width from the form's size hint (call once the panel is in place).

        A size hint polishes the form; under the app stylesheet, reparenting a polished
        widget tree polishes it all again, so the window asks for this after assembling.
        """
        margins = self.layout().contentsMargins()
        scroll_bar = self._scroll.verticalScrollBar().sizeHint().width()
        width = self.form.minimumSizeHint().width() + margins.left() + margins.right()
        self.setMinimumWidth(width + scroll_bar)
