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
from dataclasses import dataclass
from typing import Any

from core.cli import SIGNIN_GRANTS
from core.redaction import Secret
from core.token.models import (
    AssertionAlg,
    AuthMethod,
    CredentialKind,
    Endpoint,
    GrantType,
    TokenRequestInput,
)


class UsageError(Exception):
    """A problem with the command line itself: one clear line, exit code 2."""


_PLAIN_ARGUMENT = (
    "{what} is never accepted as a command-line argument (it would be kept in the shell "
    "history and shown in the process list). Use {env}, {stdin}, or leave it out to be "
    "prompted."
)


_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_CONVENTIONAL_NAME = re.compile(r"^[A-Z_][A-Z0-9_]{0,63}$")
_EXAMPLE_NAMES = {"secret": "CLIENT_SECRET", "certificate-password": "PFX_PASSWORD",
                  "assertion": "ID_TOKEN"}  # fmt: skip
# Shown in a dry run in place of a secret that was not given (the output masks it anyway).
NOT_GIVEN = Secret("(not given: asked for when the request is really sent)")


@dataclass(frozen=True)
class Credentials:
    """The secrets of one token command: from variables, stdin, the keychain or a prompt."""

    secret: Secret | None = None
    password: Secret | None = None
    certificate_password: Secret | None = None
    assertion: Secret | None = None
    certificate: Any = None  # the certificate, when it had to be opened to ask for a password


def credential_kind(args: argparse.Namespace) -> CredentialKind:
    """Which credential the options choose; a mix of two is a usage error."""
    cert = bool(getattr(args, "certificate", None))
    assertion = any(getattr(args, n, None) for n in ("assertion_file", "assertion_env",
                                                    "assertion_stdin"))  # fmt: skip
    secret = bool(args.secret_env or args.secret_stdin)
    if sum((cert, assertion, secret)) > 1:
        raise UsageError("choose one credential: a client secret (--secret-env/--secret-stdin), "
                         "a certificate (--certificate) or a federated assertion "
                         "(--assertion-file/--assertion-env/--assertion-stdin)")  # fmt: skip
    if cert:
        return CredentialKind.CERTIFICATE
    return CredentialKind.FEDERATED if assertion else CredentialKind.SECRET


def _read_stdin_lines(wanted: list[str]) -> list[str]:
    """One line of standard input per value wanted (in the documented order); on a terminal,
    a hidden prompt for each instead of a visible line."""
    if not wanted:
        return []
    if sys.stdin.isatty():
        return [getpass.getpass(f"{what[4:].capitalize()} (hidden): ") for what in wanted]
    if wanted == ["the assertion"]:
        return [sys.stdin.read(64_001).strip()]
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
                f"--{option}-env {_EXAMPLE_NAMES.get(option, 'USER_PASSWORD')} (the "
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
    known_certificate_password: Secret | None = None,
) -> Credentials:
    """The secrets the options ask for: from the environment or stdin when the options say so,
    else the known ones (a profile's keychain entries), else a hidden prompt.

    Standard input holds one value per line, in this order: the client secret or the
    certificate password, the user's password, the assertion.
    """
    for value, what, option in (
        (args.secret, "A client secret", "secret"),
        (args.password, "A password", "password"),
        (getattr(args, "certificate_password", None), "A certificate password",
         "certificate-password"),
        (getattr(args, "assertion", None), "An assertion", "assertion"),
    ):  # fmt: skip
        if value is not None:
            raise UsageError(_PLAIN_ARGUMENT.format(
                what=what, env=f"--{option}-env NAME", stdin=f"--{option}-stdin"))  # fmt: skip
    kind = credential_kind(args)
    password_grant = args.grant == "password"
    if args.dry_run:
        plain = args.no_secret or password_grant or kind is not CredentialKind.SECRET
        known_secret = known_secret or (None if plain else NOT_GIVEN)
        known_password = known_password or (NOT_GIVEN if password_grant else None)
    cert_stdin = kind is CredentialKind.CERTIFICATE and args.certificate_password_stdin
    wanted = ["the client secret"] if args.secret_stdin else []
    wanted += ["the certificate password"] if cert_stdin else []
    if password_grant and args.password_stdin:
        wanted.append("the password")
    if kind is CredentialKind.FEDERATED and args.assertion_stdin:
        wanted.append("the assertion")
    lines = dict(zip(wanted, _read_stdin_lines(wanted), strict=False))
    found: dict[str, Any] = {}
    if kind is CredentialKind.SECRET:
        found["secret"] = _resolve(
            what="client secret", option="secret", env_name=args.secret_env,
            stdin_line=lines.get("the client secret"), known=known_secret,
            may_prompt=not args.no_secret and args.grant == "client_credentials"
            and not args.dry_run,
        )  # fmt: skip
    elif kind is CredentialKind.CERTIFICATE:
        found.update(_certificate(args, lines.get("the certificate password"),
                                  known_certificate_password))  # fmt: skip
    else:
        found["assertion"] = _assertion(args, lines.get("the assertion"))
    if password_grant:
        found["password"] = _resolve(
            what="password", option="password", env_name=args.password_env,
            stdin_line=lines.get("the password"), known=known_password,
            may_prompt=not args.dry_run,
        )  # fmt: skip
    return Credentials(**found)


def _certificate(args: argparse.Namespace, stdin_line: str | None,
                 known: Secret | None) -> dict[str, Any]:  # fmt: skip
    """The certificate password (asked for only when the file needs one) and the opened file."""
    password = _resolve(what="certificate password", option="certificate-password",
                        env_name=args.certificate_password_env, stdin_line=stdin_line,
                        known=known, may_prompt=False)  # fmt: skip
    from core.token.credential.certificate import CertificateError, load_certificate

    try:
        loaded = load_certificate(args.certificate, args.certificate_key or "", password)
    except CertificateError as exc:
        if exc.kind != "password_needed" or args.dry_run or not sys.stdin.isatty():
            return {"certificate_password": password}  # the pre-flight checks explain it
        password = Secret(getpass.getpass("Certificate password: "))
        try:
            loaded = load_certificate(args.certificate, args.certificate_key or "", password)
        except CertificateError:
            return {"certificate_password": password}
    return {"certificate_password": password, "certificate": loaded}


def _assertion(args: argparse.Namespace, stdin_text: str | None) -> Secret | None:
    if args.assertion_env:
        value = _resolve(what="assertion", option="assertion", env_name=args.assertion_env,
                         stdin_line=None, known=None, may_prompt=False)  # fmt: skip
        return Secret(value.reveal().strip()) if value is not None else None
    if stdin_text is not None:
        return Secret(stdin_text.strip())
    return None  # --assertion-file: read when the request is sent


def inputs_from_args(args: argparse.Namespace, creds: Credentials) -> TokenRequestInput:
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
        grant=GrantType(SIGNIN_GRANTS.get(args.grant, args.grant)),
        client_secret=creds.secret,
        username=args.username,
        password=creds.password,
        scope=scope,
        resource=resource,
        auth_method=AuthMethod(args.auth_method),
        timeout_s=args.timeout,
        token_url=args.token_url,
        authority=args.authority,
        credential=credential_kind(args),
        certificate_path=args.certificate or "",
        certificate_key_path=args.certificate_key or "",
        certificate_password=creds.certificate_password,
        certificate=creds.certificate,
        assertion_alg=AssertionAlg(args.assertion_alg or "PS256"),
        send_x5c=bool(args.send_x5c),
        client_assertion=creds.assertion,
        assertion_file=args.assertion_file or "",
        redirect_host=getattr(args, "redirect_host", "127.0.0.1"),
        redirect_port=getattr(args, "redirect_port", None) or 0,
        redirect_path=getattr(args, "redirect_path", "/"),
        prompt=getattr(args, "prompt", ""),
        login_hint=getattr(args, "login_hint", ""),
        domain_hint=getattr(args, "domain_hint", ""),
    )
