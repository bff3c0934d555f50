"""The menu bar: File, Request, Sandbox and Help, with the shortcuts listed beside each entry."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu


@dataclass(frozen=True)
class MenuSlots:
    """What each menu entry calls (the window and its controllers provide them)."""

    save_profile: Callable[[], object]
    new_profile: Callable[[], object]
    import_profiles: Callable[[], object]
    export_profiles: Callable[[], object]
    clear_history: Callable[[], object]
    check_all: Callable[[], object]
    decode: Callable[[], object]
    preferences: Callable[[], object]
    quit: Callable[[], object]
    send: Callable[[], object]
    cancel: Callable[[], object]
    copy_token: Callable[[], object]
    copy_header: Callable[[], object]
    copy_curl: Callable[[], object]
    copy_powershell: Callable[[], object]
    shortcuts: Callable[[], object]
    about: Callable[[], object]


@dataclass(frozen=True)
class Menus:
    """The actions other parts enable, disable or give icons, and the Sandbox menu."""

    save_profile: QAction
    import_profiles: QAction
    export_profiles: QAction
    clear_history: QAction
    check_all: QAction
    decode: QAction
    preferences: QAction
    send: QAction
    cancel: QAction
    copy_token: QAction
    copy_header: QAction
    sandbox: QMenu

    def refresh_icons(self) -> None:
        """Redraw the menu entries' icons in the current theme's colours."""
        from gui import theme

        self.decode.setIcon(theme.icon("decode"))
        self.preferences.setIcon(theme.icon("settings"))
        self.copy_token.setIcon(theme.icon("key"))
        self.copy_header.setIcon(theme.icon("copy"))


def _action(window: QMainWindow, menu: QMenu, text: str, slot: Callable[[], object],
            keys: Sequence[str] = (), tip: str = "") -> QAction:  # fmt: skip
    action = QAction(text, window)
    action.setShortcuts([QKeySequence(k) for k in keys])
    action.setStatusTip(tip)
    action.triggered.connect(slot)
    menu.addAction(action)
    window.addAction(action)  # shortcuts work wherever the focus is
    return action


def build_menus(window: QMainWindow, slots: MenuSlots) -> Menus:
    """Fill the window's menu bar; the Sandbox menu stays hidden until sandbox mode."""
    bar = window.menuBar()
    file = bar.addMenu("&File")
    tip = "Save the form into the selected profile (a new one when none is selected)"
    save = _action(window, file, "&Save profile", slots.save_profile, ["Ctrl+S"], tip)
    _action(window, file, "&New profile", slots.new_profile, ["Ctrl+N"], "Add an empty profile")
    file.addSeparator()
    imp = _action(window, file, "&Import profiles…", slots.import_profiles, (),
                  "Add profiles from a JSON file")  # fmt: skip
    exp = _action(window, file, "E&xport profiles…", slots.export_profiles, (),
                  "Save every profile as JSON (never a secret)")  # fmt: skip
    clear = _action(window, file, "C&lear history", slots.clear_history, (),
                    "Forget the recent results of the selected profile")  # fmt: skip
    check = _action(window, file, "C&heck all profiles…", slots.check_all, ["Ctrl+Shift+A"],
                    "Request a token for every saved profile at once")  # fmt: skip
    file.addSeparator()
    decode = _action(window, file, "&Decode a token…", slots.decode, ["Ctrl+D"],
                     "Decode and explain a token without sending")  # fmt: skip
    prefs = _action(window, file, "&Preferences…", slots.preferences, ["Ctrl+,"])
    file.addSeparator()
    _action(window, file, "&Quit", slots.quit, ["Ctrl+Q"])
    request = bar.addMenu("Re&quest")
    send = _action(window, request, "&Send", slots.send, ["Ctrl+Return", "Ctrl+Enter"])
    cancel = _action(window, request, "&Cancel", slots.cancel, ["Esc"])
    cancel.setEnabled(False)
    request.addSeparator()
    token = _action(window, request, "Copy &token", slots.copy_token, ["Ctrl+Shift+C"])
    header = _action(window, request, "Copy Authorization &header", slots.copy_header,
                     ["Ctrl+Shift+H"])  # fmt: skip
    _action(window, request, "Copy as c&url", slots.copy_curl)
    _action(window, request, "Copy as &PowerShell", slots.copy_powershell)
    sandbox = bar.addMenu("Sand&box")
    sandbox.menuAction().setVisible(False)
    help_menu = bar.addMenu("&Help")
    _action(window, help_menu, "&Keyboard shortcuts", slots.shortcuts, ["F1"])
    _action(window, help_menu, "&About", slots.about)
    return Menus(save, imp, exp, clear, check, decode, prefs, send, cancel, token, header, sandbox)


def dialog_slot(window: QMainWindow, name: str, *args: object) -> Callable[[], None]:
    """A slot that opens one of gui/dialogs.py's dialogs (the module loads when first opened)."""

    def open_dialog() -> None:
        from gui import dialogs

        getattr(dialogs, name)(window, *args)

    return open_dialog
