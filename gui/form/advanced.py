"""The form's Advanced section: client authentication, timeout and a custom token URL.

Its rows are built when the section first opens (or a loaded setup needs them): a new form
shows them closed, so start-up builds only the toggle.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDoubleSpinBox, QFormLayout, QToolButton, QWidget

from core.token.models import DEFAULT_TIMEOUT_S, MAX_TIMEOUT_S, AuthMethod, TokenRequestInput
from gui.form.form_rows import make_combo, make_edit, select

# The rows' label texts, for the form's label column (measured before the rows exist).
LABELS = ("Client auth:", "Timeout:", "Custom token URL:")
# What the rows hold before they are built (the defaults every new form starts with).
DEFAULTS: dict[str, Any] = {"auth_method": AuthMethod.BODY, "timeout_s": DEFAULT_TIMEOUT_S,
                            "token_url": ""}  # fmt: skip


def advanced_widget(name: str) -> property:
    """A property of the form for one of Advanced's widgets (asking for it builds the rows)."""

    def get(form: Any) -> QWidget:
        form.advanced.build()
        return getattr(form.advanced, name)

    return property(get, doc=f"Advanced's {name}.")


class AdvancedSection:
    """The toggle and the rows it shows or hides; the rows are built on first need (`build`).

    Args:
        form: the form layout holding the rows.
        add_row: the form's row builder (label text, widget, field, row) -> the row's handle.
        on_built: called with the row under the section's own rows once they are built (the
            form adds the sign-in options there and wires the new widgets).
    """

    def __init__(self, form: QFormLayout, add_row: Callable[[str, QWidget, str, int], QWidget],
                 on_built: Callable[[int], None]) -> None:  # fmt: skip
        self._form, self._add_row, self._on_built = form, add_row, on_built
        self.toggle = QToolButton(objectName="advancedToggle", text="Ad&vanced")
        self.toggle.setCheckable(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.toggle.setAccessibleName("Show advanced options")
        form.addRow("", self.toggle)
        self._rows: list[QWidget] = []
        self.toggle.toggled.connect(self.set_visible)

    def built(self) -> bool:
        """Whether the section's rows exist yet."""
        return bool(self._rows)

    def build(self) -> None:
        """Build the rows (hidden unless the section is open) under the toggle, once."""
        if self._rows:
            return
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
        at = itertools.count(self._form.getWidgetPosition(self.toggle)[0] + 1)
        self._rows = [
            self._add_row("Client auth:", self.auth_combo, "", next(at)),
            self._add_row("Timeout:", self.timeout_spin, "timeout_s", next(at)),
            self._add_row("Custom token URL:", self.token_url_edit, "token_url", next(at)),
        ]
        for row in self._rows:
            self._form.setRowVisible(row, self.toggle.isChecked())
        self._on_built(next(at))

    def set_visible(self, visible: bool) -> None:
        """Open or close the section (the toggle follows); opening builds the rows."""
        if visible:
            self.build()
        self.toggle.setChecked(visible)
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if visible else Qt.ArrowType.RightArrow)
        for row in self._rows:
            self._form.setRowVisible(row, visible)

    def load(self, inputs: TokenRequestInput) -> None:
        """Show the inputs' options (the rows are built only for values they do not start with)."""
        if not self._rows and not self.needed_for(inputs):
            return
        self.build()
        select(self.auth_combo, inputs.auth_method.value)
        self.timeout_spin.setValue(inputs.timeout_s)
        self.token_url_edit.setText(inputs.token_url)

    def to_fields(self) -> dict[str, Any]:
        """The TokenRequestInput fields of the rows (their defaults before they are built)."""
        if not self._rows:
            return dict(DEFAULTS)
        return {"auth_method": AuthMethod(self.auth_combo.currentData()),
                "timeout_s": float(self.timeout_spin.value()),
                "token_url": self.token_url_edit.text().strip()}  # fmt: skip

    @staticmethod
    def needed_for(inputs: TokenRequestInput) -> bool:
        """Whether these inputs use an advanced option (then the section opens to show it)."""
        return (
            bool(inputs.token_url)
            or inputs.auth_method is AuthMethod.BASIC
            or inputs.timeout_s != DEFAULT_TIMEOUT_S
        )
