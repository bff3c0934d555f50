"""The refresh token of the running session: kept in memory only, never written anywhere,
never parsed (it is opaque), masked everywhere; every use replaces it with the new one."""

from __future__ import annotations

import threading
from dataclasses import replace

from core.redaction import Secret
from core.signin.grants import redeem_refresh_token
from core.signin.preflight import with_oidc_scopes
from core.token.models import Endpoint, TokenRequestInput
from core.token.result import TokenResult


class RefreshSession:
    """Holds one refresh token for the inputs it was issued with (client, tenant, credential)."""

    __slots__ = ("_inputs", "_lock", "_token")

    def __init__(self, inputs: TokenRequestInput, refresh_token: Secret) -> None:
        self._inputs = inputs
        self._token: Secret | None = refresh_token
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"RefreshSession(held={self.held})"

    def __reduce__(self) -> str:  # never pickled, copied or sent anywhere
        raise TypeError("a refresh session cannot be serialised")

    @property
    def held(self) -> bool:
        return self._token is not None

    def secret(self) -> Secret | None:
        """The token as a Secret (for a Scrubber to mask it); never shown."""
        return self._token

    def forget(self) -> None:
        with self._lock:
            self._token = None

    def refresh(
        self,
        *,
        target: str = "",
        ca_file: str | None = None,
        cancel: threading.Event | None = None,
    ) -> TokenResult:
        """Redeem the refresh token, for `target` (another consented API's scopes on v2, its
        resource on v1) or the original one; keep the new refresh token when one comes."""
        with self._lock:
            token = self._token
        if token is None:
            raise ValueError("no refresh token is held")
        inputs = self._inputs
        if target.strip():
            if inputs.endpoint is Endpoint.V1 and not inputs.token_url:
                inputs = replace(inputs, resource=target.strip())
            else:  # the sign-in's OIDC scopes too, so a new refresh token comes (as MSAL does)
                scope = target.strip()
                if "offline_access" in inputs.scope.split():
                    scope = with_oidc_scopes(scope)
                inputs = replace(inputs, scope=scope)
        result = redeem_refresh_token(inputs, token, ca_file=ca_file, cancel=cancel)
        if result.ok and result.token is not None and result.token.refresh_token:
            with self._lock:
                self._token = result.token.refresh_token
        return result
