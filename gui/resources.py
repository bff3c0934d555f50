"""The one loader for plain-file resources: icons (recoloured SVG) and stylesheets."""

from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QPoint, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QIconEngine, QPainter, QPixmap

if TYPE_CHECKING:
    from PySide6.QtSvg import QSvgRenderer

if getattr(sys, "frozen", False) and hasattr(sys, "_MEIPASS"):  # a PyInstaller bundle
    RESOURCES_DIR = Path(sys._MEIPASS) / "resources"
else:
    RESOURCES_DIR = Path(__file__).resolve().parent.parent / "resources"


class ResourceError(FileNotFoundError):
    """A resource file the application ships is missing or its name is unsafe."""


def resource_path(name: str) -> Path:
    """The absolute path of a shipped resource, e.g. `icons/send.svg`.

    Raises:
        ResourceError: the name is absolute, climbs out with `..`, or the file is missing.
    """
    pure = PurePosixPath(name)
    if pure.is_absolute() or ".." in pure.parts or "\\" in name or not pure.parts:
        raise ResourceError(f"unsafe resource name {name!r}: use a relative path inside resources/")
    path = RESOURCES_DIR.joinpath(*pure.parts)
    if not path.is_file():
        raise ResourceError(f"missing resource file: {path}")
    return path


def read_text(name: str) -> str:
    """A text resource (UTF-8)."""
    return resource_path(name).read_text(encoding="utf-8")


def load_stylesheet(dark: bool) -> str:
    """The common stylesheet followed by the palette-specific one; `{check_mark}` becomes the
    path of the tick a styled check box shows (QSS names images by file path)."""
    text = (
        read_text("style.qss") + "\n" + read_text("style-dark.qss" if dark else "style-light.qss")
    )
    if "{check_mark}" in text:
        text = text.replace("{check_mark}", resource_path("icons/check-mark.svg").as_posix())
    return text


class _SvgIconEngine(QIconEngine):
    """Renders an SVG at exactly the size and pixel ratio asked for, when first asked."""

    def __init__(self, renderer: QSvgRenderer) -> None:
        super().__init__()
        self._renderer = renderer

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        if mode == QIcon.Mode.Disabled:
            painter.setOpacity(0.4)
        self._renderer.render(painter, QRectF(rect))

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        pixmap = QPixmap(size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.paint(painter, QRect(QPoint(0, 0), size), mode, state)
        painter.end()
        return pixmap

    def scaledPixmap(
        self, size: QSize, mode: QIcon.Mode, state: QIcon.State, scale: float
    ) -> QPixmap:
        pixmap = self.pixmap(size * scale, mode, state)
        pixmap.setDevicePixelRatio(scale)
        return pixmap

    def clone(self) -> QIconEngine:
        return _SvgIconEngine(self._renderer)


@lru_cache(maxsize=256)
def load_icon(name: str, color: str = "#3b4252") -> QIcon:
    """An icon from `icons/<name>.svg`, its `currentColor` painted in `color`.

    The SVG is rendered on demand at the exact device-pixel size asked for, so the icon is
    sharp at any scale factor (high DPI) and costs nothing until it is drawn.
    """
    from PySide6.QtSvg import QSvgRenderer  # loaded with the first icon, after first paint

    svg = read_text(f"icons/{name}.svg").replace("currentColor", QColor(color).name())
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    if not renderer.isValid():
        raise ResourceError(f"icons/{name}.svg is not a valid SVG")
    return QIcon(_SvgIconEngine(renderer))
