"""The Sandbox menu: scenarios in submenus by theme, the expected outcome beside each one, and a
tick on the one in the form."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu

if TYPE_CHECKING:
    from core.sandbox import Scenario

# (submenu title, scenario keys or key prefixes ending in "-"); the first match wins, and a
# scenario no group names goes to the last submenu.
GROUPS = (
    ("&Working setups", ("cc-", "short-lived")),
    ("&Secret problems", ("secret-",)),
    ("&Certificates and assertions", ("cert-", "assertion-")),
    ("&Federated credentials", ("federated-",)),
    ("&Tenant and app", ("tenant-", "client-unknown", "app-disabled")),
    ("&Permissions and scopes", ("no-admin-consent", "scope-", "resource-")),
    ("Password &grant", ("password-", "public-client-secret")),
    ("&Network and server faults", ("fault-",)),
    ("&Browser sign-in", ("auth-code-",)),
    ("&Device code sign-in", ("device-code-",)),
)


def group_of(key: str) -> str:
    """The submenu title for a scenario key."""
    for title, keys in GROUPS:
        if any(key.startswith(k) if k.endswith("-") else key == k for k in keys):
            return title
    return GROUPS[-1][0]


def expected_text(expect: str) -> str:
    """The outcome as the menu shows it: "token issued", "AADSTS7000215", "not sent"."""
    return "token issued" if expect == "token" else expect


def fill(menu: QMenu, scenarios: Iterable[Scenario], slot: Callable[[], object]) -> QActionGroup:
    """Replace the menu's entries with one checkable action per scenario, in submenus.

    Each action's data is the scenario key; its text ends with the expected outcome (shown in
    the shortcut column), and its status tip says what happens and what to expect.
    """
    menu.clear()
    group = QActionGroup(menu)
    group.setExclusionPolicy(QActionGroup.ExclusionPolicy.ExclusiveOptional)
    submenus = {title: menu.addMenu(title) for title, _keys in GROUPS}
    for scenario in scenarios:
        sub = submenus[group_of(scenario.key)]
        expect = expected_text(scenario.expect)
        # A "&" in a title is text, not an access key; after the tab: the expected outcome.
        action = QAction(f"{scenario.title.replace('&', '&&')}\t{expect}", sub)
        tip = f"{scenario.description} Expected: {expect}."
        action.setStatusTip(tip)
        action.setToolTip(tip)
        action.setData(scenario.key)
        action.setCheckable(True)
        group.addAction(action)
        action.triggered.connect(slot)
        sub.addAction(action)
        sub.setToolTipsVisible(True)
    for title, sub in submenus.items():
        sub.menuAction().setVisible(not sub.isEmpty())
        sub.setTitle(title)
    return group


def scenario_actions(menu: QMenu) -> list[QAction]:
    """Every scenario's action, submenu by submenu."""
    return [
        action
        for sub in (a.menu() for a in menu.actions() if a.menu() is not None)
        if isinstance(sub, QMenu)
        for action in sub.actions()
        if action.data()
    ]


def mark(menu: QMenu, key: str) -> None:
    """Tick the scenario `key` ('' : none) in the menu."""
    for action in scenario_actions(menu):
        action.setChecked(action.data() == key)
