"""Plain string mappings <-> TokenRequestInput (sandbox scenarios, remembered form values)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import fields

from core.redaction import Secret
from core.token.models import (
    AssertionAlg,
    AuthMethod,
    CredentialKind,
    Endpoint,
    GrantType,
    TokenRequestInput,
    timeout_problem,
)

log = logging.getLogger(__name__)

_FIELDS = {f.name for f in fields(TokenRequestInput)}
_SECRETS = ("client_secret", "password", "certificate_password", "client_assertion")
_ENUMS = {
    "endpoint": Endpoint,
    "grant": GrantType,
    "auth_method": AuthMethod,
    "credential": CredentialKind,
    "assertion_alg": AssertionAlg,
}
_NOT_STRINGS = ("certificate",)  # a loaded object, never built from text


def input_from_strings(values: Mapping[str, str], *, authority: str = "") -> TokenRequestInput:
    """Build inputs from plain strings; unknown names and unusable values are skipped."""
    kwargs: dict[str, object] = {}
    for name, value in values.items():
        if name not in _FIELDS or name in _NOT_STRINGS:
            log.debug("ignoring unknown form field %s", name)
            continue
        try:
            if name in _SECRETS:
                kwargs[name] = Secret(value) if value else None
            elif name in _ENUMS:
                kwargs[name] = _ENUMS[name](value)
            elif name == "timeout_s":
                if timeout_problem(seconds := float(value)):
                    raise ValueError("timeout out of range")
                kwargs[name] = seconds
            elif name == "redirect_port":
                if not 0 <= (port := int(value or 0)) <= 65535:
                    raise ValueError("port out of range")
                kwargs[name] = port
            elif name == "send_x5c":
                kwargs[name] = value.strip().lower() in ("1", "true", "yes")
            else:
                kwargs[name] = str(value)
        except ValueError:
            log.info("ignoring an unusable value for form field %s", name)
    if authority:
        kwargs["authority"] = authority
    return TokenRequestInput(**kwargs)  # type: ignore[arg-type]


def remembered_strings(inputs: TokenRequestInput, names: tuple[str, ...]) -> dict[str, str]:
    """The named, non-secret fields as strings (refuses to hand out a secret field)."""
    out = {}
    for name in names:
        if name in _SECRETS:
            raise ValueError(f"{name} is secret and is never remembered")
        value = getattr(inputs, name)
        out[name] = value.value if hasattr(value, "value") else str(value)
    return out
