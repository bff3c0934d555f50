"""Read the app's own secrets and certificates from Microsoft Graph with its own token, and
say when each expires and which one was used (facts: identity-platform.md 9).

`GET {graph}/v1.0/applications(appId='{client-id}')?$select=…` needs no permission when the
token belongs to that app (an app can read its own application object); otherwise
Application.Read.All. Nothing of a secret beyond Graph's own `hint` (its first three characters)
is ever shown.
"""

from __future__ import annotations

import base64
import binascii
import math
import re
import threading
import time
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING

from core.api.call import ApiCallResult, ApiRequest, send_call
from core.api.target import graph_root, token_facts
from core.redaction import Secret, reveal
from core.token.authority import is_guid

if TYPE_CHECKING:
    from core.token.models import PreparedRequest

SELECT = "id,appId,displayName,passwordCredentials,keyCredentials"
DEFAULT_WARN_DAYS = 30
HINT_CHARS = 3
_HEX40 = re.compile(r"[0-9A-Fa-f]{40}")


@dataclass(frozen=True)
class UsedCredential:
    """What the token request proved itself with: a secret (only its first three characters are
    kept, what Graph's `hint` shows), a certificate (its SHA-1 thumbprint) or a federated
    assertion (nothing to match)."""

    kind: str  # "secret", "certificate", "federated", "none"
    secret_start: str = field(default="", repr=False)
    thumbprint: str = ""

    @classmethod
    def from_secret(cls, secret: str | Secret | None) -> UsedCredential:
        return cls("secret", secret_start=reveal(secret)[:HINT_CHARS])

    @classmethod
    def from_thumbprint(cls, sha1_hex: str) -> UsedCredential:
        return cls("certificate", thumbprint=sha1_hex.replace(":", "").upper())


@dataclass(frozen=True)
class CredentialEntry:
    """One secret or certificate of the app, as Graph lists it."""

    kind: str  # "secret" or "certificate"
    name: str
    key_id: str
    hint: str  # a secret's first three characters, as Graph gives them
    thumbprint: str  # a certificate's SHA-1 thumbprint (upper-case hex), when known
    start: float | None
    end: float | None
    days_left: int | None  # whole days until `end` (negative once expired)
    state: str  # "valid", "expiring", "expired", "not_yet_valid", "unknown"
    used: bool = False


@dataclass(frozen=True)
class CredentialExpiry:
    """The app's credentials and their expiry. `outcome`: "read", "refused" (401/403; `message`
    says which permission would allow it), "not_found", "failed", "no_answer", "not_possible"
    (no token or client ID to ask with)."""

    outcome: str
    client_id: str
    message: str = ""
    app_name: str = ""
    entries: tuple[CredentialEntry, ...] = ()
    used_kind: str = "none"
    used_match: str = "none"  # "matched", "ambiguous" (two secrets share the hint), "none"
    warning: str = ""  # the credential used expires within warn_days (or has expired)
    warn_days: int = DEFAULT_WARN_DAYS
    call: ApiCallResult | None = None

    @property
    def ok(self) -> bool:
        return self.outcome == "read"

    @property
    def used(self) -> tuple[CredentialEntry, ...]:
        return tuple(e for e in self.entries if e.used)


def expiry_url(root: str, client_id: str) -> str:
    return f"{root}/v1.0/applications(appId='{client_id}')?$select={SELECT}"


def _epoch(value: object) -> float | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


def _thumbprint(value: object) -> str:
    """customKeyIdentifier as a thumbprint: 40 hex characters, or the base64 of 20 bytes."""
    if not isinstance(value, str) or not value:
        return ""
    if _HEX40.fullmatch(value):
        return value.upper()
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return ""
    if len(raw) == 20:
        return raw.hex().upper()
    text = raw.decode("ascii", "replace")
    return text.upper() if _HEX40.fullmatch(text) else ""


def _state(start: float | None, end: float | None, now: float, warn_days: int) -> tuple[
    int | None, str
]:  # fmt: skip
    if end is None:
        return None, "unknown"
    if end <= now:  # whole days since it expired
        return -math.floor((now - end) / 86400), "expired"
    days = math.ceil((end - now) / 86400)  # days left, today counted
    if start is not None and start > now:
        return days, "not_yet_valid"
    return days, "expiring" if (end - now) < warn_days * 86400 else "valid"


def _entries(body: dict[str, object], now: float, warn_days: int) -> list[CredentialEntry]:
    out = []
    for kind, key in (("secret", "passwordCredentials"), ("certificate", "keyCredentials")):
        items = body.get(key)
        for item in items if isinstance(items, list) else ():
            if not isinstance(item, dict):
                continue
            start, end = _epoch(item.get("startDateTime")), _epoch(item.get("endDateTime"))
            days, state = _state(start, end, now, warn_days)
            hint = item.get("hint") if kind == "secret" else ""
            out.append(CredentialEntry(
                kind=kind, name=str(item.get("displayName") or ""),
                key_id=str(item.get("keyId") or ""),
                hint=hint[:HINT_CHARS] if isinstance(hint, str) else "",
                thumbprint=_thumbprint(item.get("customKeyIdentifier")) if kind == "certificate"
                else "",
                start=start, end=end, days_left=days, state=state,
            ))  # fmt: skip
    return out


def _mark_used(
    entries: list[CredentialEntry], used: UsedCredential | None
) -> tuple[list[CredentialEntry], str]:
    if used is None or used.kind not in ("secret", "certificate"):
        return entries, "none"
    if used.kind == "secret":
        hits = [i for i, e in enumerate(entries)
                if e.kind == "secret" and e.hint and used.secret_start == e.hint]  # fmt: skip
    else:
        hits = [
            i
            for i, e in enumerate(entries)
            if e.kind == "certificate" and e.thumbprint and e.thumbprint == used.thumbprint
        ]
    if len(hits) > 1 and used.kind == "secret":  # same first three characters: the soonest
        live = [i for i in hits if entries[i].state != "expired"] or hits  # expired can't sign in
        hits = live if len(live) == 1 else hits
    out = [CredentialEntry(**{**e.__dict__, "used": i in hits}) for i, e in enumerate(entries)]
    return out, "matched" if len(hits) == 1 else "ambiguous" if hits else "none"


def _warning(entries: list[CredentialEntry], warn_days: int, kind: str) -> str:
    used = [e for e in entries if e.used]
    if len(used) != 1:
        return ""
    e = used[0]
    what = "client secret" if e.kind == "secret" else "certificate"
    named = f" {e.name!r}" if e.name else ""
    day = time.strftime("%Y-%m-%d", time.gmtime(e.end)) if e.end is not None else ""
    if e.state == "expired":
        return f"The {what}{named} used here expired on {day}."
    if (
        e.days_left is not None
        and e.end is not None
        and e.state in ("expiring", "valid")
        and (e.end - time.time() < warn_days * 86400)
    ):
        days = (
            "less than a day"
            if e.days_left < 1
            else f"{e.days_left} day" + ("s" if e.days_left != 1 else "")
        )
        return (f"The {what}{named} used here expires in {days} ({day}): add a new one and "
                "switch the automation to it before then.")  # fmt: skip
    return ""


def read_credential_expiry(
    token: str | Secret,
    client_id: str,
    used_credential: UsedCredential | None,
    cloud: str,
    timeout_s: float,
    *,
    authority: str = "",
    ca_file: str | None = None,
    warn_days: int = DEFAULT_WARN_DAYS,
    extra_secrets: tuple[Secret, ...] = (),
    cancel: threading.Event | None = None,
    now: float | None = None,
) -> CredentialExpiry:
    """Read the app's secrets and certificates with an app-only Graph token (ideally issued to
    that app: then no permission is needed) and mark the one `used_credential` names.

    Never raises for network trouble or a refusal: see `CredentialExpiry.outcome`.
    """
    client_id = client_id.strip().lower()
    secret = token if isinstance(token, Secret) else Secret(token)
    if not secret or not is_guid(client_id):
        why = "no token" if not secret else "the client ID is not a GUID"
        return CredentialExpiry("not_possible", client_id, f"Cannot read the expiry: {why}.",
                                warn_days=warn_days)  # fmt: skip
    root = graph_root(cloud, authority)
    if not root:
        return CredentialExpiry("not_possible", client_id, "Cannot read the expiry: the "
                                "sandbox's address is unknown.", warn_days=warn_days)  # fmt: skip
    request = ApiRequest("GET", expiry_url(root, client_id), secret, timeout_s=timeout_s,
                         extra_secrets=extra_secrets)  # fmt: skip
    result = send_call(request, ca_file=ca_file, cancel=cancel)
    kind = used_credential.kind if used_credential else "none"
    base = CredentialExpiry("failed", client_id, warn_days=warn_days, call=result, used_kind=kind)
    if result.status is None:
        message = result.failure.message if result.failure else "no answer"
        return replace(base, outcome="no_answer", message=f"Graph did not answer: {message}")
    if result.status in (401, 403):
        return replace(base, outcome="refused", message=_refusal(result, secret, client_id))
    if result.status == 404:
        return replace(base, outcome="not_found", message=f"Graph has no app registration with "
                       f"the application ID {client_id} in this tenant.")  # fmt: skip
    body = result.body_json
    if not result.ok or not isinstance(body, dict):
        return replace(base, message=f"Graph answered {result.verdict}.")
    entries = _entries(body, time.time() if now is None else now, warn_days)
    entries.sort(key=lambda e: (e.kind != "secret", e.end if e.end is not None else math.inf))
    entries, match = _mark_used(entries, used_credential)
    name = body.get("displayName")
    return replace(
        base, outcome="read", app_name=name if isinstance(name, str) else "",
        entries=tuple(entries), used_match=match, warning=_warning(entries, warn_days, kind),
    )  # fmt: skip


def _refusal(result: ApiCallResult, token: Secret, client_id: str) -> str:
    facts = token_facts(token)
    head = f"Graph refused to read the app's credentials ({result.verdict.split(': ', 1)[-1]})."
    if result.status == 401:
        return (
            f"{head} The token is not accepted by Microsoft Graph: request an app-only "
            "token for Graph (scope https://graph.microsoft.com/.default)."
        )
    if facts.app_id and facts.app_id.lower() != client_id:
        return (
            f"{head} The token belongs to another app ({facts.app_id}); an app may read "
            "only its own application object without permission. Application.Read.All "
            "(application permission, with admin consent) allows reading any app's."
        )
    return (
        f"{head} An app can normally read its own application object without any "
        "permission; Application.Read.All (application permission, with admin consent) "
        "allows it when a tenant restricts that."
    )


def used_credential_of(
    request: PreparedRequest | None, client_secret: Secret | None = None
) -> UsedCredential:
    """What a token request proved itself with (its secret's first three characters, the
    certificate's thumbprint), for marking the used credential. `client_secret` is the one
    typed (it is not in the form with HTTP Basic)."""
    from core.token.models import CredentialKind

    if request is None:
        return UsedCredential("none")
    if request.credential is CredentialKind.CERTIFICATE and request.certificate is not None:
        return UsedCredential.from_thumbprint(request.certificate.sha1)
    if request.credential is CredentialKind.FEDERATED:
        return UsedCredential("federated")
    secret = client_secret or request.field("client_secret")
    return UsedCredential.from_secret(secret) if secret else UsedCredential("none")
