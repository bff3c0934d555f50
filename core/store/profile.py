"""A saved setup: the `Profile` value (never a secret), its errors, and the conversions to
and from the request inputs. `core.store.profiles.ProfileStore` keeps them in a file."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from core.redaction import Secret
from core.store import profile_json as pj
from core.token.models import (
    DEFAULT_TIMEOUT_S,
    AssertionAlg,
    AuthMethod,
    CredentialKind,
    Endpoint,
    GrantType,
    TokenRequestInput,
)


class ProfileError(Exception):
    """A profile problem; `message` is one plain sentence for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ProfileNotFoundError(ProfileError, LookupError):
    """No profile has that id or name."""


class ProfileNameError(ProfileError, ValueError):
    """A name that is empty, malformed or already taken."""


class ProfileImportError(ProfileError, ValueError):
    """An import file that cannot be used; nothing was imported."""


class ProfileStoreError(ProfileError):
    """The profiles file could not be saved; the profiles in memory are unchanged."""


@dataclass(frozen=True)
class Profile:
    """A named setup for token requests. Never a secret, a password, a private key or an
    assertion: a certificate or an assertion file is kept by its path."""

    name: str = ""
    cloud: str = "global"
    endpoint: Endpoint = Endpoint.V2
    tenant: str = ""
    client_id: str = ""
    grant: GrantType = GrantType.CLIENT_CREDENTIALS
    scope: str = ""
    resource: str = ""
    auth_method: AuthMethod = AuthMethod.BODY
    username: str = ""
    timeout_s: float = DEFAULT_TIMEOUT_S
    token_url: str = ""
    authority: str = ""
    notes: str = ""
    remember_secret: bool = False
    credential: CredentialKind = CredentialKind.SECRET
    certificate_path: str = ""
    certificate_key_path: str = ""
    assertion_alg: AssertionAlg = AssertionAlg.PS256
    send_x5c: bool = False
    assertion_file: str = ""
    # Browser sign-in: the loopback redirect (host, port, path) and the sign-in page options.
    redirect_host: str = "127.0.0.1"
    redirect_port: int = 0
    redirect_path: str = "/"
    prompt: str = ""
    login_hint: str = ""
    domain_hint: str = ""
    id: str = field(default_factory=pj.new_id)


def to_input(
    profile: Profile,
    client_secret: Secret | None = None,
    password: Secret | None = None,
    certificate_password: Secret | None = None,
) -> TokenRequestInput:
    """The request inputs of a profile, with the secrets given separately."""
    return TokenRequestInput(
        cloud=profile.cloud,
        endpoint=profile.endpoint,
        tenant=profile.tenant,
        client_id=profile.client_id,
        grant=profile.grant,
        client_secret=client_secret,
        username=profile.username,
        password=password,
        scope=profile.scope,
        resource=profile.resource,
        auth_method=profile.auth_method,
        timeout_s=profile.timeout_s,
        token_url=profile.token_url,
        authority=profile.authority,
        credential=profile.credential,
        certificate_path=profile.certificate_path,
        certificate_key_path=profile.certificate_key_path,
        certificate_password=certificate_password,
        assertion_alg=profile.assertion_alg,
        send_x5c=profile.send_x5c,
        assertion_file=profile.assertion_file,
        redirect_host=profile.redirect_host,
        redirect_port=profile.redirect_port,
        redirect_path=profile.redirect_path,
        prompt=profile.prompt,
        login_hint=profile.login_hint,
        domain_hint=profile.domain_hint,
    )


def from_input(inputs: TokenRequestInput, name: str, *, base: Profile | None = None) -> Profile:
    """A profile from request inputs, dropping the secret and password.

    Args:
        inputs: what the form holds.
        name: the profile's name.
        base: an existing profile whose id, notes and remember option are kept.
    """
    values = {k: getattr(inputs, k) for k in pj.FIELDS if hasattr(inputs, k) and k != "name"}
    base = base or Profile()
    return dataclasses.replace(base, name=name, **values)
