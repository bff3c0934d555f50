"""What a token is for: its facts (audience, app, roles, scopes), each cloud's Graph root (the
sandbox's Graph lives under its own address), and the default call to try with it."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from core.insight.decode import DecodeError, decode_token
from core.redaction import Secret, reveal
from core.token.authority import CLOUDS, get_cloud

GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000"
SANDBOX_GRAPH_PATH = "/graph"  # the sandbox serves its demo Graph at {sandbox}/graph
# The sandbox's demo API (README, "Sandbox"): its App ID URI (a v1 token's audience) and app ID
# (a v2 token's), and the path it is served at under the sandbox's address.
SANDBOX_APIS = {
    "api://contoso-orders": "/orders",
    "a4c91585-e772-42a9-9eff-53680740fd4a": "/orders",
}


@dataclass(frozen=True)
class TokenFacts:
    """What a call needs to know about the token it sends (read from its claims, unverified).

    `readable` is False for an opaque or unreadable token: then nothing else is known.
    """

    readable: bool
    audience: str = ""
    app_id: str = ""  # appid (v1) or azp (v2)
    tenant_id: str = ""
    app_only: bool = False
    roles: tuple[str, ...] = ()
    scopes: tuple[str, ...] = ()
    expires_at: float | None = None
    problem: str = ""  # why the token could not be read

    @property
    def kind(self) -> str:
        """ "application" (app-only: roles) or "delegated" (a signed-in user: scp)."""
        return "application" if self.app_only else "delegated"


def _strings(value: object) -> tuple[str, ...]:
    if isinstance(value, list):
        return tuple(v for v in value if isinstance(v, str) and v)
    return ()


def token_facts(token: str | Secret) -> TokenFacts:
    """The facts of a token (a JWT); an opaque or broken one gives `readable=False`."""
    try:
        decoded = decode_token(reveal(token))
    except DecodeError as exc:
        return TokenFacts(readable=False, problem=str(exc))
    claims = decoded.payload
    aud = claims.get("aud")
    audience = aud if isinstance(aud, str) else (_strings(aud) or ("",))[0]
    scp = claims.get("scp")
    scopes = tuple(scp.split()) if isinstance(scp, str) else ()
    exp = claims.get("exp")
    app = claims.get("appid") or claims.get("azp") or ""
    app_only = claims.get("idtyp") == "app" or (not scopes and "upn" not in claims)
    return TokenFacts(
        readable=True,
        audience=audience,
        app_id=app if isinstance(app, str) else "",
        tenant_id=str(claims.get("tid") or ""),
        app_only=app_only,
        roles=_strings(claims.get("roles")),
        scopes=scopes,
        expires_at=float(exp) if isinstance(exp, (int, float)) and not isinstance(exp, bool)
        else None,
    )  # fmt: skip


def graph_root(cloud: str, authority: str = "") -> str:
    """The Microsoft Graph root of a cloud (1.2); the sandbox's demo Graph is served at
    `{authority}/graph`, since the sandbox is both the login host and the API host."""
    if cloud == "sandbox":
        return authority.rstrip("/") + SANDBOX_GRAPH_PATH if authority else ""
    try:
        return get_cloud(cloud).graph
    except KeyError:
        return get_cloud("global").graph


def graph_roots(cloud: str = "", authority: str = "") -> tuple[str, ...]:
    """Every root a Graph URL may start with: each cloud's, and the sandbox's when known."""
    roots = {c.graph for c in CLOUDS}
    sandbox = graph_root("sandbox", authority) if cloud == "sandbox" else ""
    return tuple(sorted(roots | ({sandbox} if sandbox else set()), key=len, reverse=True))


def is_graph_audience(audience: str) -> bool:
    """True for a Microsoft Graph token, in any cloud (App ID URI or app ID)."""
    value = audience.strip().rstrip("/").lower()
    return value == GRAPH_APP_ID or value in {c.graph.lower() for c in CLOUDS}


def graph_path(url: str, roots: tuple[str, ...]) -> tuple[str, str] | None:
    """(version, path) of a Graph URL, e.g. ("v1.0", "/users/ada@contoso.com"); None when the
    URL is not a Graph call under one of the roots. The query is dropped."""
    parts = urlsplit(url)
    base = f"{parts.scheme}://{parts.netloc}".lower()
    for root in roots:
        r = urlsplit(root)
        if base != f"{r.scheme}://{r.netloc}".lower():
            continue
        rest = parts.path
        prefix = r.path.rstrip("/")
        if prefix and not rest.lower().startswith(prefix.lower() + "/"):
            continue
        rest = rest[len(prefix) :]
        version, _, path = rest.lstrip("/").partition("/")
        if version.lower() in ("v1.0", "beta"):
            return version.lower(), "/" + path.rstrip("/")
    return None


def default_call(facts: TokenFacts, cloud: str, authority: str = "") -> tuple[str, str]:
    """(method, URL) to try a token with: app-only Graph -> GET {graph}/v1.0/organization,
    delegated Graph -> GET {graph}/v1.0/me, another API -> its audience's base URL when the
    audience is a URL, the sandbox's demo API at its address (else "": the admin types the
    API's URL)."""
    if not facts.readable:
        return "GET", ""
    if is_graph_audience(facts.audience):
        root = graph_root(cloud, authority)
        aud = facts.audience.strip().rstrip("/")
        if cloud not in ("sandbox",) and aud.lower().startswith("https://"):
            root = aud  # the token names its cloud's Graph
        if not root:
            return "GET", ""
        return "GET", f"{root}/v1.0/" + ("organization" if facts.app_only else "me")
    demo = SANDBOX_APIS.get(facts.audience.strip().rstrip("/").lower())
    if cloud == "sandbox" and demo and authority:
        return "GET", authority.rstrip("/") + demo
    parts = urlsplit(facts.audience)
    if parts.scheme in ("https", "http") and parts.netloc:
        return "GET", f"{parts.scheme}://{parts.netloc}/"
    return "GET", ""
