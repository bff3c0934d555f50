"""The Sandbox menu: scenarios grouped in submenus, the expected outcome shown, the loaded one
ticked."""

from __future__ import annotations

from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from core.sandbox import scenarios, signin_scenarios
from gui.main_window import MainWindow
from gui.sandbox_menu import GROUPS
from gui.sandbox_mode import WINDOW_SKIPS

MAX_ENTRIES = 12  # what fits on a 768-pixel-high screen with room to spare


def test_scenarios_are_grouped_in_short_submenus(window: MainWindow) -> None:
    """The menu holds a few themed submenus, none too long for a laptop screen."""
    top = window.sandbox_menu.actions()
    subs = [a.menu() for a in top if a.menu() is not None]
    assert len(top) == len(subs) <= len(GROUPS)
    assert all(isinstance(s, QMenu) and 0 < len(s.actions()) <= MAX_ENTRIES for s in subs)
    titles = [s.title().replace("&", "") for s in subs]
    for theme in ("Working", "Secret", "Tenant", "Permissions", "Password", "faults"):
        assert any(theme in t for t in titles), theme
    keys = sorted(a.data() for a in window.sandboxing.actions())
    signin = [s.key for s in signin_scenarios() if s.key not in WINDOW_SKIPS]
    assert keys == sorted([*(s.key for s in scenarios()), *signin])


def test_each_entry_shows_its_expected_outcome(window: MainWindow) -> None:
    """Beside each title, the outcome to expect; the status tip says it with the reason."""
    by_key = {s.key: s for s in (*scenarios(), *signin_scenarios())}
    for action in window.sandboxing.actions():
        scenario = by_key[action.data()]
        title, expect = action.text().split("\t")
        assert title == scenario.title
        assert expect == ("token issued" if scenario.expect == "token" else scenario.expect)
        assert action.statusTip().endswith(f"Expected: {expect}.")
    wrong = next(a for a in window.sandboxing.actions() if a.data() == "secret-wrong")
    assert wrong.text().endswith("\tAADSTS7000215")


def test_the_loaded_scenario_is_ticked(qtbot: QtBot, window: MainWindow) -> None:
    """The demo is ticked at start; choosing another moves the tick; a profile clears it."""

    def ticked() -> list[str]:
        return [a.data() for a in window.sandboxing.actions() if a.isChecked()]

    assert ticked() == ["cc-v2-graph"]
    action = next(a for a in window.sandboxing.actions() if a.data() == "secret-id")
    action.trigger()
    assert ticked() == ["secret-id"]
    window.panel.new_button.click()
    window.panel.set_unsaved(False)
    assert ticked() == []
