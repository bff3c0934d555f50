"""Reading the app's own credential expiry from the (sandbox's) Microsoft Graph."""

from __future__ import annotations

import base64

from core.api.expiry import UsedCredential, _thumbprint, read_credential_expiry
from core.redaction import Secret
from core.sandbox import Sandbox
from core.sandbox import directory as d
from core.sandbox.certificates import demo_certificates


def read(sb: Sandbox, token: Secret, used: UsedCredential | None,
         client_id: str = d.DAEMON.client_id, **kw: object):  # fmt: skip
    return read_credential_expiry(token, client_id, used, "sandbox", 10,
                                  authority=sb.base_url, **kw)  # type: ignore[arg-type]  # fmt: skip


def test_lists_every_secret_and_certificate_with_states(sandbox: Sandbox, token_for) -> None:
    """Daemon's three secrets (valid, 10 days, expired), two certificates, the used one marked."""
    expiry = read(sandbox, token_for(), UsedCredential.from_secret(d.VALID_SECRET.value))
    assert expiry.ok and expiry.app_name == d.DAEMON.name
    by_name = {e.name: e for e in expiry.entries}
    assert by_name["daemon-2025"].state == "valid" and by_name["daemon-2025"].used
    assert (
        by_name["daemon-rotation"].state == "expiring"
        and by_name["daemon-rotation"].days_left == 10
    )
    assert by_name["daemon-old"].state == "expired" and by_name["daemon-old"].days_left == -30
    certs = [e for e in expiry.entries if e.kind == "certificate"]
    assert sorted(c.state for c in certs) == ["expired", "valid"]
    assert expiry.used_match == "matched" and expiry.warning == ""
    assert [e.name for e in expiry.used] == ["daemon-2025"]


def test_warns_when_the_used_secret_expires_soon(sandbox: Sandbox, token_for) -> None:
    token = token_for(secret=d.EXPIRING_SECRET.value)
    expiry = read(sandbox, token, UsedCredential.from_secret(d.EXPIRING_SECRET.value))
    assert "'daemon-rotation' used here expires in 10 days" in expiry.warning
    quiet = read(sandbox, token, UsedCredential.from_secret(d.EXPIRING_SECRET.value), warn_days=5)
    assert quiet.warning == ""


def test_used_certificate_is_matched_by_thumbprint(sandbox: Sandbox, token_for) -> None:
    cert = demo_certificates()[0]
    expiry = read(sandbox, token_for(), UsedCredential.from_thumbprint(cert.sha1))
    assert [e.thumbprint for e in expiry.used] == [cert.sha1]


def test_nothing_of_the_secret_beyond_the_hint(sandbox: Sandbox, token_for) -> None:
    """No secret value, not even its fourth character onwards, is in the result."""
    expiry = read(sandbox, token_for(), UsedCredential.from_secret(d.VALID_SECRET.value))
    shown = repr(expiry) + (expiry.call.body_text if expiry.call else "")
    for secret in d.DAEMON.secrets:
        assert secret.value[:4] not in shown
    assert "secret_start" not in repr(UsedCredential.from_secret("abcdef"))


def test_another_apps_object_is_refused_with_the_permission(sandbox: Sandbox, token_for) -> None:
    """The no-consent app may read its own object but not Daemon's: 403, Application.Read.All."""
    token = token_for(d.NO_CONSENT, d.NO_CONSENT.secrets[0].value)
    own = read(sandbox, token, None, d.NO_CONSENT.client_id)
    assert own.ok and [e.name for e in own.entries] == ["reporting"]
    other = read(sandbox, token, None)
    assert other.outcome == "refused" and "Application.Read.All" in other.message
    assert d.NO_CONSENT.client_id in other.message


def test_not_possible_and_no_answer(sandbox: Sandbox) -> None:
    assert read(sandbox, Secret(""), None).outcome == "not_possible"
    assert read(sandbox, Secret("x" * 20), None, "not-a-guid").outcome == "not_possible"
    gone = read_credential_expiry(Secret("x" * 20), d.DAEMON.client_id, None, "sandbox", 2,
                                  authority="http://127.0.0.1:9")  # fmt: skip
    assert gone.outcome == "no_answer"


def test_thumbprint_forms() -> None:
    hexa = "A0E1E977660FFB93C2C85A141C519FBE1782713A"
    assert _thumbprint(hexa.lower()) == hexa
    assert _thumbprint(base64.b64encode(bytes.fromhex(hexa)).decode()) == hexa
    assert _thumbprint(base64.b64encode(hexa.encode()).decode()) == hexa
    assert _thumbprint("short") == ""
