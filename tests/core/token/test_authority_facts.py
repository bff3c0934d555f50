"""Every cloud's login and Graph host, checked against the facts file, not the code's table.

Values transcribed from /work/shared/identity-platform.md, section 1.2 (Authority hosts per
cloud): a typo in core/token/authority.py (the DoD or France hosts, say) fails here.
"""

from __future__ import annotations

import pytest

from core.token.authority import CLOUDS_BY_KEY, known_login_hosts

FACTS = {
    # key: (login host, Microsoft Graph root or None when the facts say "not confirmed")
    "global": ("https://login.microsoftonline.com", "https://graph.microsoft.com"),
    "usgov": ("https://login.microsoftonline.us", "https://graph.microsoft.us"),
    "usgov-dod": ("https://login.microsoftonline.us", "https://dod-graph.microsoft.us"),
    "china": (
        "https://login.partner.microsoftonline.cn",
        "https://microsoftgraph.chinacloudapi.cn",
    ),
    "france": ("https://login.sovcloud-identity.fr", None),
    "germany-sovereign": ("https://login.sovcloud-identity.de", None),
    "singapore": ("https://login.sovcloud-identity.sg", None),
    "germany-legacy": ("https://login.microsoftonline.de", None),
}


@pytest.mark.parametrize("key", sorted(FACTS))
def test_login_and_graph_host_match_the_facts(key: str) -> None:
    """The login host is the documented one; the Graph root too, where it is documented
    (elsewhere the note says it is not confirmed)."""
    login, graph = FACTS[key]
    cloud = CLOUDS_BY_KEY[key]
    assert cloud.authority == login
    if graph is not None:
        assert cloud.graph == graph
    elif key != "germany-legacy":
        assert "not confirmed" in cloud.note


def test_every_documented_alias_is_a_known_login_host() -> None:
    """Aliases and v1 issuer hosts of the facts file are recognised for key downloads."""
    documented = {"login.windows.net", "login.microsoft.com", "sts.windows.net",
                  "login.usgovcloudapi.net", "login.chinacloudapi.cn", "sts.chinacloudapi.cn",
                  "login-us.microsoftonline.com", "sts.microsoftonline.de"}  # fmt: skip
    assert documented <= known_login_hosts()


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://ada:pw@login.example.com/t", "https://…@login.example.com/t"),
        ("https://a@b:c@login.example.com:8443/t?x=1", "https://…@login.example.com:8443/t?x=1"),
        ("https://login.example.com/t", "https://login.example.com/t"),
        ("https://ada:pw@[::1/t", "[::1/t"),
        ("https://[::1/t", "https://[::1/t"),
    ],
)
def test_urls_are_shown_without_credentials(url: str, shown: str) -> None:
    """A URL in a message never carries its user name or password, even when malformed."""
    from core.token.authority import without_credentials

    assert without_credentials(url) == shown


def test_known_login_hosts_has_no_empty_name() -> None:
    """The sandbox cloud (no authority) adds no empty host name to the trusted list."""
    hosts = known_login_hosts()
    assert "" not in hosts and all(h == h.strip() and "." in h for h in hosts)
    assert "login.microsoftonline.com" in hosts and "login.sovcloud-identity.fr" in hosts
