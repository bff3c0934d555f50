"""`check --check-expiry`: the credential's own end date, read from Microsoft Graph with the
token just issued (an app may read its own application object without any permission)."""

from __future__ import annotations

import threading

from core.check.plan import CheckItem
from core.token.models import CredentialKind
from core.token.result import TokenResult

NOT_GRAPH = (
    "expiry not read: the token is not an app-only Microsoft Graph token (the profile's "
    "scope must be Graph's /.default)"
)


def graph_expiry(
    item: CheckItem,
    result: TokenResult,
    *,
    timeout_s: float,
    ca_file: str | None = None,
    cancel: threading.Event | None = None,
) -> tuple[float | None, str, str]:
    """(end date of the credential used, "graph", '') or (None, '', why it is unknown)."""
    from core.api.expiry import UsedCredential, read_credential_expiry
    from core.api.target import is_graph_audience
    from core.insight.verdict import verdict_for_result

    inputs, token = item.inputs, result.token
    if inputs is None or token is None or token.access_token is None:
        return None, "", ""
    verdict = verdict_for_result(result, tenant=inputs.tenant)
    if verdict.token_kind != "app-only" or not is_graph_audience(verdict.audience):
        return None, "", NOT_GRAPH
    cert = result.request.certificate if result.request is not None else None
    if inputs.credential is CredentialKind.CERTIFICATE and cert is not None:
        used = UsedCredential.from_thumbprint(cert.sha1)
    elif inputs.credential is CredentialKind.FEDERATED:
        used = UsedCredential("federated")
    else:
        used = UsedCredential.from_secret(inputs.client_secret)
    found = read_credential_expiry(
        token.access_token, inputs.client_id, used, inputs.cloud, timeout_s,
        authority=inputs.authority, ca_file=ca_file, cancel=cancel,
        extra_secrets=result.request.secrets() if result.request is not None else (),
    )  # fmt: skip
    if not found.ok:
        return None, "", f"expiry not read: {found.message}"
    dated = [e for e in found.used if e.end is not None]
    if len(dated) == 1 and dated[0].end is not None:
        return dated[0].end, "graph", ""
    if used.kind == "federated":
        return None, "", "expiry not read: a federated credential has no end date"
    return None, "", ("expiry not read: Graph lists the app's credentials, but not exactly one "
                      "of them matches the one used")  # fmt: skip
