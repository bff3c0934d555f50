"""`main.py token`: request a token from the command line and explain the answer."""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from core.cli import EXIT_USAGE
from core.models import DEFAULT_TIMEOUT_S, AuthMethod, Endpoint, GrantType, TokenRequestInput
from core.redaction import Secret


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
    from core.cli.profiles_cmd import add_profile_option

    add_profile_option(p)


class UsageError(Exception):
    """A problem with the command line itself: one clear line, exit code 2."""


_PLAIN_ARGUMENT = (
    "{what} is never accepted as a command-line argument (it would be kept in the shell "
    "history and shown in the process list). Use {env}, {stdin}, or leave it out to be "
    "prompted."
)


def _read_stdin_lines(args: argparse.Namespace) -> list[str]:
    wanted = int(bool(args.secret_stdin)) + int(bool(args.password_stdin))
    if not wanted:
        return []
    lines = sys.stdin.read().splitlines()
    if len(lines) < wanted:
        raise UsageError(
            "standard input ended early: expected the secret"
            + (" and the password on two lines" if wanted == 2 else "")
        )
    return lines[:wanted]


def _from_env(name: str, what: str) -> Secret:
    value = os.environ.get(name)
    if value is None:
        raise UsageError(f"the environment variable {name} (for the {what}) is not set")
    return Secret(value)


def _prompt(label: str) -> Secret:
    if not sys.stdin.isatty():
        raise UsageError(
            f"no {label} given: use --{label.split()[-1]}-env NAME or "
            f"--{label.split()[-1]}-stdin (standard input is not a terminal, so no prompt)"
        )
    return Secret(getpass.getpass(f"{label.capitalize()}: "))


def credentials(
    args: argparse.Namespace,
    *,
    known_secret: Secret | None = None,
    known_password: Secret | None = None,
) -> tuple[Secret | None, Secret | None]:
    """The client secret and password: from the environment or stdin when the options say so,
    else the known ones (a profile's keychain entries), else a hidden prompt."""
    if args.secret is not None:
        raise UsageError(
            _PLAIN_ARGUMENT.format(
                what="A client secret", env="--secret-env NAME", stdin="--secret-stdin"
            )
        )
    if args.password is not None:
        raise UsageError(
            _PLAIN_ARGUMENT.format(
                what="A password", env="--password-env NAME", stdin="--password-stdin"
            )
        )
    lines = _read_stdin_lines(args)
    secret: Secret | None = None
    if args.secret_env:
        secret = _from_env(args.secret_env, "client secret")
    elif args.secret_stdin:
        secret = Secret(lines.pop(0))
    elif known_secret is not None:
        secret = known_secret
    elif not args.no_secret and args.grant == "client_credentials" and not args.dry_run:
        secret = _prompt("client secret")
    password: Secret | None = None
    if args.grant == "password":
        if args.password_env:
            password = _from_env(args.password_env, "password")
        elif args.password_stdin:
            password = Secret(lines.pop(0))
        elif known_password is not None:
            password = known_password
        elif not args.dry_run:
            password = _prompt("user password")
    return secret, password


def inputs_from_args(
    args: argparse.Namespace, secret: Secret | None, password: Secret | None
) -> TokenRequestInput:
    """Turn the parsed options into request inputs, with the cloud's default target."""
    from core.authority import CLOUDS_BY_KEY, default_target

    endpoint = Endpoint(args.endpoint)
    scope, resource = args.scope or "", args.resource or ""
    cloud = CLOUDS_BY_KEY.get(args.cloud)
    if args.scope is None and args.resource is None and not args.token_url and cloud:
        if endpoint is Endpoint.V2:
            scope = default_target(cloud, endpoint)
        else:
            resource = default_target(cloud, endpoint)
    return TokenRequestInput(
        cloud=args.cloud,
        endpoint=endpoint,
        tenant=args.tenant,
        client_id=args.client_id,
        grant=GrantType(args.grant),
        client_secret=secret,
        username=args.username,
        password=password,
        scope=scope,
        resource=resource,
        auth_method=AuthMethod(args.auth_method),
        timeout_s=args.timeout,
        token_url=args.token_url,
        authority=args.authority,
    )


def run(args: argparse.Namespace) -> int:
    from core.cli import output

    try:
        if args.profile:
            from core.cli.profiles_cmd import profile_token_inputs

            inputs = profile_token_inputs(args)
        else:
            secret, password = credentials(args)
            inputs = inputs_from_args(args, secret, password)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.dry_run:
        return output.dry_run(inputs, as_json=args.json)
    from core.client import request_token

    result = request_token(inputs)
    return output.report(result, inputs, as_json=args.json, show_token=args.show_token)
