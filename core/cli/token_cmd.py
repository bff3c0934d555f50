"""`main.py token`: request a token from the command line and explain the answer."""

from __future__ import annotations

import argparse
import sys

from core.cli import EXIT_USAGE
from core.token.models import DEFAULT_TIMEOUT_S


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "token",
        help="request a token and explain the answer",
        description="Request a token from the Microsoft identity platform (or any OAuth 2.0 "
        "token URL) and explain the answer. Secrets are never taken as arguments: use "
        "--secret-env, --secret-stdin or the hidden prompt.",
    )
    p.add_argument("--cloud", default="global", help="cloud key (see README); default: global")
    p.add_argument("--authority", default="", help="login host URL overriding the cloud's")
    p.add_argument("--tenant", default="", help="tenant ID (GUID) or verified domain")
    p.add_argument("--client-id", default="", help="Application (client) ID")
    p.add_argument("--endpoint", choices=["v1", "v2"], default="v2", help="default: v2")
    p.add_argument(
        "--grant", choices=["client_credentials", "password"], default="client_credentials"
    )
    p.add_argument("--scope", default=None, help="v2 scope (default: the cloud's Graph/.default)")
    p.add_argument("--resource", default=None, help="v1 resource (default: the cloud's Graph)")
    p.add_argument("--auth-method", choices=["body", "basic"], default="body")
    p.add_argument("--token-url", default="", help="custom OAuth 2.0 token URL")
    p.add_argument("--username", default="", help="user name for the password grant")
    p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT_S, help="seconds (default 30)")
    secret = p.add_mutually_exclusive_group()
    secret.add_argument("--secret-env", metavar="NAME", help="read the client secret from $NAME")
    secret.add_argument(
        "--secret-stdin", action="store_true", help="read the client secret from standard input"
    )
    secret.add_argument("--no-secret", action="store_true", help="send no client secret")
    secret.add_argument("--secret", help=argparse.SUPPRESS)  # refused with a clear message
    password = p.add_mutually_exclusive_group()
    password.add_argument("--password-env", metavar="NAME", help="read the password from $NAME")
    password.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    password.add_argument("--password", help=argparse.SUPPRESS)  # refused with a clear message
    p.add_argument("--json", action="store_true", help="print the documented JSON schema")
    p.add_argument("--show-token", action="store_true", help="print the access token itself")
    p.add_argument(
        "--dry-run", action="store_true", help="print the redacted request, send nothing"
    )
    p.set_defaults(func_module=__name__)
    from core.cli.profile_option import add_profile_option

    add_profile_option(p)


def run(args: argparse.Namespace) -> int:
    from core.cli import output
    from core.cli.credentials import UsageError, credentials, inputs_from_args

    try:
        if args.profile:
            from core.cli.profile_option import profile_token_inputs

            inputs = profile_token_inputs(args)
        else:
            secret, password = credentials(args)
            inputs = inputs_from_args(args, secret, password)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.dry_run:
        return output.dry_run(inputs, as_json=args.json)
    from core.token.client import request_token

    result = request_token(inputs)
    return output.report(result, inputs, as_json=args.json, show_token=args.show_token)
