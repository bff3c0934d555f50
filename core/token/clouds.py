"""The Microsoft clouds as plain rows (facts: identity-platform.md 1.x).

`core.token.authority` makes each row a `Cloud`. This module imports nothing, so that
`main.py token --help` lists the clouds without loading dataclasses and the request models.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (mypy knows the name)
if TYPE_CHECKING:
    from typing import Any

# One row per cloud, in menu order; the keys are the fields of `authority.Cloud`.
CLOUD_ROWS: tuple[dict[str, Any], ...] = (
    {
        "key": "global",
        "name": "Global (Azure public, Microsoft 365, GCC)",
        "authority": "https://login.microsoftonline.com",
        "graph": "https://graph.microsoft.com",
        "aliases": ("login.windows.net", "login.microsoft.com", "sts.windows.net"),
        "v1_issuer_host": "sts.windows.net",
    },
    {
        "key": "usgov",
        "name": "US Government (GCC High)",
        "authority": "https://login.microsoftonline.us",
        "graph": "https://graph.microsoft.us",
        "aliases": ("login.usgovcloudapi.net",),
        "v1_issuer_host": "sts.windows.net",
        "note": "GCC (moderate) tenants use the Global cloud.",
    },
    {
        "key": "usgov-dod",
        "name": "US Government (DoD)",
        "authority": "https://login.microsoftonline.us",
        "graph": "https://dod-graph.microsoft.us",
        "aliases": ("login.usgovcloudapi.net",),
        "v1_issuer_host": "sts.windows.net",
    },
    {
        "key": "china",
        "name": "China (operated by 21Vianet)",
        "authority": "https://login.partner.microsoftonline.cn",
        "graph": "https://microsoftgraph.chinacloudapi.cn",
        "aliases": ("login.chinacloudapi.cn",),
        "v1_issuer_host": "sts.chinacloudapi.cn",
    },
    {
        "key": "france",
        "name": "France sovereign (Bleu)",
        "authority": "https://login.sovcloud-identity.fr",
        "graph": "https://graph.microsoft.com",
        "note": "Graph host not confirmed for this cloud; set the scope by hand.",
    },
    {
        "key": "germany-sovereign",
        "name": "Germany sovereign (Delos)",
        "authority": "https://login.sovcloud-identity.de",
        "graph": "https://graph.microsoft.com",
        "note": "Graph host not confirmed for this cloud; set the scope by hand.",
    },
    {
        "key": "singapore",
        "name": "Singapore government",
        "authority": "https://login.sovcloud-identity.sg",
        "graph": "https://graph.microsoft.com",
        "note": "Graph host not confirmed for this cloud; set the scope by hand.",
    },
    {
        "key": "germany-legacy",
        "name": "Germany (legacy, closed October 2021)",
        "authority": "https://login.microsoftonline.de",
        "graph": "https://graph.microsoft.de",
        "v1_issuer_host": "sts.microsoftonline.de",
        "note": "This cloud was closed on 29 October 2021; requests will fail.",
    },
    {
        "key": "sandbox",
        "name": "Sandbox (local emulator)",
        "authority": "",  # known once the emulator runs (--authority)
        "graph": "https://graph.microsoft.com",
        "note": "Tokens come from the local emulator, not from Microsoft.",
    },
)


def cloud_choices() -> list[tuple[str, str]]:
    """(key, name) of every cloud in menu order: what `--cloud` accepts and its help lists."""
    return [(row["key"], row["name"]) for row in CLOUD_ROWS]
