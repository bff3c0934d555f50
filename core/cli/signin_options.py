"""The options of a delegated sign-in (`token --grant auth-code | device-code`).

Apart from `core.cli.signin_cmd`, which runs the sign-in, so that building the `token` parser
(and `token --help`) loads no threads, browser or models.
"""

from __future__ import annotations

import argparse

from core.cli.terminal import value_lines

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (mypy knows the name)
if TYPE_CHECKING:
    from typing import Any

DEFAULT_SIGNIN_S = 180.0
PROMPTS = [
    ("login", "ask for credentials again"),
    ("select_account", "pick an account"),
    ("consent", "show the consent page"),
    ("none", "no page at all (fails if needed)"),
]


class TimeoutAction(argparse.Action):
    """--timeout that remembers it was given (a sign-in's own default is 3 minutes)."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        setattr(namespace, self.dest, values)
        namespace.timeout_given = True


def add_signin_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("delegated sign-in (--grant auth-code or device-code)")
    g.add_argument(
        "--redirect-host",
        choices=["127.0.0.1", "localhost"],
        default="127.0.0.1",  # a profile's choice applies unless given
        help="how the redirect URI names this computer; the app registration must "
        "name the same (default 127.0.0.1)",
    )
    g.add_argument(
        "--redirect-port",
        type=int,
        default=None,
        metavar="N",
        help="the loopback port (default: any free one; Entra ignores the port)",
    )
    g.add_argument(
        "--redirect-path",
        default="/",
        metavar="PATH",
        help="the redirect URI's path (default /; Entra compares it)",
    )
    g.add_argument(
        "--no-browser",
        action="store_true",
        help="print the URL to open instead of opening the browser; still listens",
    )
    g.add_argument(
        "--prompt",
        choices=[c for c, _ in PROMPTS],
        default="",
        metavar="PROMPT",
        help=f"what the sign-in page does:\n{value_lines(PROMPTS)}",
    )
    g.add_argument("--login-hint", default="", metavar="UPN", help="pre-fill the user name")
    g.add_argument(
        "--domain-hint",
        default="",
        metavar="DOMAIN",
        help="go straight to this domain's sign-in (federated domains)",
    )
    g.add_argument(
        "--issuer",
        default="",
        metavar="URL",
        help="any OpenID provider: read its discovery document for the endpoints",
    )
    g.add_argument(
        "--authorize-url",
        default="",
        metavar="URL",
        help="the authorize endpoint (with --token-url)",
    )
    g.add_argument(
        "--device-url",
        default="",
        metavar="URL",
        help="the device authorization endpoint (with --token-url)",
    )
