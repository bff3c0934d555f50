"""Pre-flight findings shown beside the request form's fields as the user types."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtGui import QFocusEvent, QResizeEvent
from PySide6.QtWidgets import QLabel, QLineEdit, QSizePolicy, QWidget

from core.token.models import Endpoint, Finding, Severity
from gui import theme

# Findings about these input fields are shown beside another field's row.
_FIELD_ALIASES = {"authority": "cloud"}
# Focus going to another window, a menu or a pop-up is not leaving the field: coming back, the
# user is still in it (without this, switching apps from an empty Tenant said it was empty).
_STAYING = (Qt.FocusReason.ActiveWindowFocusReason, Qt.FocusReason.PopupFocusReason,
            Qt.FocusReason.MenuBarFocusReason)  # fmt: skip
# Fields whose rows sit under "Advanced": a finding there opens that section.
ADVANCED_FIELDS = ("auth_method", "timeout_s", "token_url", "redirect_host", "redirect_port",
                   "redirect_path", "prompt", "login_hint", "domain_hint")  # fmt: skip


def finding_key(field: str, endpoint: Endpoint) -> str:
    """The form row that shows a finding about an input field.

    Scope and resource share two rows: the endpoint's own parameter ("target") and the other
    one ("other_target").
    """
    if field in ("scope", "resource"):
        primary = "scope" if endpoint is Endpoint.V2 else "resource"
        return "target" if field == primary else "other_target"
    return _FIELD_ALIASES.get(field, field)


def is_missing_value(finding: Finding) -> bool:
    """A required field left empty (shown only once the field was left, or on Send)."""
    return finding.code.endswith("-empty")


class FindingLabel(QLabel):
    """One line under a field, always in place (empty when there is nothing to say).

    The line's height is reserved, so a message appearing or going never moves the rows below
    (the form does not jump under the mouse); a message longer than the line is cut with "…",
    and the whole of it (with the fix) is in the tooltip and the accessible description.
    """

    def __init__(self, name: str) -> None:
        super().__init__(objectName=name)
        self.setProperty("role", "finding")
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.full_text = ""

    def set_message(self, text: str, tip: str = "") -> None:
        self.full_text = text
        self.setToolTip(f"{text}\n\n{tip}" if text and tip else text)
        self.setAccessibleDescription(text)
        self._elide()

    def minimumSizeHint(self) -> QSize:
        return QSize(0, super().minimumSizeHint().height())

    def sizeHint(self) -> QSize:
        return QSize(0, super().sizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        margins = self.contentsMargins()
        width = max(0, self.width() - margins.left() - margins.right())
        shown = self.fontMetrics().elidedText(self.full_text, Qt.TextElideMode.ElideRight, width)
        # A space keeps the line's height while there is no message.
        super().setText(shown or " ")


class FindingLabels(QObject):
    """One message line per form row, showing the first finding about that row.

    A required field's "is empty" message waits until the field was left (`touch`) or Send was
    pressed (`reveal`): a fresh, untouched form shows no red errors.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._watched: dict[QObject, str] = {}  # edit -> the row whose message it wakes
        self._labels: dict[str, FindingLabel] = {}
        self._touched: set[str] = set()
        self._revealed = False
        self._notes: dict[str, str] = {}  # row -> what to say instead of "is empty"
        self._last: tuple[Finding, ...] = ()
        self._endpoint = Endpoint.V2

    def create(self, field: str) -> FindingLabel:
        """A new, empty message line for the row `field` (named `<field>Finding`)."""
        label = FindingLabel(f"{field}Finding")
        label.set_message("")
        self._labels[field] = label
        return label

    def watch(self, widget: QWidget, field: str) -> None:
        """Leaving the line edits in `widget` counts as touching the row `field`."""
        edits = [widget] if isinstance(widget, QLineEdit) else []
        for edit in (*edits, *widget.findChildren(QLineEdit)):
            self._watched[edit] = field
            edit.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.FocusOut
            and watched in self._watched
            and isinstance(event, QFocusEvent)
            and event.reason() not in _STAYING
        ):
            self.touch(self._watched[watched])
        return super().eventFilter(watched, event)

    def note_not_kept(self, fields: Iterable[str]) -> None:
        """Say beside these rows, while empty, that their remembered secret was not kept."""
        for field in fields:
            what = "password" if field == "password" else "secret"
            self.note(field, f"The {what} was not kept (no keychain on this computer): "
                             "type it again.")  # fmt: skip

    def touch(self, field: str) -> None:
        """The user left this field: its "is empty" message may show from now on."""
        if field not in self._touched:
            self._touched.add(field)
            self.show(self._last, self._endpoint)

    def reveal(self) -> None:
        """Send was pressed: every message shows, "is empty" ones included."""
        self._revealed = True
        self.show(self._last, self._endpoint)

    def reset(self) -> None:
        """A new setup is in the form: nothing was touched yet, no note holds."""
        self._touched.clear()
        self._notes.clear()
        self._revealed = False

    def note(self, field: str, text: str) -> None:
        """While this row's field is empty, say `text` (at once) instead of "is empty"."""
        self._notes[field] = text
        self.show(self._last, self._endpoint)

    def _shown(self, finding: Finding, key: str) -> bool:
        return self._revealed or key in self._touched or not is_missing_value(finding)

    def show(self, findings: Iterable[Finding], endpoint: Endpoint) -> bool:
        """Show each finding beside its row (the first per row wins), clear the rest.

        Returns:
            True when an Advanced row got a finding (so that section should be opened).
        """
        self._last, self._endpoint = tuple(findings), endpoint
        by_field: dict[str, Finding] = {}
        for finding in self._last:
            key = finding_key(finding.field, endpoint)
            if key in self._notes and is_missing_value(finding):
                note = self._notes[key]
                finding = Finding(finding.code, Severity.WARNING, finding.field, note, "",
                                  "Type it again, or save the profile on a computer with a "
                                  "keychain.")  # fmt: skip
            if key in self._labels and (self._shown(finding, key) or key in self._notes):
                by_field.setdefault(key, finding)
        for field, label in self._labels.items():
            finding = by_field.get(field)
            if finding is None:
                label.set_message("")
                theme.restyle(label, "severity", "")
            else:
                mark = "✖" if finding.severity is Severity.ERROR else "⚠"
                text = f"{finding.title}: {finding.detail}" if finding.detail else finding.title
                label.set_message(f"{mark} {text}", finding.fix)
                theme.restyle(label, "severity", finding.severity.value)
        return any(by_field.get(field) for field in ADVANCED_FIELDS)

    def text(self, field: str, endpoint: Endpoint) -> str:
        """The message shown beside the row of input field `field` ('' when none)."""
        label = self._labels.get(finding_key(field, endpoint))
        return label.full_text if label is not None else ""
