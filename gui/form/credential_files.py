"""Files of the credential rows: the path row with its Browse button, the file dialog, and
opening a certificate on the worker."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QWidget,
)

from core.redaction import Secret

CERT_SUFFIXES = (".pem", ".pfx", ".p12", ".cer", ".crt", ".der", ".key")
CERT_FILTER = "Certificates (*.pem *.pfx *.p12 *.cer *.crt *.der *.key);;All files (*)"


def load_certificate_fields(fields: tuple[str, str, str]) -> tuple[tuple[str, str, str], Any]:
    """Open the certificate files (on the worker): the fields it was opened with, and the
    credential or the CertificateError."""
    from core.token.credential.certificate import CertificateError, load_certificate

    path, key_path, password = fields
    try:
        return fields, load_certificate(path, key_path, Secret(password) if password else None)
    except CertificateError as exc:
        return fields, exc


def file_row(edit: QLineEdit, button: QPushButton) -> QWidget:
    """A path edit with its Browse button beside it, as one form field."""
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(edit, 1)
    row.addWidget(button)
    return box


def add_file_row(form: QFormLayout, add_row: Callable[[str, QWidget, str], QWidget], text: str,
                 edit: QLineEdit, button: QPushButton, field: str) -> QWidget:  # fmt: skip
    """Add a path edit with its Browse button as a form row; the label points at the edit.
    Returns the row's handle (see `form_rows.add_row`)."""
    row = add_row(text, file_row(edit, button), field)
    label = form.labelForField(row)
    label.setBuddy(edit)  # type: ignore[attr-defined]
    name = text.replace("&", "").rstrip(":")
    edit.setAccessibleName(name)
    button.setAccessibleName("Browse for the " + name.lower())
    return row


def browse(host: QWidget, edit: QLineEdit, title: str, file_filter: str) -> None:
    """Ask for a file to open; the chosen path goes into `edit` (Cancel leaves it)."""
    path, _ = QFileDialog.getOpenFileName(host, title, "", file_filter)
    if path:
        edit.setText(path)
