"""`main.py token`: request a token from the command line and explain the answer."""

from __future__ import annotations

import argparse
import os
import sys

from core.cli import EXIT_INTERRUPTED, EXIT_USAGE, SIGNIN_GRANTS, add_config_dir, seconds
from core.cli.signin_options import TimeoutAction, add_signin_options
from core.cli.terminal import LinesHelpFormatter, value_lines
from core.token.clouds import cloud_choices
from core.token.limits import DEFAULT_TIMEOUT_S, MAX_TIMEOUT_S

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (mypy knows the name)
if TYPE_CHECKING:
    from core.token.result import TokenResult

GRANTS = [
    ("client_credentials", "app-only token with the app's secret (default)"),
    ("password", "a user's name and password (ROPC), public or confidential client"),
    ("auth-code", "a user signs in in the browser: authorization code with PKCE"),
    ("device-code", "a user signs in on another device with a code"),
]
AUTH_METHODS = [
    ("body", "client_secret in the form body, client_secret_post (default)"),
    ("basic", "HTTP Basic: Authorization header, client_secret_basic (RFC 6749 2.3.1)"),
]


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "token",
        help="request a token and explain the answer",
        formatter_class=LinesHelpFormatter,
        description="Request a token from the Microsoft identity platform (or any OAuth 2.0 "
        "token URL) and explain the answer. Secrets are never taken as arguments: use "
        "--secret-env, --secret-stdin or the hidden prompt.",
    )
    clouds = value_lines(cloud_choices())
    p.add_argument("--cloud", default="global", metavar="CLOUD",
                   help=f"the cloud (default: global):\n{clouds}")  # fmt: skip
    p.add_argument("--authority", default="", help="login host URL overriding the cloud's")
    p.add_argument("--tenant", default="", help="tenant ID (GUID) or verified domain")
    p.add_argument("--client-id", default="", help="Application (client) ID")
    p.add_argument("--endpoint", choices=["v1", "v2"], default="v2", help="default: v2")
    p.add_argument(
        "--grant", choices=[g for g, _ in GRANTS], default="client_credentials",
        metavar="GRANT", help=f"the grant type:\n{value_lines(GRANTS)}",
    )  # fmt: skip
    p.add_argument("--scope", default=None, help="v2 scope (default: the cloud's Graph/.default)")
    p.add_argument("--resource", default=None, help="v1 resource (default: the cloud's Graph)")
    p.add_argument(
        "--auth-method", choices=[m for m, _ in AUTH_METHODS], default="body", metavar="METHOD",
        help=f"how the client secret is sent:\n{value_lines(AUTH_METHODS)}",
    )  # fmt: skip
    p.add_argument("--token-url", default="", help="custom OAuth 2.0 token URL")
    p.add_argument("--username", default="", help="user name for the password grant")
    p.add_argument(
        "--timeout", type=seconds, default=DEFAULT_TIMEOUT_S, metavar="S", action=TimeoutAction,
        help=f"seconds for the whole exchange, connect to last byte (default 30, at most "
        f"{MAX_TIMEOUT_S:g}); for a sign-in, the whole sign-in (default 180)",
    )  # fmt: skip
    p.add_argument(
        "--wait-new", type=seconds, default=None, metavar="S",
        help="the secret (or certificate) is new: while Entra refuses it as unknown "
        "(AADSTS7000215, AADSTS700027), retry for up to S seconds (e.g. 120, at most "
        f"{MAX_TIMEOUT_S:g}) with growing waits; Ctrl+C stops the wait",
    )  # fmt: skip
    p.add_argument(
        "--ca-file", metavar="PATH", default=None,
        help="trust only the CA certificates in this PEM file (default: the operating "
        "system's trust store, or REQUESTS_CA_BUNDLE)",
    )  # fmt: skip
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
    cert = p.add_argument_group("certificate credential (instead of a client secret)")
    cert.add_argument("--certificate", metavar="PATH",
                      help="PEM (key and certificate), PFX/P12, or a certificate with "
                      "--certificate-key")  # fmt: skip
    cert.add_argument("--certificate-key", metavar="PATH", help="the private key, when separate")
    cert_pw = cert.add_mutually_exclusive_group()
    cert_pw.add_argument("--certificate-password-env", metavar="NAME",
                         help="read the PFX or key password from $NAME")  # fmt: skip
    cert_pw.add_argument("--certificate-password-stdin", action="store_true",
                         help="read the PFX or key password from standard input")  # fmt: skip
    cert_pw.add_argument("--certificate-password", help=argparse.SUPPRESS)  # refused
    cert.add_argument("--assertion-alg", choices=["PS256", "RS256"], default=None,
                      help="PS256 with x5t#S256 (default) or RS256 with x5t")  # fmt: skip
    cert.add_argument(
        "--send-x5c",
        action="store_const",
        const=True,
        default=None,
        help="send the certificate chain (x5c) for subject name + issuer auth",
    )
    fed = p.add_argument_group("federated credential (an external token as the assertion)")
    source = fed.add_mutually_exclusive_group()
    source.add_argument(
        "--assertion-file",
        metavar="PATH",
        help="read it from a file (the AZURE_FEDERATED_TOKEN_FILE convention)",
    )
    source.add_argument("--assertion-env", metavar="NAME", help="read it from $NAME")
    source.add_argument("--assertion-stdin", action="store_true",
                        help="read it from standard input")  # fmt: skip
    source.add_argument("--assertion", help=argparse.SUPPRESS)  # refused
    p.add_argument("--azure-env", action="store_true",
                   help="take tenant, app and credential from the AZURE_* variables, in "
                   "azure-identity's EnvironmentCredential order (see README)")  # fmt: skip
    add_signin_options(p)
    p.add_argument("--json", action="store_true", help="print the documented JSON schema")
    p.add_argument("--show-token", action="store_true", help="print the access token itself")
    p.add_argument(
        "--dry-run", action="store_true", help="print the redacted request, send nothing"
    )
    use = p.add_argument_group("use the token (see README: Using the token)")
    use.add_argument(
        "--call",
        metavar="URL",
        help="then call this API with the token (Graph: permissions checked)",
    )
    from core.cli.call_cmd import add_call_options

    add_call_options(use, "call-")
    use.add_argument("--check-expiry", action="store_true",
                     help="then read the app's own secrets and certificates from Microsoft "
                     "Graph: end dates, days left, which one was used")  # fmt: skip
    use.add_argument(
        "--warn-days",
        type=_days,
        default=30,
        metavar="N",
        help="warn when the credential used expires within N days (default 30)",
    )
    p.set_defaults(func_module=__name__)
    add_config_dir(p)
    from core.cli.profile_option import add_profile_option

    add_profile_option(p)


def _days(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError("a whole number of days is expected") from None
    if not 0 <= value <= 3650:
        raise argparse.ArgumentTypeError("between 0 and 3650 days")
    return value


def run(args: argparse.Namespace) -> int:

    from core.cli import output
    from core.cli.credentials import UsageError, credentials, inputs_from_args

    try:
        if args.ca_file and not os.path.isfile(args.ca_file):
            raise UsageError(f"--ca-file: there is no file {args.ca_file}")
        if args.azure_env:
            from core.cli.azure_env import apply_azure_env

            args, chosen = apply_azure_env(args, os.environ)
            print(f"azure-env: {chosen}", file=sys.stderr)
        if args.profile:
            from core.cli.profile_option import profile_token_inputs

            inputs = profile_token_inputs(args)
        else:
            inputs = inputs_from_args(args, credentials(args))
    except UsageError as exc:
        if args.json:
            from core.cli.terminal import usage_error_json

            print(usage_error_json(str(exc), "token"))
        else:
            print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.dry_run:
        return output.dry_run(inputs, as_json=args.json)
    if inputs.grant.value in SIGNIN_GRANTS.values():  # typed, or a profile's grant
        from core.cli.signin_cmd import run_signin

        return run_signin(args, inputs)
    headers: tuple[tuple[str, str], ...] = ()
    body = b""
    if args.call:
        from core.cli.call_cmd import CallUsageError, read_body, read_headers

        try:
            headers, body = read_headers(args.call_header), read_body(args.call_data)
        except CallUsageError as exc:
            from core.cli.call_cmd import usage_error

            return usage_error(str(exc), args.json)
    if args.wait_new:  # a new credential: retried while Entra replicates it, Ctrl+C stops
        from core.cli.waiting import send_waiting

        result = send_waiting(inputs, limit_s=args.wait_new, ca_file=args.ca_file)
    else:
        from core.token.client import request_token

        result = request_token(inputs, ca_file=args.ca_file)
    if result.token is None or not (args.call or args.check_expiry):
        code = output.report(result, inputs, as_json=args.json, show_token=args.show_token)
        return _interrupted(result) or code
    from core.cli.token_use import use_token

    extra, text, call_code = use_token(args, inputs, result, headers, body)
    code = output.report(result, inputs, as_json=args.json, show_token=args.show_token,
                         extra=extra, extra_text=text)  # fmt: skip
    return code or call_code


def _interrupted(result: TokenResult) -> int:
    """EXIT_INTERRUPTED when Ctrl+C stopped a wait for replication, else 0."""
    from core.token.replication import WaitEnd

    wait = result.replication
    return EXIT_INTERRUPTED if wait is not None and wait.end is WaitEnd.STOPPED else 0
