"""The answer's tabs: Summary first, the others built when first needed, all kept in view."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon, QResizeEvent
from PySide6.QtWidgets import QTabWidget, QWidget

from gui import theme

# The tabs after Summary: (attribute, title, icon). Each is built when first needed (its tab
# is opened, a report is shown, or code asks for it), so start-up builds only Summary.
LAZY_TABS = (
    ("claims", "Cl&aims", "decode"),
    ("raw", "&Raw", "header"),
    ("request", "Request", "send"),
    ("diagnosis", "&Diagnosis", "warning"),
    ("try_it", "Try it", "send"),
)
# Compact tabs (a narrow pane): less padding. It is the bar's own stylesheet, which Qt applies
# at once; a property the app's stylesheet selects on would need style().unpolish/polish, and
# PySide6 builds the QStyle class and its enums (~6-10 ms) on the first QStyle a program gets.
# The window's start sets it (the answer pane is narrow until the window has its size).
COMPACT_TABS = "QTabBar::tab { padding: 6px 6px; }"


class AnswerTabs(QTabWidget):
    """Summary, Claims, Raw, Request, Diagnosis and Try it.

    Args:
        summary: the Summary view (built at once: it shows the start-up guide).
        owner: the ResponseView whose signals the lazily built views' buttons drive.
    """

    def __init__(self, summary: QWidget, owner: QWidget) -> None:
        super().__init__(objectName="responseTabs")
        self._owner = owner
        self._views: dict[str, QWidget] = {}
        self._icons = True
        self._full_width = 0  # what the tabs need with icons and full padding (see _fit)
        self.setDocumentMode(False)
        # No hidden tabs behind scroll arrows: on a narrow pane the icons go, then text elides.
        self.tabBar().setUsesScrollButtons(False)
        self.tabBar().setElideMode(Qt.TextElideMode.ElideRight)
        self.setAccessibleName("Answer")
        self.addTab(summary, "Su&mmary")
        for _name, title, _icon in LAZY_TABS:
            self.addTab(QWidget(), title)  # a placeholder until the view is built
        self.currentChanged.connect(self._on_current_changed)

    @property
    def compact(self) -> bool:
        """Whether the tabs are compact (no icons, less padding) to fit a narrow pane."""
        return not self._icons

    def built(self, name: str) -> bool:
        """Whether a lazy tab's view exists (one not built yet has nothing to clear)."""
        return name in self._views

    def view(self, name: str) -> QWidget:
        """The view behind a tab, built (and put in place of its placeholder) on first use."""
        view = self._views.get(name)
        if view is not None:
            return view
        from gui.answer.lazy_views import make_view

        view = make_view(name, self._owner)
        self._views[name] = view
        index = 1 + [tab[0] for tab in LAZY_TABS].index(name)
        view.setAccessibleName(LAZY_TABS[index - 1][1].replace("&", "") + " of the answer")
        placeholder, current = self.widget(index), self.currentIndex()
        blocked = self.blockSignals(True)  # a swap, not a tab change
        self.removeTab(index)
        self.insertTab(index, view, LAZY_TABS[index - 1][1])
        self.setCurrentIndex(current)
        self.blockSignals(blocked)
        placeholder.deleteLater()
        self.refresh_icons()
        return view

    def build_all(self) -> None:
        """Build every tab not built yet."""
        for name, _title, _icon in LAZY_TABS:
            self.view(name)

    def _on_current_changed(self, index: int) -> None:
        if index > 0:
            self.view(LAZY_TABS[index - 1][0])

    def refresh_icons(self) -> None:
        """The tabs' icons (none while compact) and the built views' buttons' icons."""
        if "request" in self._views:
            self._views["request"].refresh_icons()  # type: ignore[attr-defined]
        if "diagnosis" in self._views:
            self._views["diagnosis"].copy_button.setIcon(theme.icon("copy"))  # type: ignore[attr-defined]
        names = ("info", *(tab[2] for tab in LAZY_TABS))
        for index, name in enumerate(names):
            self.setTabIcon(index, theme.icon(name) if self._icons else QIcon())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        """Every tab stays in view: on a narrow pane the icons go and the tabs get compact.

        The width the tabs need with their icons is measured while they have them and kept,
        so the choice depends on the width alone (not on which state came before)."""
        bar = self.tabBar()
        if self._icons:
            self._full_width = sum(bar.tabSizeHint(i).width() for i in range(bar.count()))
        fits = self._full_width <= self.width()
        if fits != self._icons:
            self._icons = fits
            bar.setStyleSheet("" if fits else COMPACT_TABS)
            self.refresh_icons()
