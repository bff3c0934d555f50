"""The verdict: classification of Microsoft samples and sandbox tokens, failures, opaque tokens."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest

from core.insight.decode import decode_token
from core.insight.verdict import verdict_for_result, verdict_for_token
from core.redaction import Secret
from core.sandbox import Sandbox, scenarios
from core.token.client import request_token, send
from core.token.models import GrantType, TokenRequestInput
from core.token.request import build_request
from core.token.result import Outcome
from tests.core.sandbox.conftest import to_inputs
from tests.core.tokenkit import LocalServer, microsoft_samples, mint

SAMPLES = microsoft_samples()
SCENARIOS = {s.key: s for s in scenarios()}
CONTOSO_TID = "492a87ce-f03d-415a-bf2c-7b67c4e52753"


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(slow_delay_s=0.2) as sb:
        yield sb


def _scenario(sandbox: Sandbox, key: str):
    return request_token(to_inputs(SCENARIOS[key].form, sandbox.base_url))


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_microsoft_samples_classified(name: str) -> None:
    """Each section 8 sample gets the version, kind and credential the facts file expects."""
    sample = SAMPLES[name]
    expect = sample["expect"]
    decoded = decode_token(sample["token"])
    v = verdict_for_token(decoded, now=decoded.payload["iat"] + 60)
    assert v.version == expect["version"] and v.token_kind == expect["kind"]
    assert v.credential == expect["credential"]
    disagree = any("Issuer and tenant disagree" in w for w in v.warnings)
    assert disagree is not expect["issuer_tid_agree"]
    assert v.expires_at - v.issued_at == expect["lifetime"]
    assert v.issued and v.kind_reason


def test_v1_sample_issuer_quirk_is_flagged() -> None:
    """8.6 v1: the issuer's tenant is not a GUID and differs from tid: a warning says so."""
    v = verdict_for_token(decode_token(SAMPLES["v1_access_doc"]["token"]))
    warning = next(w for w in v.warnings if "disagree" in w)
    assert "fa15d692-e9c7-4460-a743-29f29522229" in warning and "not even a well-formed" in warning


def test_unsigned_id_token_and_graph_nonce_notes() -> None:
    """8.2 is an ID token flagged unsigned; 8.5 is a delegated Graph token with the nonce note."""
    v = verdict_for_token(decode_token(SAMPLES["v1_id_unsigned"]["token"]))
    assert v.token_use == "ID token" and any("unsigned" in w for w in v.warnings)
    g = verdict_for_token(decode_token(SAMPLES["v1_graph_nonce"]["token"]))
    assert g.audience_name == "Microsoft Graph" and g.scopes == ("User.Read",)
    assert any("not a fault" in n for n in g.notes)
    assert "delegated" in g.headline and "Microsoft Graph" in g.headline


def test_guest_and_expiry() -> None:
    """8.3: idp differs from iss (a guest); an old token says how long ago it expired."""
    decoded = decode_token(SAMPLES["v1_id_padded"]["token"])
    v = verdict_for_token(decoded, now=decoded.payload["exp"] + 3 * 86400)
    assert any("another identity provider" in n for n in v.notes)
    assert "The token expired 3 days ago." in v.warnings and "expired 3 days ago" in v.headline


def test_tenant_typed_is_compared() -> None:
    """tid is compared with a typed tenant GUID; a domain gives a note, not a verdict."""
    decoded = decode_token(SAMPLES["v2_access_doc"]["token"])
    tid = "72f988bf-86f1-41af-91ab-2d7cd011db47"
    assert verdict_for_token(decoded, tenant=tid.upper()).tenant_matches is True
    other = verdict_for_token(decoded, tenant=CONTOSO_TID)
    assert other.tenant_matches is False and any(CONTOSO_TID in w for w in other.warnings)
    by_domain = verdict_for_token(decoded, tenant="contoso.com")
    assert by_domain.tenant_matches is None and any("contoso.com" in n for n in by_domain.notes)
    assert verdict_for_token(decoded).tenant_matches is None


def test_least_privilege_view_flags_high_privilege() -> None:
    """Roles are listed with what they allow; high-privilege ones and admin roles warn."""
    token = mint({
        "aud": "https://graph.microsoft.com", "iss": f"https://sts.windows.net/{CONTOSO_TID}/",
        "tid": CONTOSO_TID, "ver": "1.0", "idtyp": "app", "appidacr": "2",
        "roles": ["Mail.ReadWrite", "User.Read.All", "Custom.Thing"],
        "wids": ["62e90394-69f5-4237-9190-012177145e10"], "exp": 2_000_000_000,
    })  # fmt: skip
    v = verdict_for_token(decode_token(token), now=2_000_000_000 - 3540)
    assert v.token_kind == "app-only" and v.credential == "certificate"
    assert v.high_privilege == ("Mail.ReadWrite",)
    assert v.allows[0].startswith("Mail.ReadWrite (high privilege): ")
    assert "every mailbox" in v.allows[0]
    assert v.allows[2] == "Custom.Thing: not in our permission table"
    assert "Directory role: Global Administrator" in v.allows
    assert any("Global Administrator" in w for w in v.warnings)
    assert v.headline.endswith("certificate, Microsoft Graph, 3 roles, expires "
                               + v.headline.split("expires ")[1])  # fmt: skip
    assert "(59 min)" in v.headline


def test_sandbox_graph_app_only_token(sandbox: Sandbox) -> None:
    """Sandbox client credentials for Graph: app-only, client secret, roles, v1 from v2 noted."""
    result = _scenario(sandbox, "cc-v2-graph")
    v = verdict_for_result(result, tenant=CONTOSO_TID)
    assert result.ok and v.issued and v.token_kind == "app-only"
    assert v.kind_reason == "idtyp is 'app'" and v.credential == "client secret"
    assert v.audience_name == "Microsoft Graph" and v.roles and v.tenant_matches is True
    assert v.headline.startswith("Token issued in ") and "app-only, client secret" in v.headline
    assert any("v2 endpoint issued a v1 token" in n for n in v.notes)
    assert v.ext_expires_in == result.token.ext_expires_in
    assert not any("disagree" in w for w in v.warnings)


def test_sandbox_custom_api_v2(sandbox: Sandbox) -> None:
    """The custom API's v2 token carries its role and names the API by its app ID."""
    v = verdict_for_result(_scenario(sandbox, "cc-v2-api"))
    assert v.version == "2.0" and v.roles == ("Orders.Read.All",)
    assert v.tenant_matches is True  # tenant taken from the request URL


def test_sandbox_no_consent_warns(sandbox: Sandbox) -> None:
    """A token without roles (no admin consent) is issued but warned about."""
    v = verdict_for_result(_scenario(sandbox, "no-admin-consent"))
    assert v.issued and v.token_kind == "app-only" and v.roles == ()
    assert any("without roles" in w and "Microsoft Graph" in w for w in v.warnings)
    assert "NO roles" in v.headline


def test_sandbox_password_grant_is_delegated(sandbox: Sandbox) -> None:
    """A password-grant token is delegated, from a public client, with its scopes."""
    v = verdict_for_result(_scenario(sandbox, "password-ok"))
    assert v.token_kind == "delegated" and v.credential == "public client"
    assert "User.Read" in v.scopes and "scope" in v.headline


def test_sandbox_refusal_headline(sandbox: Sandbox) -> None:
    """A refused request's verdict is one line with the diagnosis title and code."""
    v = verdict_for_result(_scenario(sandbox, "secret-id"))
    assert not v.issued
    assert v.headline == "Failed: Secret ID pasted instead of the secret Value (AADSTS7000215)"


def test_blocked_and_no_answer_headlines() -> None:
    """Blocked and no-answer results get their own headline prefix."""
    blocked = request_token(TokenRequestInput(tenant="common", client_id="not-a-guid"))
    assert blocked.outcome is Outcome.BLOCKED
    assert verdict_for_result(blocked).headline.startswith("Not sent: ")
    assert verdict_for_result(blocked).headline.count("Not sent") == 1
    with LocalServer() as srv:
        url = f"{srv.base_url}/token"
    gone = send(build_request(TokenRequestInput(client_id="c", client_secret=Secret("s"),
                                                token_url=url, timeout_s=2)))  # fmt: skip
    assert verdict_for_result(gone).headline.startswith("No answer: ")


def test_opaque_token_reported_from_metadata() -> None:
    """An opaque access token is reported from expires_in and scope."""
    with LocalServer() as srv:
        srv.json("/token", {"token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599,
                            "scope": "https://graph.microsoft.com/.default",
                            "access_token": "EwBwA8l6BAAURSN-opaque-token"})  # fmt: skip
        inputs = TokenRequestInput(client_id="c", client_secret=Secret("s"),
                                   token_url=f"{srv.base_url}/token")  # fmt: skip
        result = send(build_request(inputs))
    v = verdict_for_result(result, now=result.received_at)
    assert v.issued and v.token_use == "opaque token" and v.token_kind == "unknown"
    assert v.expires_at == result.received_at + 3599 and v.ext_expires_in == 3599
    assert v.audience_name == "Microsoft Graph" and v.credential == "client secret"
    assert "opaque" in v.headline and "(59 min)" in v.headline


def test_user_claims_with_roles_and_no_scp_is_delegated() -> None:
    """A user's token carrying app roles (assigned to the user) but no scp or idtyp is
    delegated: user claims win over roles (identity-platform.md 6.3)."""
    token = mint({"aud": "api://x", "roles": ["Orders.Read"], "upn": "ada@contoso.example",
                  "name": "Ada", "appid": "6e74172b-be56-4843-9ff4-e66a39bb12e3"})  # fmt: skip
    verdict = verdict_for_token(decode_token(token))
    assert verdict.token_kind == "delegated" and "user claims" in verdict.kind_reason
    assert verdict.roles == ("Orders.Read",)


def test_invalid_signature_leads_headline_and_warnings() -> None:
    """with_signature: INVALID goes first in the headline and the warnings; others change
    nothing."""
    from core.insight.signature import SignatureResult, SignatureStatus
    from core.insight.verdict import with_signature

    base = verdict_for_token(decode_token(mint({"aud": "x", "roles": ["R"], "appid": "a"})))
    bad = SignatureResult(SignatureStatus.INVALID, "Signature INVALID: changed after signing.")
    invalid = with_signature(base, bad)
    assert invalid.headline.startswith("INVALID SIGNATURE. ")
    assert invalid.warnings[0] == "Signature INVALID: changed after signing."
    good = SignatureResult(SignatureStatus.VALID, "Signature valid.")
    assert with_signature(base, good) == base


def test_opaque_token_verdict_fields_exactly() -> None:
    """An opaque token's verdict, field by field: what comes from the answer and what cannot."""
    with LocalServer() as srv:
        srv.json("/token", {"token_type": "Bearer", "expires_in": 600,
                            "scope": "https://graph.microsoft.com/User.Read",
                            "access_token": "EwBwA8l6BAAURSN-opaque-token"})  # fmt: skip
        inputs = TokenRequestInput(client_id="c", token_url=f"{srv.base_url}/token",
                                   grant=GrantType.PASSWORD, username="u@x.example",
                                   password=Secret("p"))  # fmt: skip
        result = send(build_request(inputs))
    v = verdict_for_result(result, now=result.received_at)
    assert v.kind_reason == "the token is not a JWT, so its claims cannot be read"
    assert v.audience == "https://graph.microsoft.com" and v.audience_name == "Microsoft Graph"
    assert v.scopes == ("https://graph.microsoft.com/User.Read",)
    assert v.credential == "public client"
    assert v.notes[1] == "Expiry and scope come from the response (expires_in, scope)."
    assert "opaque" in v.notes[0] and v.token_kind == "unknown"
    head = f"Token issued in {result.elapsed_ms:.0f} ms: opaque token, public client, "
    assert v.headline.startswith(head + "Microsoft Graph, expires ")


@pytest.mark.parametrize(
    ("form", "headers", "expected"),
    [
        ((("client_assertion", Secret("eyJ.a.b")),), (), "certificate"),
        ((("client_secret", Secret("s")),), (), "client secret"),
        ((), (("authorization", Secret("Basic abc")),), "client secret"),
        ((("client_secret", "not-a-secret-object"),), (), "public client"),
        ((), (), "public client"),
    ],
)
def test_credential_sent_is_read_from_the_request(form, headers, expected) -> None:
    """The credential an opaque token was issued for: assertion, secret (body or any-case
    Basic header) or none."""
    from dataclasses import replace as dc_replace

    from core.insight.verdict import _credential_sent
    from core.token.result import Outcome, TokenResult

    base = build_request(TokenRequestInput(client_id="c", token_url="https://x.example/t"))
    prepared = dc_replace(base, form=form, headers=headers)
    assert _credential_sent(TokenResult(outcome=Outcome.TOKEN, request=prepared)) == expected
    assert _credential_sent(TokenResult(outcome=Outcome.TOKEN, request=None)) == ""


@pytest.mark.parametrize(
    ("url", "tenant"),
    [
        ("https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token",
         "contoso.onmicrosoft.com"),
        (f"https://login.microsoftonline.com/{CONTOSO_TID}/oauth2/token", CONTOSO_TID),
        ("https://login.microsoftonline.com/organizations/oauth2/v2.0/token", ""),
        ("https://x.example/token", ""),
    ],
)  # fmt: skip
def test_tenant_read_from_the_token_url(url: str, tenant: str) -> None:
    """The tenant segment of a token URL counts when it is a domain or a GUID, else ''."""
    from core.insight.verdict import _tenant_from_url

    assert _tenant_from_url(url) == tenant


APP = "6e74172b-be56-4843-9ff4-e66a39bb12e3"


@pytest.mark.parametrize(
    ("claims", "kind", "reason", "use"),
    [
        ({"idtyp": "app", "scp": "x"}, "app-only", "idtyp is 'app'", "access token"),
        ({"idtyp": "user"}, "delegated", "idtyp is 'user'", "access token"),
        ({"scp": "User.Read", "roles": ["R"]}, "delegated", "it carries delegated scopes (scp)",
         "access token"),
        ({"nonce": "n", "name": "Ada", "upn": "a@x", "given_name": "A"}, "delegated",
         "an ID token about a signed-in user (upn, given_name)", "ID token"),
        ({"at_hash": "h"}, "delegated", "an ID token about a signed-in user ()", "ID token"),
        ({"c_hash": "h", "preferred_username": "a"}, "delegated",
         "an ID token about a signed-in user (preferred_username)", "ID token"),
        ({"azp": APP, "unique_name": "a", "family_name": "L", "name": "N"}, "delegated",
         "it carries user claims (unique_name, family_name)", "access token"),
        ({"roles": ["R"]}, "app-only", "it carries application roles and no scp or user claims",
         "access token"),
        ({"appid": APP}, "app-only", "no scp and no user claims", "access token"),
        ({"azp": APP}, "app-only", "no scp and no user claims", "access token"),
        ({"nonce": "n", "appid": APP}, "app-only", "no scp and no user claims", "access token"),
        ({}, "unknown", "none of idtyp, scp, roles or user claims is present", "access token"),
    ],
)  # fmt: skip
def test_kind_reason_and_use_exactly(claims: dict, kind: str, reason: str, use: str) -> None:
    """App-only or delegated, why, and access or ID token, for each signal alone and in the
    order identity-platform.md 6.3 gives them (idtyp, scp, ID-token shape, user claims, roles)."""
    from core.insight.verdict import _kind

    assert _kind(claims) == (kind, reason, use)


NOW = 1_800_000_000.0
TID = "492a87ce-f03d-415a-bf2c-7b67c4e52753"


def test_every_warning_and_note_word_for_word() -> None:
    """A token that trips every warning and note: each one, word for word, in order."""
    from core.timefmt import relative

    payload = {
        "iss": "https://sts.windows.net/not-a-guid/", "tid": "9188040d-6c67-4c5b-b112-36a304b66dad",
        "aud": "https://graph.microsoft.com", "appid": APP, "appidacr": "1", "idtyp": "app",
        "iat": NOW - 7200, "nbf": NOW + 3600, "exp": NOW - 60, "ver": "1.0",
        "idp": "https://sts.windows.net/other/", "wids": ["62e90394-69f5-4237-9190-012177145e10"],
    }  # fmt: skip
    v = verdict_for_token(decode_token(mint(payload, nonce="abc")), tenant=TID, now=NOW)
    assert v.warnings == (
        "App-only token without roles: no application permission is granted for Microsoft "
        "Graph, or admin consent is missing. Calls to the API will be refused (401/403).",
        f"The token expired {relative(-60)}.",
        f"The token is not valid yet (not before {relative(3600)}).",
        f"The token's tenant (tid 9188040d-6c67-4c5b-b112-36a304b66dad) is not the tenant you "
        f"typed ({TID}).",
        "Issuer and tenant disagree: the issuer names tenant not-a-guid (not even a well-formed "
        "GUID), but tid is 9188040d-6c67-4c5b-b112-36a304b66dad.",
        "Holds privileged directory roles: Global Administrator.",
    )
    assert v.notes == (
        "Microsoft Graph-style token (nonce in the header): only Microsoft can check its "
        "signature. This is expected, not a fault.",
        "Issued for a personal Microsoft account (consumer tenant).",
        "The user was authenticated by another identity provider (https://sts.windows.net/other/): "
        "a guest.",
    )
    assert v.tenant_matches is False and v.directory_roles == ("Global Administrator",)
    assert (
        v.headline
        == "Token: app-only, client secret, Microsoft Graph, NO roles, expired 1 min 00 s ago"
    )
    assert v.flags == (
        "no application permission granted", "not valid yet", "another tenant than the one typed",
        "issuer and tenant disagree", "1 privileged directory role")  # fmt: skip
    assert (v.issued_at, v.not_before, v.expires_at) == (NOW - 7200, NOW + 3600, NOW - 60)
    assert (v.version, v.issuer, v.client_id, v.tenant_id) == (
        "1.0", payload["iss"], APP, payload["tid"])  # fmt: skip


def test_domain_and_alias_tenants_give_notes_not_warnings() -> None:
    """A typed domain or alias is noted with the token's tenant ID; a matching GUID matches."""
    token = decode_token(mint({"tid": TID, "appid": APP, "roles": ["R"], "aud": "x"}))
    domain = verdict_for_token(token, tenant="contoso.example", now=NOW)
    assert domain.tenant_matches is None and domain.warnings == ()
    assert domain.notes == (
        f"You typed the domain contoso.example; the token's tenant ID is {TID}.",
    )
    alias = verdict_for_token(token, tenant="organizations", now=NOW)
    assert alias.notes == (f"You used 'organizations'; the token was issued by tenant {TID}.",)
    assert verdict_for_token(token, tenant=TID.upper(), now=NOW).tenant_matches is True
    assert verdict_for_token(token, tenant="", now=NOW).tenant_matches is None


@pytest.mark.parametrize(
    ("claims", "kind", "use"),
    [
        ({"nonce": "n", "scp": "User.Read"}, "delegated", "access token"),
        ({"nonce": "n", "roles": ["R"]}, "app-only", "access token"),
        ({"c_hash": "h"}, "delegated", "ID token"),
        ({"nonce": "n"}, "delegated", "ID token"),
    ],
)
def test_id_token_shape_needs_no_scp_roles_or_client(claims: dict, kind: str, use: str) -> None:
    """A nonce or hash makes an ID token only without scp, roles or a client claim."""
    from core.insight.verdict import _kind

    assert _kind(claims)[0::2] == (kind, use)


def test_result_verdict_headline_and_notes_word_for_word() -> None:
    """A token answer's headline and notes: v1 token from v2, expires_in far from exp,
    ext_expires_in, the credential sent; and the headlines of failures."""
    from core.insight.verdict import with_signature
    from core.timefmt import clock, relative
    from core.token.models import Endpoint

    now = 1_900_000_000.0
    issuer = f"https://sts.windows.net/{TID}/"
    token = mint({"aud": "https://graph.microsoft.com", "ver": "1.0", "appid": APP, "tid": TID,
                  "roles": ["User.Read.All"], "exp": now + 3600, "iss": issuer})  # fmt: skip
    with LocalServer() as srv:
        srv.json(f"/{TID}/oauth2/v2.0/token", {"token_type": "Bearer", "expires_in": 60,
                 "ext_expires_in": 120, "access_token": token})  # fmt: skip
        inputs = TokenRequestInput(cloud="sandbox", authority=srv.base_url, tenant=TID,
                                   client_id=APP, client_secret=Secret("s"),
                                   scope="https://graph.microsoft.com/.default")  # fmt: skip
        result = send(build_request(inputs))
    assert result.request is not None and result.request.endpoint is Endpoint.V2
    result = replace(result, received_at=now, elapsed_ms=42.0)
    v = verdict_for_result(result, now=now)
    left = relative(3600).removeprefix("in ")
    assert v.headline == (f"Token issued in 42 ms: app-only, client secret, Microsoft Graph, "
                          f"1 role, expires {clock(now + 3600)} ({left})")  # fmt: skip
    assert v.notes == (
        "The v2 endpoint issued a v1 token: the API decides the token version (Microsoft Graph "
        "always gets v1). This is normal.",
        "expires_in (60 s) and the token's exp differ by 3540 s: the response metadata and the "
        "token need not match exactly.",
        "ext_expires_in: 120 s. During an Entra outage the API may accept the token that long.",
    )
    assert v.ext_expires_in == 120 and v.tenant_matches is True  # tenant read from the URL
    assert with_signature(v, None) == v
    blocked = verdict_for_result(request_token(TokenRequestInput(tenant="common")))
    assert (
        blocked.issued is False
        and blocked.headline == "Not sent: 'common' cannot be used here (and 3 other problems)"
    )


def test_audience_lists_scope_counts_version_boundaries_and_guests() -> None:
    """aud as a list, '1 scope' / '2 scopes', v2.0 read from the issuer when ver is absent,
    expiry exactly now, not-before within the clock skew, and a guest's idp compared without
    its trailing slash."""
    from core.insight.verdict import CLOCK_SKEW_S

    def verdict(**claims: object):
        return verdict_for_token(decode_token(mint(claims)), now=NOW)

    both = verdict(aud=["api://a", "api://b"], scp="One", azp=APP)
    assert both.audience == "api://a, api://b" and both.headline.endswith(
        "api://a, api://b, 1 scope"
    )
    assert verdict(aud="x", scp="One Two", azp=APP).headline.endswith(", 2 scopes")
    assert verdict(aud="x", roles="Single", appid=APP).roles == ("Single",)
    v2 = verdict(aud="x", iss=f"https://login.microsoftonline.com/{TID}/v2.0/", azp=APP)
    assert v2.version == "2.0" and verdict(aud="x", iss="https://x/t/", azp=APP).version == ""
    assert "expired" in verdict(aud="x", appid=APP, roles=["R"], exp=NOW).headline
    assert verdict(aud="x", appid=APP, roles=["R"], nbf=NOW + CLOCK_SKEW_S).warnings == ()
    early = verdict(aud="x", appid=APP, roles=["R"], nbf=NOW + CLOCK_SKEW_S + 1)
    assert early.warnings and early.warnings[0].startswith("The token is not valid yet")
    same = verdict(
        aud="x", scp="s", iss="https://sts.windows.net/t/", idp="https://sts.windows.net/t"
    )
    assert not any("another identity provider" in n for n in same.notes)
    assert verdict(aud="x", appid=APP, azpacr="2").credential == "certificate"
    no_target = verdict(appid=APP)
    assert "granted for this resource," in no_target.warnings[0]
