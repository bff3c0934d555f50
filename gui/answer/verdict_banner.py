"""The verdict banner: one line, coloured by state, kept true as time passes and the form moves.

A token's line is recomputed every second from the core (`core.insight.banner`): amber in its
last five minutes, red with "Token expired 3 min ago" after it. Once the form no longer matches
the request that was answered, the banner says the answer is for the previous request.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLabel, QWidget

from gui import theme

STALE_PREFIX = "For the previous request: Send again. "


class VerdictBanner(QLabel):
    """The one-line verdict. `clock` is injectable so tests can move time."""

    def __init__(self, clock: Callable[[], float] = time.time, parent: QWidget | None = None):
        super().__init__(parent, objectName="verdictLabel", wordWrap=True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setAccessibleName("Verdict")
        self.setMinimumHeight(44)
        self._clock = clock
        self._verdict: Any = None
        self._prefix = ""
        self._stale = False
        self._forced = ""
        self.expiry = ""  # ok | soon | expired | '' (no live token)
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self.refresh)

    @property
    def state(self) -> str:
        return str(self.property("state"))

    @property
    def stale(self) -> bool:
        return self._stale

    def show_state(self, state: str, text: str) -> None:
        """A fixed line (idle, busy, an error without a verdict)."""
        self._timer.stop()
        self._verdict, self._prefix, self._stale, self.expiry = None, "", False, ""
        self._apply(state, text)

    def show_verdict(self, verdict: Any, prefix: str = "", state: str = "") -> None:
        """A verdict's line, kept live while it has an expiry; `state` overrides the colour
        the verdict gives (a pasted text that is no token)."""
        self._verdict, self._prefix, self._stale = verdict, prefix, False
        self._forced = state
        self.refresh()
        if getattr(verdict, "issued", False) and getattr(verdict, "expires_at", None):
            self._timer.start()
        else:
            self._timer.stop()

    def set_stale(self, stale: bool) -> None:
        """Mark the line as answering the previous request (or not any more)."""
        if self._verdict is not None and stale != self._stale:
            self._stale = stale
            self.refresh()

    def refresh(self) -> None:
        """Recompute the line for now (the timer calls it every second)."""
        if self._verdict is None:
            return
        from core.insight.banner import banner_at

        banner = banner_at(self._verdict, self._clock())
        self.expiry = banner.expiry
        state = self._forced or banner.state
        text = self._prefix + banner.text
        if self._stale:
            state, text = "stale", STALE_PREFIX + text
        self._apply(state, text)

    def _apply(self, state: str, text: str) -> None:
        if text != self.text():
            self.setText(text)
        theme.restyle(self, "state", state)
