"""The one loader for plain-file resources: icons (recoloured SVG) and stylesheets."""

from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path, PurePosixPath

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

if getattr(sys, "frozen", False) and hasattr(sys, "_MEIPASS"):  # a PyInstaller bundle
    RESOURCES_DIR = Path(sys._MEIPASS) / "resources"
else:
    RESOURCES_DIR = Path(__file__).resolve().parent.parent / "resources"

ICON_SIZES = (16, 20, 24, 32)


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
    """The common stylesheet followed by the palette-specific one."""
    return (
        read_text("style.qss") + "\n" + read_text("style-dark.qss" if dark else "style-light.qss")
    )


@lru_cache(maxsize=256)
def load_icon(name: str, color: str = "#3b4252") -> QIcon:
    """An icon from `icons/<name>.svg`, its `currentColor` painted in `color`.

    Every size is rendered at 1x and 2x, so the icon stays sharp on high-DPI screens.
    """
    svg = read_text(f"icons/{name}.svg").replace("currentColor", QColor(color).name())
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    if not renderer.isValid():
        raise ResourceError(f"icons/{name}.svg is not a valid SVG")
    icon = QIcon()
    for size in ICON_SIZES:
        for ratio in (1, 2):
            pixmap = QPixmap(size * ratio, size * ratio)
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            renderer.render(painter, QRectF(0, 0, size * ratio, size * ratio))
            painter.end()
            pixmap.setDevicePixelRatio(ratio)
            icon.addPixmap(pixmap)
    return icon
