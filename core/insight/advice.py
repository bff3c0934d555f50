"""What to do about the warnings on a token that was issued: fix steps, as for a failure.

A token without roles, with more privilege than needed, from another tenant or already expired
is a success that will still let the admin down; each gets a Diagnosis with its cause and the
portal steps, so the window's Diagnosis tab never says "no failure" while the banner is yellow.
"""

from __future__ import annotations

from typing import Any

from core.insight.diagnosis import Diagnosis

PERMISSIONS_DOC = (
    "https://learn.microsoft.com/entra/identity-platform/howto-add-app-roles-in-apps"
    "#assign-app-roles-to-applications"
)
CONSENT_DOC = "https://learn.microsoft.com/entra/identity/enterprise-apps/grant-admin-consent"


def advice(verdict: Any, tenant: str = "") -> tuple[Diagnosis, ...]:
    """One Diagnosis per warning an admin can act on (empty when there is nothing to do)."""
    if not getattr(verdict, "issued", False):
        return ()
    found: list[Diagnosis] = []
    where = tenant.strip() or verdict.tenant_id or "your tenant"
    api = verdict.audience_name or verdict.audience or "the API"
    app = verdict.client_id or "the app"
    if verdict.token_kind == "app-only" and not verdict.roles:
        found.append(
            Diagnosis(
                code="no-roles",
                title="The token carries no application permission",
                cause=(
                    f"Entra issued the token, but no application permission (app role) of {api} "
                    f"is granted to app {app} in tenant {where}: either none was added, or "
                    "the added ones still wait for admin consent. Roles are written into the "
                    "token when it is issued, so every call to the API will be refused "
                    "(401/403) until an admin consents and a new token is requested."
                ),
                fix=(
                    f"In the Entra admin center: App registrations > {app} > API permissions.",
                    f"Add a permission > {api} > Application permissions: tick what the "
                    "automation needs.",
                    f"API permissions > Grant admin consent for {where} (an administrator "
                    "allowed to grant tenant-wide consent does this).",
                    "Send again: the new token lists the roles (a token already issued does "
                    "not change).",
                ),
                link=CONSENT_DOC,
            )
        )
    if verdict.high_privilege:
        names = ", ".join(verdict.high_privilege)
        found.append(
            Diagnosis(
                code="high-privilege",
                title=f"More privilege than most automations need ({names})",
                cause=(
                    f"The token allows {names}: whoever holds this credential can do that in "
                    f"the whole tenant {where}. A narrower permission often does the job."
                ),
                fix=(
                    f"App registrations > {app} > API permissions: remove what the automation "
                    "does not use, or replace it with a narrower permission.",
                    f"Grant admin consent for {where} again after the change, then send again.",
                ),
                link=PERMISSIONS_DOC,
            )
        )
    if verdict.tenant_matches is False:
        found.append(
            Diagnosis(
                code="other-tenant",
                title="The token is from another tenant than the one typed",
                cause=(
                    f"The token's tenant is {verdict.tenant_id}, not {tenant or 'the one typed'}:"
                    " an API in your tenant will refuse it."
                ),
                fix=(
                    "Check the Tenant field: use the Directory (tenant) ID of the tenant the "
                    "API lives in, from the app's Overview page.",
                ),
            )
        )
    return tuple(found)
