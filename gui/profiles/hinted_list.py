"""A list that says what belongs in it while it is empty (an empty white box tells nothing)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QListWidget, QVBoxLayout, QWidget


class HintedList(QListWidget):
    """A QListWidget showing a muted hint over its empty viewport, hidden once it has an item.

    The hint is a label (styled as the form's hints, `role="hint"`) and also the list's
    accessible description while it is empty, so a screen reader says it too.
    """

    def __init__(self, hint: str = "", parent: QWidget | None = None, **kwargs: object) -> None:
        super().__init__(parent, **kwargs)
        self.hint_label = QLabel(hint, objectName="emptyHint", wordWrap=True)
        self.hint_label.setProperty("role", "hint")
        layout = QVBoxLayout(self.viewport())
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.hint_label)
        layout.addStretch(1)
        model = self.model()
        for signal in (model.rowsInserted, model.rowsRemoved, model.modelReset):
            signal.connect(self._update_hint)
        self._update_hint()

    def set_hint(self, text: str) -> None:
        """Change what the empty list says."""
        self.hint_label.setText(text)
        self._update_hint()

    def _update_hint(self, *_: object) -> None:
        empty = self.count() == 0
        self.hint_label.setVisible(empty and bool(self.hint_label.text()))
        self.setAccessibleDescription(self.hint_label.text() if empty else "")
