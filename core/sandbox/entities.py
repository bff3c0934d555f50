"""The kinds of things in the sandbox's demo directory (`core.sandbox.directory` holds the
directory itself): tenants, client secrets, APIs, federated credentials, apps, users and
fault tenants."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

DEFAULT_LIFETIME_S = 3599
GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000"
GRAPH_URI = "https://graph.microsoft.com"
API_APP_ID = "a4c91585-e772-42a9-9eff-53680740fd4a"
API_URI = "api://contoso-orders"


@dataclass(frozen=True)
class Tenant:
    """A directory: GUID, verified domain and display name."""

    id: str
    domain: str
    name: str


@dataclass(frozen=True)
class ClientSecret:
    """A client secret: the Value an app sends, and its Secret ID (keyId), which it must not."""

    key_id: str
    value: str
    display_name: str
    expires_in_days: int  # relative to today; negative = already expired
    # Just created: refused as unknown (AADSTS7000215, like a wrong secret) until the
    # sandbox's new-secret delay has passed, as Entra does while a credential replicates.
    new: bool = False

    def expires_at(self, now: datetime | None = None) -> datetime:
        today = (now or datetime.now(timezone.utc)).replace(
            hour=0, minute=0, second=0, microsecond=0
        )
        return today + timedelta(days=self.expires_in_days)

    def expired(self, now: datetime | None = None) -> bool:
        return self.expires_at(now) <= (now or datetime.now(timezone.utc))


@dataclass(frozen=True)
class Api:
    """A resource an app can ask tokens for, with its roles and delegated scopes."""

    name: str
    app_id: str
    uri: str
    app_roles: tuple[str, ...]
    scopes: tuple[str, ...]
    # 1 = always v1 tokens (Microsoft Graph, with a header nonce); None = follows the endpoint.
    token_version: int | None = None
    nonce: bool = False

    def identifiers(self) -> tuple[str, ...]:
        return (self.uri, self.uri + "/", self.app_id)


@dataclass(frozen=True)
class FederatedCredential:
    """A federated identity credential: the external token's iss, sub and aud, matched exactly
    (case-sensitive), as Entra does."""

    name: str
    issuer: str
    subject: str
    audience: str


@dataclass(frozen=True)
class App:
    """An app registration and its service principal in its home tenant."""

    name: str
    client_id: str
    tenant_id: str
    object_id: str  # the service principal's object ID (oid of app-only tokens)
    secrets: tuple[ClientSecret, ...] = ()
    public: bool = False  # "Allow public client flows" = yes, and no secret
    enabled: bool = True
    roles: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # API app ID -> roles
    delegated: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # consented scopes
    lifetime_s: int = DEFAULT_LIFETIME_S
    note: str = ""
    # Names of the demo certificates uploaded to the app (core/sandbox/certificates.py).
    certificates: tuple[str, ...] = ()
    federated: tuple[FederatedCredential, ...] = ()


@dataclass(frozen=True)
class User:
    """A user for the password grant; `outcome` says what its sign-in does."""

    upn: str
    display_name: str
    object_id: str
    tenant_id: str
    password: str
    outcome: str  # "ok", "mfa", "disabled", "locked", "password_expired", "ca_blocked",
    # "slow_code" (browser sign-in: the code is expired when redeemed)
    note: str = ""

    @property
    def given_name(self) -> str:
        return self.display_name.split()[0]

    @property
    def family_name(self) -> str:
        return self.display_name.split()[-1]


@dataclass(frozen=True)
class Fault:
    """A fault tenant: a domain alias of the main tenant whose token endpoint misbehaves."""

    key: str
    domain: str
    description: str
