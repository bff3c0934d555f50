"""Keeps the request form and the profile panel in step; keychain calls run on workers."""

from __future__ import annotations

import dataclasses
import logging

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QWidget

from core.store.profile import Profile
from core.store.profiles import ProfileStore
from core.store.secret_store import SecretKind, SecretStoreError
from core.token.models import GrantType, TokenRequestInput
from gui import messages
from gui.form.request_form import RequestForm
from gui.profiles.keychain import LazySecretStore, Secrets, load_secrets, save_secrets
from gui.profiles.profile_panel import ProfilePanel
from gui.worker import CallWorker

log = logging.getLogger(__name__)

# What "unsaved" compares: the request inputs (secrets only when remembered) and the option.
_State = tuple[TokenRequestInput, bool]


class ProfileController(QObject):
    """Loads the selected profile into the form, saves the form into it, tracks unsaved edits.

    The form is compared with a snapshot taken right after the profile (and its remembered
    secret) was loaded, so the unsaved-changes mark means "differs from what is saved". The
    keychain is opened, read and written on worker threads; a keychain problem is shown in the
    panel and never costs the user what is in the form.

    Signals:
        message(str): a status line for the window.
    """

    message = Signal(str)

    def __init__(
        self,
        form: RequestForm,
        panel: ProfilePanel,
        profiles: ProfileStore,
        secrets: LazySecretStore,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._window = parent
        self.form, self.panel, self.profiles, self.secrets = form, panel, profiles, secrets
        self._baseline: _State | None = None
        self._loading = False
        self._closing = False
        self.opener = CallWorker("keychain-open", self)
        self.loader = CallWorker("keychain-load", self)
        self.saver = CallWorker("keychain-save", self)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.form.edited.connect(self.refresh_unsaved)
        self.panel.profileSelected.connect(self._on_panel_profile_selected)
        self.panel.saveRequested.connect(self._on_panel_save_requested)
        self.opener.finished.connect(self._on_opener_finished)
        self.loader.succeeded.connect(self._on_loader_succeeded)
        self.loader.failed.connect(self._on_loader_failed)
        self.saver.succeeded.connect(self._on_saver_succeeded)
        self.saver.failed.connect(self._on_saver_failed)

    def workers(self) -> tuple[CallWorker, ...]:
        return (self.opener, self.loader, self.saver)

    # -- keychain ---------------------------------------------------------------------------

    def open_keychain(self) -> None:
        """Open the keychain on a worker (keyring loads there); the panel then names it."""
        if self.secrets.is_open:
            self._on_opener_finished()
        elif not self.opener.busy:
            self.opener.start(self.secrets.open)

    @Slot()
    def _on_opener_finished(self) -> None:
        self.panel.show_keychain()
        self.form.set_keychain(self.secrets.is_secure)

    # -- unsaved changes --------------------------------------------------------------------

    def _state(self) -> _State:
        # A pasted assertion is never part of a profile (it is a secret that expires).
        inputs = dataclasses.replace(self.form.to_input(), authority="", client_assertion=None)
        remember = self.form.remember_secret()
        if not remember:  # a secret that is not remembered is not part of the profile
            inputs = dataclasses.replace(inputs, client_secret=None, password=None,
                                         certificate_password=None)  # fmt: skip
        return inputs, remember

    @Slot()
    def refresh_unsaved(self) -> None:
        """Mark the profile unsaved when the form differs from what was loaded or saved."""
        if self._loading:
            return
        unsaved = self._baseline is not None and self._state() != self._baseline
        if unsaved != self.panel.has_unsaved_changes():
            self.panel.set_unsaved(unsaved)

    def confirm_close(self) -> bool:
        """Ask about unsaved changes before the window closes; True means close."""
        self.refresh_unsaved()
        self._closing = True
        try:
            return self.panel.confirm_leave()
        finally:
            self._closing = False

    # -- loading ----------------------------------------------------------------------------

    @Slot(str)
    def _on_panel_profile_selected(self, profile_id: str) -> None:
        self.loader.cancel()  # a late answer for the previous profile is dropped
        profile = self.panel.current_profile()
        if profile is None:
            self._baseline = None
            self.refresh_unsaved()
            return
        self._loading = True
        try:
            self.form.load_profile(profile)
        finally:
            self._loading = False
        self._baseline = self._state()
        self.panel.set_unsaved(False)
        if profile.remember_secret:
            self.loader.start(load_secrets, self.secrets, profile.id)
            self.message.emit(f"Reading the remembered secret of “{profile.name}”…")
        else:
            self.message.emit(f"Profile “{profile.name}” loaded.")

    @Slot(object)
    def _on_loader_succeeded(self, value: tuple[str, Secrets]) -> None:
        profile_id, secrets = value
        if profile_id != self.panel.current_id() or self._baseline is None:
            return
        client_secret = secrets.get(SecretKind.CLIENT_SECRET)
        password = secrets.get(SecretKind.PASSWORD)
        cert_password = secrets.get(SecretKind.CERTIFICATE_PASSWORD)
        self._loading = True
        try:  # what the user typed meanwhile wins
            if client_secret and not self.form.secret_edit.text():
                self.form.secret_edit.setText(client_secret.reveal())
            if password and not self.form.password_edit.text():
                self.form.password_edit.setText(password.reveal())
            if cert_password:  # the certificate rows are built only when a password came
                cert_edit = self.form.credentials.cert_password_edit
                if not cert_edit.text():
                    cert_edit.setText(cert_password.reveal())
        finally:
            self._loading = False
        inputs, remember = self._baseline
        password_grant = inputs.grant is GrantType.PASSWORD
        self._baseline = (
            dataclasses.replace(
                inputs, client_secret=client_secret, password=password if password_grant else None,
                certificate_password=cert_password or None,
            ),
            remember,
        )  # fmt: skip
        self.refresh_unsaved()
        self.panel.show_keychain()
        found = [kind.words for kind, value in secrets.items() if value]
        if not found and not self.secrets.is_secure:  # it was in memory, in an earlier run
            self.form.note_not_kept(("client_secret", "password"))
        what = " and ".join(found) if found else "no remembered secret"
        self.message.emit(f"Loaded the {what} from {self.secrets.backend_name}."
                          if found else f"The keychain holds {what} for this profile.")  # fmt: skip

    @Slot(object)
    def _on_loader_failed(self, exc: object) -> None:
        problem = _problem(exc, "The remembered secret could not be read")
        self.panel.show_keychain(problem)
        self.message.emit(problem)

    # -- saving -----------------------------------------------------------------------------

    @Slot(str)
    def _on_panel_save_requested(self, _profile_id: str) -> None:
        self.save()

    def save(self) -> bool:
        """Save the form into the selected profile (or a new one); the secret goes on a worker."""
        base = self.panel.current_profile()
        is_new = base is None
        if base is None:
            base = Profile(name=self.profiles.unique_name("New profile"))
        saved = self.panel.save_profile(self.form.to_profile(base))
        if saved is None:
            return False
        self._baseline = self._state()
        self.panel.set_unsaved(False)
        self.message.emit(f"Profile “{saved.name}” saved.")
        if saved.remember_secret or base.remember_secret:
            inputs = self.form.to_input()
            secrets: Secrets = {
                SecretKind.CLIENT_SECRET: inputs.client_secret,
                SecretKind.PASSWORD: inputs.password,
                SecretKind.CERTIFICATE_PASSWORD: inputs.certificate_password,
            }
            args = (self.secrets, saved.id, saved.remember_secret, secrets)
            if self._closing:  # the window is about to go: finish before it does
                try:
                    self._on_saver_succeeded(save_secrets(*args))
                except SecretStoreError as exc:
                    self._on_saver_failed(exc)
            else:
                self.saver.start(save_secrets, *args)
        if is_new and not self._closing:
            self.panel.start_rename()
        return True

    @Slot(object)
    def _on_saver_succeeded(self, value: tuple[str, bool]) -> None:
        _profile_id, remember = value
        self.panel.show_keychain()
        if remember:
            self.message.emit(f"Secret remembered in {self.secrets.backend_name}.")
        else:
            self.message.emit("The remembered secret was removed from the keychain.")

    @Slot(object)
    def _on_saver_failed(self, exc: object) -> None:
        problem = _problem(exc, "The secret could not be stored")
        self.panel.show_keychain(problem)
        messages.tell(
            self._window,
            "Secret not remembered",
            f"The profile was saved, but its secret was not. {problem}\n\n"
            "The secret is still in the form for this run; nothing was lost.",
        )

    # -- history ----------------------------------------------------------------------------

    def record(self, report: object, profile_id: str) -> None:
        """Add a sent request's result to the history of the profile it was sent from."""
        from core.token.result import Outcome  # loaded by then: there is a result

        result = getattr(report, "result", None)
        if result is None or not profile_id or result.outcome is Outcome.BLOCKED:
            return  # nothing was sent: nothing to remember
        verdict = getattr(report, "verdict", None)
        roles = tuple(getattr(verdict, "roles", ()) or ())
        self.panel.record_result(result, roles, profile_id=profile_id)


def _problem(exc: object, fallback: str) -> str:
    if isinstance(exc, SecretStoreError):
        return exc.message
    return f"{fallback} ({type(exc).__name__}); details are in the log."
