"""Pre-flight findings shown beside the request form's fields as the user types."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from core.token.models import Endpoint, Finding, Severity

# Findings about these input fields are shown beside another field's row.
_FIELD_ALIASES = {"authority": "cloud"}
# Fields whose rows sit under "Advanced": a finding there opens that section.
ADVANCED_FIELDS = ("auth_method", "timeout_s", "token_url")


def finding_key(field: str, endpoint: Endpoint) -> str:
    """The form row that shows a finding about an input field.

    Scope and resource share two rows: the endpoint's own parameter ("target") and the other
    one ("other_target").
    """
    if field in ("scope", "resource"):
        primary = "scope" if endpoint is Endpoint.V2 else "resource"
        return "target" if field == primary else "other_target"
    return _FIELD_ALIASES.get(field, field)


class FindingLabels:
    """One hidden message label per form row, showing the first finding about that row."""

    def __init__(self) -> None:
        self._labels: dict[str, QLabel] = {}

    def create(self, field: str) -> QLabel:
        """A new, hidden message label for the row `field` (named `<field>Finding`)."""
        label = QLabel(objectName=f"{field}Finding", wordWrap=True)
        label.setProperty("role", "finding")
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.hide()
        self._labels[field] = label
        return label

    def show(self, findings: Iterable[Finding], endpoint: Endpoint) -> bool:
        """Show each finding beside its row (the first per row wins), hide the rest.

        Returns:
            True when an Advanced row got a finding (so that section should be opened).
        """
        by_field: dict[str, Finding] = {}
        for finding in findings:
            key = finding_key(finding.field, endpoint)
            if key in self._labels:
                by_field.setdefault(key, finding)
        for field, label in self._labels.items():
            finding = by_field.get(field)
            if finding is None:
                label.hide()
                label.clear()
                continue
            mark = "✖" if finding.severity is Severity.ERROR else "⚠"
            label.setText(f"{mark} {finding.title}: {finding.detail}")
            label.setToolTip(finding.fix)
            label.setProperty("severity", finding.severity.value)
            label.style().unpolish(label)
            label.style().polish(label)
            label.show()
        return any(by_field.get(field) for field in ADVANCED_FIELDS)

    def text(self, field: str, endpoint: Endpoint) -> str:
        """The message shown beside the row of input field `field` ('' when none)."""
        label = self._labels.get(finding_key(field, endpoint))
        return label.text() if label is not None and not label.isHidden() else ""
