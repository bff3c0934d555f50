"""`token --grant auth-code | device-code`: a user signs in in the browser (or on another
device), the result is explained as any token answer, plus who signed in and the ID token's
checks. The URL to open and the user code go to standard error on lines of their own
(`Open: URL`, `Code: CODE`), so a script can read them; the result goes to standard output."""

from __future__ import annotations

import argparse
import sys
import threading
import webbrowser
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TextIO

from core.cli.signin_options import DEFAULT_SIGNIN_S

if TYPE_CHECKING:
    from core.token.models import TokenRequestInput

# How the system browser is opened; tests replace it (core never starts a browser itself).
OPEN_URL: Callable[[str], object] = webbrowser.open


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def run_signin(args: argparse.Namespace, inputs: TokenRequestInput) -> int:
    """Run the sign-in the options ask for and report it; returns the exit code."""
    from core.cli import EXIT_INTERRUPTED, EXIT_NO_ANSWER, output
    from core.signin import AuthCodeOptions, endpoints_for, run_auth_code, run_device_code
    from core.signin.endpoints import DiscoveryError, discover
    from core.token.models import GrantType

    total = args.timeout if getattr(args, "timeout_given", False) else DEFAULT_SIGNIN_S
    http_s = min(inputs.timeout_s, total)
    cancel = threading.Event()
    if args.issuer:
        try:
            endpoints = discover(args.issuer, timeout_s=http_s, ca_file=args.ca_file)
        except DiscoveryError as exc:
            _say(f"error: --issuer: {exc}")
            return EXIT_NO_ANSWER
    else:
        endpoints = endpoints_for(
            inputs, authorize_url=args.authorize_url, device_url=args.device_url
        )
    try:
        if inputs.grant is GrantType.AUTHORIZATION_CODE:
            options = AuthCodeOptions.of(inputs, timeout_s=total)
            opener = (lambda url: None) if args.no_browser else OPEN_URL

            def on_url(url: str) -> None:
                _say(f"Open: {url}")
                _say("Waiting for sign-in in your browser… (Ctrl+C cancels)")

            done = run_auth_code(
                inputs,
                endpoints,
                options,
                open_url=opener,
                on_url=on_url,
                ca_file=args.ca_file,
                cancel=cancel,
            )
        else:

            def on_code(code: Any) -> None:
                _say(f"Code: {code.user_code}")
                _say(f"Open: {code.verification_uri}")
                _say(
                    f"Waiting for sign-in with the code (expires in {code.expires_in} s; "
                    "Ctrl+C cancels)…"
                )

            done = run_device_code(
                inputs,
                endpoints,
                timeout_s=total,
                on_code=on_code,
                ca_file=args.ca_file,
                cancel=cancel,
            )
    except KeyboardInterrupt:
        cancel.set()
        _say("Sign-in cancelled.")
        return EXIT_INTERRUPTED
    extra, text = signin_report(done, endpoints, ca_file=args.ca_file, timeout_s=http_s)
    return output.report(
        done.result,
        done.inputs,
        as_json=args.json,
        show_token=args.show_token,
        extra=extra,
        extra_text=text,
    )


def signin_report(
    done: Any, endpoints: Any, *, ca_file: str | None, timeout_s: float
) -> tuple[dict[str, Any], str]:
    """The `signin` JSON field and the human lines: how the sign-in went, who signed in and
    what the ID token's checks say."""
    from core.insight.idtoken import check_id_token

    doc: dict[str, Any] = {
        "grant": "auth-code" if done.grant.value == "authorization_code" else "device-code",
        "stage": done.stage,
        "redirect_uri": done.redirect_uri or None,
        "user_code": done.device.user_code if done.device else None,
        "verification_uri": done.device.verification_uri if done.device else None,
        "redirect_to_result_ms": (
            round(done.redirect_to_result_ms, 1) if done.redirect_to_result_ms is not None else None
        ),
        "refresh_token_held": bool(done.result.token and done.result.token.refresh_token),
        "user": None,
        "id_token_checks": [],
        "id_token_problem": None,
    }
    lines = []
    token = done.result.token
    if token is not None and token.id_token:
        report = check_id_token(
            token.id_token,
            client_id=done.inputs.client_id,
            nonce=done.nonce,
            issuers=endpoints.issuers,
            jwks_uri=endpoints.jwks_uri,
            scrubber=done.result.scrubber(),
            timeout_s=timeout_s,
            ca_file=ca_file,
        )
        if report.user is not None:
            u = report.user
            doc["user"] = {
                "name": u.name,
                "username": u.username,
                "oid": u.oid,
                "tenant_id": u.tenant_id,
                "guest": u.guest,
            }
            lines.append(f"Signed in: {u.summary()}")
        doc["id_token_checks"] = [
            {"name": c.name, "ok": c.ok, "text": c.text} for c in report.checks
        ]
        doc["id_token_problem"] = report.problem or None
        if report.problem:
            lines.append(f"ID token: {report.problem}")
        for check in report.checks:
            mark = {True: "ok", False: "FAILED", None: "not checked"}[check.ok]
            lines.append(f"ID token {check.name}: {mark}: {check.text}")
    elif token is not None:
        lines.append("No ID token (ask for the openid scope to see who signed in).")
    if doc["refresh_token_held"]:
        lines.append("A refresh token came back; it is never printed or stored.")
    return {"signin": doc}, "".join(f"{line}\n" for line in lines)


def write_lines(out: TextIO, lines: list[str]) -> None:
    out.write("".join(f"{line}\n" for line in lines))
