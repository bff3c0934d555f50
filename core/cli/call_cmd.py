"""`main.py call URL`: call an API with a token and explain the answer."""

from __future__ import annotations

import argparse
import os
import sys

from core.cli import EXIT_USAGE, add_config_dir, seconds
from core.cli.terminal import LinesHelpFormatter
from core.token.clouds import cloud_choices
from core.token.limits import DEFAULT_TIMEOUT_S

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (mypy knows the name)
if TYPE_CHECKING:
    from typing import Any

    from core.api.call import ApiRequest

MAX_TOKEN_CHARS = 64 * 1024


def add_call_options(p: argparse.ArgumentParser | argparse._ArgumentGroup, prefix: str) -> None:
    """--method/--header/--data, as `call` names them (`token` uses the --call- prefix)."""
    p.add_argument(f"--{prefix}method", default="GET", type=str.upper, metavar="METHOD",
                   help="HTTP method (default GET)")  # fmt: skip
    p.add_argument(f"--{prefix}header", action="append", default=[], metavar="'NAME: VALUE'",
                   help="an extra header (repeatable)")  # fmt: skip
    p.add_argument(f"--{prefix}data", metavar="@FILE|TEXT",
                   help="the request body: @file reads a file, else the text itself")  # fmt: skip


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "call",
        help="call an API with a token and explain the answer",
        formatter_class=LinesHelpFormatter,
        description="Send one request with Authorization: Bearer <token> (from standard input "
        "or a variable, never an argument). For Microsoft Graph, the permissions the call "
        "needs are compared with the token's first; a refusal is explained.",
    )
    p.add_argument("url", help="the API URL, e.g. https://graph.microsoft.com/v1.0/users")
    add_call_options(p, "")
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--token-stdin", action="store_true", help="read the token from stdin")
    source.add_argument("--token-env", metavar="NAME", help="read the token from $NAME")
    source.add_argument("--token", help=argparse.SUPPRESS)  # refused with a clear message
    p.add_argument(
        "--cloud",
        default="global",
        choices=[key for key, _ in cloud_choices()],
        metavar="CLOUD",
        help="which cloud's Graph the URL may be (sandbox: with --authority)",
    )
    p.add_argument("--authority", default="", help="the sandbox's address, for its Graph")
    p.add_argument("--timeout", type=seconds, default=DEFAULT_TIMEOUT_S, metavar="S",
                   help="seconds for the whole exchange (default 30)")  # fmt: skip
    p.add_argument("--ca-file", metavar="PATH", default=None,
                   help="trust only the CA certificates in this PEM file")  # fmt: skip
    p.add_argument(
        "--export",
        choices=["curl", "powershell"],
        help="print the call as a command reading $ACCESS_TOKEN; send nothing",
    )
    p.add_argument("--json", action="store_true", help="print the documented JSON schema")
    p.set_defaults(func_module=__name__)
    add_config_dir(p)


class CallUsageError(ValueError):
    """Bad call options; the message names the option, never a value."""


def read_body(data: str | None) -> bytes:
    """--data: `@file` (at most 1 MB) or the text itself."""
    from pathlib import Path

    from core.api.call import MAX_BODY_BYTES

    if not data:
        return b""
    if not data.startswith("@"):
        return data.encode("utf-8")
    path = Path(data[1:])
    try:
        if path.stat().st_size > MAX_BODY_BYTES:
            raise CallUsageError(f"--data: {path} is larger than {MAX_BODY_BYTES // 1024} KB")
        return path.read_bytes()
    except OSError:
        raise CallUsageError(f"--data: cannot read the file {path}") from None


def read_headers(values: list[str]) -> tuple[tuple[str, str], ...]:
    from core.api.call import CallInputError, parse_header

    try:
        return tuple(parse_header(v) for v in values)
    except CallInputError as exc:
        raise CallUsageError(f"--header: {exc}") from None


def _token(args: argparse.Namespace) -> str:
    from core.insight.decode import clean_token_text

    if args.token is not None:
        raise CallUsageError(
            "--token is not accepted (a token on the command line ends up in "
            "the shell history): use --token-stdin or --token-env NAME"
        )
    if args.token_env:
        if args.token_env not in os.environ:
            raise CallUsageError(f"--token-env: the variable {args.token_env} is not set")
        text = os.environ[args.token_env]
    else:
        text = sys.stdin.read(MAX_TOKEN_CHARS + 1)
    if len(text) > MAX_TOKEN_CHARS:
        raise CallUsageError("the token is larger than 64 KB")
    token = clean_token_text(text)
    if not token:
        raise CallUsageError("no token was given")
    return token


def run(args: argparse.Namespace) -> int:
    from core.api.call import ApiRequest, CallInputError, check_request
    from core.redaction import Secret

    try:
        if args.cloud == "sandbox" and not args.authority:
            raise CallUsageError("--cloud sandbox needs --authority (the sandbox's address)")
        request = ApiRequest(args.method, args.url, Secret(_token(args)),
                             headers=read_headers(args.header), body=read_body(args.data),
                             timeout_s=args.timeout)  # fmt: skip
        if not args.export:
            problem = check_request(request)
            if problem:
                raise CallUsageError(problem)
    except (CallUsageError, CallInputError) as exc:
        return usage_error(str(exc), args.json)
    if args.export:
        from core.api.export import to_curl, to_powershell

        sys.stdout.write((to_curl if args.export == "curl" else to_powershell)(request))
        return 0
    return send_and_report(request, args.cloud, args.authority, args.ca_file, args.json)


def usage_error(message: str, as_json: bool) -> int:
    if as_json:
        from core.cli.terminal import usage_error_json

        print(usage_error_json(message, "call"))
    else:
        print(f"error: {message}", file=sys.stderr)
    return EXIT_USAGE


def send_and_report(
    request: ApiRequest, cloud: str, authority: str, ca_file: str | None, as_json: bool
) -> int:
    import json

    from core.api.report import call_api
    from core.cli.call_output import call_exit_code, call_json

    report = call_api(request, cloud=cloud, authority=authority, ca_file=ca_file)
    scrub = request.scrubber()
    doc = call_json(report, request)
    if as_json:
        print(json.dumps(scrub.value(doc, by_name=False), indent=2))
    else:
        text = _human(doc, report.result.body_text)
        sys.stdout.write(scrub.text(text))
    return call_exit_code(report)


def _human(doc: dict[str, Any], body: str, *, headers: bool = True) -> str:
    import io

    from core.cli.call_output import write_call

    out = io.StringIO()
    write_call({**doc, "_body_text": body}, out, headers=headers)
    return out.getvalue()
