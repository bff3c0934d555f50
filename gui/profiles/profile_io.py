"""Import and export of profiles through file dialogs, with every problem in a plain message."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from core.store.config import FileProblem, read_text_limited
from core.store.profile import ProfileError
from core.store.profile_json import MAX_FILE_BYTES
from core.store.profiles import ProfileStore
from gui import messages
from gui.messages import Icon

JSON_FILTER = "Profiles (*.json);;All files (*)"


def import_profiles(parent: QWidget, store: ProfileStore) -> str:
    """Ask for a file and add its profiles; returns a status line ('' when nothing changed).

    A file that cannot be read or used is refused as a whole, with one warning box.
    """
    path, _ = QFileDialog.getOpenFileName(parent, "Import profiles", "", JSON_FILTER)
    if not path:
        return ""
    try:
        report = store.import_json(read_text_limited(Path(path), MAX_FILE_BYTES))
    except FileProblem as exc:
        messages.tell(parent, "Nothing imported", f"{exc.message}. Nothing was imported.")
        return ""
    except ProfileError as exc:
        messages.tell(parent, "Nothing imported", exc.message)
        return ""
    count = len(report.added)
    text = f"Imported {count} profile{'s' if count != 1 else ''} from {Path(path).name}."
    if report.warnings:
        notes = "\n".join([text, *report.warnings])
        messages.tell(parent, "Profiles imported", notes, icon=Icon.Information)
    return text


def export_profiles(parent: QWidget, store: ProfileStore) -> str:
    """Ask for a file and write every profile to it (never a secret); returns a status line."""
    path = messages.ask_save_path(parent, "Export profiles", "profiles-export.json", JSON_FILTER)
    if not path:
        return ""
    try:
        Path(path).write_text(store.export_json() + "\n", encoding="utf-8")
    except OSError as exc:
        messages.tell(parent, "Not exported", f"{path} could not be written: {exc}")
        return ""
    count = len(store.list())
    return f"Exported {count} profile{'s' if count != 1 else ''} to {Path(path).name}."
