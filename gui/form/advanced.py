"""The form's Advanced section: client authentication, timeout and a custom token URL."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDoubleSpinBox, QFormLayout, QToolButton, QWidget

from core.token.models import DEFAULT_TIMEOUT_S, MAX_TIMEOUT_S, AuthMethod, TokenRequestInput
from gui.form.form_rows import make_combo, make_edit


class AdvancedSection:
    """The toggle and the rows it shows or hides; the form adds the rows with `add_row`.

    Args:
        form: the form layout holding the rows.
        add_row: the form's row builder (label text, widget, field) -> the row's handle.
    """

    def __init__(self, form: QFormLayout, add_row: Callable[[str, QWidget, str], QWidget]) -> None:
        self._form = form
        self.toggle = QToolButton(objectName="advancedToggle", text="Ad&vanced")
        self.toggle.setCheckable(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.toggle.setAccessibleName("Show advanced options")
        form.addRow("", self.toggle)
        self.auth_combo = make_combo(
            "authMethodCombo",
            [("Secret in the body (client_secret_post)", AuthMethod.BODY.value),
             ("HTTP Basic (client_secret_basic)", AuthMethod.BASIC.value)],
        )  # fmt: skip
        self.timeout_spin = QDoubleSpinBox(objectName="timeoutSpin")
        self.timeout_spin.setRange(1, MAX_TIMEOUT_S)  # the limit profiles and the CLI share
        self.timeout_spin.setDecimals(0)
        self.timeout_spin.setSuffix(" s")
        self.timeout_spin.setValue(DEFAULT_TIMEOUT_S)
        self.token_url_edit = make_edit("tokenUrlEdit", "Any OAuth 2.0 token URL (optional)")
        self._rows = [
            add_row("Client auth:", self.auth_combo, ""),
            add_row("Timeout:", self.timeout_spin, "timeout_s"),
            add_row("Custom token URL:", self.token_url_edit, "token_url"),
        ]
        self.toggle.toggled.connect(self.set_visible)

    def set_visible(self, visible: bool) -> None:
        """Open or close the section (the toggle follows)."""
        self.toggle.setChecked(visible)
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if visible else Qt.ArrowType.RightArrow)
        for row in self._rows:
            self._form.setRowVisible(row, visible)

    @staticmethod
    def needed_for(inputs: TokenRequestInput) -> bool:
        """Whether these inputs use an advanced option (then the section opens to show it)."""
        return (
            bool(inputs.token_url)
            or inputs.auth_method is AuthMethod.BASIC
            or inputs.timeout_s != DEFAULT_TIMEOUT_S
        )
