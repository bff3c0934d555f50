"""Pre-flight checks: mistakes caught before sending, each an error (blocks) or a warning."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

from core.redaction import Secret, reveal
from core.token.authority import (
    CLOUDS_BY_KEY,
    GRANT_TENANTS,
    TenantKind,
    is_guid,
    is_loopback_host,
    tenant_kind,
    url_problem,
    without_credentials,
)
from core.token.models import (
    MAX_TIMEOUT_S,
    CredentialKind,
    Endpoint,
    Finding,
    GrantType,
    Severity,
    TokenRequestInput,
    timeout_problem,
)

ERROR, WARNING = Severity.ERROR, Severity.WARNING

Check = Callable[[TokenRequestInput], Iterator[Finding]]
_CHECKS: list[Check] = []


def _check(func: Check) -> Check:
    _CHECKS.append(func)
    return func


def check(inputs: TokenRequestInput) -> tuple[Finding, ...]:
    """Every finding for these inputs, errors first, in a stable order."""
    findings = [finding for func in _CHECKS for finding in func(inputs)]
    return tuple(sorted(findings, key=lambda f: f.severity is not ERROR))


def has_errors(findings: tuple[Finding, ...]) -> bool:
    return any(f.severity is ERROR for f in findings)


def _custom(inputs: TokenRequestInput) -> bool:
    return bool(inputs.token_url.strip())


@_check
def _cloud(inputs: TokenRequestInput) -> Iterator[Finding]:
    if _custom(inputs):
        return
    cloud = CLOUDS_BY_KEY.get(inputs.cloud)
    if cloud is None:
        yield Finding(
            "cloud-unknown", ERROR, "cloud", "Unknown cloud",
            f"'{inputs.cloud}' is not a cloud this tool knows.",
            "Pick one of: " + ", ".join(CLOUDS_BY_KEY) + ".",
        )  # fmt: skip
        return
    if not (inputs.authority.strip() or cloud.authority):
        yield Finding(
            "sandbox-not-running", ERROR, "cloud", "The sandbox is not running",
            "The Sandbox cloud needs the address of a running local emulator.",
            "Start the app with --sandbox, or run `main.py sandbox` and pass --authority URL.",
        )  # fmt: skip
    if cloud.key == "germany-legacy":
        yield Finding(
            "cloud-closed", WARNING, "cloud", "This cloud was closed",
            "Microsoft Cloud Germany closed on 29 October 2021; tenants moved to the Global cloud.",
            "Choose the Global cloud.",
        )  # fmt: skip
    yield from _url_findings(inputs.authority.strip(), "authority", "Authority URL")


@_check
def _tenant(inputs: TokenRequestInput) -> Iterator[Finding]:
    if _custom(inputs):
        return
    kind = tenant_kind(inputs.tenant)
    if kind is TenantKind.EMPTY:
        yield Finding(
            "tenant-empty", ERROR, "tenant", "Tenant is empty",
            "The request needs the directory (tenant) the app is registered in.",
            "Copy the Directory (tenant) ID from the app registration's Overview page.",
        )  # fmt: skip
        return
    if kind is TenantKind.INVALID:
        if all(c.isalnum() or c in ".-" for c in inputs.tenant.strip()):
            yield Finding(
                "tenant-not-guid-or-domain", WARNING, "tenant", "Tenant looks unusual",
                f"'{inputs.tenant.strip()}' is neither a GUID nor a domain name.",
                "Use the Directory (tenant) ID (a GUID) or a verified domain such as "
                "contoso.onmicrosoft.com.",
            )  # fmt: skip
        else:
            yield Finding(
                "tenant-malformed", ERROR, "tenant", "Tenant is malformed",
                "A tenant is a GUID or a domain: only letters, digits, '-' and '.' are allowed.",
                "Copy the Directory (tenant) ID from the app registration's Overview page.",
            )  # fmt: skip
        return
    allowed = GRANT_TENANTS[inputs.grant]
    if kind not in allowed and kind not in (TenantKind.GUID, TenantKind.DOMAIN):
        if inputs.grant is GrantType.CLIENT_CREDENTIALS:
            detail = (
                f"'{kind.value}' does not name one directory, so an app-only token cannot "
                "be issued for it (Entra answers AADSTS50059, 900023 or a token for the wrong "
                "tenant)."
            )
        else:
            detail = (
                f"The password grant is refused on '{kind.value}' (AADSTS9001023); it works "
                "with a tenant ID, a domain or 'organizations'."
            )
        yield Finding(
            "tenant-alias-grant", ERROR, "tenant", f"'{kind.value}' cannot be used here",
            detail, "Use the Directory (tenant) ID of the app's home tenant.",
        )  # fmt: skip


@_check
def _client_id(inputs: TokenRequestInput) -> Iterator[Finding]:
    value = inputs.client_id.strip()
    if not value:
        yield Finding(
            "client-id-empty", ERROR, "client_id", "Client ID is empty",
            "The request needs the Application (client) ID of the app registration.",
            "Copy the Application (client) ID from the app registration's Overview page.",
        )  # fmt: skip
    elif not _custom(inputs) and not is_guid(value):
        what = "an App ID URI" if "://" in value else "a name"
        yield Finding(
            "client-id-not-guid", ERROR, "client_id", "Client ID is not a GUID",
            f"'{value}' looks like {what}; Entra expects the Application (client) ID GUID "
            "(AADSTS90112).",
            "Copy the Application (client) ID, not the display name or App ID URI.",
        )  # fmt: skip


@_check
def _credential(inputs: TokenRequestInput) -> Iterator[Finding]:
    if inputs.credential is CredentialKind.SECRET:
        return
    from core.token.credential.resolve import credential_findings
    from core.token.request import RequestBuildError, request_url

    try:
        url = request_url(inputs)
    except RequestBuildError:
        url = ""
    yield from credential_findings(inputs, url)


@_check
def _secret(inputs: TokenRequestInput) -> Iterator[Finding]:
    if inputs.credential is not CredentialKind.SECRET:
        return
    plain = reveal(inputs.client_secret)
    if not plain:
        if inputs.grant is GrantType.CLIENT_CREDENTIALS:
            yield Finding(
                "secret-empty", ERROR, "client_secret", "Client secret is empty",
                "The client credentials grant needs the app's credential.",
                "Paste the secret's Value (shown once, when the secret was created).",
            )  # fmt: skip
        return
    if plain != plain.strip():
        yield Finding(
            "secret-whitespace", WARNING, "client_secret", "Secret has spaces at an end",
            "The secret starts or ends with white space, usually a copy-and-paste accident; "
            "Entra secrets never do.",
            "Remove the leading or trailing spaces, tabs or line breaks.",
        )  # fmt: skip
    if is_guid(plain.strip()):
        yield Finding(
            "secret-looks-like-id", WARNING, "client_secret", "This looks like the Secret ID",
            "The value is a GUID: that is the secret's ID, not its Value. Sending it fails "
            "with AADSTS7000215 (invalid client secret).",
            "In Certificates & secrets, copy the Value column (shown only when the secret was "
            "created); if it is gone, add a new secret.",
        )  # fmt: skip


@_check
def _not_text(inputs: TokenRequestInput) -> Iterator[Finding]:
    """A value that is not text (an environment variable or file in another encoding gives
    Python undecodable bytes as lone surrogates) cannot be sent, or even masked, as UTF-8."""
    for name in inputs.__dataclass_fields__:
        value = getattr(inputs, name)
        text = reveal(value) if isinstance(value, Secret) else value
        if not isinstance(text, str):
            continue
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            what = name.replace("_", " ")
            yield Finding(
                "not-utf8", ERROR, name, f"The {what} is not UTF-8 text",
                "It holds bytes that are not UTF-8 (as a variable or file saved in "
                "another encoding gives them), so it cannot be sent.",
                "Set it again as UTF-8 text, or type or paste it.",
            )  # fmt: skip


@_check
def _target(inputs: TokenRequestInput) -> Iterator[Finding]:
    scope, resource = inputs.scope.strip(), inputs.resource.strip()
    app_only = inputs.grant is GrantType.CLIENT_CREDENTIALS
    if _custom(inputs):
        return
    if inputs.endpoint is Endpoint.V2:
        if resource:
            yield Finding(
                "resource-on-v2", WARNING, "resource", "'resource' is a v1 parameter",
                "The v2 endpoint refuses the resource parameter (AADSTS901002).",
                f"Send scope={resource.rstrip('/')}/.default instead, or use the v1 endpoint.",
            )  # fmt: skip
        if not scope and app_only:
            yield Finding(
                "scope-empty", ERROR, "scope", "Scope is empty",
                "The v2 endpoint needs the API to issue a token for.",
                "For Microsoft Graph use https://graph.microsoft.com/.default.",
            )  # fmt: skip
        elif app_only and not all(s.endswith("/.default") for s in scope.split()):
            yield Finding(
                "scope-not-default", WARNING, "scope", "App-only scope must end in /.default",
                "Client credentials take only '{resource}/.default'; named permissions such as "
                "Mail.Read are refused (AADSTS1002012).",
                "Use e.g. https://graph.microsoft.com/.default and grant the application "
                "permissions in the app registration.",
            )  # fmt: skip
    else:
        if scope:
            yield Finding(
                "scope-on-v1", WARNING, "scope", "'scope' is a v2 parameter",
                "The v1 endpoint names the API with resource; a scope is ignored there.",
                "Put the API's App ID URI in resource, or use the v2 endpoint.",
            )  # fmt: skip
        if not resource and app_only:
            yield Finding(
                "resource-empty", ERROR, "resource", "Resource is empty",
                "The v1 endpoint needs the API to issue a token for.",
                "For Microsoft Graph use https://graph.microsoft.com.",
            )  # fmt: skip


@_check
def _user(inputs: TokenRequestInput) -> Iterator[Finding]:
    if inputs.grant is not GrantType.PASSWORD:
        return
    if not inputs.username.strip():
        yield Finding(
            "username-empty", ERROR, "username", "User name is empty",
            "The password grant signs a user in: it needs the user's sign-in name.",
            "Enter the user principal name, e.g. someone@contoso.com.",
        )  # fmt: skip
    if not reveal(inputs.password):
        yield Finding(
            "password-empty", ERROR, "password", "Password is empty",
            "The password grant needs the user's password.", "Enter the password.",
        )  # fmt: skip


@_check
def _token_url(inputs: TokenRequestInput) -> Iterator[Finding]:
    yield from _url_findings(inputs.token_url.strip(), "token_url", "Token URL")


@_check
def _timeout(inputs: TokenRequestInput) -> Iterator[Finding]:
    if timeout_problem(inputs.timeout_s):
        yield Finding(
            "timeout-invalid", ERROR, "timeout_s", "Timeout out of range",
            f"The timeout must be more than 0 and at most {MAX_TIMEOUT_S:g} seconds.",
            "Use 30 seconds unless the network is very slow.",
        )  # fmt: skip


def _url_findings(url: str, field: str, label: str) -> Iterator[Finding]:
    if not url:
        return
    problem = url_problem(url)
    if problem:
        yield Finding(
            f"{field}-invalid", ERROR, field, f"{label} is not usable",
            f"'{without_credentials(url)}' cannot be used: {problem}.",
            "Enter a full address such as https://login.example.com/oauth2/token"
            + (" and give credentials only in their own fields." if "password" in problem
               else "."),
        )  # fmt: skip
        return
    parts = urlsplit(url)
    if parts.scheme.lower() == "http" and not is_loopback_host(parts.hostname or ""):
        yield Finding(
            f"{field}-not-https", ERROR, field, f"{label} must use HTTPS",
            "Credentials would cross the network in clear text. Plain http is allowed only "
            "for this computer (localhost, 127.0.0.1, ::1).",
            "Use the https:// address of the server.",
        )  # fmt: skip
