"""Claims explained: labels, rendering of times, client auth, names of APIs and roles."""

from __future__ import annotations

import re

import pytest

from core.insight.catalog import RESOURCES_DIR
from core.insight.claims import (
    catalog,
    explain_claims,
    explain_header,
    permission_text,
    resource_name,
)
from core.insight.decode import decode_token
from tests.core.tokenkit import microsoft_samples

SAMPLES = microsoft_samples()
_FACTS_TEXT = (
    "aud iss idp iat nbf exp aio rh uti ver tid oid sub acr amr appid azp appidacr azpacr "
    "app_displayname scp roles wids groups hasgroups _claim_names _claim_sources idtyp name "
    "preferred_username unique_name upn given_name family_name email ipaddr onprem_sid pwd_exp "
    "pwd_url in_corp nickname acrs xms_cc xms_edov xms_pdl xms_pl xms_tpl ctry tenant_ctry "
    "tenant_region_scope sid login_hint acct auth_time fwd vnet verified_primary_email "
    "verified_secondary_email ztdid puid platf signin_state xms_tcdt xms_idrel xms_ftd xms_st "
    "xms_tdbr xms_spcu xms_rd xms_mirid xms_ficinfo xms_act_fct xms_sub_fct xms_tnt_fct "
    "nonce c_hash at_hash"
)
FACTS_PAYLOAD_CLAIMS = _FACTS_TEXT.split()


def _row(rows, name):
    return next(r for r in rows if r.name == name)


def test_catalog_covers_every_claim_of_the_facts() -> None:
    """Every payload and header claim listed in the facts (section 6) has a catalog entry."""
    claims = catalog()["claims"]
    assert [c for c in FACTS_PAYLOAD_CLAIMS if c not in claims] == []
    assert {"typ", "alg", "kid", "x5t", "nonce"} <= set(catalog()["header"])
    for entry in (*claims.values(), *catalog()["header"].values()):
        assert entry["label"] and len(entry["explanation"]) > 10


def test_every_sample_claim_is_known() -> None:
    """All claims in Microsoft's sample tokens are in the catalog (nothing marked unknown)."""
    for sample in SAMPLES.values():
        decoded = decode_token(sample["token"])
        assert all(r.known for r in explain_claims(decoded.payload)), sample["name"]
        assert all(r.known for r in explain_header(decoded.header)), sample["name"]


def test_timestamps_show_local_utc_and_relative() -> None:
    """exp renders as local time, UTC and a relative phrase against `now`."""
    exp = 1_700_000_000
    rows = explain_claims({"exp": exp, "iat": exp - 3 * 3600}, now=exp - 59 * 60)
    text = _row(rows, "exp").value_text
    assert "2023-11-14 22:13:20 UTC" in text and text.endswith("in 59 min")
    assert _row(rows, "iat").value_text.endswith("2 h 1 min ago")
    assert explain_claims({"exp": exp}, now=exp + 3 * 86400)[0].value_text.endswith("3 days ago")


@pytest.mark.parametrize(
    ("value", "words"), [("0", "public client"), ("1", "client secret"), ("2", "certificate")]
)
def test_client_authentication_in_words(value: str, words: str) -> None:
    """appidacr and azpacr are named: public client / client secret / certificate."""
    for claim in ("appidacr", "azpacr"):
        assert words in explain_claims({claim: value})[0].value_text


def test_well_known_apis_by_name() -> None:
    """Graph and other Microsoft APIs are named by app ID and by resource URI."""
    assert resource_name("00000003-0000-0000-c000-000000000000") == "Microsoft Graph"
    assert resource_name("https://graph.microsoft.com") == "Microsoft Graph"
    assert resource_name("https://graph.microsoft.com/") == "Microsoft Graph"
    assert resource_name("https://graph.microsoft.com/.default") == "Microsoft Graph"
    assert resource_name("https://management.azure.com/") == "Azure Resource Manager"
    assert resource_name("https://vault.azure.net") == "Azure Key Vault"
    assert resource_name("https://contoso.sharepoint.com") == "SharePoint Online"
    assert resource_name("04b07795-8ddb-461a-bbee-02f9e1bf7b46") == "Microsoft Azure CLI"
    assert resource_name("https://service.contoso.com/") is None
    assert resource_name("6e74172b-be56-4843-9ff4-e66a39bb12e3") is None
    assert resource_name("") is None
    rows = explain_claims({"aud": "https://graph.microsoft.com", "appid": "unknown-app"})
    assert _row(rows, "aud").value_text == "Microsoft Graph (https://graph.microsoft.com)"
    assert _row(rows, "appid").value_text == "unknown-app"


def test_catalog_ids_are_guids_and_urls() -> None:
    """Application and role keys are lower-case GUIDs; resource keys are https URLs."""
    guid = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
    data = catalog()
    assert all(guid.match(k) for k in (*data["applications"], *data["directory_roles"]))
    assert all(k.startswith("https://") for k in data["resources"])
    assert len(data["directory_roles"]) >= 30


def test_directory_roles_by_name() -> None:
    """wids template IDs are shown as role names; unknown ones say so."""
    rows = explain_claims(
        {"wids": ["62e90394-69f5-4237-9190-012177145e10", "00000000-1111-2222-3333-444444444444"]}
    )
    text = rows[0].value_text
    assert "Global Administrator" in text and "unknown role 00000000-1111" in text


def test_idtyp_scp_and_header_nonce() -> None:
    """idtyp, space-separated scopes and the Graph header nonce are explained."""
    rows = explain_claims({"idtyp": "app", "scp": "User.Read Mail.Send"})
    assert "app-only" in _row(rows, "idtyp").value_text
    assert _row(rows, "scp").value_text == "User.Read, Mail.Send"
    header = explain_header(decode_token(SAMPLES["v1_graph_nonce"]["token"]).header)
    assert "not a fault" in _row(header, "nonce").explanation


def test_unknown_claims_shown_as_they_are() -> None:
    """A claim not in the catalog keeps its value and is marked unknown."""
    rows = explain_claims({"custom_claim": {"a": [1, 2]}, "exp": "not-a-number"})
    assert rows[0] == rows[0].__class__(
        "custom_claim",
        "custom_claim",
        '{"a": [1, 2]}',
        "Not in our catalog.",
        False,
        {"a": [1, 2]},
    )
    assert rows[1].known and rows[1].value_text == "not-a-number"


def test_personal_account_tenant_named() -> None:
    """The personal-account tenant GUID is recognised."""
    row = explain_claims({"tid": "9188040d-6c67-4c5b-b112-36a304b66dad"})[0]
    assert "personal Microsoft accounts" in row.value_text


def test_permissions_table_flags_high_privilege() -> None:
    """High-privilege Graph permissions are flagged; app-only wording differs from delegated."""
    text, high = permission_text("Mail.ReadWrite", app_only=True)
    assert high and "every mailbox" in text
    assert "every mailbox" not in permission_text("Mail.ReadWrite", app_only=False)[0]
    assert permission_text("Directory.ReadWrite.All", app_only=True)[1]
    assert not permission_text("User.Read", app_only=False)[1]
    assert permission_text("Made.Up", app_only=True) is None


def test_catalog_file_lives_in_resources() -> None:
    """The catalog is a plain JSON file under resources/."""
    assert (RESOURCES_DIR / "claims.json").is_file()
