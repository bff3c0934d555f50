"""The sign-in strip above the answer: the device code (large, selectable, with Copy, the page
to open as a link, a countdown to expiry), who signed in, and Refresh while a refresh token is
held in memory (for the same API, or for another one the user consented to)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget


class SignInPanel(QWidget):
    """Hidden until a sign-in grant is sent.

    Signals:
        refresh(str): Refresh was clicked: redeem the held refresh token for the API typed
            beside it (its scope on v2, its resource on v1), or the same API when empty.
    """

    refresh = Signal(str)

    def __init__(self, clock: Callable[[], float] = time.monotonic,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("signInPanel")
        self._clock = clock
        self._expires_at = 0.0
        self.code_label = QLabel(objectName="deviceCodeLabel")
        font = QFont(self.code_label.font())
        font.setPointSizeF(font.pointSizeF() * 2.2)
        font.setBold(True)
        font.setStyleHint(QFont.StyleHint.Monospace)
        self.code_label.setFont(font)
        self.code_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.code_label.setAccessibleName("Device code")
        self.copy_button = QPushButton("Copy code", objectName="copyDeviceCodeButton")
        self.copy_button.clicked.connect(self._on_copy_clicked)
        self.url_label = QLabel(objectName="deviceUrlLabel")
        self.url_label.setOpenExternalLinks(True)
        self.url_label.setTextFormat(Qt.TextFormat.RichText)
        self.countdown_label = QLabel(objectName="deviceCountdownLabel")
        self.user_label = QLabel(objectName="signedInLabel")
        self.user_label.setWordWrap(True)
        self.user_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.refresh_button = QPushButton("Refresh now", objectName="refreshButton")
        self.refresh_button.setToolTip("Redeem the refresh token held in memory for a new token")
        self.refresh_button.clicked.connect(self._on_refresh_clicked)
        self.target_edit = QLineEdit(objectName="refreshTargetEdit")
        hint = "for another API (optional)"
        self.target_edit.setPlaceholderText(hint)
        width = self.target_edit.fontMetrics().horizontalAdvance(hint)
        self.target_edit.setMinimumWidth(width + 40)
        self.target_edit.setToolTip(
            "Refresh for another API the user consented to: its scope (v2, such as "
            "https://management.azure.com/user_impersonation) or its resource (v1). Empty: "
            "the same API as the sign-in."
        )
        self.target_edit.setAccessibleName("Refresh for another API")
        self.target_edit.setClearButtonEnabled(True)
        self.target_edit.returnPressed.connect(self._on_refresh_clicked)
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._tick)

        code_row = QHBoxLayout()
        code_row.addWidget(self.code_label)
        code_row.addWidget(self.copy_button)
        code_row.addStretch(1)
        self.device_box = QWidget(objectName="deviceCodeBox")
        device = QVBoxLayout(self.device_box)
        device.setContentsMargins(0, 0, 0, 0)
        device.addWidget(QLabel("On any device, open the page below and enter this code:"))
        device.addLayout(code_row)
        device.addWidget(self.url_label)
        device.addWidget(self.countdown_label)
        user_row = QHBoxLayout()
        user_row.addWidget(self.user_label, 1)
        user_row.addWidget(self.target_edit)
        user_row.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 4)
        layout.addWidget(self.device_box)
        layout.addLayout(user_row)
        self.clear()

    def clear(self) -> None:
        self._timer.stop()
        self.device_box.hide()
        self.user_label.clear()
        self.refresh_button.hide()
        self.target_edit.hide()
        self.hide()

    def show_device(self, code: Any) -> None:
        """Show a DeviceCode: its user code, the page to open, and the time left."""
        self.code_label.setText(code.user_code)
        import html  # lazily: only a device code sign-in shows a link

        url = html.escape(code.verification_uri, quote=True)
        self.url_label.setText(f"<a href='{url}'>{url}</a>")
        self._expires_at = self._clock() + code.expires_in
        self._tick()
        self._timer.start()
        self.device_box.show()
        self.show()

    def show_signed_in(self, text: str, refresh_held: bool) -> None:
        self._timer.stop()
        self.device_box.hide()
        self.user_label.setText(text)
        self.refresh_button.setVisible(refresh_held)
        self.target_edit.setVisible(refresh_held)
        self.setVisible(bool(text) or refresh_held)

    def _tick(self) -> None:
        left = max(0, int(self._expires_at - self._clock()))
        self.countdown_label.setText(
            f"The code expires in {left // 60}:{left % 60:02d}" if left else "The code has expired"
        )
        if not left:
            self._timer.stop()

    def _on_refresh_clicked(self) -> None:
        if self.refresh_button.isVisible():
            self.refresh.emit(self.target_edit.text().strip())

    def _on_copy_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self.code_label.text())
