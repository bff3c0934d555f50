"""The demo scenarios: a ready-made form for every behaviour and fault the sandbox shows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from core.sandbox import directory as d
from core.sandbox.certificates import PFX_PASSWORD

GRAPH_DEFAULT = f"{d.GRAPH_URI}/.default"
FORM_FIELDS = (
    "cloud", "endpoint", "tenant", "client_id", "grant", "client_secret", "username",
    "password", "scope", "resource", "auth_method", "credential", "certificate_path",
    "certificate_key_path", "certificate_password", "assertion_alg", "send_x5c",
    "assertion_file",
)  # fmt: skip
FILES = "{files}"  # replaced by the running sandbox's folder (Sandbox.scenario_form)


@dataclass(frozen=True)
class Scenario:
    """One demo: menu title, what happens and why, expected outcome, and the form to send."""

    key: str
    title: str
    description: str
    expect: str
    form: Mapping[str, str]
    needs_tls: bool = False
    wait_new: bool = False  # send with "retry while Entra replicates the new secret" on


def _form(**fields: str) -> Mapping[str, str]:
    values = {name: "" for name in FORM_FIELDS}
    values.update(cloud="sandbox", endpoint="v2", tenant=d.CONTOSO.id,
                  grant="client_credentials", auth_method="body", credential="secret",
                  assertion_alg="PS256", send_x5c="false")  # fmt: skip
    values.update(fields)
    unknown = set(values) - set(FORM_FIELDS)
    if unknown:
        raise ValueError(f"not form fields: {sorted(unknown)}")
    return MappingProxyType(values)


def _cc(
    app: d.App = d.DAEMON, secret: str = d.VALID_SECRET.value, **fields: str
) -> Mapping[str, str]:
    defaults = {"client_id": app.client_id, "client_secret": secret}
    if fields.get("endpoint") == "v1":
        defaults["resource"] = d.GRAPH_URI
    else:
        defaults["scope"] = GRAPH_DEFAULT
    return _form(**{**defaults, **fields})


def _cert(file: str = "contoso-daemon.pem", **fields: str) -> Mapping[str, str]:
    base = {"client_id": d.DAEMON.client_id, "credential": "certificate", "scope": GRAPH_DEFAULT,
            "certificate_path": f"{FILES}/{file}"}  # fmt: skip
    return _form(**{**base, **fields})


def _assertion(file: str, app: d.App = d.DAEMON, **fields: str) -> Mapping[str, str]:
    base = {"client_id": app.client_id, "credential": "federated", "scope": GRAPH_DEFAULT,
            "assertion_file": f"{FILES}/{file}"}  # fmt: skip
    return _form(**{**base, **fields})


def _pw(user: str, password: str = d.PASSWORD, **fields: str) -> Mapping[str, str]:
    base = {"client_id": d.DESKTOP.client_id, "grant": "password", "username": user,
            "password": password, "scope": "User.Read openid profile offline_access"}  # fmt: skip
    return _form(**{**base, **fields})


def _upn(first: str) -> str:
    return f"{first}@{d.CONTOSO.domain}"


def _fault(key: str) -> str:
    return next(f.domain for f in d.FAULTS if f.key == key)


S = Scenario
SCENARIOS: tuple[Scenario, ...] = (
    S("cc-v2-graph", "Working secret (client credentials, v2)",
      "Contoso Daemon sends its valid secret to the v2 endpoint for Microsoft Graph. Graph "
      "tokens are v1 tokens with a header nonce, whichever endpoint issued them.",
      "token", _cc()),
    S("cc-v1-graph", "Working secret (client credentials, v1)",
      "The same app on the v1 endpoint with resource=https://graph.microsoft.com: the response "
      "carries its numbers as strings, plus expires_on, not_before and resource.",
      "token", _cc(endpoint="v1")),
    S("cc-basic-auth", "Working secret sent with HTTP Basic",
      "The valid secret goes in an Authorization: Basic header instead of the body.",
      "token", _cc(auth_method="basic")),
    S("cc-v2-api", "Custom API token (client credentials, v2)",
      f"Token for the Contoso Orders API ({d.API_URI}) from the v2 endpoint: a v2 token "
      "(ver 2.0, azp, aud = the API's app ID) with the role Orders.Read.All.",
      "token", _cc(scope=f"{d.API_URI}/.default")),
    S("cc-v1-api", "Custom API token (client credentials, v1)",
      "The Orders API from the v1 endpoint: a v1 token (ver 1.0, appid, aud = the App ID URI "
      "as requested).",
      "token", _cc(endpoint="v1", resource=d.API_URI)),
    S("secret-expired", "Expired secret",
      "Contoso Daemon sends its expired secret: Entra refuses it with AADSTS7000222 "
      "(invalid_client, HTTP 401).",
      "AADSTS7000222", _cc(secret=d.EXPIRED_SECRET.value)),
    S("secret-expiring", "Secret expiring in 10 days",
      "Contoso Daemon sends its newest rotation secret (daemon-rotation), which expires in 10 "
      "days: a token is issued; the credential expiry view (token --check-expiry) lists every "
      "secret and certificate of the app and warns that the one used expires soon.",
      "token", _cc(secret=d.EXPIRING_SECRET.value)),
    S("secret-id", "Secret ID pasted instead of the value",
      "The Secret ID (a GUID) is sent instead of the secret's Value: AADSTS7000215, whose "
      "message reminds to send the value, not the ID.",
      "AADSTS7000215", _cc(secret=d.VALID_SECRET.key_id)),
    S("secret-wrong", "Wrong secret",
      "A secret that belongs to another app: AADSTS7000215 (invalid_client, HTTP 401).",
      "AADSTS7000215", _cc(secret=d.FABRIKAM_APP.secrets[0].value)),
    S("secret-new", "Secret just created (replication delay)",
      "Contoso Daemon's brand-new secret (daemon-new) is refused with AADSTS7000215, exactly "
      "like a wrong one, until the sandbox's new-secret delay has passed (10 s by default; "
      "loading the scenario creates the secret again), as Entra does while a new credential "
      "reaches every server. Send it with the retry for a new secret on (token --wait-new 60) "
      "to see the wait end in a token.",
      "token after AADSTS7000215 retries", _cc(secret=d.NEW_SECRET.value), wait_new=True),
    S("cert-ps256", "Certificate (PS256, x5t#S256)",
      "Contoso Daemon signs a client assertion with its uploaded certificate (contoso-daemon.pem): "
      "PS256 with x5t#S256, as Entra's current documentation describes. The token's azpacr/"
      "appidacr is 2 (certificate).",
      "token", _cert()),
    S("cert-rs256-pfx", "Certificate from a PFX (RS256, x5t)",
      f"The same certificate from contoso-daemon.pfx (password {PFX_PASSWORD}), signed the older "
      "way: RS256 with the SHA-1 x5t, plus the x5c chain.",
      "token", _cert("contoso-daemon.pfx", certificate_password=PFX_PASSWORD,
                     assertion_alg="RS256", send_x5c="true")),
    S("cert-not-uploaded", "Certificate not uploaded to the app",
      "not-uploaded.pem is a valid certificate, but not one of Contoso Daemon's: its thumbprint "
      "matches no uploaded key, AADSTS700027.",
      "AADSTS700027", _cert("not-uploaded.pem")),
    S("cert-expired", "Expired certificate",
      "expired.pem is uploaded to Contoso Daemon but expired 10 days ago: the tester warns "
      "before sending and Entra refuses it, AADSTS700027.",
      "AADSTS700027", _cert("expired.pem")),
    S("cert-pfx-wrong-password", "PFX with a wrong password",
      "contoso-daemon.pfx opened with a wrong password: caught before sending, nothing is sent.",
      "not sent", _cert("contoso-daemon.pfx", certificate_password="wrong-password")),
    S("assertion-expired", "Expired client assertion",
      "A ready-made assertion (expired-assertion.jwt) signed with the right certificate an hour "
      "ago: outside its time window, AADSTS700024.",
      "AADSTS700024", _assertion("expired-assertion.jwt")),
    S("assertion-sub-iss", "Client assertion with sub different from iss",
      "A ready-made assertion (sub-mismatch-assertion.jwt) whose sub is not the client ID: "
      "AADSTS50048.",
      "AADSTS50048", _assertion("sub-mismatch-assertion.jwt")),
    S("federated-ok", "Federated credential (GitHub-Actions-like token)",
      f"Contoso Pipeline has no secret and no certificate; it trusts issuer {d.EXTERNAL_ISSUER} "
      f"with subject {d.EXTERNAL_SUBJECT}. The external token (github-token.jwt) is sent as the "
      "client assertion.",
      "token", _assertion("github-token.jwt", d.PIPELINE)),
    S("federated-wrong-subject", "Federated credential: subject does not match",
      "The external token's subject is repo:Contoso/app:... (capital C): Entra compares "
      "case-sensitively and finds no federated credential, AADSTS70021.",
      "AADSTS70021", _assertion("github-token-wrong-subject.jwt", d.PIPELINE)),
    S("tenant-unknown", "Unknown tenant",
      "A well-formed tenant ID that no directory has: AADSTS90002 (tenant not found).",
      "AADSTS90002", _cc(tenant=d.UNKNOWN_TENANT_ID)),
    S("tenant-wrong", "Wrong tenant (app not in that tenant)",
      "Contoso Daemon's credentials sent to the Fabrikam tenant, where the app is not "
      "registered: AADSTS700016 (unauthorized_client).",
      "AADSTS700016", _cc(tenant=d.FABRIKAM.domain)),
    S("tenant-malformed", "Malformed tenant",
      "'contoso' is neither a GUID nor a DNS name: AADSTS900023 (invalid_request).",
      "AADSTS900023", _cc(tenant="contoso")),
    S("client-unknown", "Unknown client ID",
      "A client ID that no app in the tenant has: AADSTS700016.",
      "AADSTS700016", _cc(client_id=d.UNKNOWN_TENANT_ID)),
    S("no-admin-consent", "No admin consent (token without roles)",
      "Contoso Reporting's permissions were never consented: Entra still issues a token, but "
      "it carries no roles claim, so Graph will answer 403.",
      "token", _cc(app=d.NO_CONSENT, secret=d.NO_CONSENT.secrets[0].value)),
    S("short-lived", "Short-lived token (2 minutes)",
      "Contoso Kiosk's token-lifetime policy: expires_in is 120 seconds; watch it expire.",
      "token", _cc(app=d.SHORT_LIVED, secret=d.SHORT_LIVED.secrets[0].value)),
    S("app-disabled", "Disabled app",
      "Contoso Legacy Sync's enterprise application is disabled: AADSTS7000112.",
      "AADSTS7000112", _cc(app=d.DISABLED, secret=d.DISABLED.secrets[0].value)),
    S("scope-not-default", "v2 scope without /.default",
      "Client credentials with a named permission (Mail.Read) instead of "
      "https://graph.microsoft.com/.default: AADSTS1002012 (invalid_scope).",
      "AADSTS1002012", _cc(scope=f"{d.GRAPH_URI}/Mail.Read")),
    S("resource-on-v2", "resource sent to v2",
      "The v1 parameter resource sent to the v2 endpoint: AADSTS901002.",
      "AADSTS901002", _cc(resource=d.GRAPH_URI)),
    S("resource-unknown", "Unknown resource",
      "A scope for an API that does not exist in the tenant: AADSTS500011 (invalid_resource).",
      "AADSTS500011", _cc(scope="api://not-registered/.default")),
    S("password-ok", "Password grant: user signs in (public client)",
      f"{_upn('alex')} signs in through Contoso Desktop, a public client: a delegated Graph "
      "token with scp, plus a refresh token and an ID token.",
      "token", _pw(_upn("alex"))),
    S("password-ok-v1", "Password grant: user signs in (v1)",
      f"{_upn('alex')} on the v1 endpoint with resource=https://graph.microsoft.com.",
      "token", _pw(_upn("alex"), endpoint="v1", scope="", resource=d.GRAPH_URI)),
    S("password-wrong", "Password grant: wrong password",
      f"{_upn('jordan')} with a wrong password: AADSTS50126 (invalid_grant).",
      "AADSTS50126", _pw(_upn("jordan"), d.WRONG_PASSWORD)),
    S("password-mfa", "Password grant: MFA required",
      f"{_upn('morgan')} must use multi-factor authentication, which the password grant "
      "cannot do: AADSTS50076.",
      "AADSTS50076", _pw(_upn("morgan"))),
    S("password-disabled", "Password grant: account disabled",
      f"{_upn('dana')}'s account is disabled: AADSTS50057.",
      "AADSTS50057", _pw(_upn("dana"))),
    S("password-locked", "Password grant: account locked",
      f"{_upn('lee')} is locked out by smart lockout: AADSTS50053.",
      "AADSTS50053", _pw(_upn("lee"))),
    S("password-expired", "Password grant: password expired",
      f"{_upn('pat')}'s password has expired: AADSTS50055.",
      "AADSTS50055", _pw(_upn("pat"))),
    S("password-ca-blocked", "Password grant: blocked by Conditional Access",
      f"A Conditional Access policy blocks {_upn('casey')}: AADSTS53003.",
      "AADSTS53003", _pw(_upn("casey"))),
    S("password-unknown-user", "Password grant: unknown user",
      f"{d.UNKNOWN_USER} is not in the directory: AADSTS50034.",
      "AADSTS50034", _pw(d.UNKNOWN_USER)),
    S("password-no-consent", "Password grant: scope not consented",
      "Contoso Desktop asks for Orders.ReadWrite, which nobody consented to: AADSTS65001.",
      "AADSTS65001", _pw(_upn("alex"), scope=f"{d.API_URI}/Orders.ReadWrite")),
    S("password-confidential-no-secret", "Confidential client uses the password grant without a "
      "secret", "Contoso Daemon is a confidential client (public client flows off), so the "
      "password grant needs its secret: AADSTS7000218.",
      "AADSTS7000218", _pw(_upn("alex"), client_id=d.DAEMON.client_id)),
    S("public-client-secret", "Public client sends a secret",
      "Contoso Desktop is a public client; sending a client secret is refused: AADSTS700025.",
      "AADSTS700025", _pw(_upn("alex"), client_secret=d.VALID_SECRET.value)),
    S("fault-slow", "Slow answer",
      f"Tenant {_fault('slow')} answers like Contoso, but only after the sandbox's slow delay "
      "(5 s by default): try a short timeout.",
      "token", _cc(tenant=_fault("slow"))),
    S("fault-throttled", "Throttled (HTTP 429)",
      f"Tenant {_fault('throttled')} answers 429 with Retry-After: 30 and AADSTS90055.",
      "HTTP 429", _cc(tenant=_fault("throttled"))),
    S("fault-503", "Gateway error (HTTP 503 HTML page)",
      f"Tenant {_fault('unavailable')} answers 503 with an HTML page, as a proxy or gateway "
      "does: no JSON to read.",
      "HTTP 503", _cc(tenant=_fault("unavailable"))),
    S("fault-malformed-json", "HTTP 200 with malformed JSON",
      f"Tenant {_fault('malformed_json')} answers 200 with JSON cut off in the middle.",
      "HTTP 200, not JSON", _cc(tenant=_fault("malformed_json"))),
    S("fault-huge-body", "Huge body (several MB)",
      f"Tenant {_fault('huge_body')} answers 200 with a 6 MB HTML page.",
      "HTTP 200, 6 MB", _cc(tenant=_fault("huge_body"))),
    S("fault-dropped", "Connection closed mid-response",
      f"Tenant {_fault('dropped')} promises 4096 bytes, sends a few, then closes the "
      "connection.",
      "connection closed", _cc(tenant=_fault("dropped"))),
    S("fault-tls", "TLS failure (untrusted certificate)",
      "The sandbox serves HTTPS (--tls) with a certificate from its own CA, which the client "
      "does not trust: the connection fails with a TLS error before anything is sent.",
      "TLS error", _cc(), needs_tls=True),
)  # fmt: skip


def scenarios() -> tuple[Scenario, ...]:
    """Every demo scenario, in menu order."""
    return SCENARIOS
