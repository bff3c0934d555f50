"""Where the token command's inputs come from: options, the environment, stdin, a prompt.

Shared by `token` and `token --profile` (core/cli/profile_option.py); it imports no other
command module, so the commands never import each other.
"""

from __future__ import annotations

import argparse
import getpass
import os
import re
import sys

from core.redaction import Secret
from core.token.models import AuthMethod, Endpoint, GrantType, TokenRequestInput


class UsageError(Exception):
    """A problem with the command line itself: one clear line, exit code 2."""


_PLAIN_ARGUMENT = (
    "{what} is never accepted as a command-line argument (it would be kept in the shell "
    "history and shown in the process list). Use {env}, {stdin}, or leave it out to be "
    "prompted."
)


_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_CONVENTIONAL_NAME = re.compile(r"^[A-Z_][A-Z0-9_]{0,63}$")
# Shown in a dry run in place of a secret that was not given (the output masks it anyway).
NOT_GIVEN = Secret("(not given: asked for when the request is really sent)")


def _read_stdin_lines(wanted: list[str]) -> list[str]:
    """One line of standard input per value wanted (secret first, then password); on a
    terminal, a hidden prompt for each instead of a visible line."""
    if not wanted:
        return []
    if sys.stdin.isatty():
        return [getpass.getpass(f"{what[4:].capitalize()} (hidden): ") for what in wanted]
    lines = sys.stdin.read().splitlines()
    if len(lines) < len(wanted):
        raise UsageError(
            "standard input ended early: expected " + " and ".join(wanted) + ", one per line"
        )
    return lines[: len(wanted)]


def _resolve(
    *,
    what: str,
    option: str,
    env_name: str | None,
    stdin_line: str | None,
    known: Secret | None,
    may_prompt: bool,
) -> Secret | None:
    """One secret: from $env_name, else stdin, else the known value, else a hidden prompt."""
    if env_name:
        if not _ENV_NAME.match(env_name):
            raise UsageError(
                f"the value given to --{option}-env is not a variable name; did you paste the "
                f"{what} itself? Give the name of the variable that holds it, e.g. "
                f"--{option}-env {'CLIENT_SECRET' if option == 'secret' else 'USER_PASSWORD'} (the "
                "value is not repeated here)"
            )
        value = os.environ.get(env_name)
        if value is None:
            # An unusual name may still be a pasted secret: then it is not repeated.
            conventional = _CONVENTIONAL_NAME.match(env_name)
            shown = env_name if conventional else f"named by --{option}-env"
            raise UsageError(f"the environment variable {shown} (for the {what}) is not set")
        return Secret(value)
    if stdin_line is not None:
        return Secret(stdin_line)
    if known is not None or not may_prompt:
        return known
    if not sys.stdin.isatty():
        raise UsageError(
            f"no {what} given: use --{option}-env NAME or --{option}-stdin "
            "(standard input is not a terminal, so no prompt)"
        )
    return Secret(getpass.getpass(f"{what.capitalize()}: "))


def credentials(
    args: argparse.Namespace,
    *,
    known_secret: Secret | None = None,
    known_password: Secret | None = None,
) -> tuple[Secret | None, Secret | None]:
    """The client secret and password: from the environment or stdin when the options say so,
    else the known ones (a profile's keychain entries), else a hidden prompt."""
    for value, what, option in (
        (args.secret, "A client secret", "secret"),
        (args.password, "A password", "password"),
    ):
        if value is not None:
            raise UsageError(
                _PLAIN_ARGUMENT.format(
                    what=what, env=f"--{option}-env NAME", stdin=f"--{option}-stdin"
                )
            )
    password_grant = args.grant == "password"
    if args.dry_run:
        known_secret = known_secret or (None if args.no_secret or password_grant else NOT_GIVEN)
        known_password = known_password or (NOT_GIVEN if password_grant else None)
    wanted = ["the client secret"] if args.secret_stdin else []
    if password_grant and args.password_stdin:
        wanted.append("the password")
    lines = iter(_read_stdin_lines(wanted))
    secret = _resolve(
        what="client secret",
        option="secret",
        env_name=args.secret_env,
        stdin_line=next(lines) if args.secret_stdin else None,
        known=known_secret,
        may_prompt=not args.no_secret and not password_grant and not args.dry_run,
    )
    if not password_grant:
        return secret, None
    password = _resolve(
        what="password",
        option="password",
        env_name=args.password_env,
        stdin_line=next(lines) if args.password_stdin else None,
        known=known_password,
        may_prompt=not args.dry_run,
    )
    return secret, password


def inputs_from_args(
    args: argparse.Namespace, secret: Secret | None, password: Secret | None
) -> TokenRequestInput:
    """Turn the parsed options into request inputs, with the cloud's default target."""
    from core.token.authority import CLOUDS_BY_KEY, default_target

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
