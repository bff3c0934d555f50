"""The plain frozen data that flows between core, the command line and the window."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from core.redaction import Scrubber, Secret, redact_pairs, reveal

# The shared time limits live in core.token.limits (no imports: `token --help` shows them);
# these names stay importable from here.
from core.token.limits import DEFAULT_TIMEOUT_S as DEFAULT_TIMEOUT_S
from core.token.limits import MAX_TIMEOUT_S as MAX_TIMEOUT_S
from core.token.limits import timeout_problem as timeout_problem

if TYPE_CHECKING:
    from core.token.credential.certificate import CertificateCredential
    from core.token.credential.summary import CertificateSummary


class Endpoint(str, Enum):
    """Token endpoint version: v1 (`resource`) or v2 (`scope`)."""

    V1 = "v1"
    V2 = "v2"


class GrantType(str, Enum):
    """OAuth 2.0 grant types the tester can send."""

    CLIENT_CREDENTIALS = "client_credentials"
    PASSWORD = "password"
    # Delegated sign-in in a browser or on another device (core/signin runs these flows).
    AUTHORIZATION_CODE = "authorization_code"
    DEVICE_CODE = "urn:ietf:params:oauth:grant-type:device_code"
    REFRESH_TOKEN = "refresh_token"


DELEGATED_SIGNIN_GRANTS = frozenset(
    {GrantType.AUTHORIZATION_CODE, GrantType.DEVICE_CODE, GrantType.REFRESH_TOKEN}
)


class AuthMethod(str, Enum):
    """How a confidential client authenticates: secret in the body, or HTTP Basic."""

    BODY = "body"
    BASIC = "basic"


class CredentialKind(str, Enum):
    """What proves the app's identity: a client secret, a certificate, or a federated assertion.

    `SECRET` with no secret is a public client (nothing is sent).
    """

    SECRET = "secret"
    CERTIFICATE = "certificate"
    FEDERATED = "federated"


class AssertionAlg(str, Enum):
    """How a certificate assertion is signed: RSA-PSS with `x5t#S256` (Entra's current
    default), or PKCS#1 v1.5 with `x5t` (older servers)."""

    PS256 = "PS256"
    RS256 = "RS256"


JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


class Severity(str, Enum):
    """A pre-flight finding either blocks the request or only warns."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class TokenRequestInput:
    """Everything the user typed for one token request.

    `cloud` is a key of `core.token.authority.CLOUDS`; `authority` overrides the cloud's login host
    (required for the sandbox cloud, whose address is known only once it runs); a non-empty
    `token_url` replaces cloud, authority and tenant altogether (any OAuth 2.0 server).
    """

    cloud: str = "global"
    endpoint: Endpoint = Endpoint.V2
    tenant: str = ""
    client_id: str = ""
    grant: GrantType = GrantType.CLIENT_CREDENTIALS
    client_secret: Secret | None = None
    username: str = ""
    password: Secret | None = None
    scope: str = ""
    resource: str = ""
    auth_method: AuthMethod = AuthMethod.BODY
    timeout_s: float = DEFAULT_TIMEOUT_S
    token_url: str = ""
    authority: str = ""
    credential: CredentialKind = CredentialKind.SECRET
    # Certificate: the file(s) it came from (kept in profiles), the PFX / key password (a
    # secret), and the loaded certificate when the caller has loaded it already (else the
    # files are read when the request is sent).
    certificate_path: str = ""
    certificate_key_path: str = ""
    certificate_password: Secret | None = None
    certificate: CertificateCredential | None = field(default=None, repr=False, compare=False)
    assertion_alg: AssertionAlg = AssertionAlg.PS256
    send_x5c: bool = False
    # Federated: the external token itself (a secret), or the file it is read from at send
    # time (the AZURE_FEDERATED_TOKEN_FILE convention: the file is rotated by its owner).
    client_assertion: Secret | None = None
    assertion_file: str = ""
    # Delegated sign-in in the browser (core/signin): where the browser comes back (the app
    # registration names the same host and path; Entra ignores a loopback port, 0 = any free
    # one) and what the sign-in page does (prompt, hints).
    redirect_host: str = "127.0.0.1"
    redirect_port: int = 0
    redirect_path: str = "/"
    prompt: str = ""
    login_hint: str = ""
    domain_hint: str = ""


@dataclass(frozen=True)
class Finding:
    """One pre-flight check result, in the same style as a diagnosis."""

    code: str  # stable identifier, e.g. "secret-looks-like-id"
    severity: Severity
    field: str  # the TokenRequestInput field it concerns ("" for the whole request)
    title: str
    detail: str
    fix: str = ""


@dataclass(frozen=True)
class PreparedRequest:
    """A built token request: what the preview shows, the exports render and `send` posts.

    Secret values (client secret, password, Basic credentials) are held as `Secret`, so the
    repr and every rendering except `send` stay masked.
    """

    method: str
    url: str
    headers: tuple[tuple[str, str | Secret], ...]
    form: tuple[tuple[str, str | Secret], ...]
    timeout_s: float
    client_request_id: str
    endpoint: Endpoint | None = None  # None for a custom token URL
    grant: GrantType = GrantType.CLIENT_CREDENTIALS
    auth_method: AuthMethod = AuthMethod.BODY
    credential: CredentialKind = CredentialKind.SECRET
    certificate: CertificateSummary | None = None  # the certificate that signed the assertion
    # Every Secret of the inputs, sent or not (a key's password, say): the scrubber masks them.
    input_secrets: tuple[Secret, ...] = field(default=(), repr=False)

    def secrets(self) -> tuple[Secret, ...]:
        """Every secret value of this request: those sent (headers, form) and those typed."""
        sent = tuple(v for _, v in (*self.headers, *self.form) if isinstance(v, Secret))
        return (*sent, *self.input_secrets)

    def scrubber(self) -> Scrubber:
        """The scrubber that masks this request's secrets in whatever comes back."""
        return Scrubber(self.secrets())

    def field(self, name: str) -> str | Secret | None:
        """The value of a form field, or None."""
        return next((v for k, v in self.form if k == name), None)

    def header(self, name: str) -> str | Secret | None:
        """The value of a header (case-insensitive), or None."""
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)

    def body(self) -> str:
        """The form body as sent (secrets revealed): for `send` only, never for display."""
        return urlencode([(k, reveal(v)) for k, v in self.form])

    def redacted_headers(self) -> list[tuple[str, str]]:
        return redact_pairs(self.headers)

    def redacted_form(self) -> list[tuple[str, str]]:
        return redact_pairs(self.form)

    def redacted_text(self) -> str:
        """The request as HTTP text with every secret masked (for previews and logs)."""
        lines = [f"{self.method} {self.url} HTTP/1.1"]
        lines += [f"{k}: {v}" for k, v in self.redacted_headers()]
        lines.append("")
        lines.append("&".join(f"{k}={v}" for k, v in self.redacted_form()))
        return "\n".join(lines)
