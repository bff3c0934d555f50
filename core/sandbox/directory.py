"""The sandbox's demo directory: tenants, APIs, apps with their secrets, users and fault tenants.

Every identifier here is fixed (it appears in the README and in the demo scenarios); secret
expiry dates are relative to today, so the valid secret never runs out and the expired one is
always expired.
"""

from __future__ import annotations

from types import MappingProxyType

from core.sandbox.entities import (
    API_APP_ID,
    API_URI,
    GRAPH_APP_ID,
    GRAPH_URI,
    Api,
    App,
    ClientSecret,
    Fault,
    FederatedCredential,
    Tenant,
    User,
)

CONTOSO = Tenant("492a87ce-f03d-415a-bf2c-7b67c4e52753", "contoso.example", "Contoso Sandbox")
FABRIKAM = Tenant("dc6eb394-ffa8-4b1a-b7fb-7bd8c0b45de2", "fabrikam.example", "Fabrikam Sandbox")
TENANTS: tuple[Tenant, ...] = (CONTOSO, FABRIKAM)
UNKNOWN_TENANT_ID = "21d6870e-8fc0-40c1-89ce-70cc3224d566"  # in no directory (for demos)

GRAPH = Api(
    "Microsoft Graph (demo)",
    GRAPH_APP_ID,
    GRAPH_URI,
    app_roles=(
        "User.Read.All",
        "Group.Read.All",
        "Mail.Read",
        "Reports.Read.All",
        "Organization.Read.All",
        "Application.Read.All",
    ),
    scopes=("User.Read", "Mail.Read", "Calendars.Read"),
    token_version=1,
    nonce=True,
)
ORDERS_API = Api(
    "Contoso Orders API",
    API_APP_ID,
    API_URI,
    app_roles=("Orders.Read.All", "Orders.ReadWrite.All"),
    scopes=("Orders.Read", "Orders.ReadWrite"),
)
APIS: tuple[Api, ...] = (GRAPH, ORDERS_API)
OIDC_SCOPES = frozenset({"openid", "profile", "email", "offline_access"})

VALID_SECRET = ClientSecret(
    "af9b59dc-1555-4df4-9eb5-598074382103",
    "jPV0Q~sg25hKOlzI6W5U3CG3N8xGFHt80n-gAr~M",
    "daemon-2025",
    540,
)
EXPIRED_SECRET = ClientSecret(
    "51242740-d454-4d8d-842a-24ceb3c4fa9c",
    "IyM3Q~gXOl-TIwcNz6LSJYA3c8LL.0Eob6GmZV4w",
    "daemon-old",
    -30,
)
NEW_SECRET = ClientSecret(
    "d2c9f837-bbef-4fbc-a2ff-cb799ebb4327",
    "nffQ~P5pSzdSw2Nm23yxq-AWVpVGWVS9kpyvsp7A",
    "daemon-new",
    730,
    new=True,
)
DEFAULT_NEW_SECRET_DELAY_S = 10.0
EXPIRING_SECRET = ClientSecret(
    "0b6c4f7e-2d1a-4c3b-9e8f-5a6d7c8b9e01",
    "Qe5tQ~Wn8vK2mZp4Lr7sX1cB9yH3fD6gJ0aT_uEo",
    "daemon-rotation",
    10,
)

DAEMON = App(
    "Contoso Daemon",
    "e323a019-41e4-4a09-bd61-bcd73265c9a0",
    CONTOSO.id,
    "577cc143-b22d-4f21-8f12-eb5b5eed968f",
    (VALID_SECRET, EXPIRED_SECRET, NEW_SECRET, EXPIRING_SECRET),
    roles=MappingProxyType(
        {
            GRAPH_APP_ID: ("User.Read.All", "Group.Read.All", "Organization.Read.All"),
            API_APP_ID: ("Orders.Read.All",),
        }
    ),
    delegated=MappingProxyType({GRAPH_APP_ID: ("User.Read",)}),
    note="Confidential app: a valid secret, one expiring in 10 days, an expired one and a "
    "just-created one (refused until it has replicated), two uploaded certificates (one "
    "expired), roles on Graph and the Orders API.",
    certificates=("contoso-daemon", "expired"),
)
NO_CONSENT = App(
    "Contoso Reporting (no admin consent)",
    "8ef60f16-3f9d-45a9-94cd-08d7a295385f",
    CONTOSO.id,
    "8e0bc8c9-2df2-48de-9441-327aa9e58703",
    (
        ClientSecret(
            "75d3765c-250d-4f2d-8c65-80708784721a",
            "DBn4Q~YPpx2fmAG_TaIygD-K0ZLacEhjZk8Y~aPq",
            "reporting",
            540,
        ),
    ),
    note="Permissions requested but never consented: its tokens carry no roles.",
)
SHORT_LIVED = App(
    "Contoso Kiosk (2-minute tokens)",
    "a6c5ce45-6f1b-4302-b264-f3fa00e3d649",
    CONTOSO.id,
    "c2a79839-0fde-48c1-912e-534bdf85f1e8",
    (
        ClientSecret(
            "8210b2ba-dee0-4160-b75f-fb1b7e2e15d6",
            "WXJ9Q~_x1cLUIuRjF2v0ZyEsW2Fkacka3M3zc.tV",
            "kiosk",
            540,
        ),
    ),
    roles=MappingProxyType({GRAPH_APP_ID: ("User.Read.All",)}),
    lifetime_s=120,
    note="A token-lifetime policy limits its tokens to 2 minutes.",
)
DESKTOP = App(
    "Contoso Desktop (public client)",
    "a0c98bb6-50e6-4455-bc94-3dbbbdd6351f",
    CONTOSO.id,
    "21d32714-87c3-4212-b304-f75d528a3cec",
    public=True,
    delegated=MappingProxyType(
        {GRAPH_APP_ID: ("User.Read", "Mail.Read"), API_APP_ID: ("Orders.Read",)}
    ),
    note="Allow public client flows = yes; no secret; consented: Graph User.Read, Mail.Read "
    "and Orders.Read.",
)
DISABLED = App(
    "Contoso Legacy Sync (disabled)",
    "2d3c3ac5-7f13-43a3-9cf1-db20c4cd745a",
    CONTOSO.id,
    "b659123c-c9fc-4ab6-93a1-6821ed43fe5e",
    (
        ClientSecret(
            "b8ed111d-73d6-47d1-a06f-4f610ee7d834",
            "FQx2Q~vxAVxeh5-f~4W_8bVrDYFU_fbOY6X4VASS",
            "legacy",
            540,
        ),
    ),
    enabled=False,
    roles=MappingProxyType({GRAPH_APP_ID: ("User.Read.All",)}),
    note="Its enterprise application is disabled (enabled for users to sign in = no).",
)
FABRIKAM_APP = App(
    "Fabrikam Analytics",
    "7a3fcf30-ef07-48ad-906e-d923071f5d76",
    FABRIKAM.id,
    "39a4adfc-d416-4609-8001-3c41e754ea95",
    (
        ClientSecret(
            "b70db368-8f7a-4456-a059-2b9e8a8a98f7",
            "EFz6Q~9N~NecPvfo91bQd7~7vW.umIkB2eWRot-D",
            "analytics",
            540,
        ),
    ),
    roles=MappingProxyType({GRAPH_APP_ID: ("Reports.Read.All",)}),
    note="Lives in the second tenant only.",
)
EXTERNAL_ISSUER = "https://token.actions.sandbox.example"  # a GitHub-Actions-like issuer
EXTERNAL_SUBJECT = "repo:contoso/app:ref:refs/heads/main"
FEDERATED_AUDIENCE = "api://AzureADTokenExchange"
PIPELINE = App(
    "Contoso Pipeline (federated)",
    "3849ecf4-3bd8-4918-9187-070612f324d3",
    CONTOSO.id,
    "d16d0b10-b02f-4615-8a37-2a804818ee22",
    roles=MappingProxyType({GRAPH_APP_ID: ("User.Read.All",), API_APP_ID: ("Orders.Read.All",)}),
    note="No secret and no certificate: it trusts the sandbox's GitHub-Actions-like issuer for "
    "the main branch of contoso/app (federated credential).",
    federated=(
        FederatedCredential(
            "contoso-app-main", EXTERNAL_ISSUER, EXTERNAL_SUBJECT, FEDERATED_AUDIENCE
        ),
    ),
)
APPS: tuple[App, ...] = (
    DAEMON, NO_CONSENT, SHORT_LIVED, DESKTOP, DISABLED, FABRIKAM_APP, PIPELINE,
)  # fmt: skip

PASSWORD = "Sandbox-Pa55!"
WRONG_PASSWORD = "Sandbox-Pa55?"


def _user(name: str, oid: str, outcome: str, note: str) -> User:
    upn = f"{name.split()[0].lower()}@{CONTOSO.domain}"
    return User(upn, name, oid, CONTOSO.id, PASSWORD, outcome, note)


USERS: tuple[User, ...] = (
    _user("Alex Wilber", "ad802686-874b-4abb-833e-ab8eaf93299b", "ok", "signs in"),
    _user("Jordan Rivera", "0c2f18ff-4e87-4126-b1ea-d29276021201", "ok",
          f"signs in; the demo sends the wrong password {WRONG_PASSWORD!r} (AADSTS50126)"),
    _user("Morgan Lee", "7dcb1387-3c36-485f-8b0b-92f3a35942bc", "mfa",
          "must use multi-factor authentication (AADSTS50076)"),
    _user("Dana Kim", "356c6778-1c10-4486-8a22-990257d36f44", "disabled",
          "account disabled (AADSTS50057)"),
    _user("Lee Chen", "6cf133ff-5c72-4663-82e6-410463ee68b6", "locked",
          "account locked by smart lockout (AADSTS50053)"),
    _user("Pat Novak", "e2dc5155-ad72-4da5-b48e-391f4e74f643", "password_expired",
          "password expired (AADSTS50055)"),
    _user("Casey Ortiz", "1411604c-cc28-49b2-841b-93d6d3645ad6", "ca_blocked",
          "blocked by a Conditional Access policy (AADSTS53003)"),
    _user("Riley Park", "5b0e7d21-9a3c-4f1e-8d62-3c7a1e9f4b08", "slow_code",
          "signs in; in the browser, so slowly that the code has expired when the app redeems "
          "it (AADSTS70008)"),
    _user("Sam Taylor", "c3a1f0d2-6b7e-4c15-9e2a-8d4b7f1e0a36", "code_reused",
          "signs in; in the browser, the code comes back already redeemed, as after a double "
          "submit (AADSTS54005)"),
    _user("Quinn Baker", "9e6d2b41-3f8a-4c7d-b05e-71a2c4d8e9f3", "slow_poll",
          "signs in; with a device code, the app's next poll is told to slow down (slow_down) "
          "once"),
)  # fmt: skip
UNKNOWN_USER = f"nobody@{CONTOSO.domain}"  # in no directory

FAULTS: tuple[Fault, ...] = (
    Fault("slow", "slow.contoso.example", "answers normally, after the sandbox's slow delay"),
    Fault("throttled", "throttled.contoso.example", "HTTP 429 with Retry-After and AADSTS90055"),
    Fault("unavailable", "unavailable.contoso.example", "HTTP 503 with an HTML gateway page"),
    Fault("malformed_json", "malformed-json.contoso.example", "HTTP 200 whose JSON is cut off"),
    Fault("huge_body", "huge.contoso.example", "HTTP 200 with a body of several megabytes"),
    Fault("dropped", "dropped.contoso.example", "connection closed in the middle of the answer"),
)


def find_tenant(segment: str) -> tuple[Tenant | None, Fault | None]:
    """The tenant named by a GUID or domain (fault domains resolve to Contoso), and the fault."""
    value = segment.strip().lower()
    for tenant in TENANTS:
        if value in (tenant.id, tenant.domain):
            return tenant, None
    for fault in FAULTS:
        if value == fault.domain:
            return CONTOSO, fault
    return None, None


def find_app(client_id: str, tenant_id: str) -> App | None:
    """The app with that client ID registered in that tenant."""
    wanted = client_id.strip().lower()
    return next((a for a in APPS if a.client_id == wanted and a.tenant_id == tenant_id), None)


def find_api(identifier: str) -> Api | None:
    """The API named by its App ID URI (with or without trailing slash) or its app ID."""
    wanted = identifier.strip()
    return next(
        (api for api in APIS if wanted.lower() in (i.lower() for i in api.identifiers())), None
    )


def find_user(upn: str, tenant_id: str) -> User | None:
    wanted = upn.strip().lower()
    return next((u for u in USERS if u.upn == wanted and u.tenant_id == tenant_id), None)


def tenant_by_id(tenant_id: str) -> Tenant:
    return next(t for t in TENANTS if t.id == tenant_id)
