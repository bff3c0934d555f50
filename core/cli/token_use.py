"""`token --call URL` and `token --check-expiry`: use the token just issued."""

from __future__ import annotations

import argparse
import io
from dataclasses import replace
from typing import Any

from core.cli import EXIT_OK
from core.redaction import Secret
from core.token.models import Endpoint, TokenRequestInput, TokenResult


def _graph_token(inputs: TokenRequestInput, result: TokenResult, ca_file: str | None) -> tuple[
    Secret | None, str
]:  # fmt: skip
    """An app-only Graph token from the same credential: the one issued when it is one, else a
    second request for the cloud's Graph (`""` or why there is none)."""
    from core.api.target import is_graph_audience, token_facts
    from core.token.authority import get_cloud
    from core.token.client import request_token

    assert result.token is not None and result.token.access_token is not None
    facts = token_facts(result.token.access_token)
    if facts.readable and is_graph_audience(facts.audience):
        return result.token.access_token, ""
    graph = get_cloud(inputs.cloud).graph
    if inputs.endpoint is Endpoint.V1:
        again = replace(inputs, resource=graph, scope="")
    else:
        again = replace(inputs, scope=f"{graph}/.default", resource="")
    second = request_token(again, ca_file=ca_file)
    if second.token is None or second.token.access_token is None:
        return None, "a Microsoft Graph token could not be issued with this credential"
    return second.token.access_token, ""


def use_token(
    args: argparse.Namespace,
    inputs: TokenRequestInput,
    result: TokenResult,
    headers: tuple[tuple[str, str], ...],
    body: bytes,
) -> tuple[dict[str, Any], str, int]:
    """(JSON fields, human text, exit code of the call) for --call and --check-expiry."""
    from core.api.call import ApiRequest, CallInputError, check_request
    from core.cli.call_cmd import _human
    from core.cli.call_output import call_exit_code, call_json, expiry_json, write_expiry

    assert result.token is not None and result.token.access_token is not None
    token = result.token.access_token
    secrets = result.request.secrets() if result.request is not None else ()
    extra: dict[str, Any] = {}
    text = io.StringIO()
    code = EXIT_OK
    if args.call:
        from core.api.report import call_api

        request = ApiRequest(args.call_method, args.call, token, headers=headers, body=body,
                             timeout_s=inputs.timeout_s, extra_secrets=secrets)  # fmt: skip
        problem = check_request(request)
        if problem:
            text.write(f"Call not sent: {problem}\n")
            extra["call"] = {"outcome": "usage_error", "message": problem}
            code = 2
        else:
            try:
                report = call_api(request, cloud=inputs.cloud, authority=inputs.authority,
                                  ca_file=args.ca_file)  # fmt: skip
            except CallInputError as exc:  # checked above; kept for safety
                text.write(f"Call not sent: {exc}\n")
                return extra, text.getvalue(), 2
            doc = call_json(report, request)
            extra["call"] = doc
            text.write(_human(doc, report.result.body_text, headers=False))
            code = call_exit_code(report)
    if args.check_expiry:
        from core.api.expiry import CredentialExpiry, read_credential_expiry, used_credential_of

        graph_token, why = _graph_token(inputs, result, args.ca_file)
        used = used_credential_of(result.request, inputs.client_secret)
        if graph_token is None:
            expiry = CredentialExpiry("not_possible", inputs.client_id, f"Cannot read the "
                                      f"expiry: {why}.", warn_days=args.warn_days)  # fmt: skip
        else:
            expiry = read_credential_expiry(
                graph_token, inputs.client_id, used, inputs.cloud, inputs.timeout_s,
                authority=inputs.authority, ca_file=args.ca_file, warn_days=args.warn_days,
                extra_secrets=secrets,
            )  # fmt: skip
        doc = expiry_json(expiry)
        extra["expiry"] = doc
        write_expiry(doc, text)
        if not expiry.ok:
            text.write("warning: the credential's expiry could not be read (see above)\n")
    return extra, text.getvalue(), code
