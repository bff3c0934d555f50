"""The resource loader: safe names, loud failures, recoloured icons, both stylesheets."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor

from gui.resources import ResourceError, load_icon, load_stylesheet, resource_path


@pytest.mark.parametrize("name", ["../pyproject.toml", "/etc/passwd", "icons\\send.svg", ""])
def test_unsafe_names_are_refused(name: str) -> None:
    """Absolute paths, `..`, backslashes and empty names never resolve."""
    with pytest.raises(ResourceError):
        resource_path(name)


def test_missing_file_fails_loudly() -> None:
    """A resource that is not shipped raises, naming the file."""
    with pytest.raises(ResourceError, match=r"no-such-icon\.svg"):
        resource_path("icons/no-such-icon.svg")


def test_icon_is_painted_in_the_requested_colour(qapp) -> None:
    """`currentColor` in the SVG becomes the colour asked for (dark mode recolouring)."""
    icon = load_icon("success", "#ff0000")
    image = icon.pixmap(QSize(32, 32)).toImage()
    colours = {
        QColor(image.pixel(x, y)).name()
        for x in range(image.width())
        for y in range(image.height())
        if QColor.fromRgba(image.pixel(x, y)).alpha() == 255
    }
    assert colours == {"#ff0000"}


def test_every_shipped_icon_loads(qapp) -> None:
    """Each SVG in resources/icons is valid and renders."""
    folder = resource_path("icons/send.svg").parent
    names = sorted(p.stem for p in folder.glob("*.svg"))
    assert len(names) >= 10
    for name in names:
        assert not load_icon(name).isNull(), name


def test_stylesheets_differ_by_palette() -> None:
    """Light and dark stylesheets share the common rules and differ in colours."""
    light, dark = load_stylesheet(False), load_stylesheet(True)
    assert "QLabel#verdictLabel" in light and "QLabel#verdictLabel" in dark
    assert light != dark


def _colours(widget) -> set[str]:
    image = widget.grab().toImage()
    return {image.pixelColor(x, y).name() for x in range(image.width())
            for y in range(image.height())}  # fmt: skip


def test_dark_check_boxes_have_a_visible_frame_and_an_accent_tick(qtbot) -> None:
    """On the dark palette Fusion's check box frame is lost in the background: the dark
    stylesheet draws a grey frame, and a ticked box in the accent colour with a white tick
    (an SVG named by its path, filled in when the stylesheet is loaded)."""
    from PySide6.QtWidgets import QCheckBox

    from gui import theme

    sheet = load_stylesheet(dark=True)
    assert "{check_mark}" not in sheet
    assert f'url("{resource_path("icons/check-mark.svg").as_posix()}")' in sheet
    box = QCheckBox("Option")
    box.setPalette(theme.palette_for(theme.DARK))
    box.setStyleSheet(sheet)
    qtbot.addWidget(box)
    box.show()
    assert "#7d8894" in _colours(box)  # the frame of an unticked box
    box.setChecked(True)
    ticked = _colours(box)
    assert "#2b7fd1" in ticked and "#ffffff" in ticked
