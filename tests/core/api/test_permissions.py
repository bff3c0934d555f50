"""The permissions check before a Graph call: the catalog matcher and the token's roles/scp."""

from __future__ import annotations

import pytest

from core.api.permissions import catalog, check_permissions, find_call
from core.api.target import TokenFacts, graph_roots

ROOTS = graph_roots()
G = "https://graph.microsoft.com"


def app(*roles: str, app_id: str = "") -> TokenFacts:
    return TokenFacts(True, audience=G, app_id=app_id, app_only=True, roles=roles)


def user(*scopes: str) -> TokenFacts:
    return TokenFacts(True, audience=G, app_only=False, scopes=scopes)


@pytest.mark.parametrize(
    ("method", "path", "pattern"),
    [
        ("GET", "/users", "/users"),
        ("GET", "/users/ada@contoso.com", "/users/{id}"),
        ("GET", "/me", "/me"),
        ("GET", "/me/messages", "/me/messages"),
        ("GET", "/users/1/messages", "/users/{id}/messages"),
        ("GET", "/applications(appId='6e74172b-be56-4843-9ff4-e66a39bb12e3')",
         "/applications(appId='{appId}')"),
        ("POST", "/groups/g1/members/$ref", "/groups/{id}/members/$ref"),
        ("GET", "/sites/contoso.sharepoint.com:/sites/hr/team",
         "/sites/{hostname}:/{relative-path}"),
        ("GET", "/ORGANIZATION", "/organization"),
    ],
)  # fmt: skip
def test_matcher_picks_the_most_specific_pattern(method: str, path: str, pattern: str) -> None:
    call = find_call(method, path)
    assert call is not None and call.path == pattern


def test_unknown_calls_and_methods() -> None:
    assert find_call("DELETE", "/organization") is None
    assert find_call("GET", "/nothing/here") is None


def test_has_least_privileged() -> None:
    check = check_permissions("GET", f"{G}/v1.0/users?$top=5", app("User.Read.All"), ROOTS)
    assert check is not None and check.state == "has" and check.held == ("User.Read.All",)
    assert (
        check.text == "This call (GET /users) needs User.Read.All (application); the token has it."
    )
    assert check.source.startswith("https://learn.microsoft.com/")


def test_has_a_higher_one_says_so() -> None:
    check = check_permissions("GET", f"{G}/v1.0/users", app("Directory.Read.All"), ROOTS)
    assert check is not None and check.state == "has" and "more than needed" in check.text


def test_lacks_says_what_to_add() -> None:
    check = check_permissions("GET", f"{G}/v1.0/groups", app("User.Read.All"), ROOTS)
    assert check is not None and check.state == "lacks" and check.blocks
    assert check.needed == ("GroupMember.Read.All",)
    assert "GroupMember.Read.All (Application permission)" in check.fix
    delegated = check_permissions("GET", f"{G}/v1.0/groups", user("User.Read"), ROOTS)
    assert delegated is not None and "(Delegated permission)" in delegated.fix


def test_all_of_groups_need_every_name() -> None:
    """An option of two names (AuditLog.Read.All + Directory.Read.All) needs both."""
    url = f"{G}/v1.0/auditLogs/directoryAudits"
    one = check_permissions("GET", url, app("AuditLog.Read.All"), ROOTS)
    both = check_permissions("GET", url, app("AuditLog.Read.All", "Directory.Read.All"), ROOTS)
    assert one is not None and one.state == "lacks"
    assert both is not None and both.state == "has"
    assert one.needed == ("AuditLog.Read.All + Directory.Read.All",)


def test_me_with_app_only_is_impossible() -> None:
    check = check_permissions("GET", f"{G}/v1.0/me", app("User.Read.All"), ROOTS)
    assert check is not None and check.state == "impossible" and "/users/{id}" in check.fix


def test_own_application_needs_no_permission() -> None:
    own = "6e74172b-be56-4843-9ff4-e66a39bb12e3"
    url = f"{G}/v1.0/applications(appId='{own}')"
    check = check_permissions("GET", url, app(app_id=own), ROOTS)
    other = check_permissions("GET", url, app(app_id="11111111-1111-1111-1111-111111111111"), ROOTS)
    assert check is not None and check.state == "own_app" and not check.blocks
    assert other is not None and other.state == "lacks"


def test_not_graph_or_unreadable_token_gives_no_check() -> None:
    assert check_permissions("GET", "https://api.contoso.example/v1.0/users", app(), ROOTS) is None
    assert check_permissions("GET", f"{G}/v1.0/users", TokenFacts(False), ROOTS) is None
    unknown = check_permissions("GET", f"{G}/beta/somethingNew", app(), ROOTS)
    assert unknown is not None and unknown.state == "unknown"


def test_sandbox_graph_is_recognised_only_with_its_address() -> None:
    url = "http://127.0.0.1:8400/graph/v1.0/users"
    assert check_permissions("GET", url, app("User.Read.All"), ROOTS) is None
    roots = graph_roots("sandbox", "http://127.0.0.1:8400")
    check = check_permissions("GET", url, app("User.Read.All"), roots)
    assert check is not None and check.state == "has"


def test_organization_least_privileged_is_organization_read_all() -> None:
    """The current Learn page lists Organization.Read.All first for application tokens."""
    call = find_call("GET", "/organization")
    assert call is not None
    assert call.application[0] == (("Organization.Read.All",),)
    assert ("Directory.Read.All",) in call.application[1]


def test_catalog_loads_every_entry() -> None:
    assert len(catalog()) >= 60
