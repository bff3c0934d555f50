"""The Credential rows in the window: certificate picker, drop, password, cards, profiles."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from pytestqt.qtbot import QtBot

from core.sandbox import PFX_PASSWORD, Sandbox
from core.sandbox import directory as d
from core.sandbox.certificates import WRONG_SUBJECT, demo_certificates
from core.store.secret_store import SERVICE, KeyringSecretStore
from core.token.models import CredentialKind
from gui.main_window import MainWindow
from tests.fakes.memory_keyring import MemoryKeyring
from tests.gui.profiles.test_profiles_window import _name_new_profile, _save

DAEMON = next(c for c in demo_certificates() if c.name == "contoso-daemon")


def _rows(window: MainWindow):
    return window.form.credentials


def _card_loaded(qtbot: QtBot, window: MainWindow) -> None:
    rows = _rows(window)
    qtbot.waitUntil(lambda: not rows.loader.busy and rows.cert_card.isVisible())


def test_certificate_rows_password_and_card(qtbot: QtBot, window: MainWindow,
                                            sandbox: Sandbox) -> None:  # fmt: skip
    """Certificate hides the secret; a PFX asks for its password; the card shows the portal's
    thumbprint, a green validity and the key match."""
    rows = _rows(window)
    rows.set_kind(CredentialKind.CERTIFICATE)
    assert not window.form.secret_edit.isVisible() and rows.cert_path_edit.isVisible()
    qtbot.keyClicks(rows.cert_path_edit, str(sandbox.files_dir / "contoso-daemon.pfx"))
    assert rows.cert_password_edit.isVisible()
    qtbot.waitUntil(lambda: "protected by a password" in rows.cert_card.text(), timeout=5000)
    qtbot.keyClicks(rows.cert_password_edit, PFX_PASSWORD)
    qtbot.waitUntil(lambda: DAEMON.sha1 in rows.cert_card.text(), timeout=5000)
    validity = rows.cert_card.values["validity"]
    assert validity.property("expiry") == "ok" and "Valid until" in validity.text()
    assert "matches the certificate" in rows.cert_card.text()
    inputs = window.form.to_input()
    assert inputs.credential is CredentialKind.CERTIFICATE and inputs.certificate is not None
    assert PFX_PASSWORD not in repr(inputs)


def test_expired_certificate_is_red_and_warned(qtbot: QtBot, window: MainWindow,
                                               sandbox: Sandbox) -> None:  # fmt: skip
    rows = _rows(window)
    rows.set_kind(CredentialKind.CERTIFICATE)
    rows.cert_path_edit.setText(str(sandbox.files_dir / "expired.pem"))
    qtbot.waitUntil(lambda: "Expired on" in rows.cert_card.values["validity"].text(),
                    timeout=5000)  # fmt: skip
    assert rows.cert_card.values["validity"].property("expiry") == "expired"
    qtbot.waitUntil(lambda: "Certificate expired" in window.form.finding_text("certificate_path"))


def test_drop_a_certificate_file_on_the_form(qtbot: QtBot, window: MainWindow,
                                             sandbox: Sandbox) -> None:  # fmt: skip
    """Dropping a .pem chooses Certificate and fills the path; other files are refused."""
    rows = _rows(window)
    path = sandbox.files_dir / "contoso-daemon.pem"
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    # Qt hands drop events to widgets only during a real drag session, which an offscreen test
    # cannot start: the form's filter gets the events Qt would deliver, directly.
    enter = QDragEnterEvent(
        QPoint(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    assert rows.drops.eventFilter(window.form, enter) and enter.isAccepted()
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)  # fmt: skip
    assert rows.drops.eventFilter(window.form, event)
    assert window.form.acceptDrops()
    assert rows.kind() is CredentialKind.CERTIFICATE
    assert rows.cert_path_edit.text() == str(path)
    _card_loaded(qtbot, window)
    assert rows.drop_file("/tmp/notes.txt") is False


def test_federated_file_card(qtbot: QtBot, window: MainWindow, sandbox: Sandbox) -> None:
    """A token file's issuer, subject and audience are shown next to what Entra compares."""
    rows = _rows(window)
    rows.set_kind(CredentialKind.FEDERATED)
    assert rows.assertion_edit.isVisible() and not window.form.remember_check.isVisible()
    sandbox.refresh_tokens()
    rows.assertion_file_edit.setText(str(sandbox.files_dir / "github-token-wrong-subject.jwt"))
    qtbot.waitUntil(lambda: WRONG_SUBJECT in rows.assertion_card.text(), timeout=5000)
    assert d.EXTERNAL_ISSUER in rows.assertion_card.text()
    assert "case-sensitively" in rows.assertion_card.text()
    assert rows.assertion_card.values["audience"].property("expiry") == "ok"
    rows.assertion_file_edit.clear()
    qtbot.keyClicks(rows.assertion_edit, "not-a-token")
    qtbot.waitUntil(lambda: "not a JWT" in rows.assertion_card.text(), timeout=5000)


def test_profile_keeps_the_path_and_the_keychain_the_password(
    qtbot: QtBot, make_window, sandbox: Sandbox, config_folder: Path
) -> None:
    """Saved with Remember: the profile file holds the certificate path and no password or key;
    the keychain holds the PFX password; loading the profile brings both back."""
    keychain = MemoryKeyring()
    window = make_window(sandbox=sandbox, secrets=KeyringSecretStore(keychain))
    rows = _rows(window)
    rows.set_kind(CredentialKind.CERTIFICATE)
    path = str(sandbox.files_dir / "contoso-daemon.pfx")
    rows.cert_path_edit.setText(path)
    rows.cert_password_edit.setText(PFX_PASSWORD)
    window.form.remember_check.setChecked(True)
    _save(qtbot, window)
    _name_new_profile(qtbot, window, "Cert daemon")
    text = (config_folder / "profiles.json").read_text()
    saved = json.loads(text)["profiles"][0]
    assert saved["credential"] == "certificate" and saved["certificate_path"] == path
    assert PFX_PASSWORD not in text and "PRIVATE" not in text
    profile_id = saved["id"]
    assert keychain.get_password(SERVICE, f"{profile_id}:certificate_password") == PFX_PASSWORD
    window.panel.select("")
    second = make_window(sandbox=sandbox, secrets=KeyringSecretStore(keychain))
    names = [second.panel.list.item(i).text() for i in range(second.panel.list.count())]
    second.panel.list.setCurrentRow(names.index("Cert daemon"))
    qtbot.waitUntil(lambda: _rows(second).cert_password_edit.text() == PFX_PASSWORD)
    assert _rows(second).kind() is CredentialKind.CERTIFICATE
    qtbot.waitUntil(lambda: DAEMON.sha1 in _rows(second).cert_card.text(), timeout=5000)


def test_browse_picks_the_certificate_file(qtbot: QtBot, window: MainWindow, sandbox: Sandbox,
                                          dialogs) -> None:  # fmt: skip
    """Browse… opens the file picker; the chosen file fills the path and the card loads."""
    rows = _rows(window)
    rows.set_kind(CredentialKind.CERTIFICATE)
    dialogs.answers.append(str(sandbox.files_dir / "contoso-daemon.cer"))
    qtbot.mouseClick(rows.cert_browse, Qt.MouseButton.LeftButton)
    assert rows.cert_path_edit.text().endswith("contoso-daemon.cer")
    qtbot.waitUntil(lambda: DAEMON.sha1 in rows.cert_card.text(), timeout=5000)
    assert "none in this file" in rows.cert_card.text()  # a .cer has no private key
    qtbot.waitUntil(lambda: "No private key" in window.form.finding_text("certificate_path"))


def test_a_late_load_never_stands_for_newer_fields(qtbot: QtBot, window: MainWindow,
                                                   sandbox: Sandbox) -> None:  # fmt: skip
    """The path changes while the previous file is still being opened: the old certificate is
    never handed to the request for the new path, and the card ends on the new file."""
    rows = _rows(window)
    rows.set_kind(CredentialKind.CERTIFICATE)
    rows.cert_path_edit.setText(str(sandbox.files_dir / "contoso-daemon.pem"))
    rows.refresh()
    rows.cert_path_edit.setText(str(sandbox.files_dir / "not-uploaded.pem"))
    assert rows.loader.wait(5)
    qtbot.wait(20)  # the old result is delivered (queued) before the debounce fires
    loaded = rows.to_fields()["certificate"]
    assert loaded is None or loaded.summary.source == "not-uploaded.pem"
    other = next(c for c in demo_certificates() if c.name == "not-uploaded")
    qtbot.waitUntil(lambda: other.sha1 in rows.cert_card.text(), timeout=5000)
    assert rows.to_fields()["certificate"].summary.sha1 == other.sha1
