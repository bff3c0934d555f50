"""The window's layout: whole GUIDs, an unclipped token URL, a laptop-sized default, a guide."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from gui.main_window import MainWindow
from gui.window_state import DEFAULT_SIZE, default_size

GUID = "00000000-0000-0000-0000-000000000000"  # zeros: the widest digits in most fonts
LONG_URL = "https://login.example.test/" + "/".join(["0123456789abcdef"] * 8) + "/token"


def _shows_all(edit: QLineEdit) -> bool:
    """True when the text is not scrolled: with the cursor at its end, its start still shows."""
    text = edit.text()
    edit.setCursorPosition(0)
    start = edit.cursorRect().center().x()
    edit.setCursorPosition(len(text))
    end = edit.cursorRect().center().x()
    return end - start == edit.fontMetrics().horizontalAdvance(text)


@pytest.mark.parametrize("size", ["default", "minimum"])
def test_guids_and_token_url_fit(qtbot: QtBot, window: MainWindow, size: str) -> None:
    """At the default and the minimum size both GUIDs show whole and no URL line is cut off."""
    window.resize(DEFAULT_SIZE if size == "default" else window.minimumSize())
    qtbot.waitUntil(lambda: window.width() == window.minimumWidth() or size == "default")
    window.form.advanced_toggle.setChecked(True)
    for edit in (window.form.tenant_edit, window.form.client_id_edit):
        edit.setText(GUID)
        assert _shows_all(edit), edit.objectName()
    for url in (window.form.token_url_text(), LONG_URL):
        window.form.token_url_edit.setText(url if url == LONG_URL else "")
        qtbot.waitUntil(lambda u=url: window.form.token_url_text() == u, timeout=2000)
        preview = window.form.url_preview
        # The preview grows once the layout has run: then no wrapped line is hidden.
        qtbot.waitUntil(lambda p=preview: p.verticalScrollBar().maximum() == 0, timeout=1000)
        lines = preview.document().documentLayout().documentSize().height()
        assert lines >= 2 and preview.height() >= lines * preview.fontMetrics().lineSpacing()


def test_default_size_fits_a_laptop_screen() -> None:
    """The default size fits a 1366 x 768 laptop's work area and shrinks on smaller screens."""
    laptop = default_size(QSize(1366, 728))  # 768 less a 40 px taskbar
    assert laptop.width() <= 1366 - 16 and laptop.height() <= 728 - 48
    assert laptop.width() >= 1300
    assert default_size(QSize(3840, 2100)) == DEFAULT_SIZE


def test_minimum_size_fits_the_default(window: MainWindow) -> None:
    """The minimum width (profiles + a GUID-wide form + the answer) is below the default."""
    assert window.minimumWidth() < DEFAULT_SIZE.width() - 200
    assert window.minimumHeight() <= 560


def test_profiles_column_is_compact(qtbot: QtBot, window: MainWindow) -> None:
    """The profile list's column stays narrow and the answer pane gets the spare width."""
    window.resize(DEFAULT_SIZE)
    qtbot.waitUntil(lambda: window.width() == DEFAULT_SIZE.width())
    profiles, _ = window.side_splitter.sizes()
    form, answer = window.splitter.sizes()
    assert 150 <= profiles <= 200
    assert answer > form
    for button in (window.panel.new_button, window.panel.export_button):
        assert button.isVisible() and button.geometry().right() <= window.panel.width()
        assert button.accessibleName() and button.toolTip()


def test_a_guide_shows_before_the_first_send(qtbot: QtBot, window: MainWindow) -> None:
    """Before any answer the Summary tab explains Send, Ctrl+Enter and pasting a token."""
    guide = window.response.summary.placeholder
    assert guide.isVisible()
    text = guide.text()
    assert "Send" in text and "Ctrl+Enter" in text and "Ctrl+V" in text
    with qtbot.waitSignal(window.worker.finished, timeout=10_000):
        qtbot.mouseClick(window.send_button, Qt.MouseButton.LeftButton)
    assert not guide.isVisible()
    assert window.response.summary.value("outcome").startswith("Token issued")


def test_start_up_path_lays_out_like_a_styled_build(qapp, make_window) -> None:
    """Panels built before the stylesheet (start-up path) get it, and the same minimum sizes."""
    from core.store.secret_store import MemorySecretStore

    styled = make_window(secrets=MemorySecretStore())
    sheet = qapp.styleSheet()
    assert sheet
    qapp.setStyleSheet("")  # as `create_app(stylesheet=False)` leaves it for the first frame
    try:
        late = make_window(secrets=MemorySecretStore(), deferred=True)
        late.finish_setup()
        assert qapp.styleSheet() == sheet
        assert late.minimumSize() == styled.minimumSize()
        form_column = (w.splitter.widget(0).minimumWidth() for w in (late, styled))
        assert len(set(form_column)) == 1
        for name in ("tenant_edit", "cloud_combo", "url_preview"):  # padding from the sheet
            hints = {getattr(w.form, name).sizeHint().toTuple() for w in (late, styled)}
            assert len(hints) == 1, name
        assert late.send_button.sizeHint() == styled.send_button.sizeHint()
    finally:
        qapp.setStyleSheet(sheet)


def test_answer_pane_usable_at_1024_by_640(qtbot: QtBot, window: MainWindow) -> None:
    """On a 1024 x 640 window every answer tab shows (no scroll arrows hide one)."""
    window.resize(QSize(1024, 640))
    qtbot.waitUntil(lambda: window.width() == max(1024, window.minimumWidth()))
    with qtbot.waitSignal(window.worker.finished, timeout=10_000):
        window.send()
    qtbot.wait(50)
    bar = window.response.tabs.tabBar()
    rects = [bar.tabRect(i) for i in range(bar.count())]
    assert all(r.right() <= bar.width() for r in rects), (bar.width(), rects)
    texts = [bar.tabText(i).replace("&", "") for i in range(bar.count())]
    whole = [
        r.width() >= bar.fontMetrics().horizontalAdvance(t) + 8
        for r, t in zip(rects, texts, strict=True)
    ]
    assert all(whole), (texts, rects)  # no title is cut short
    assert window.minimumWidth() <= 1024


def test_disabled_copy_buttons_say_why(window: MainWindow) -> None:
    """Before a token, Copy token and Copy header are disabled and their tooltip says why."""
    for button in (window.response.copy_token_button, window.response.copy_header_button):
        assert not button.isEnabled()
        assert "No token to copy yet" in button.toolTip()


def _at_1024_by_640(qtbot: QtBot, window: MainWindow) -> None:
    window.resize(QSize(1024, 640))
    qtbot.waitUntil(lambda: window.width() == max(1024, window.minimumWidth()))
    with qtbot.waitSignal(window.worker.finished, timeout=10_000):
        window.send()


def test_claims_explanation_stays_visible_at_1024_by_640(qtbot: QtBot, window: MainWindow) -> None:
    """At 1024 x 640 the Claims table's Explanation column is in view, not behind a scroll bar."""
    _at_1024_by_640(qtbot, window)
    view = window.response
    view.tabs.setCurrentWidget(view.claims)
    table = view.claims.table
    qtbot.waitUntil(lambda: table.horizontalHeader().sectionSize(2) > 0)
    header, viewport = table.horizontalHeader(), table.viewport().width()
    right = header.sectionViewportPosition(2) + header.sectionSize(2)
    assert right <= viewport and header.sectionSize(2) >= 120, (right, viewport)
    assert not table.horizontalScrollBar().isVisible()


def test_export_buttons_stay_whole_at_1024_by_640(qtbot: QtBot, window: MainWindow) -> None:
    """At 1024 x 640 the Request and Try it tabs' buttons show their whole titles, in view."""
    _at_1024_by_640(qtbot, window)
    view = window.response
    for tab, buttons in (
        (view.request, (view.request.curl_button, view.request.ps_button)),
        (view.try_it, (view.try_it.curl_button, view.try_it.ps_button,
                       view.try_it.expiry_button, view.try_it.send_button)),
    ):  # fmt: skip
        view.tabs.setCurrentWidget(tab)
        qtbot.wait(50)
        for button in buttons:
            assert button.width() >= button.sizeHint().width(), button.text()
            assert button.height() >= button.sizeHint().height(), button.text()
            right = button.mapTo(tab, button.rect().topRight()).x()
            assert right <= tab.width(), button.text()


def test_long_profile_names_end_in_an_ellipsis(qtbot: QtBot, make_window, config_folder) -> None:
    """A profile name wider than the column is elided (whole in its tooltip), no scroll bar."""
    from core.store.profile import Profile
    from core.store.profiles import ProfileStore

    name = "Contoso daemon (production, West Europe)"
    ProfileStore(config_folder).save(Profile(name=name, tenant="contoso.example"))
    window = make_window()
    window.resize(QSize(1024, 640))
    profiles = window.panel.list
    qtbot.waitUntil(lambda: profiles.count() == 1)
    assert profiles.fontMetrics().horizontalAdvance(name) > profiles.viewport().width()
    assert not profiles.horizontalScrollBar().isVisible()
    assert profiles.item(0).toolTip().startswith(name)


def test_profiles_column_collapses_for_the_answer_at_1024_by_640(
    qtbot: QtBot, window: MainWindow
) -> None:
    """At 1024 x 640 the Profiles column can be collapsed, and the answer gets its width."""
    _at_1024_by_640(qtbot, window)
    answer_before = window.response.width()
    window.side_splitter.setSizes([0, 10_000])
    qtbot.waitUntil(lambda: window.side_splitter.sizes()[0] == 0)
    qtbot.waitUntil(lambda: window.response.width() > answer_before + 100)
    assert window.panel.visibleRegion().isEmpty()  # nothing of it shows


def test_tab_icons_depend_on_the_width_alone(qtbot: QtBot, window: MainWindow) -> None:
    """Icons on the answer's tabs come and go with the width only: the same at a given width
    whichever tab is open and whatever width came before."""
    bar = window.response.tabs.tabBar()

    def compact_at(width: int) -> bool:
        window.resize(QSize(width, 700))
        qtbot.waitUntil(lambda: window.width() == max(width, window.minimumWidth()))
        qtbot.wait(20)
        return window.response.tabs.compact

    with qtbot.waitSignal(window.worker.finished, timeout=10_000):
        window.send()
    for width in range(1200, 1420, 10):  # across the width where the icons go
        seen = set()
        for before in (1024, 1900):
            compact_at(before)
            seen.add(compact_at(width))
            for index in range(bar.count()):
                window.response.tabs.setCurrentIndex(index)
                seen.add(window.response.tabs.compact)
        assert len(seen) == 1, width
