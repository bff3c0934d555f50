"""The credential expiry right after a token request: with the token issued when it is an
app-only Graph token, else with a second token for the cloud's Graph from the same credential."""

from __future__ import annotations

import threading
from dataclasses import replace

from core.api.expiry import (
    DEFAULT_WARN_DAYS,
    CredentialExpiry,
    read_credential_expiry,
    used_credential_of,
)
from core.api.target import is_graph_audience, token_facts
from core.redaction import Secret
from core.token.authority import get_cloud
from core.token.models import Endpoint, TokenRequestInput
from core.token.result import TokenResult


def graph_token_for(
    inputs: TokenRequestInput, result: TokenResult, *, ca_file: str | None = None,
    cancel: threading.Event | None = None,
) -> tuple[Secret | None, str]:  # fmt: skip
    """(a Microsoft Graph token from the same credential, "" — or None and why not)."""
    from core.token.client import request_token

    token = result.token.access_token if result.token is not None else None
    if token is None:
        return None, "no token was issued"
    facts = token_facts(token)
    if facts.readable and is_graph_audience(facts.audience):
        return token, ""
    graph = get_cloud(inputs.cloud).graph
    if inputs.endpoint is Endpoint.V1:
        again = replace(inputs, resource=graph, scope="")
    else:
        again = replace(inputs, scope=f"{graph}/.default", resource="")
    second = request_token(again, ca_file=ca_file, cancel=cancel)
    if second.token is None or second.token.access_token is None:
        return None, "a Microsoft Graph token could not be issued with this credential"
    return second.token.access_token, ""


def expiry_after_token(
    inputs: TokenRequestInput, result: TokenResult, *, warn_days: int = DEFAULT_WARN_DAYS,
    ca_file: str | None = None, cancel: threading.Event | None = None,
) -> CredentialExpiry:  # fmt: skip
    """Read the app's credentials and mark the one this token request used."""
    graph_token, why = graph_token_for(inputs, result, ca_file=ca_file, cancel=cancel)
    if graph_token is None:
        return CredentialExpiry("not_possible", inputs.client_id,
                                f"Cannot read the expiry: {why}.", warn_days=warn_days)  # fmt: skip
    secrets = result.request.secrets() if result.request is not None else ()
    return read_credential_expiry(
        graph_token, inputs.client_id, used_credential_of(result.request, inputs.client_secret),
        inputs.cloud, inputs.timeout_s, authority=inputs.authority, ca_file=ca_file,
        warn_days=warn_days, extra_secrets=secrets, cancel=cancel,
    )  # fmt: skip
