"""The request form's one conversion between widgets and data: `load_input` and `to_input`,
and the profile's `load_profile` and `to_profile` on top of them."""

from __future__ import annotations

import dataclasses

from core.redaction import Secret
from core.store.profile import Profile, from_input, to_input
from core.token.models import Endpoint, GrantType, TokenRequestInput
from gui.form.advanced import AdvancedSection
from gui.form.form_rows import select
from gui.form.signin_rows import SignInRows


class FormData:
    """The data side of `RequestForm` (a mixin: it reads and fills the form's own widgets).

    It names the form's widgets without importing the form (no import cycle).
    """

    def load_input(self, inputs: TokenRequestInput) -> None:
        """Show these inputs in the form (secrets included, masked); the options to remember the
        secret and to wait for a new secret start off (a profile or scenario may tick them)."""
        self._debounce.blockSignals(True)
        self.wait_new_check.setChecked(False)
        self._findings.reset()
        self.remember_check.setChecked(False)  # a profile's own choice is set after this
        select(self.cloud_combo, inputs.cloud)
        select(self.endpoint_combo, inputs.endpoint.value)
        select(self.grant_combo, inputs.grant.value)
        self.tenant_edit.setText(inputs.tenant)
        self.client_id_edit.setText(inputs.client_id)
        self.secret_edit.setText(inputs.client_secret.reveal() if inputs.client_secret else "")
        self.username_edit.setText(inputs.username)
        self.password_edit.setText(inputs.password.reveal() if inputs.password else "")
        v2 = inputs.endpoint is Endpoint.V2
        self.scope_edit.setText(inputs.scope if v2 else inputs.resource)
        self.other_target_edit.setText(inputs.resource if v2 else inputs.scope)
        self._form.setRowVisible(self._other_row, bool(self.other_target_edit.text().strip()))
        self.advanced.load(inputs)
        self.credentials.load(inputs)
        self.signin.load(inputs)
        self._on_credential_changed()
        if inputs.authority:
            self._authority = inputs.authority
        self.advanced.set_visible(
            AdvancedSection.needed_for(inputs) or SignInRows.needed_for(inputs)
        )
        self._debounce.blockSignals(False)
        self._debounce.start()

    def to_input(self) -> TokenRequestInput:
        """The inputs as typed; never raises (the pre-flight checks judge them)."""
        endpoint = self._endpoint()
        target, other = self.scope_edit.text(), self.other_target_edit.text()
        secret, password = self.secret_edit.text(), self.password_edit.text()
        grant = GrantType(self.grant_combo.currentData())
        cloud = self.cloud_combo.currentData()
        return TokenRequestInput(
            cloud=cloud,
            endpoint=endpoint,
            tenant=self.tenant_edit.text().strip(),
            client_id=self.client_id_edit.text().strip(),
            grant=grant,
            client_secret=Secret(secret) if secret else None,
            username=self.username_edit.text().strip() if grant is GrantType.PASSWORD else "",
            password=Secret(password) if password and grant is GrantType.PASSWORD else None,
            scope=target if endpoint is Endpoint.V2 else other,
            resource=target if endpoint is Endpoint.V1 else other,
            authority=self._authority if cloud == "sandbox" else "",
            **self.advanced.to_fields(),
            **self.credentials.to_fields(),
            **self.signin.to_fields(),
        )

    # -- profiles ---------------------------------------------------------------------------

    def load_profile(
        self,
        profile: Profile,
        client_secret: Secret | None = None,
        password: Secret | None = None,
        certificate_password: Secret | None = None,
    ) -> None:
        """Show a saved profile (and the secrets given, if any) in the form.

        A Sandbox profile uses the running sandbox's address, not the one it was saved with.
        """
        inputs = to_input(profile, client_secret, password, certificate_password)
        if profile.cloud == "sandbox" and self._authority:
            inputs = dataclasses.replace(inputs, authority=self._authority)
        self.load_input(inputs)
        self.remember_check.setChecked(profile.remember_secret)

    def to_profile(self, base: Profile) -> Profile:
        """The form as a profile: `base`'s id, name and notes, never a secret.

        The sandbox's address changes with every run, so a Sandbox profile keeps `base`'s.
        """
        inputs = self.to_input()
        profile = from_input(inputs, base.name, base=base)
        authority = base.authority if inputs.cloud == "sandbox" else ""
        return dataclasses.replace(
            profile, authority=authority, remember_secret=self.remember_check.isChecked()
        )

    def remember_secret(self) -> bool:
        return self.remember_check.isChecked()
