"""Window state in a QSettings INI file: geometry, splitter, last non-secret form values."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

# The only form values ever stored. Secrets (client_secret, password) are never among them.
REMEMBERED_FIELDS = (
    "cloud",
    "endpoint",
    "tenant",
    "client_id",
    "grant",
    "scope",
    "resource",
    "username",
    "auth_method",
    "timeout_s",
)
_FORBIDDEN = ("secret", "password", "token")


class UiState:
    """Scalars that make the window reopen as it was left; nothing secret, ever."""

    def __init__(self, path: str | Path | None = None) -> None:
        if path is None:
            self._settings = QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                                       "EntraTokenTester", "window")  # fmt: skip
        else:
            self._settings = QSettings(str(path), QSettings.Format.IniFormat)

    @property
    def path(self) -> str:
        return self._settings.fileName()

    def geometry(self) -> QByteArray | None:
        value = self._settings.value("window/geometry")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def set_geometry(self, value: QByteArray) -> None:
        self._settings.setValue("window/geometry", value)

    def splitter(self, key: str = "splitter") -> QByteArray | None:
        value = self._settings.value(f"window/{key}")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def set_splitter(self, value: QByteArray, key: str = "splitter") -> None:
        self._settings.setValue(f"window/{key}", value)

    def clear_delay_s(self, default: float) -> float:
        try:
            return float(self._settings.value("clipboard/clear_delay_s", default))
        except (TypeError, ValueError):
            return default

    def set_clear_delay_s(self, seconds: float) -> None:
        self._settings.setValue("clipboard/clear_delay_s", float(seconds))

    def ca_file(self) -> str:
        """The CA bundle that replaces the OS trust store ('' for the OS trust store)."""
        value = self._settings.value("network/ca_file", "")
        return value if isinstance(value, str) else ""

    def set_ca_file(self, path: str) -> None:
        self._settings.setValue("network/ca_file", str(path))

    def form_values(self) -> dict[str, str]:
        """The remembered form fields (strings), only those in REMEMBERED_FIELDS."""
        out = {}
        for name in REMEMBERED_FIELDS:
            value = self._settings.value(f"form/{name}")
            if isinstance(value, str):
                out[name] = value
        return out

    def set_form_values(self, values: dict[str, Any]) -> None:
        """Store the non-secret form fields; any other key is refused loudly."""
        for name, value in values.items():
            if name not in REMEMBERED_FIELDS or any(w in name for w in _FORBIDDEN):
                raise ValueError(f"refusing to store form field {name!r} in the settings")
            self._settings.setValue(f"form/{name}", str(value))

    def check_options(self, defaults: dict[str, bool | int]) -> dict[str, bool | int]:
        """The check-all window's options as last run: `defaults` where one is missing or
        unreadable (each read as the type of its default)."""
        out: dict[str, bool | int] = {}
        for key, default in defaults.items():
            value = self._settings.value(f"check/{key}")
            if isinstance(default, bool):  # an INI file holds "true" / "false"
                text = str(value).lower()
                out[key] = text == "true" if text in ("true", "false") else default
            else:
                try:
                    out[key] = int(value) if value is not None else default
                except (TypeError, ValueError):
                    out[key] = default
        return out

    def set_check_options(self, options: dict[str, bool | int]) -> None:
        for key, value in options.items():
            self._settings.setValue(f"check/{key}", value)

    def last_profile_id(self) -> str:
        """The id of the profile selected when the window last closed ('' for none)."""
        value = self._settings.value("profiles/last_id", "")
        return value if isinstance(value, str) else ""

    def set_last_profile_id(self, profile_id: str) -> None:
        self._settings.setValue("profiles/last_id", str(profile_id))

    def sync(self) -> None:
        self._settings.sync()
