"""The sign-in demos: for each behaviour of the authorize and device code endpoints, the form
to send, who signs in on the sandbox's page (and whether they accept the consent page), and
what the tester should show."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from core.sandbox import directory as d
from core.sandbox.scenarios import _form

AUTH_CODE = "authorization_code"
DEVICE_CODE = "urn:ietf:params:oauth:grant-type:device_code"


@dataclass(frozen=True)
class SignInScenario:
    """One sign-in demo. `user`/`password` are typed on the sandbox's page; `consent` is what
    the user clicks on the consent page (accept or decline); `redirect_host` is where the
    tester listens (the desktop app registers http://localhost)."""

    key: str
    title: str
    description: str
    expect: str
    form: Mapping[str, str]
    user: str = ""
    password: str = d.PASSWORD
    consent: str = "accept"
    redirect_host: str = "localhost"


def _desktop(grant: str = AUTH_CODE, scope: str = "User.Read", **fields: str) -> Mapping[str, str]:
    return _form(client_id=d.DESKTOP.client_id, grant=grant, scope=scope, **fields)


def _upn(first: str) -> str:
    return f"{first}@{d.CONTOSO.domain}"


S = SignInScenario
SIGNIN_SCENARIOS: tuple[SignInScenario, ...] = (
    S("auth-code-ok", "Browser sign-in: user signs in (PKCE)",
      "Contoso Desktop (public client, redirect URI http://localhost) signs Alex in through the "
      "system browser with PKCE; the tester receives the code on localhost and redeems it. The "
      "ID token says who signed in; the refresh token allows Refresh.",
      "token", _desktop(), user=_upn("alex")),
    S("auth-code-v1", "Browser sign-in on the v1 endpoint",
      "The same sign-in on the v1 endpoint (resource=https://graph.microsoft.com).",
      "token", _desktop(endpoint="v1", scope="", resource=d.GRAPH_URI), user=_upn("alex")),
    S("auth-code-consent", "Browser sign-in: consent page (accepted)",
      "Calendars.Read was never consented for Contoso Desktop: the sandbox shows a consent "
      "page, Jordan accepts, a token follows (the sandbox remembers the consent until it "
      "stops, so the page shows only the first time).",
      "token", _desktop(scope="Calendars.Read"), user=_upn("jordan")),
    S("auth-code-consent-declined", "Browser sign-in: consent declined",
      "The user clicks Cancel on the consent page: access_denied with AADSTS65004 comes back "
      "to the redirect URI.",
      "AADSTS65004", _desktop(scope="Calendars.Read"), user=_upn("alex"), consent="decline"),
    S("auth-code-mfa", "Browser sign-in: MFA required",
      "Morgan must use multi-factor authentication: the page says so, and AADSTS50076 comes "
      "back to the redirect URI.",
      "AADSTS50076", _desktop(), user=_upn("morgan")),
    S("auth-code-redirect-mismatch", "Browser sign-in: redirect URI not registered",
      "The tester listens on http://127.0.0.1, but Contoso Desktop registers only "
      "http://localhost (the port is ignored, the host and path are not): the sign-in page "
      "shows AADSTS50011 and nothing comes back.",
      "timeout", _desktop(), user=_upn("alex"), redirect_host="127.0.0.1"),
    S("auth-code-expired", "Browser sign-in: code expired before redemption",
      "Riley signs in so slowly that the code has expired when the tester redeems it: "
      "AADSTS70008.",
      "AADSTS70008", _desktop(), user=_upn("riley")),
    S("auth-code-code-reused", "Browser sign-in: code already redeemed",
      "Sam signs in, but the code that comes back was redeemed before (as after a double "
      "submit or an automatic retry): redeeming it again is refused with AADSTS54005.",
      "AADSTS54005", _desktop(), user=_upn("sam")),
    S("device-code-ok", "Device code: user signs in",
      "Contoso Desktop asks for a device code; the user opens the sandbox's device login page, "
      "types the code and signs in; the tester's polling gets the token.",
      "token", _desktop(DEVICE_CODE), user=_upn("alex")),
    S("device-code-v1", "Device code on the v1 endpoint",
      "The v1 endpoint's answer spells verification_url and sends numbers as strings.",
      "token", _desktop(DEVICE_CODE, endpoint="v1", scope="", resource=d.GRAPH_URI),
      user=_upn("alex")),
    S("device-code-declined", "Device code: user declines",
      "The user cancels on the consent page: polling ends with authorization_declined.",
      "authorization_declined", _desktop(DEVICE_CODE, scope="Calendars.Read"),
      user=_upn("alex"), consent="decline"),
    S("device-code-slow-down", "Device code: server asks to poll less often",
      "Quinn signs in with the code; the app's next poll is answered slow_down (RFC 8628): the "
      "tester then waits 5 s more between polls, and the token follows.",
      "token", _desktop(DEVICE_CODE), user=_upn("quinn")),
    S("device-code-mfa", "Device code: MFA required",
      "Morgan must use multi-factor authentication: polling ends with AADSTS50076.",
      "AADSTS50076", _desktop(DEVICE_CODE), user=_upn("morgan")),
    S("device-code-confidential", "Device code with a confidential app",
      "Contoso Daemon does not allow public client flows: the device code request is refused "
      "(AADSTS7000218).",
      "AADSTS7000218", _form(client_id=d.DAEMON.client_id, grant=DEVICE_CODE, scope="User.Read")),
)  # fmt: skip


def signin_scenarios() -> tuple[SignInScenario, ...]:
    return SIGNIN_SCENARIOS
