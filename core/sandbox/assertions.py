"""Client assertions checked as Entra does: certificate (self-signed) and federated (external)."""

from __future__ import annotations

import base64
import threading
import time
from typing import Any

import jwt

from core.sandbox import directory as d
from core.sandbox.certificates import DemoCertificate, external_key, uploaded_for
from core.sandbox.errors import EntraError

JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
SKEW_S = 300  # clock skew Entra tolerates on nbf and exp
SUPPORTED_ALGS = ("RS256", "PS256")


class JtiStore:
    """Assertion ids already used, kept until their assertion expires (replays are refused)."""

    def __init__(self) -> None:
        self._seen: dict[str, float] = {}
        self._lock = threading.Lock()

    def first_use(self, jti: str, expires_at: float) -> bool:
        """Record `jti`; False when it was used before."""
        now = time.time()
        with self._lock:
            for old in [k for k, exp in self._seen.items() if exp + SKEW_S < now]:
                del self._seen[old]
            if jti in self._seen:
                return False
            self._seen[jti] = expires_at
            return True


def _hex(value: str) -> str:
    try:
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).hex().upper()
    except (ValueError, TypeError):
        return value


def _stamp(epoch: Any) -> str:
    if not isinstance(epoch, (int, float)) or isinstance(epoch, bool):
        return "(none)"
    return time.strftime("%m/%d/%Y %H:%M:%S", time.gmtime(epoch))


def _unverified(assertion: str) -> tuple[dict[str, Any], dict[str, Any]]:
    try:
        header = jwt.get_unverified_header(assertion)
        claims = jwt.decode(assertion, options={"verify_signature": False})
    except (jwt.PyJWTError, ValueError):
        raise EntraError(50027, reason="the client assertion is not a signed JWT.") from None
    return header, claims


def _times(claims: dict[str, Any]) -> None:
    now = time.time()
    exp, nbf = claims.get("exp"), claims.get("nbf")
    if not isinstance(exp, (int, float)) or isinstance(exp, bool):
        raise EntraError(50027, reason="the assertion has no exp claim.")
    late = exp + SKEW_S < now
    early = isinstance(nbf, (int, float)) and nbf - SKEW_S > now
    if late or early:
        raise EntraError(700024, now=_stamp(now), nbf=_stamp(nbf if nbf else 0), exp=_stamp(exp))


def check_assertion(app: d.App, assertion: str, token_urls: tuple[str, ...],
                    jtis: JtiStore) -> None:  # fmt: skip
    """Authenticate `app` with a client assertion; raises the AADSTS error of each failure."""
    header, claims = _unverified(assertion)
    alg = str(header.get("alg", ""))
    if alg not in SUPPORTED_ALGS:
        raise EntraError(5002738, alg=alg or "none")
    iss, sub = str(claims.get("iss", "")), str(claims.get("sub", ""))
    client = app.client_id
    if iss.lower() == client:
        _certificate(app, assertion, header, claims, alg, token_urls, jtis)
    elif app.federated:
        _federated(app, assertion, claims)
    elif sub.lower() == client:
        raise EntraError(50048, client_id=client)
    else:
        raise EntraError(700211, iss=iss)


def _certificate(app: d.App, assertion: str, header: dict[str, Any], claims: dict[str, Any],
                 alg: str, token_urls: tuple[str, ...], jtis: JtiStore) -> None:  # fmt: skip
    client = app.client_id
    if str(claims.get("sub", "")).lower() != client:
        raise EntraError(50048, client_id=client)
    s256, s1 = header.get("x5t#S256"), header.get("x5t")
    sent = _hex(str(s256 or s1 or header.get("kid") or ""))
    uploaded = uploaded_for(app)
    match: DemoCertificate | None = None
    for cert in uploaded:
        if (s256 and _hex(str(s256)) == cert.sha256) or (s1 and _hex(str(s1)) == cert.sha1):
            match = cert
    if match is None:
        raise EntraError(700027, reason="The key was not found.", thumbprint=sent,
                         client_id=client)  # fmt: skip
    if match.expired():
        raise EntraError(700027, reason="The certificate with identifier used to sign the client "
                         "assertion is expired on application", thumbprint=sent,
                         client_id=client)  # fmt: skip
    try:
        public: Any = match.cert.public_key()
        jwt.decode(assertion, public, algorithms=[alg],
                   options={"verify_aud": False, "verify_exp": False, "verify_nbf": False,
                            "verify_iat": False, "verify_iss": False})  # fmt: skip
    except jwt.InvalidSignatureError:
        raise EntraError(700027, reason="The provided signature value did not match the "
                         "expected signature value.", thumbprint=sent,
                         client_id=client) from None  # fmt: skip
    except jwt.PyJWTError:
        raise EntraError(50027, reason="the client assertion cannot be verified.") from None
    aud = claims.get("aud")
    audiences = aud if isinstance(aud, list) else [aud]
    if not any(a in token_urls for a in audiences):
        raise EntraError(50027, reason=f"the audience '{aud}' of the client assertion is not "
                         f"this token endpoint ('{token_urls[0]}').")  # fmt: skip
    _times(claims)
    jti = claims.get("jti")
    if not isinstance(jti, str) or not jti:
        raise EntraError(50027, reason="the client assertion has no jti claim.")
    if not jtis.first_use(jti, float(claims["exp"])):
        raise EntraError(50013, jti=jti)


def _federated(app: d.App, assertion: str, claims: dict[str, Any]) -> None:
    iss = str(claims.get("iss", ""))
    trusted = [f for f in app.federated if f.issuer == iss]
    if not trusted:
        raise EntraError(700211, iss=iss)
    try:
        jwt.decode(assertion, external_key().public_key(), algorithms=["RS256"],
                   options={"verify_aud": False, "verify_exp": False, "verify_nbf": False,
                            "verify_iat": False})  # fmt: skip
    except jwt.PyJWTError:
        raise EntraError(50027, reason=f"the signature of the token from '{iss}' does not "
                         "match the issuer's keys.") from None  # fmt: skip
    _times(claims)
    sub = str(claims.get("sub", ""))
    aud = claims.get("aud")
    audiences = [str(a) for a in (aud if isinstance(aud, list) else [aud])]
    if not any(f.subject == sub and f.audience in audiences for f in trusted):
        raise EntraError(70021, iss=iss, sub=sub, aud=", ".join(audiences))
