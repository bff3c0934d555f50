"""Message boxes whose buttons say what they do ("Delete profile", never a bare Yes, No or OK)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

Icon = QMessageBox.Icon
Role = QMessageBox.ButtonRole


def ask(
    parent: QWidget | None,
    title: str,
    text: str,
    choices: Mapping[str, tuple[str, Role]],
    *,
    default: str,
    icon: Icon = Icon.Question,
) -> str:
    """Ask with one button per choice, each labelled with what it does; the chosen key.

    Args:
        choices: key -> (button label, role), in the order the buttons appear. One choice has
            the RejectRole: Esc and the title bar's close button choose it.
        default: the key of the button that Enter presses.
    """
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.NoButton, parent)
    buttons = {key: box.addButton(label, role) for key, (label, role) in choices.items()}
    box.setDefaultButton(buttons[default])
    (escape,) = (key for key, (_label, role) in choices.items() if role == Role.RejectRole)
    box.setEscapeButton(buttons[escape])
    box.exec()
    clicked = box.clickedButton()
    return next((key for key, button in buttons.items() if button is clicked), escape)


def tell(
    parent: QWidget | None,
    title: str,
    text: str,
    *,
    icon: Icon = Icon.Warning,
    close: str = "Close",
) -> None:
    """Show a notice whose one button says it closes the notice (not "OK")."""
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.NoButton, parent)
    box.setEscapeButton(box.addButton(close, Role.AcceptRole))
    box.exec()


def ask_save_path(parent: QWidget | None, title: str, name: str, file_filter: str) -> str:
    """Ask where to save; an existing file is replaced only after "Replace file" ('' = no).

    The file dialog's own overwrite question is turned off: Qt's answers it with Yes / No.
    """
    path, _ = QFileDialog.getSaveFileName(
        parent, title, name, file_filter, "", QFileDialog.Option.DontConfirmOverwrite
    )
    if not path or not Path(path).exists():
        return path
    choices = {"replace": ("&Replace file", Role.DestructiveRole),
               "keep": ("Cancel", Role.RejectRole)}  # fmt: skip
    text = f"{Path(path).name} already exists in {Path(path).parent}. Replace it?"
    answer = ask(parent, title, text, choices, default="keep", icon=Icon.Warning)
    return path if answer == "replace" else ""
