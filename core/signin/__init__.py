"""Delegated sign-in: a user signs in (authorization code with PKCE in the system browser, or a
device code on another device) and the tester redeems what comes back, then refreshes it.

Built on `core.token` (request building, the one transport, the pre-flight checks): this part
adds the authorize URL, the one-shot loopback listener, the device code polling loop and the
in-memory refresh session. It never decodes tokens (`core.insight.idtoken` checks the ID token)
and never stores anything: the refresh token lives only in `RefreshSession`, masked everywhere.
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.signin.device import DeviceCode, DeviceFlow
    from core.signin.endpoints import SignInEndpoints, discover, endpoints_for
    from core.signin.flow import AuthCodeOptions, SignInResult, run_auth_code, run_device_code
    from core.signin.loopback import LoopbackListener, Redirect
    from core.signin.pkce import Pkce
    from core.signin.session import RefreshSession

__all__ = [
    "AuthCodeOptions",
    "DeviceCode",
    "DeviceFlow",
    "LoopbackListener",
    "Pkce",
    "Redirect",
    "RefreshSession",
    "SignInEndpoints",
    "SignInResult",
    "discover",
    "endpoints_for",
    "run_auth_code",
    "run_device_code",
]

# Loaded when first named: the window's form check imports `core.signin.preflight`, and a
# package's __init__ runs first; eager imports here loaded the transport (ssl, http.client,
# email), the listener and the device flow before the window's complete paint (~40 ms).
_HOMES = {
    "DeviceCode": "device", "DeviceFlow": "device", "SignInEndpoints": "endpoints",
    "discover": "endpoints", "endpoints_for": "endpoints", "AuthCodeOptions": "flow",
    "SignInResult": "flow", "run_auth_code": "flow", "run_device_code": "flow",
    "LoopbackListener": "loopback", "Redirect": "loopback", "Pkce": "pkce",
    "RefreshSession": "session",
}  # fmt: skip


def __getattr__(name: str) -> object:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f"{__name__}.{_HOMES[name]}"), name)
    globals()[name] = value
    return value
