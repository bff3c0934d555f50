"""Pre-flight checks: each mistake is caught before sending, as an error or a warning."""

from __future__ import annotations

import pytest

from core.redaction import Secret
from core.token.authority import TenantKind, tenant_kind
from core.token.models import Endpoint, GrantType, Severity, TokenRequestInput
from core.token.preflight import check, has_errors

TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
CLIENT = "6e74172b-be56-4843-9ff4-e66a39bb12e3"


def _inputs(**kw: object) -> TokenRequestInput:
    base: dict[str, object] = {
        "tenant": TENANT,
        "client_id": CLIENT,
        "client_secret": Secret("abc8Q~Zx1yZx1yZx1yZx1yZx1yZx1yZx1yZx1yZx"),
        "scope": "https://graph.microsoft.com/.default",
    }
    base.update(kw)
    return TokenRequestInput(**base)  # type: ignore[arg-type]


def _codes(inputs: TokenRequestInput) -> dict[str, Severity]:
    return {f.code: f.severity for f in check(inputs)}


def test_good_inputs_have_no_findings() -> None:
    """A complete, correct client-credentials request passes clean."""
    assert check(_inputs()) == ()


@pytest.mark.parametrize(
    ("tenant", "kind"),
    [
        (TENANT, TenantKind.GUID),
        (TENANT.upper(), TenantKind.GUID),
        ("{" + TENANT + "}", TenantKind.INVALID),
        ("contoso.onmicrosoft.com", TenantKind.DOMAIN),
        ("Common", TenantKind.COMMON),
        ("organizations", TenantKind.ORGANIZATIONS),
        ("consumers", TenantKind.CONSUMERS),
        ("", TenantKind.EMPTY),
        ("contoso", TenantKind.INVALID),
        ("https://login.microsoftonline.com/x", TenantKind.INVALID),
        ("72f988bf-86f1-41af-91ab-2d7cd011db4", TenantKind.INVALID),
    ],
)
def test_tenant_classification(tenant: str, kind: TenantKind) -> None:
    """GUIDs, domains and the three aliases are told apart; anything else is invalid."""
    assert tenant_kind(tenant) is kind


@pytest.mark.parametrize(
    ("changes", "code", "severity"),
    [
        ({"tenant": ""}, "tenant-empty", Severity.ERROR),
        ({"tenant": "contoso.com/oauth2"}, "tenant-malformed", Severity.ERROR),
        ({"tenant": "contoso"}, "tenant-not-guid-or-domain", Severity.WARNING),
        ({"tenant": "common"}, "tenant-alias-grant", Severity.ERROR),
        ({"tenant": "consumers"}, "tenant-alias-grant", Severity.ERROR),
        ({"tenant": "organizations"}, "tenant-alias-grant", Severity.ERROR),
        ({"client_id": ""}, "client-id-empty", Severity.ERROR),
        ({"client_id": "api://my-daemon"}, "client-id-not-guid", Severity.ERROR),
        ({"client_id": "My Daemon App"}, "client-id-not-guid", Severity.ERROR),
        ({"client_secret": None}, "secret-empty", Severity.ERROR),
        ({"client_secret": Secret(" abc8Q~xyz\n")}, "secret-whitespace", Severity.WARNING),
        ({"client_secret": Secret(CLIENT)}, "secret-looks-like-id", Severity.WARNING),
        ({"scope": "Mail.Read"}, "scope-not-default", Severity.WARNING),
        ({"scope": ""}, "scope-empty", Severity.ERROR),
        ({"resource": "https://graph.microsoft.com"}, "resource-on-v2", Severity.WARNING),
        ({"endpoint": Endpoint.V1}, "scope-on-v1", Severity.WARNING),
        ({"endpoint": Endpoint.V1, "scope": ""}, "resource-empty", Severity.ERROR),
        ({"token_url": "http://idp.example/token"}, "token_url-not-https", Severity.ERROR),
        ({"token_url": "idp.example/token"}, "token_url-invalid", Severity.ERROR),
        ({"timeout_s": 0.0}, "timeout-invalid", Severity.ERROR),
        ({"cloud": "mars"}, "cloud-unknown", Severity.ERROR),
        ({"cloud": "sandbox"}, "sandbox-not-running", Severity.ERROR),
        ({"cloud": "germany-legacy"}, "cloud-closed", Severity.WARNING),
        ({"authority": "http://login.example"}, "authority-not-https", Severity.ERROR),
    ],
)
def test_each_check(changes: dict[str, object], code: str, severity: Severity) -> None:
    """Each known mistake yields its finding with the right severity."""
    found = _codes(_inputs(**changes))
    assert found.get(code) is severity, found


def test_password_grant_rules() -> None:
    """ROPC: organizations is fine, common is not; user and password are required."""
    ropc = {"grant": GrantType.PASSWORD, "client_secret": None, "scope": "User.Read"}
    assert not has_errors(
        check(_inputs(**ropc, tenant="organizations", username="a@b.test", password=Secret("x")))
    )
    found = _codes(_inputs(**ropc, tenant="common"))
    assert found["tenant-alias-grant"] is Severity.ERROR
    assert found["username-empty"] is Severity.ERROR
    assert found["password-empty"] is Severity.ERROR
    assert "secret-empty" not in found  # a public client sends no secret


def test_http_allowed_only_for_loopback() -> None:
    """Plain http is accepted for 127.0.0.1, localhost and ::1, refused elsewhere."""
    for url in ("http://127.0.0.1:8080/t", "http://localhost/t", "http://[::1]:9/t"):
        assert not has_errors(check(_inputs(token_url=url))), url


def test_findings_sorted_errors_first_and_name_their_field() -> None:
    """Errors come before warnings, and every finding names a form field and a fix."""
    findings = check(_inputs(client_id="", client_secret=Secret(CLIENT), scope="Mail.Read"))
    severities = [f.severity for f in findings]
    assert severities == sorted(severities, key=lambda s: s is not Severity.ERROR)
    assert all(f.field and f.title and f.fix for f in findings)


def test_findings_never_quote_the_secret() -> None:
    """A finding about the secret describes it without repeating it."""
    secret = " abc8Q~this-is-the-real-value "
    text = repr(check(_inputs(client_secret=Secret(secret))))
    assert secret.strip() not in text


def test_url_findings_field_by_field() -> None:
    """A bad token URL and a plain-http one: code, severity, field, title, detail and fix."""
    from core.token.models import Finding, Severity
    from core.token.preflight import check

    def url_findings(url: str) -> list[Finding]:
        inputs = TokenRequestInput(client_id="c", client_secret=Secret("s"), token_url=url)
        return [f for f in check(inputs) if f.field == "token_url"]

    assert url_findings("https://ada:pw@x.example/t") == [
        Finding("token_url-invalid", Severity.ERROR, "token_url", "Token URL is not usable",
                "'https://…@x.example/t' cannot be used: it carries a user name or password; "
                "credentials never go in a URL.",
                "Enter a full address such as https://login.example.com/oauth2/token and give "
                "credentials only in their own fields.")
    ]  # fmt: skip
    assert url_findings("https://x..example/t")[0].fix == (
        "Enter a full address such as https://login.example.com/oauth2/token."
    )
    assert url_findings("http://x.example/t") == [
        Finding("token_url-not-https", Severity.ERROR, "token_url", "Token URL must use HTTPS",
                "Credentials would cross the network in clear text. Plain http is allowed only "
                "for this computer (localhost, 127.0.0.1, ::1).",
                "Use the https:// address of the server.")
    ]  # fmt: skip
    assert url_findings("http://127.0.0.1:8400/t") == []
    authority = check(
        TokenRequestInput(
            authority="http://x.example",
            tenant="contoso.example",
            client_id="6e74172b-be56-4843-9ff4-e66a39bb12e3",
            client_secret=Secret("s"),
            scope="api://x/.default",
        )
    )
    assert [(f.code, f.title) for f in authority if f.field == "authority"] == [
        ("authority-not-https", "Authority URL must use HTTPS")
    ]


@pytest.mark.parametrize(
    ("field", "value"),
    [("client_secret", Secret("abc\udcffdef")), ("username", "ana\udce9@contoso.example"),
     ("tenant", "contoso\udcc3.example")],
)  # fmt: skip
def test_a_value_that_is_not_utf8_text_blocks_the_request(field: str, value: object) -> None:
    """Undecodable bytes (lone surrogates, as a variable in another encoding gives them)
    cannot be sent as UTF-8: an error that names the field, never the value."""
    given = {"grant": GrantType.PASSWORD, "username": "ana@contoso.example",
             "password": Secret("pw"), field: value}  # fmt: skip
    inputs = _inputs(**given)
    found = [f for f in check(inputs) if f.code == "not-utf8"]
    assert [(f.field, f.severity) for f in found] == [(field, Severity.ERROR)]
    assert found[0].title == f"The {field.replace('_', ' ')} is not UTF-8 text"
    shown = found[0].title + found[0].detail + found[0].fix
    assert shown.encode("utf-8") and "def" not in shown and "ana" not in shown  # no value
    assert not [f for f in check(_inputs()) if f.code == "not-utf8"]
