"""Microsoft clouds, token endpoint URLs and tenant values (facts: identity-platform.md 1.x)."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from enum import Enum
from urllib.parse import urlsplit

from core.token.clouds import CLOUD_ROWS
from core.token.models import Endpoint, GrantType


@dataclass(frozen=True)
class Cloud:
    """One Microsoft cloud (or the local sandbox) and the hosts an admin needs for it (the
    table: `core.token.clouds`)."""

    key: str
    name: str
    authority: str  # scheme + login host, no trailing slash; "" for the sandbox until it runs
    graph: str  # Microsoft Graph root, used for the default scope/resource
    aliases: tuple[str, ...] = ()
    v1_issuer_host: str = ""  # host of v1 issuers (https://{host}/{tid}/)
    note: str = ""


CLOUDS: tuple[Cloud, ...] = tuple(Cloud(**row) for row in CLOUD_ROWS)
CLOUDS_BY_KEY = {cloud.key: cloud for cloud in CLOUDS}

PERSONAL_ACCOUNTS_TENANT = "9188040d-6c67-4c5b-b112-36a304b66dad"


def get_cloud(key: str) -> Cloud:
    """The cloud with that key; raises KeyError naming the known keys."""
    try:
        return CLOUDS_BY_KEY[key]
    except KeyError:
        raise KeyError(f"unknown cloud {key!r}; known: {', '.join(CLOUDS_BY_KEY)}") from None


def known_login_hosts() -> frozenset[str]:
    """Every Microsoft login host (and alias) across the clouds, lower case."""
    hosts: set[str] = set()
    for cloud in CLOUDS:
        if cloud.authority:
            hosts.add(urlsplit(cloud.authority).hostname or "")
        hosts.update(cloud.aliases)
        if cloud.v1_issuer_host:
            hosts.add(cloud.v1_issuer_host)
    hosts.add("login-us.microsoftonline.com")
    hosts.discard("")
    return frozenset(hosts)


class TenantKind(str, Enum):
    """What a tenant segment is."""

    GUID = "guid"
    DOMAIN = "domain"
    ORGANIZATIONS = "organizations"
    COMMON = "common"
    CONSUMERS = "consumers"
    INVALID = "invalid"
    EMPTY = "empty"


_ALIASES = {
    "organizations": TenantKind.ORGANIZATIONS,
    "common": TenantKind.COMMON,
    "consumers": TenantKind.CONSUMERS,
}
_TENANT_CHARS = re.compile(r"^[A-Za-z0-9.-]+$")
_DOMAIN = re.compile(
    r"^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)

# Which tenant kinds each grant accepts (identity-platform.md 1.3).
GRANT_TENANTS: dict[GrantType, frozenset[TenantKind]] = {
    GrantType.CLIENT_CREDENTIALS: frozenset({TenantKind.GUID, TenantKind.DOMAIN}),
    GrantType.PASSWORD: frozenset({TenantKind.GUID, TenantKind.DOMAIN, TenantKind.ORGANIZATIONS}),
    # A user signs in: any alias works (core/signin/preflight.py warns about the odd ones).
    **dict.fromkeys(
        (GrantType.AUTHORIZATION_CODE, GrantType.DEVICE_CODE, GrantType.REFRESH_TOKEN),
        frozenset(TenantKind) - {TenantKind.INVALID, TenantKind.EMPTY},
    ),
}


def is_guid(text: str) -> bool:
    """True for a GUID in its usual 8-4-4-4-12 form (braces and case tolerated)."""
    text = text.strip().strip("{}")
    if len(text) != 36:
        return False
    # What uuid.UUID(text) accepts, without importing uuid (it loads `platform`).
    digits = text.replace("urn:", "").replace("uuid:", "").strip("{}").replace("-", "")
    if len(digits) != 32:
        return False
    try:
        int(digits, 16)
    except ValueError:
        return False
    return True


def tenant_kind(tenant: str) -> TenantKind:
    """Classify a tenant segment: GUID, verified domain, an alias, empty or invalid."""
    value = tenant.strip()
    if not value:
        return TenantKind.EMPTY
    if value.lower() in _ALIASES:
        return _ALIASES[value.lower()]
    if not _TENANT_CHARS.match(value):
        return TenantKind.INVALID
    if is_guid(value):
        return TenantKind.GUID
    if _DOMAIN.match(value):
        return TenantKind.DOMAIN
    return TenantKind.INVALID


def token_url(authority: str, tenant: str, endpoint: Endpoint) -> str:
    """The token endpoint: `{authority}/{tenant}/oauth2/token` (v1) or `.../oauth2/v2.0/token`."""
    base = authority.rstrip("/")
    path = "oauth2/token" if endpoint is Endpoint.V1 else "oauth2/v2.0/token"
    return f"{base}/{tenant.strip()}/{path}"


def default_target(cloud: Cloud, endpoint: Endpoint) -> str:
    """The default scope (v2, `{graph}/.default`) or resource (v1, `{graph}`) for a cloud."""
    return f"{cloud.graph}/.default" if endpoint is Endpoint.V2 else cloud.graph


_LABEL = re.compile(r"^(?!-)[A-Za-z0-9_-]{1,63}(?<!-)$")
_URL_FORBIDDEN = re.compile(r"[\s\x00-\x1f\x7f]")


def url_problem(url: str) -> str:
    """Why a URL cannot be sent to ('' when it can): not http(s), no host, a malformed host
    name or address, a bad port, or a user name or password in it (never repeated here)."""
    if _URL_FORBIDDEN.search(url):
        return "it contains spaces or control characters"
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return "it is not a well-formed address (check brackets, the port and the host)"
    if parts.scheme.lower() not in ("http", "https") or not host:
        return "it is not an http(s) address"
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        return "it carries a user name or password; credentials never go in a URL"
    if port == 0:
        return "its port is 0"
    if parts.netloc.startswith("[") or ":" in host:
        try:
            ipaddress.IPv6Address(host.split("%")[0])
        except ValueError:
            return "its IPv6 address is malformed"
        return ""
    name = host.rstrip(".")
    if len(name) > 253:
        return "its host name is longer than 253 characters"
    try:
        ascii_name = _idna(name)
    except UnicodeError:
        return "its host name has an empty label or a label longer than 63 characters"
    if not all(_LABEL.match(label) for label in ascii_name.split(".")):
        return "its host name is malformed (an empty label, one over 63 characters, odd signs)"
    return ""


def _idna(name: str) -> str:
    """`name.encode("idna")` as text; an ASCII name takes the codec's own ASCII path here, so
    the codec's Unicode tables (stringprep, ~10 ms to import) load only for a Unicode name."""
    if not name.isascii():
        return name.encode("idna").decode("ascii")
    labels = name.split(".")
    if any(not 0 < len(label) < 64 for label in labels[:-1]) or len(labels[-1]) >= 64:
        raise UnicodeError("label empty or too long")
    return name


def without_credentials(url: str) -> str:
    """A URL for messages: any user name and password replaced by '…'."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url.rpartition("@")[2] if "@" in url else url
    if "@" not in parts.netloc:
        return url
    return parts._replace(netloc="…@" + parts.netloc.rpartition("@")[2]).geturl()


def is_loopback_host(host: str) -> bool:
    """True for localhost and loopback addresses (127.0.0.0/8, ::1)."""
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
