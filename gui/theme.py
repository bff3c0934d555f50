"""Light and dark looks: a Fusion palette and stylesheet that follow the OS colour scheme."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPalette
from PySide6.QtWidgets import QApplication, QWidget


@dataclass(frozen=True)
class Theme:
    """The colours one palette uses (the stylesheets use the same values)."""

    dark: bool
    window: str
    base: str
    alt_base: str
    text: str
    muted: str
    accent: str
    icon: str
    ok: str
    error: str
    warning: str


LIGHT = Theme(
    dark=False, window="#f5f6f8", base="#ffffff", alt_base="#f0f2f5", text="#1f2328",
    muted="#59636e", accent="#0f6cbd", icon="#3b4252", ok="#107c10", error="#c42b1c",
    warning="#9d5d00",
)  # fmt: skip
DARK = Theme(
    dark=True, window="#1f2227", base="#16181c", alt_base="#23272e", text="#e6e8eb",
    muted="#9aa3ad", accent="#4aa3f0", icon="#d0d5db", ok="#54b054", error="#ff7a6b",
    warning="#f2b73c",
)  # fmt: skip

_current = LIGHT


def current() -> Theme:
    """The theme applied last (light until `apply_theme` runs)."""
    return _current


def icon(name: str, color: str | None = None) -> QIcon:
    """An icon drawn in the current theme's icon colour (or `color`)."""
    from gui.resources import load_icon  # QtSvg and the icon engine load with the first icon

    return load_icon(name, color or _current.icon)


def restyle(widget: QWidget, name: str, value: str) -> None:
    """Set a property the stylesheet selects on (role, severity), re-polishing the widget only
    when the value changed and it was polished already (a first polish reads the property).

    An unchanged value costs nothing: the form updates its 19 message lines on every pause in
    typing, and at start-up no widget then asks for its QStyle (PySide6 builds the QStyle
    wrapper and its enums, ~10 ms, on the first such call).
    """
    if (widget.property(name) or "") == value:
        return
    widget.setProperty(name, value)
    if widget.testAttribute(Qt.WidgetAttribute.WA_WState_Polished):
        style = widget.style()
        style.unpolish(widget)
        style.polish(widget)


def os_prefers_dark() -> bool:
    """True when the OS colour scheme is dark (Qt 6.5+ reports it; unknown means light)."""
    hints = QGuiApplication.styleHints()
    return hints.colorScheme() == Qt.ColorScheme.Dark


def palette_for(theme: Theme) -> QPalette:
    """A complete Fusion palette for the theme, including the disabled group."""
    pal = QPalette()
    role = QPalette.ColorRole
    colors = {
        role.Window: theme.window,
        role.WindowText: theme.text,
        role.Base: theme.base,
        role.AlternateBase: theme.alt_base,
        role.Text: theme.text,
        role.Button: theme.alt_base if theme.dark else "#fbfbfc",
        role.ButtonText: theme.text,
        role.ToolTipBase: theme.alt_base if theme.dark else "#ffffff",
        role.ToolTipText: theme.text,
        role.PlaceholderText: theme.muted,
        role.Highlight: theme.accent,
        role.HighlightedText: "#ffffff",
        role.Link: theme.accent,
        role.LinkVisited: theme.accent,
        role.BrightText: "#ffffff",
        role.Light: "#3a3f47" if theme.dark else "#ffffff",
        role.Midlight: "#30343b" if theme.dark else "#e3e6ea",
        role.Mid: "#2a2e35" if theme.dark else "#c9ced4",
        role.Dark: "#111316" if theme.dark else "#a0a7b0",
        role.Shadow: "#000000" if theme.dark else "#7a828c",
    }
    for r, value in colors.items():
        pal.setColor(r, QColor(value))
    disabled = QPalette.ColorGroup.Disabled
    for r in (role.Text, role.WindowText, role.ButtonText):
        pal.setColor(disabled, r, QColor(theme.muted))
    return pal


def apply_theme(
    app: QApplication, dark: bool | None = None, *, stylesheet: bool = True, set_style: bool = True
) -> Theme:
    """Apply the light or dark look (default: what the OS prefers); returns the theme.

    Args:
        app: the application.
        dark: dark or light; None follows the OS.
        stylesheet: False applies the style and palette only; `ensure_stylesheet` adds the
            stylesheet later (start-up: once the window's widgets are assembled).
        set_style: False when the app already runs Fusion (started with `-style Fusion`).
    """
    global _current
    if dark is None:
        dark = os_prefers_dark()
    _current = DARK if dark else LIGHT
    if set_style:
        app.setStyle("Fusion")
    app.setPalette(palette_for(_current))
    if stylesheet:
        from gui.resources import load_stylesheet

        app.setStyleSheet(load_stylesheet(dark))
    else:
        app.setStyleSheet("")
    return _current


def ensure_stylesheet(app: QApplication) -> None:
    """Apply the current theme's stylesheet unless the app already has one.

    Under an app stylesheet, each reparenting of an already polished widget tree polishes the
    whole tree again, and building the panels reparents them several times (a size hint or a
    scroll area polishes early), and so does putting the assembled tree into the shown
    window. Built without the stylesheet and given it once in the window (`Columns.fit`),
    each widget is polished with it once: the complete window paints about 75 ms sooner.
    """
    if not app.styleSheet():
        from gui.resources import load_stylesheet

        app.setStyleSheet(load_stylesheet(_current.dark))
