"""What an admin compares with the portal: subject, issuer, serial, validity and thumbprints."""

from __future__ import annotations

import base64
import time
from dataclasses import dataclass

EXPIRY_WARNING_DAYS = 30
DAY_S = 86400.0


def b64url(data: bytes) -> str:
    """Base64url without padding (JWS encoding)."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def thumbprint_to_x5t(hex_thumbprint: str) -> str:
    """The `x5t` (or `x5t#S256`) header value of a hex thumbprint: its bytes, base64url.

    The portal shows the SHA-1 thumbprint as hex; the header carries the digest bytes, never
    the hex text (identity-platform.md 2.2).
    """
    return b64url(bytes.fromhex(hex_thumbprint.replace(":", "").replace(" ", "")))


def x5t_to_hex(value: str) -> str:
    """The hex thumbprint (upper case, as the portal shows it) of an `x5t`-style value; ''
    when it is not base64url."""
    text = value.strip()
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (ValueError, TypeError):
        return ""
    return raw.hex().upper()


@dataclass(frozen=True)
class CertificateSummary:
    """A certificate as the admin checks it against App registrations > Certificates & secrets.

    Times are epoch seconds. `sha1` is the portal's Thumbprint column (upper-case hex, no
    separators); `x5t` and `x5t_s256` are what an assertion header carries.
    """

    subject: str
    issuer: str
    serial: str
    not_before: float
    not_after: float
    sha1: str
    sha256: str
    key_type: str
    has_private_key: bool
    key_matches: bool | None  # None when there is no private key to compare
    chain: tuple[str, ...] = ()  # subjects of the other certificates, leaf's issuer first
    source: str = ""  # the file(s) it was read from
    file_format: str = ""  # "PEM", "DER", "PKCS#12"
    is_rsa: bool = True

    @property
    def x5t(self) -> str:
        return thumbprint_to_x5t(self.sha1)

    @property
    def x5t_s256(self) -> str:
        return thumbprint_to_x5t(self.sha256)

    def validity(self, now: float | None = None) -> tuple[str, str]:
        """(state, plain words): state is `valid`, `expiring`, `expired` or `not_yet_valid`."""
        moment = time.time() if now is None else now
        if moment < self.not_before:
            days = (self.not_before - moment) / DAY_S
            return "not_yet_valid", f"not valid yet: valid from {_date(self.not_before)} " \
                f"(in {_days(days)})"  # fmt: skip
        left = (self.not_after - moment) / DAY_S
        if left <= 0:
            return "expired", f"expired on {_date(self.not_after)} ({_days(-left)} ago)"
        if left <= EXPIRY_WARNING_DAYS:
            return "expiring", f"expires on {_date(self.not_after)} (in {_days(left)})"
        return "valid", f"valid until {_date(self.not_after)} (in {_days(left)})"

    def problems(self, now: float | None = None) -> tuple[tuple[str, str, str], ...]:
        """(severity "error"/"warning", title, detail) for what stops or endangers signing."""
        found: list[tuple[str, str, str]] = []
        state, words = self.validity(now)
        if state == "not_yet_valid":
            found.append(("error", "Certificate not valid yet", f"The certificate is {words}; "
                          "Entra refuses assertions signed with it until then."))  # fmt: skip
        elif state == "expired":
            found.append(("warning", "Certificate expired", f"The certificate {words}. Entra "
                          "refuses an expired certificate (AADSTS700027) once its uploaded "
                          "copy has expired too."))  # fmt: skip
        elif state == "expiring":
            found.append(("warning", "Certificate expires soon", f"The certificate {words}: "
                          "upload its successor before then."))  # fmt: skip
        if not self.is_rsa:
            found.append(("error", "Not an RSA certificate", f"The key is {self.key_type}; "
                          "Entra signs and checks client assertions with RSA only (PS256 or "
                          "RS256)."))  # fmt: skip
        if not self.has_private_key:
            found.append(("error", "No private key", "The file holds a certificate but no "
                          "private key, so nothing can be signed. Give the key file too (or a "
                          "PEM or PFX that holds both)."))  # fmt: skip
        elif self.key_matches is False:
            found.append(
                (
                    "error",
                    "Key does not match",
                    "The private key does not belong "
                    "to this certificate: assertions would fail with AADSTS700027.",
                )
            )
        return tuple(found)


def _date(epoch: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(epoch))


def _days(days: float) -> str:
    if days < 1:
        hours = max(1, round(days * 24))
        return f"{hours} hour" + ("s" if hours != 1 else "")
    whole = int(days)
    return f"{whole} day" + ("s" if whole != 1 else "")
