"""The sandbox's device code verification page: type the code, sign in, consent, done (the
app's polling then gets its token, `authorization_declined`, or AADSTS50076 for MFA)."""

from __future__ import annotations

import secrets
from dataclasses import replace

from core.sandbox import directory as d
from core.sandbox import signin_pages as pages
from core.sandbox.authorize import USER_ERRORS, Answer, check_user, describe_error
from core.sandbox.errors import EntraError
from core.sandbox.signin_state import AuthorizeRequest, DeviceGrant, SignInState

DEVICE_PAGE = "/devicelogin"
USER_CODE_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_user_code() -> str:
    return "".join(secrets.choice(USER_CODE_CHARS) for _ in range(9))


def device_page(state: SignInState, form: dict[str, str] | None) -> Answer:
    """GET shows the code box; POST walks code -> sign-in -> consent -> done."""
    if form is None:
        return Answer(200, pages.device_code_page(DEVICE_PAGE))
    otc = form.get("otc", "").strip()
    found = state.device_by_user_code(otc)
    if found is None:
        return Answer(
            200,
            pages.device_code_page(
                DEVICE_PAGE, "That code didn't work. Check the code and try again."
            ),
        )
    device_code, grant = found
    hidden = {"otc": grant.user_code}
    if "consent" in form and grant.user is not None:
        if form["consent"] != "accept":
            state.set_device(device_code, replace(grant, status="declined"))
            return Answer(
                200,
                pages.message_page(
                    "Sign-in declined", "You declined; the app on your device is told so."
                ),
            )
        state.consent(grant.user, grant.app, grant.api, grant.named)
        return _device_done(state, device_code, grant, grant.user)
    if "login" not in form:
        return Answer(200, pages.sign_in_page(DEVICE_PAGE, hidden, grant.app.name))
    request = AuthorizeRequest(
        grant.version,
        grant.app,
        grant.tenant,
        grant.api,
        grant.resource,
        grant.named,
        grant.scope,
        "",
        "",
        "",
        "",
        "",
        "",
        "",
    )
    user = check_user(request, form.get("login", "").strip(), form.get("passwd", ""))
    if isinstance(user, str):
        return Answer(
            200,
            pages.sign_in_page(DEVICE_PAGE, hidden, grant.app.name, form.get("login", ""), user),
        )
    if user.outcome == "mfa":
        state.set_device(device_code, replace(grant, status="mfa", user=user))
        return Answer(
            200,
            pages.message_page(
                "Multi-factor authentication required",
                f"{user.upn} must use multi-factor authentication, which the sandbox cannot do. "
                "The app on your device is told so.",
                code="AADSTS50076",
            ),
        )
    if user.outcome in USER_ERRORS:
        return Answer(
            200,
            pages.message_page(
                "Sign-in failed", describe_error(EntraError(USER_ERRORS[user.outcome]))
            ),
        )
    consented = state.consented(user, grant.app, grant.api)
    missing = [n for n in grant.named if n not in consented]
    if missing or not consented:
        state.set_device(device_code, replace(grant, user=user))
        shown = tuple(
            f"{grant.api.name}: {n}" for n in (missing or grant.named or grant.api.scopes)
        )
        return Answer(200, pages.consent_page(DEVICE_PAGE, hidden, grant.app.name, user.upn, shown))
    return _device_done(state, device_code, grant, user)


def _device_done(state: SignInState, device_code: str, grant: object, user: d.User) -> Answer:
    assert isinstance(grant, DeviceGrant)
    slow = user.outcome == "slow_poll"
    state.set_device(device_code, replace(grant, status="approved", user=user,
                                          slow_down_once=slow))  # fmt: skip
    return Answer(
        200,
        pages.message_page(
            "You're signed in",
            f"You have signed in to {grant.app.name} on your device. You may "
            "now close this window.",
        ),
    )
