"""The answer to a token request: what came back (a token, Entra's error fields, no answer at all)
and what the request was. A 4xx/5xx is a result, never an exception."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Any

from core.redaction import Scrubber, Secret, secrets_in
from core.token.models import Finding, PreparedRequest

if TYPE_CHECKING:
    from core.token.wait_result import ReplicationWait


class Outcome(str, Enum):
    """The kind of answer a token request got."""

    TOKEN = "token"  # HTTP 2xx with an access token
    REFUSED = "refused"  # an HTTP answer without a token (OAuth error, 4xx, 5xx, junk)
    NO_ANSWER = "no_answer"  # no HTTP answer at all (DNS, refused, TLS, timeout, proxy, URL)
    BLOCKED = "blocked"  # not sent: pre-flight errors


class FailureKind(str, Enum):
    """Why there was no HTTP answer."""

    DNS = "dns"
    REFUSED = "connection_refused"
    TLS = "tls"
    TIMEOUT = "timeout"
    PROXY = "proxy"
    PROXY_AUTH = "proxy_auth"
    INVALID_URL = "invalid_url"
    CONNECTION = "connection"  # reset, closed mid-response, other socket errors
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class PeerCertificate:
    """The certificate a server showed when TLS verification failed, and what is wrong with
    it: `problem` is self-signed | unknown issuer | name mismatch | expired | not valid yet."""

    problem: str
    subject: str
    issuer: str
    names: tuple[str, ...] = ()  # the DNS names and addresses it is for
    not_before: str = ""  # YYYY-MM-DD HH:MM:SS UTC
    not_after: str = ""


@dataclass(frozen=True)
class TransportFailure:
    """A failure with no HTTP answer: kind, a plain one-line message, and technical detail."""

    kind: FailureKind
    message: str
    detail: str = ""
    certificate: PeerCertificate | None = None  # a TLS failure: the server's certificate


@dataclass(frozen=True)
class TokenFields:
    """The token response fields, normalized (v1 sends numbers as strings)."""

    token_type: str = ""
    access_token: Secret | None = field(default=None, repr=False)
    expires_in: int | None = None
    ext_expires_in: int | None = None
    expires_on: int | None = None
    not_before: int | None = None
    refresh_in: int | None = None
    resource: str = ""
    scope: str = ""
    refresh_token: Secret | None = field(default=None, repr=False)
    id_token: Secret | None = field(default=None, repr=False)


@dataclass(frozen=True)
class ErrorFields:
    """The OAuth / Entra error fields of a refused request."""

    error: str = ""
    error_description: str = ""
    error_codes: tuple[int, ...] = ()
    trace_id: str = ""
    correlation_id: str = ""
    timestamp: str = ""
    error_uri: str = ""
    suberror: str = ""
    claims: str = ""


# Response headers worth showing to an admin (identity-platform.md 4.3).
NOTABLE_HEADERS = (
    "x-ms-request-id",
    "client-request-id",
    "Retry-After",
    "x-ms-ests-server",
    "x-ms-clitelem",
    "Content-Type",
    "Cache-Control",
    "WWW-Authenticate",
)


@dataclass(frozen=True)
class TokenResult:
    """The answer to one token request. A 4xx/5xx is a result, never an exception."""

    outcome: Outcome
    request: PreparedRequest | None
    status: int | None = None
    reason: str = ""
    elapsed_ms: float = 0.0
    received_at: float = 0.0  # epoch seconds when the answer arrived (expiry is counted from it)
    headers: tuple[tuple[str, str], ...] = ()  # the notable headers, in NOTABLE_HEADERS order
    all_headers: tuple[tuple[str, str], ...] = ()
    body_text: str = field(default="", repr=False)  # raw body; may hold tokens: redact to show
    body_json: dict[str, Any] | None = field(default=None, repr=False)
    body_truncated: bool = False
    body_error: str = ""  # why a body that looks like JSON could not be read ('' when fine)
    token: TokenFields | None = None
    error: ErrorFields | None = None
    failure: TransportFailure | None = None
    findings: tuple[Finding, ...] = ()
    # Set when the request was retried while a new credential replicates (core.token.replication).
    replication: ReplicationWait | None = None
    # The scrubber already built for (request, token) by whoever made this result (it costs an
    # encoding of every secret): `scrubber()` uses it while request and token are those objects.
    built_scrubber: tuple[PreparedRequest | None, TokenFields | None, Scrubber] | None = field(
        default=None, repr=False, compare=False
    )

    @property
    def ok(self) -> bool:
        return self.outcome is Outcome.TOKEN

    def scrubber(self) -> Scrubber:
        """The one scrubber for this answer: the request's secrets and the tokens received."""
        built = self.built_scrubber
        if built is not None and built[0] is self.request and built[1] is self.token:
            return built[2]
        return answer_scrubber(self.request, self.token)

    def header(self, name: str) -> str:
        """A response header value (case-insensitive), or ''."""
        return next((v for k, v in self.all_headers if k.lower() == name.lower()), "")

    def retry_after_s(self) -> int | None:
        """The `Retry-After` wait in seconds, when the server sent a number."""
        value = self.header("Retry-After").strip()
        return int(value) if value.isdigit() else None

    def expires_at(self) -> float | None:
        """Epoch seconds when the access token expires: receive time + expires_in."""
        if self.token is None or self.token.expires_in is None:
            return None
        return self.received_at + self.token.expires_in


def answer_scrubber(request: PreparedRequest | None, token: TokenFields | None) -> Scrubber:
    """The scrubber of an answer to `request` that carried `token`: every secret of both."""
    tokens = secrets_in(token) if token is not None else ()
    return Scrubber((*(request.secrets() if request else ()), *tokens))
