"""The sandbox's browser side of delegated sign-in: the authorize endpoint (sign-in page,
consent page, then a redirect with a code or an error) and the device code verification page.

Errors that cannot go back to the app (unknown app, redirect URI not registered) are shown on
the page, as Entra does; the others go to the redirect URI as `error` and `error_description`.
"""

from __future__ import annotations

import secrets
import time
import uuid
from dataclasses import dataclass, replace
from urllib.parse import urlencode, urlsplit

from core.sandbox import directory as d
from core.sandbox import signin_pages as pages
from core.sandbox.errors import CATALOG, EntraError
from core.sandbox.issuer import TokenCall, resolve_tenant, user_target
from core.sandbox.signin_state import REDIRECT_URIS, AuthorizeRequest, SignInState, redirect_matches


@dataclass(frozen=True)
class Answer:
    """A page (status 200/400) or a redirect (302 to `location`)."""

    status: int
    body: bytes = b""
    location: str = ""


def describe_error(error: EntraError) -> str:
    stamp = time.strftime("%Y-%m-%d %H:%M:%SZ", time.gmtime())
    text = CATALOG[error.code][2].format(**error.params)
    return (
        f"AADSTS{error.code}: {text} Trace ID: {uuid.uuid4()} Correlation ID: "
        f"{uuid.uuid4()} Timestamp: {stamp}"
    )


def error_page(error: EntraError) -> Answer:
    return Answer(
        400,
        pages.message_page(
            "Sorry, but we're having trouble signing you in.",
            describe_error(error),
            code=f"AADSTS{error.code}",
        ),
    )


def redirect_to(uri: str, params: dict[str, str]) -> Answer:
    joiner = "&" if urlsplit(uri).query else "?"
    return Answer(302, location=uri + joiner + urlencode(params))


def error_redirect(request: AuthorizeRequest, error: EntraError) -> Answer:
    params = {
        "error": CATALOG[error.code][0],
        "error_description": describe_error(error),
        "error_uri": f"https://login.microsoftonline.com/error?code={error.code}",
    }
    if request.state:
        params["state"] = request.state
    return redirect_to(request.redirect_uri, params)


def target(
    version: str, scope: str, resource: str, tenant: d.Tenant
) -> tuple[d.Api, str, tuple[str, ...]]:
    """API, audience and named scopes of an authorize or device code request."""
    form = {"resource": resource} if version == "v1" else {"scope": scope}
    return user_target(TokenCall(version, tenant.id, form), tenant)


def find_app(client_id: str, tenant: d.Tenant | None) -> d.App:
    """The app by client ID in the tenant named (any tenant for common/organizations)."""
    wanted = client_id.strip().lower()
    if tenant is not None:
        app = d.find_app(wanted, tenant.id)
    else:
        app = next((a for a in d.APPS if a.client_id == wanted), None)
    if app is None:
        name = tenant.name if tenant is not None else "common"
        raise EntraError(700016, client_id=client_id, tenant_name=name)
    return app


def start(state: SignInState, version: str, segment: str, q: dict[str, str]) -> Answer:
    """GET authorize: check the request, then show the sign-in page."""
    try:
        tenant, _ = resolve_tenant(segment)
        if not q.get("client_id", "").strip():
            raise EntraError(900144, name="client_id")
        app = find_app(q["client_id"], tenant)
        home = d.tenant_by_id(app.tenant_id)
        redirect_uri = q.get("redirect_uri", "")
        if not redirect_uri:
            raise EntraError(900971)
        if not redirect_matches(redirect_uri, REDIRECT_URIS.get(app.client_id, ())):
            raise EntraError(50011, redirect_uri=redirect_uri, client_id=app.client_id)
    except EntraError as exc:
        return error_page(exc)
    challenge = q.get("code_challenge", "")
    request = AuthorizeRequest(
        version=version,
        app=app,
        tenant=home,
        api=d.GRAPH,
        resource=d.GRAPH_URI,
        named=(),
        scope=q.get("scope", ""),
        redirect_uri=redirect_uri,
        state=q.get("state", ""),
        nonce=q.get("nonce", ""),
        challenge=challenge,
        method=q.get("code_challenge_method", "plain" if challenge else ""),
        prompt=q.get("prompt", ""),
        login_hint=q.get("login_hint", ""),
    )
    try:
        if q.get("response_type", "") != "code":
            raise EntraError(900144, name="response_type=code")
        if challenge and request.method not in ("S256", "plain"):
            raise EntraError(50149, method=request.method)
        api, resource, named = target(version, request.scope, q.get("resource", ""), home)
    except EntraError as exc:
        return error_redirect(request, exc)
    request = replace(request, api=api, resource=resource, named=named)
    if request.prompt == "none":
        return error_redirect(request, EntraError(50076, resource=api.app_id))
    key = state.open_session(request)
    return Answer(200, pages.sign_in_page("", {"ctx": key}, app.name, request.login_hint))


def check_user(request: AuthorizeRequest, login: str, password: str) -> d.User | str:
    user = d.find_user(login, request.tenant.id)
    if user is None:
        return (
            "We couldn't find an account with that user name. (AADSTS50034: The user "
            f"account {login} does not exist in the {request.tenant.domain} directory.)"
        )
    if not secrets.compare_digest(user.password.encode(), password.encode()):
        return "Your account or password is incorrect. (AADSTS50126)"
    return user


USER_ERRORS = {"disabled": 50057, "locked": 50053, "password_expired": 50055, "ca_blocked": 53003}


def _after_sign_in(state: SignInState, key: str, request: AuthorizeRequest, user: d.User) -> Answer:
    if user.outcome == "mfa":
        state.close_session(key)
        back = error_redirect(request, EntraError(50076, resource=request.api.app_id))
        return Answer(
            200,
            pages.message_page(
                "Multi-factor authentication required",
                f"{user.upn} must use multi-factor authentication, which the sandbox cannot do. "
                "Continue to send the error back to the app.",
                code="AADSTS50076",
                link=back.location,
            ),
        )
    if user.outcome in USER_ERRORS:
        state.close_session(key)
        return error_redirect(request, EntraError(USER_ERRORS[user.outcome]))
    missing = [n for n in request.named if n not in state.consented(user, request.app, request.api)]
    if (
        request.prompt == "consent"
        or missing
        or not state.consented(user, request.app, request.api)
    ):
        state.update_session(key, replace(request, user=user))
        names = tuple(missing or request.named or request.api.scopes)
        shown = (
            *(f"{request.api.name}: {n}" for n in names),
            "Maintain access to data you have given it access to",
            "View your basic profile",
        )
        return Answer(200, pages.consent_page("", {"ctx": key}, request.app.name, user.upn, shown))
    return _issue(state, key, request, user)


def _issue(state: SignInState, key: str, request: AuthorizeRequest, user: d.User) -> Answer:
    state.close_session(key)
    code = state.issue_code(request, user)
    params = {"code": code}
    if request.state:
        params["state"] = request.state
    params["session_state"] = str(uuid.uuid4())
    return redirect_to(request.redirect_uri, params)


def submit(state: SignInState, form: dict[str, str]) -> Answer:
    """POST authorize: the sign-in form, or the consent page's Accept / Cancel."""
    key = form.get("ctx", "")
    request = state.session(key)
    if request is None:
        return Answer(
            400,
            pages.message_page(
                "This sign-in has expired", "Go back to the app and start signing in again."
            ),
        )
    if "consent" in form and request.user is not None:
        if form["consent"] != "accept":
            state.close_session(key)
            return error_redirect(request, EntraError(65004))
        state.consent(request.user, request.app, request.api, request.named)
        return _issue(state, key, request, request.user)
    login = form.get("login", "").strip()
    found = check_user(request, login, form.get("passwd", ""))
    if isinstance(found, str):
        page = pages.sign_in_page("", {"ctx": key}, request.app.name, login, found)
        return Answer(200, page)
    return _after_sign_in(state, key, request, found)
