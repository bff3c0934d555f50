"""Pre-flight checks of delegated sign-in, on top of the token request's own
(`core.token.preflight`): the endpoints, the redirect URI, the scopes and the client type."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from core.token.authority import TenantKind, is_loopback_host, tenant_kind, url_problem
from core.token.models import (
    CredentialKind,
    Endpoint,
    Finding,
    GrantType,
    Severity,
    TokenRequestInput,
)

if TYPE_CHECKING:
    from core.signin.endpoints import SignInEndpoints

# The window checks its form with these functions before its first complete paint: the
# listener (sockets, html) and the endpoints (the transport: ssl, http.client, email) load
# only when a sign-in runs.

ERROR, WARNING = Severity.ERROR, Severity.WARNING
OIDC_SCOPES = ("openid", "profile", "offline_access")
_OIDC = frozenset({*OIDC_SCOPES, "email"})
PROMPTS = ("", "login", "none", "consent", "select_account")
MAX_REDIRECT_URI = 256


def with_oidc_scopes(scope: str) -> str:
    """The scope with openid, profile and offline_access added when missing (as MSAL does):
    an ID token to say who signed in, and a refresh token."""
    words = scope.split()
    return " ".join([*words, *(s for s in OIDC_SCOPES if s not in words)])


def _resource_of(scope: str) -> str:
    """The API a scope belongs to: the part before its last '/' (a bare name is Graph's)."""
    if "/" not in scope:
        return "https://graph.microsoft.com"
    head = scope.rpartition("/")[0]
    return scope.lower() if head.endswith(":") or head.endswith(":/") else head.lower()


def scope_findings(inputs: TokenRequestInput) -> Iterator[Finding]:
    if inputs.endpoint is not Endpoint.V2 and not inputs.token_url.strip():
        if not inputs.resource.strip():
            yield Finding(
                "resource-empty", ERROR, "resource", "Resource is empty",
                "The v1 endpoint needs the API the user signs in for.",
                "For Microsoft Graph use https://graph.microsoft.com.",
            )  # fmt: skip
        return
    words = [s for s in inputs.scope.split() if s.lower() not in _OIDC]
    resources = sorted({_resource_of(s) for s in words})
    if len(resources) > 1:
        yield Finding(
            "scope-several-resources", ERROR, "scope", "Scopes name more than one API",
            f"One token is for one API, but the scopes name {', '.join(resources)} "
            "(Entra answers AADSTS28000 or AADSTS70011).",
            "Keep the scopes of one API (plus openid, profile, offline_access); ask for the "
            "other API's token later with Refresh.",
        )  # fmt: skip


def redirect_findings(host: str, port: int, path: str) -> Iterator[Finding]:
    from core.signin.loopback import REDIRECT_HOSTS

    if host.strip("[]") == "::1" or ":" in host:
        yield Finding(
            "redirect-ipv6", ERROR, "redirect_host", "IPv6 redirect addresses are not supported",
            "Entra does not accept http://[::1] as a redirect URI.",
            "Use 127.0.0.1 (recommended) or localhost.",
        )  # fmt: skip
    elif host not in REDIRECT_HOSTS:
        yield Finding(
            "redirect-not-loopback", ERROR, "redirect_host",
            "The redirect must come to this computer",
            f"'{host}' is not this computer. A desktop sign-in listens on 127.0.0.1 only, and "
            "plain http is allowed only there.",
            "Use 127.0.0.1 (recommended) or localhost, and register http://localhost (or "
            "http://127.0.0.1) under Mobile and desktop applications.",
        )  # fmt: skip
    if not 0 <= port <= 65535:
        yield Finding(
            "redirect-port", ERROR, "redirect_port", "Redirect port out of range",
            "A port is a number from 1 to 65535.",
            "Leave it empty or 0 for any free port (Entra ignores the port of a loopback URI).",
        )  # fmt: skip
    if not path.startswith("/") or any(c in path for c in "?#% \t"):
        yield Finding(
            "redirect-path", ERROR, "redirect_path", "Redirect path is malformed",
            f"'{path}' is not a plain path: it starts with / and has no ?, #, % or spaces.",
            "Use / or the path registered, such as /auth (Entra compares the path).",
        )  # fmt: skip
    elif len(f"http://{host}:{port}{path}") > MAX_REDIRECT_URI:
        yield Finding(
            "redirect-too-long", ERROR, "redirect_path", "Redirect URI too long",
            "Entra accepts redirect URIs up to 256 characters.", "Shorten the path.",
        )  # fmt: skip


def prompt_findings(prompt: str) -> Iterator[Finding]:
    if prompt not in PROMPTS:
        yield Finding(
            "prompt-unknown", ERROR, "prompt", "Unknown prompt",
            f"'{prompt}' is not a prompt Entra knows.",
            "Use login, none, consent or select_account (or none of them).",
        )  # fmt: skip


def form_findings(inputs: TokenRequestInput) -> tuple[Finding, ...]:
    """The checks of a browser sign-in's own settings, as the user types them (the redirect
    host, port and path, the prompt); nothing for the other grants."""
    if inputs.grant is not GrantType.AUTHORIZATION_CODE:
        return ()
    host, path = inputs.redirect_host, inputs.redirect_path
    return (*redirect_findings(host, inputs.redirect_port, path), *prompt_findings(inputs.prompt))


def endpoint_findings(endpoints: SignInEndpoints, grant: GrantType) -> Iterator[Finding]:
    name, url = (
        ("authorize_url", endpoints.authorize_url)
        if grant is GrantType.AUTHORIZATION_CODE
        else ("device_url", endpoints.device_url)
    )
    label = "Authorize URL" if grant is GrantType.AUTHORIZATION_CODE else "Device code URL"
    problem = "it is missing" if not url else url_problem(url)
    if not problem:
        parts = urlsplit(url)
        if parts.scheme.lower() == "http" and not is_loopback_host(parts.hostname or ""):
            problem = "it must use https (plain http only for this computer)"
    if problem:
        yield Finding(
            f"{name}-invalid", ERROR, name, f"{label} is not usable",
            f"The {label.lower()} cannot be used: {problem}.",
            "Give --issuer (its discovery document names the endpoints) or the URL itself.",
        )  # fmt: skip
    if not endpoints.token_url:
        yield Finding(
            "token_url-missing", ERROR, "token_url", "Token URL is missing",
            "The code is redeemed at the token endpoint, and none is named.",
            "Give --token-url, or --issuer.",
        )  # fmt: skip


def client_findings(inputs: TokenRequestInput, grant: GrantType) -> Iterator[Finding]:
    confidential = bool(inputs.client_secret) or inputs.credential is not CredentialKind.SECRET
    if grant is GrantType.DEVICE_CODE and confidential:
        yield Finding(
            "device-code-confidential", WARNING, "client_secret",
            "Device code is a public client flow",
            "The device code flow runs with Allow public client flows = Yes and no secret; "
            "a secret or certificate sent by a public client is refused (AADSTS700025).",
            "Remove the secret or certificate, or use the authorization code flow.",
        )  # fmt: skip
    kind = tenant_kind(inputs.tenant)
    if (
        inputs.endpoint is Endpoint.V1
        and not inputs.token_url.strip()
        and kind in (TenantKind.ORGANIZATIONS, TenantKind.CONSUMERS)
    ):
        yield Finding(
            "tenant-alias-v1", ERROR, "tenant", f"'{kind.value}' is a v2 alias",
            "The v1 endpoint knows a tenant ID, a domain or 'common', not "
            f"'{kind.value}'.", "Use the v2 endpoint, or a tenant ID.",
        )  # fmt: skip
    if kind is TenantKind.CONSUMERS:
        yield Finding(
            "tenant-consumers", WARNING, "tenant", "'consumers' signs in personal accounts",
            "Only Microsoft personal accounts can sign in on 'consumers'; work and school "
            "accounts are refused.", "Use the tenant ID, 'organizations' or 'common'.",
        )  # fmt: skip


def signin_findings(
    inputs: TokenRequestInput,
    endpoints: SignInEndpoints,
    grant: GrantType,
    *,
    redirect: tuple[str, int, str] | None = None,
    prompt: str = "",
) -> tuple[Finding, ...]:
    found = [*endpoint_findings(endpoints, grant), *scope_findings(inputs)]
    found += client_findings(inputs, grant)
    if redirect is not None:
        found += redirect_findings(*redirect)
    found += prompt_findings(prompt)
    return tuple(found)
