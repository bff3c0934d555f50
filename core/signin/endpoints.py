"""Where a sign-in goes: Entra's authorize, device code and token endpoints for a cloud and
tenant, the endpoints named directly, or those of any OpenID provider's discovery document."""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from typing import Any

from core import safejson
from core.token.authority import get_cloud, url_problem, without_credentials
from core.token.models import Endpoint, TokenRequestInput
from core.token.transport import exchange

DISCOVERY_SUFFIX = "/.well-known/openid-configuration"
MAX_DISCOVERY_BYTES = 256 * 1024
TENANT_PLACEHOLDER = "{tenantid}"


@dataclass(frozen=True)
class SignInEndpoints:
    """The URLs of one provider. `issuers` are the accepted ID token issuers, where
    `{tenantid}` stands for the token's own `tid` (Entra's multi-tenant form)."""

    authorize_url: str = ""
    device_url: str = ""
    token_url: str = ""
    jwks_uri: str = ""
    issuers: tuple[str, ...] = ()
    entra: bool = True  # Entra's URL layout (v1 spellings on the v1 endpoint, AADSTS codes)

    def for_inputs(self, inputs: TokenRequestInput) -> TokenRequestInput:
        """The inputs with the token URL named when it is not Entra's usual one."""
        return inputs if self.entra else replace(inputs, token_url=self.token_url)


def endpoints_for(
    inputs: TokenRequestInput, *, authorize_url: str = "", device_url: str = ""
) -> SignInEndpoints:
    """Entra's endpoints for the inputs' cloud, authority, tenant and version; or, with a custom
    token URL, the endpoints named (empty ones stay empty: pre-flight says what is missing)."""
    if inputs.token_url.strip() or authorize_url or device_url:
        return SignInEndpoints(
            authorize_url=authorize_url.strip(),
            device_url=device_url.strip(),
            token_url=inputs.token_url.strip(),
            entra=False,
        )
    try:
        cloud = get_cloud(inputs.cloud)
    except KeyError:
        return SignInEndpoints()
    base = (inputs.authority.strip() or cloud.authority).rstrip("/")
    if not base:
        return SignInEndpoints()
    tenant = inputs.tenant.strip() or "{tenant}"
    v1 = inputs.endpoint is Endpoint.V1
    path = f"{base}/{tenant}/oauth2/" + ("" if v1 else "v2.0/")
    issuers: tuple[str, ...]
    if v1:
        issuers = (f"{base}/{TENANT_PLACEHOLDER}/",)
        if cloud.v1_issuer_host and not inputs.authority.strip():
            issuers = (f"https://{cloud.v1_issuer_host}/{TENANT_PLACEHOLDER}/", *issuers)
    else:
        issuers = (f"{base}/{TENANT_PLACEHOLDER}/v2.0",)
    return SignInEndpoints(
        authorize_url=path + "authorize",
        device_url=path + "devicecode",
        token_url=path + "token",
        jwks_uri=f"{base}/common/discovery/keys" if v1 else f"{base}/{tenant}/discovery/v2.0/keys",
        issuers=issuers,
    )


class DiscoveryError(ValueError):
    """The discovery document could not be read or used (the message says why, plainly)."""


def discovery_url(issuer: str) -> str:
    url = issuer.strip()
    return url if url.endswith(DISCOVERY_SUFFIX) else url.rstrip("/") + DISCOVERY_SUFFIX


def discover(
    issuer: str,
    *,
    timeout_s: float,
    ca_file: str | None = None,
    cancel: threading.Event | None = None,
) -> SignInEndpoints:
    """Read an OpenID provider's discovery document; raises DiscoveryError saying what is wrong."""
    url = discovery_url(issuer)
    problem = url_problem(url)
    if problem:
        raise DiscoveryError(f"the issuer address cannot be used: {problem}")
    answer = exchange(
        "GET", url, headers=[("Accept", "application/json")], timeout_s=timeout_s,
        max_bytes=MAX_DISCOVERY_BYTES, ca_file=ca_file, cancel=cancel,
    )  # fmt: skip
    shown = without_credentials(url)
    if answer.failure is not None:
        raise DiscoveryError(f"no answer from {shown}: {answer.failure.message}")
    if answer.status != 200:
        raise DiscoveryError(f"{shown} answered HTTP {answer.status}, not a discovery document")
    try:
        doc = safejson.loads(answer.text())
    except safejson.JsonError as exc:
        raise DiscoveryError(f"{shown} is not a readable JSON document: {exc}") from None
    if not isinstance(doc, dict):
        raise DiscoveryError(f"{shown} is not a JSON object")
    return from_document(doc, shown)


def from_document(doc: dict[str, Any], source: str = "the discovery document") -> SignInEndpoints:
    def url(name: str) -> str:
        value = doc.get(name)
        if value is None:
            return ""
        if not isinstance(value, str) or url_problem(value):
            raise DiscoveryError(f"{source}: {name} is not a usable address")
        return value

    token = url("token_endpoint")
    if not token:
        raise DiscoveryError(f"{source} names no token_endpoint")
    issuer = doc.get("issuer")
    return SignInEndpoints(
        authorize_url=url("authorization_endpoint"),
        device_url=url("device_authorization_endpoint"),
        token_url=token,
        jwks_uri=url("jwks_uri"),
        issuers=(issuer,) if isinstance(issuer, str) and issuer else (),
        entra=False,
    )
