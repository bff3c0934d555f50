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


WELL_FORMED = "it is not a well-formed address (check brackets, the port and the host)"
TOO_LONG = "its host name is longer than 253 characters"


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("https://login.example.com/t", ""),
        ("https://login.example.com./t", ""),
        ("http://[::1]:8400/t", ""),
        ("http://[fe80::1%25eth0]/t", ""),
        ("https://" + "a" * 63 + ".example/t", ""),
        ("https://" + ("a" * 60 + ".") * 4 + "ab/t", ""),  # 246 characters
        ("https://login.example.com /t", "it contains spaces or control characters"),
        ("https://login.example.com/\x07", "it contains spaces or control characters"),
        ("https://[::1/t", WELL_FORMED),
        ("https://[::zz]/t", WELL_FORMED),  # Python 3.11+ checks the brackets' content itself
        ("https://login.example.com:99999/t", WELL_FORMED),
        ("ftp://login.example.com/t", "it is not an http(s) address"),
        ("https:///t", "it is not an http(s) address"),
        ("https://ada@login.example.com/t",
         "it carries a user name or password; credentials never go in a URL"),
        ("https://:pw@login.example.com/t",
         "it carries a user name or password; credentials never go in a URL"),
        ("https://login.example.com:0/t", "its port is 0"),
        ("https://" + ("a" * 62 + ".") * 4 + "abc/t", TOO_LONG),
        ("https://login..example.com/t",
         "its host name has an empty label or a label longer than 63 characters"),
        ("https://" + "a" * 64 + ".example/t",
         "its host name has an empty label or a label longer than 63 characters"),
        ("https://-login.example.com/t",
         "its host name is malformed (an empty label, one over 63 characters, odd signs)"),
        ("https://log!n.example.com/t",
         "its host name is malformed (an empty label, one over 63 characters, odd signs)"),
    ],
)  # fmt: skip
def test_url_problem_word_for_word(url: str, problem: str) -> None:
    """Each way a URL cannot be used, named exactly; usable URLs (a trailing dot, a zoned
    IPv6 address, 63-character labels, a 246-character name) pass."""
    from core.token.authority import url_problem

    assert url_problem(url) == problem


def test_loopback_guid_token_url_and_cloud_lookup() -> None:
    """Loopback in every form; GUIDs in braces; one slash between authority and tenant; an
    unknown cloud named with the known ones."""
    from core.token.authority import get_cloud, is_guid, is_loopback_host, token_url
    from core.token.models import Endpoint

    for host in ("localhost", "LOCALHOST", "app.localhost", "127.0.0.1", "127.9.9.9", "[::1]",
                 "::1"):  # fmt: skip
        assert is_loopback_host(host), host
    for host in ("localhost.example", "10.0.0.1", "example.com", "[::2]", "notlocalhost"):
        assert not is_loopback_host(host), host
    assert is_guid("{6E74172B-BE56-4843-9FF4-E66A39BB12E3}") and not is_guid("6e74172b-be56")
    assert not is_guid("6e74172bbe5648439ff4e66a39bb12e3")  # 32 hex digits: not the 8-4-4-4-12 form
    assert (
        token_url("https://x.example//", " t ", Endpoint.V1) == "https://x.example/t/oauth2/token"
    )
    with pytest.raises(KeyError) as info:
        get_cloud("mars")
    assert info.value.args[0] == (
        "unknown cloud 'mars'; known: global, usgov, usgov-dod, china, france, "
        "germany-sovereign, singapore, germany-legacy, sandbox"
    )


@pytest.mark.parametrize(
    "name",
    ["", "a", "login.microsoftonline.com", "a..b", ".a", "a.", "x" * 63, "x" * 64,
     "x" * 64 + ".com", "a." + "x" * 63, "a." + "x" * 64, "bücher.example", "xn--bcher-kva.ch"],
)  # fmt: skip
def test_host_names_encode_as_the_idna_codec_does(name: str) -> None:
    """The ASCII shortcut (no codec tables loaded) answers as `str.encode("idna")`."""
    from core.token.authority import _idna

    try:
        expected: str | type[UnicodeError] = name.encode("idna").decode("ascii")
    except UnicodeError:
        expected = UnicodeError
    try:
        got: str | type[UnicodeError] = _idna(name)
    except UnicodeError:
        got = UnicodeError
    assert got == expected
