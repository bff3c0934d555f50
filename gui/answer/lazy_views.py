"""Build the answer's tabs after Summary when first needed, wired to the answer's signals."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget


def make_view(name: str, owner: Any) -> QWidget:
    """The view of one lazily built tab; `owner` is the ResponseView whose signals its buttons
    drive (Request: copy_curl/copy_powershell; Diagnosis: copy_support, open_preferences;
    Try it: try_*)."""
    if name == "claims":
        from gui.answer.claims_view import ClaimsView

        return ClaimsView()
    if name == "raw":
        from gui.answer.detail_views import RawView

        raw = RawView()
        raw.show_text("")
        return raw
    if name == "try_it":
        from gui.answer.try_view import TryView

        tried = TryView()
        tried.send_requested.connect(owner.try_send)
        tried.inputs_changed.connect(owner.try_inputs_changed)
        tried.expiry_requested.connect(owner.try_expiry)
        tried.copy_curl.connect(owner.try_copy_curl)
        tried.copy_powershell.connect(owner.try_copy_powershell)
        return tried
    if name == "request":
        from gui.answer.detail_views import RequestView

        request = RequestView()
        request.copy_curl.connect(owner.copy_curl)
        request.copy_powershell.connect(owner.copy_powershell)
        return request
    from gui.answer.detail_views import DiagnosisView

    diagnosis = DiagnosisView()
    diagnosis.copy_support.connect(owner.copy_support)
    diagnosis.open_preferences.connect(owner.open_preferences)
    return diagnosis
