"""The request column: the form (scrolling when tall) with the Send button right under it."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from gui.form.request_form import RequestForm


class _FormScroll(QScrollArea):
    """A scroll area as tall as its form, never taller: Send sits right below the last row.

    It is no tab stop of its own (the form's fields are); it shrinks (and scrolls) on a short
    window, and follows the form when rows appear or disappear (Advanced, credentials).
    """

    def __init__(self, form: QWidget) -> None:
        super().__init__(objectName="formScroll")
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.setWidget(form)
        form.installEventFilter(self)

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        widget = self.widget()
        if widget is None:
            return hint
        return QSize(hint.width(), widget.sizeHint().height() + 2 * self.frameWidth())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()
        return super().eventFilter(watched, event)


class RequestPanel(QWidget):
    """Holds the form and the Send button; never narrower than the form needs.

    The form does not scroll sideways, so the panel's minimum width is the form's own minimum
    (a whole GUID in the ID fields, the widest label of any row, shown or not) plus the margins
    and a vertical scroll bar.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="requestPanel")
        self.form = RequestForm()
        scroll = _FormScroll(self.form)
        self.send_button = QPushButton("Send", objectName="sendButton")
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
        layout.addWidget(scroll)
        layout.addSpacing(6)
        layout.addLayout(send_row)
        layout.addStretch(1)
        self._scroll = scroll
        # Send follows the form's last field (Advanced's rows come in between once built).
        QWidget.setTabOrder(self.form.advanced_toggle, self.send_button)

    def fit_minimum_width(self) -> None:
        """Set the minimum width from the form's size hint (call once the panel is in place).

        A size hint polishes the form; under the app stylesheet, reparenting a polished
        widget tree polishes it all again, so the window asks for this after assembling.
        """
        self.form.fix_label_column()
        margins = self.layout().contentsMargins()
        scroll_bar = self._scroll.verticalScrollBar().sizeHint().width()
        width = self.form.minimumSizeHint().width() + margins.left() + margins.right()
        self.setMinimumWidth(width + scroll_bar)
