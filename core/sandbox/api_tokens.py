"""Ready-made API tokens for the demo files: a Microsoft Graph token for Contoso Daemon that
expired an hour ago (what an automation sends when it caches tokens too long)."""

from __future__ import annotations

import base64
import secrets
import time

from core.sandbox import directory as d
from core.sandbox.keys import signing_key


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def expired_graph_token(base_url: str) -> str:
    """An app-only Graph token (v1, header nonce) for Contoso Daemon, expired an hour ago."""
    issued = int(time.time()) - 2 * 3600
    app = d.DAEMON
    claims = {
        "aud": d.GRAPH_URI, "iss": f"{base_url}/{d.CONTOSO.id}/", "iat": issued, "nbf": issued,
        "exp": issued + 3600, "app_displayname": app.name, "appid": app.client_id,
        "appidacr": "1", "idp": f"{base_url}/{d.CONTOSO.id}/", "idtyp": "app",
        "oid": app.object_id, "roles": list(app.roles.get(d.GRAPH_APP_ID, ())),
        "sub": app.object_id, "tid": d.CONTOSO.id, "uti": _b64(secrets.token_bytes(16)),
        "ver": "1.0",
    }  # fmt: skip
    return signing_key().sign(claims, x5t=True, nonce=_b64(secrets.token_bytes(32)))
