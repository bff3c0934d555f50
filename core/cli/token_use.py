"""`token --call URL` and `token --check-expiry`: use the token just issued."""

from __future__ import annotations

import argparse
import io
from typing import Any

from core.cli import EXIT_OK
from core.token.models import TokenRequestInput
from core.token.result import TokenResult


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
        from core.api.own_expiry import expiry_after_token

        expiry = expiry_after_token(inputs, result, warn_days=args.warn_days,
                                    ca_file=args.ca_file)  # fmt: skip
        doc = expiry_json(expiry)
        extra["expiry"] = doc
        write_expiry(doc, text)
        if not expiry.ok:
            text.write("warning: the credential's expiry could not be read (see above)\n")
    return extra, text.getvalue(), code
