"""The demo Microsoft Graph (`{sandbox}/graph/v1.0/...`) and the Contoso Orders API
(`{sandbox}/orders`): each checks the bearer token (core/sandbox/bearer.py) and the roles or
scopes its route needs, and answers with Graph's JSON and error shapes."""

from __future__ import annotations

import re
import time
import uuid
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from core.sandbox import directory as d
from core.sandbox.bearer import ApiError, Caller, validate
from core.sandbox.certificates import uploaded_for

GRAPH_PREFIX = "graph"
ORDERS_PREFIX = "orders"
_NS = uuid.UUID("6f1d3b1e-36a5-4f8a-9a55-1b8d6a1f0c11")

# Route -> (application permissions, delegated permissions), any one of which allows it.
_DIRECTORY_READ = ("Directory.Read.All", "Directory.ReadWrite.All")
PERMISSIONS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "organization": (("Organization.Read.All", "Organization.ReadWrite.All", *_DIRECTORY_READ),
                     ("User.Read", "Organization.Read.All", *_DIRECTORY_READ)),
    "users": (("User.Read.All", "User.ReadWrite.All", *_DIRECTORY_READ),
              ("User.ReadBasic.All", "User.Read.All", "User.ReadWrite.All", *_DIRECTORY_READ)),
    "groups": (("GroupMember.Read.All", "Group.Read.All", "Group.ReadWrite.All", *_DIRECTORY_READ),
               ("GroupMember.Read.All", "Group.Read.All", "Group.ReadWrite.All",
                *_DIRECTORY_READ)),
    "me": ((), ("User.Read", "User.ReadWrite", "User.ReadBasic.All", "User.Read.All",
                *_DIRECTORY_READ)),
    "applications": (("Application.Read.All", "Application.ReadWrite.All", *_DIRECTORY_READ),
                     ("Application.Read.All", "Application.ReadWrite.All", *_DIRECTORY_READ)),
    "orders.read": (("Orders.Read.All", "Orders.ReadWrite.All"),
                    ("Orders.Read", "Orders.ReadWrite")),
    "orders.write": (("Orders.ReadWrite.All",), ("Orders.ReadWrite",)),
}  # fmt: skip

GROUPS = (
    ("2f8c5f0e-8a3b-4b8e-9d59-0d1f6c3b7a10", "All Contoso", "Everyone at Contoso"),
    ("b3d9a4c1-5e6f-4a7b-8c9d-1e2f3a4b5c6d", "Finance", "Finance team"),
)
ORDERS = (
    {"id": "1001", "customer": "Alpine Ski House", "total": 1250.0, "status": "shipped"},
    {"id": "1002", "customer": "Tailspin Toys", "total": 89.9, "status": "open"},
)


def _iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _refuse() -> ApiError:
    return ApiError(403, "Authorization_RequestDenied",
                    "Insufficient privileges to complete the operation.")  # fmt: skip


def _require(caller: Caller, route: str) -> None:
    roles, scopes = PERMISSIONS[route]
    if not caller.allowed(roles, scopes):
        raise _refuse()


def application_object(app: d.App) -> dict[str, Any]:
    """The app registration as Graph returns it, with its secrets (hint only) and certificates."""
    today = datetime.now(timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
    passwords = []
    for s in app.secrets:
        end = s.expires_at()
        start = min(end - timedelta(days=180), today - timedelta(days=1))
        passwords.append({"customKeyIdentifier": None, "displayName": s.display_name,
                          "endDateTime": _iso(end), "hint": s.value[:3], "keyId": s.key_id,
                          "secretText": None, "startDateTime": _iso(start)})  # fmt: skip
    keys = []
    for cert in uploaded_for(app):
        keys.append({
            "customKeyIdentifier": cert.sha1, "displayName": cert.cert.subject.rfc4514_string(),
            "endDateTime": _iso(cert.cert.not_valid_after_utc), "key": None,
            "keyId": str(uuid.uuid5(_NS, "key:" + cert.name)),
            "startDateTime": _iso(cert.cert.not_valid_before_utc),
            "type": "AsymmetricX509Cert", "usage": "Verify",
        })  # fmt: skip
    return {
        "id": str(uuid.uuid5(_NS, "app:" + app.client_id)), "appId": app.client_id,
        "displayName": app.name, "signInAudience": "AzureADMyOrg",
        "passwordCredentials": passwords, "keyCredentials": keys,
    }  # fmt: skip


def _select(obj: dict[str, Any], query: dict[str, list[str]]) -> dict[str, Any]:
    chosen = [f.strip() for f in ",".join(query.get("$select", [])).split(",") if f.strip()]
    if not chosen:
        return obj
    return {k: v for k, v in obj.items() if k in chosen}


def _user(u: d.User) -> dict[str, Any]:
    return {"id": u.object_id, "displayName": u.display_name, "givenName": u.given_name,
            "surname": u.family_name, "userPrincipalName": u.upn, "mail": u.upn}  # fmt: skip


def _not_found(what: str) -> ApiError:
    return ApiError(404, "Request_ResourceNotFound",
                    f"Resource '{what}' does not exist or one of its queried reference-property "
                    "objects are not present.")  # fmt: skip


def graph(method: str, raw_path: str, authorization: str, base_url: str) -> dict[str, Any]:
    """Answer one demo Graph request (the path after /graph); raises ApiError."""
    parts = urlsplit(raw_path)
    path = unquote(parts.path)
    query = parse_qs(parts.query)
    version, _, rest = path.lstrip("/").partition("/")
    if version not in ("v1.0", "beta"):
        raise ApiError(400, "BadRequest", f"Invalid version: {version}")
    caller = validate(authorization, d.GRAPH, base_url)
    context = f"https://graph.microsoft.com/{version}/$metadata"
    if method != "GET":
        raise ApiError(405, "Request_BadRequest", "The HTTP method is not supported here.")
    tenant = d.tenant_by_id(caller.tenant_id)
    segments = [s for s in rest.split("/") if s]
    head = segments[0] if segments else ""
    if head == "organization" and len(segments) == 1:
        _require(caller, "organization")
        org = {
            "id": tenant.id,
            "displayName": tenant.name,
            "countryLetterCode": "US",
            "tenantType": "AAD",
            "verifiedDomains": [
                {
                    "name": tenant.domain,
                    "isDefault": True,
                    "isInitial": True,
                    "type": "Managed",
                    "capabilities": "Email, OfficeCommunicationsOnline",
                }
            ],
        }
        return {"@odata.context": context + "#organization", "value": [org]}  # fmt: skip
    if head == "me" and len(segments) == 1:
        if caller.app_only:
            raise ApiError(
                400, "BadRequest", "/me request is only valid with delegated authentication flow."
            )
        _require(caller, "me")
        user = next((u for u in d.USERS if u.object_id == caller.user_id), None)
        if user is None:
            raise _not_found(caller.user_id)
        return {"@odata.context": context + "#users/$entity", **_user(user)}
    if head == "users" and len(segments) <= 2:
        users = [u for u in d.USERS if u.tenant_id == tenant.id]
        if len(segments) == 2:
            wanted = segments[1].lower()
            user = next((u for u in users if wanted in (u.object_id, u.upn)), None)
            own = user is not None and user.object_id == caller.user_id
            if not (own and caller.allowed((), ("User.Read",))):
                _require(caller, "users")
            if user is None:
                raise _not_found(segments[1])
            return {"@odata.context": context + "#users/$entity", **_user(user)}
        _require(caller, "users")
        return {"@odata.context": context + "#users", "value": [_user(u) for u in users]}
    if head == "groups" and len(segments) == 1:
        _require(caller, "groups")
        value = [{"id": gid, "displayName": name, "description": text, "mailEnabled": False,
                  "securityEnabled": True} for gid, name, text in GROUPS]  # fmt: skip
        return {"@odata.context": context + "#groups", "value": value}
    match = re.fullmatch(r"applications\(appId='([^']*)'\)", rest.rstrip("/"))
    if match:
        wanted = match.group(1).strip().lower()
        if wanted != caller.app_id.lower():  # an app may always read its own object
            _require(caller, "applications")
        app = d.find_app(wanted, tenant.id)
        if app is None:
            raise _not_found(wanted)
        return {"@odata.context": context + "#applications/$entity",
                **_select(application_object(app), query)}  # fmt: skip
    raise ApiError(400, "BadRequest", f"Resource not found for the segment '{head or rest}'.")


def orders(method: str, raw_path: str, authorization: str, base_url: str) -> tuple[int, Any]:
    """Answer one Orders API request (the path after /orders); raises ApiError."""
    caller = validate(authorization, d.ORDERS_API, base_url)
    rest = urlsplit(raw_path).path.strip("/")
    if method == "GET" and not rest:
        _require(caller, "orders.read")
        return 200, {"value": list(ORDERS)}
    if method == "GET" and rest in {o["id"] for o in ORDERS}:
        _require(caller, "orders.read")
        return 200, next(o for o in ORDERS if o["id"] == rest)
    if method == "POST" and not rest:
        _require(caller, "orders.write")
        return 201, {"id": str(int(time.time()) % 100000), "status": "open"}
    raise ApiError(404, "NotFound", "No such order or route.")


def error_body(exc: ApiError, request_id: str, client_request_id: str) -> dict[str, Any]:
    """Graph's error shape: `{"error": {"code", "message", "innerError": {...}}}`."""
    inner = {"date": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime()),
             "request-id": request_id, "client-request-id": client_request_id}  # fmt: skip
    return {"error": {"code": exc.code, "message": exc.message, "innerError": inner}}
