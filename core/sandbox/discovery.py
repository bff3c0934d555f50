"""OpenID discovery documents (v1 and v2) and key sets, consistent with the tokens issued."""

from __future__ import annotations

from typing import Any

from core.sandbox import directory as d
from core.sandbox.keys import signing_key

TEMPLATE_TID = "{tenantid}"  # what multi-tenant metadata publishes instead of a tenant ID


def issuer(base_url: str, tenant: d.Tenant | None, version: str) -> str:
    """v1: `{base}/{tid}/` ; v2: `{base}/{tid}/v2.0` (a `{tenantid}` template for aliases)."""
    tid = tenant.id if tenant else TEMPLATE_TID
    return f"{base_url}/{tid}/" if version == "v1" else f"{base_url}/{tid}/v2.0"


def openid_configuration(
    base_url: str, segment: str, tenant: d.Tenant | None, version: str
) -> dict[str, Any]:
    """The discovery document for a tenant (or alias) and endpoint version."""
    tid = tenant.id if tenant else segment
    if version == "v1":
        oauth, jwks = f"{base_url}/{tid}/oauth2", f"{base_url}/common/discovery/keys"
    else:
        oauth, jwks = f"{base_url}/{tid}/oauth2/v2.0", f"{base_url}/{tid}/discovery/v2.0/keys"
    return {
        "token_endpoint": f"{oauth}/token",
        "token_endpoint_auth_methods_supported": [
            "client_secret_post",
            "private_key_jwt",
            "client_secret_basic",
        ],
        "jwks_uri": jwks,
        "response_modes_supported": ["query", "fragment", "form_post"],
        "subject_types_supported": ["pairwise"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "response_types_supported": ["code", "id_token", "code id_token", "token id_token"],
        "scopes_supported": ["openid", "profile", "email", "offline_access"],
        "issuer": issuer(base_url, tenant, version),
        "request_uri_parameter_supported": False,
        "userinfo_endpoint": f"{d.GRAPH_URI}/oidc/userinfo",
        "authorization_endpoint": f"{oauth}/authorize",
        "device_authorization_endpoint": f"{oauth}/devicecode",
        "http_logout_supported": True,
        "frontchannel_logout_supported": True,
        "end_session_endpoint": f"{oauth}/logout",
        "claims_supported": [
            "sub",
            "iss",
            "aud",
            "exp",
            "iat",
            "auth_time",
            "acr",
            "nonce",
            "preferred_username",
            "name",
            "tid",
            "ver",
            "at_hash",
            "c_hash",
            "email",
        ],
        "tenant_region_scope": "EU",
        "cloud_instance_name": "sandbox.example",
        "cloud_graph_host_name": "graph.windows.net",
        "msgraph_host": "graph.microsoft.com",
        "rbac_url": "https://pas.windows.net",
    }


def key_set(base_url: str, tenant: d.Tenant | None, version: str) -> dict[str, Any]:
    """The JWKS; v2 keys name their issuer (templated for aliases), as Entra's do."""
    key_issuer = issuer(base_url, tenant, "v2") if version == "v2" else None
    return {"keys": [signing_key().jwk(key_issuer)]}
