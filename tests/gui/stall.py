"""Measure event-loop stalls: the gaps between ticks of a short QTimer on the UI thread."""

from __future__ import annotations

import time

from PySide6.QtCore import QTimer


class StallMeter:
    """Records the gap between consecutive ticks of a timer while it runs."""

    def __init__(self, interval_ms: int) -> None:
        self.gaps: list[float] = []
        self._last = time.perf_counter()
        self._timer = QTimer()
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        now = time.perf_counter()
        self.gaps.append(now - self._last)
        self._last = now

    def start(self) -> None:
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    @property
    def longest(self) -> float:
        """The longest gap in seconds (0 when the timer never ticked)."""
        return max(self.gaps, default=0.0)
