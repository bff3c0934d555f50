"""Keep the answer tied to the form it answers.

When the form changes after an answer (another profile, a scenario, an edited field), the
answer is marked as being for the previous request; when it is back as sent, the mark goes. A
sandbox scenario's "loaded" line goes as soon as the form leaves that scenario.
"""

from __future__ import annotations

from dataclasses import fields
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Slot

from core.redaction import Secret

if TYPE_CHECKING:
    from core.token.models import TokenRequestInput
    from gui.answer.response_view import ResponseView
    from gui.form.request_form import RequestForm


def form_fingerprint(inputs: TokenRequestInput) -> str:
    """A digest of every field of the form (secrets included, hashed, never kept as text)."""
    import hashlib  # lazily: ~3 ms before the complete window

    digest = hashlib.sha256()
    for item in fields(inputs):
        if not item.compare:
            continue
        value = getattr(inputs, item.name)
        text = value.reveal() if isinstance(value, Secret) else repr(value)
        digest.update(f"{item.name}={len(text)}:{text};".encode())
    return digest.hexdigest()


class Freshness(QObject):
    """Compares the form with the one the shown answer (or scenario line) belongs to."""

    def __init__(self, form: RequestForm, response: ResponseView, parent: QObject) -> None:
        super().__init__(parent)
        self.form, self.response = form, response
        self._bound: str | None = None

    def bind(self) -> None:
        """The answer (or line) shown from now on belongs to the form as it is now."""
        self._bound = form_fingerprint(self.form.to_input())

    def forget(self) -> None:
        """The answer shown from now on belongs to no form (a Check all result)."""
        self._bound = None
        self.response.set_stale(False)

    @Slot()
    def check(self) -> None:
        """Mark the answer stale when the form differs from the one it answers."""
        if self._bound is None:
            return
        self.response.set_stale(form_fingerprint(self.form.to_input()) != self._bound)
