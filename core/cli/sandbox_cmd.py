"""`main.py sandbox`: serve the local Entra-like identity provider, or print its directory."""

from __future__ import annotations

import argparse
import json
import math
import signal
import sys
import threading
from typing import Any, TextIO

from core.cli import EXIT_OK, EXIT_USAGE


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "sandbox",
        help="run the local identity provider that behaves like Entra ID",
        description="Serve the sandbox identity provider on 127.0.0.1 (loopback only) until "
        "Ctrl+C, and print its demo directory and scenarios.",
    )
    p.add_argument("--port", type=int, default=0, help="TCP port (default: a free one)")
    p.add_argument("--tls", action="store_true", help="serve HTTPS with a CA made at start")
    p.add_argument(
        "--slow-delay", type=float, default=5.0, metavar="S",
        help="seconds the slow tenant waits before answering (default 5)",
    )  # fmt: skip
    p.add_argument(
        "--new-secret-delay", type=float, default=10.0, metavar="S",
        help="seconds after the start until the Contoso Daemon's just-created secret works "
        "(default 10): before, it is refused like a wrong one (replication delay)",
    )  # fmt: skip
    p.add_argument("--describe", action="store_true", help="print the directory as JSON and exit")


def run(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    from core.sandbox import Sandbox, describe

    for name, value in (("--slow-delay", args.slow_delay),
                        ("--new-secret-delay", args.new_secret_delay)):  # fmt: skip
        if not math.isfinite(value) or not 0 <= value <= 86400:
            print(f"error: {name} must be a number of seconds from 0 to 86400", file=sys.stderr)
            return EXIT_USAGE
    if args.describe:
        info = describe(new_secret_delay_s=args.new_secret_delay)
        print(json.dumps(info, indent=2), file=out)
        return EXIT_OK
    if not 0 <= args.port <= 65535:
        print(f"error: --port must be between 0 and 65535, not {args.port}", file=sys.stderr)
        return EXIT_USAGE
    sandbox = Sandbox(port=args.port, tls=args.tls, slow_delay_s=args.slow_delay,
                      new_secret_delay_s=args.new_secret_delay)  # fmt: skip
    # Handlers first: "Press Ctrl+C" may be read (and a signal sent) the moment it is printed.
    stop = _install_stop_handlers()
    try:
        sandbox.start()
    except OSError as exc:
        print(f"error: cannot listen on 127.0.0.1:{args.port}: {exc.strerror or exc}",
              file=sys.stderr)  # fmt: skip
        return EXIT_USAGE
    try:
        print(f"Sandbox identity provider running at {sandbox.base_url}", file=out)
        if sandbox.ca_file is not None:
            print(f"CA certificate (trust it to connect): {sandbox.ca_file}", file=out)
        print(_directory_text(describe(sandbox), sandbox.base_url), file=out)
        print("Press Ctrl+C to stop.", file=out, flush=True)
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        sandbox.stop()
    print("Sandbox stopped.", file=out, flush=True)
    return EXIT_OK


def _install_stop_handlers() -> threading.Event:
    """An event set by SIGINT (Ctrl+C) or SIGTERM (a service manager, `kill`), even when the
    shell started this process in the background with SIGINT ignored."""
    stop = threading.Event()

    def on_signal(signum: int, frame: object) -> None:
        stop.set()

    for name in ("SIGINT", "SIGTERM", "SIGBREAK"):  # SIGBREAK: Ctrl+Break on Windows
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), on_signal)
    return stop


def _directory_text(info: dict[str, Any], base: str) -> str:
    lines = ["", "Tenants:"]
    lines += [f"  {t['name']}: {t['id']}  ({t['domain']})" for t in info["tenants"]]
    lines += ["", "APIs:"]
    lines += [f"  {a['name']}: {a['identifier_uri']}  (app ID {a['app_id']})" for a in info["apis"]]
    lines += ["", "Apps:"]
    for app in info["apps"]:
        state = "" if app["enabled"] else ", disabled"
        lines.append(f"  {app['name']} ({app['type']}{state}): client ID {app['client_id']}")
        for s in app["secrets"]:
            status = "EXPIRED" if s["expired"] else "valid"
            if s["new"]:
                status = (f"JUST CREATED: refused as unknown until {s['replication_delay_s']:g} s "
                          "after the start (replication delay), then valid")  # fmt: skip
            lines.append(f"      secret value {s['value']}  ID {s['secret_id']}  "
                         f"{status} (expires {s['expires']})")  # fmt: skip
        for name in app["certificates"]:
            lines.append(f"      uploaded certificate {name}")
        for fic in app["federated_credentials"]:
            lines.append(f"      federated credential: issuer {fic['issuer']}, subject "
                         f"{fic['subject']}, audience {fic['audience']}")  # fmt: skip
    if info["certificates"]:
        lines += ["", "Certificates (made at start):"]
        for c in info["certificates"]:
            where = ", ".join(c["uploaded_to"]) or "no app"
            lines.append(f"  {c['name']}: thumbprint {c['thumbprint_sha1']} (uploaded to "
                         f"{where}{', EXPIRED' if c['expired'] else ''})")  # fmt: skip
    lines += ["", f"Files (certificates and tokens) in {info['files_dir']}:"]
    lines += [f"  {f['file']}: {f['content']}" for f in info["files"]]
    lines += ["", "Users (password grant, through Contoso Desktop):"]
    lines += [f"  {u['upn']}  password {u['password']}  -> {u['sign_in']}" for u in info["users"]]
    lines += ["", "Fault tenants (use with any Contoso app):"]
    lines += [f"  {f['domain']}: {f['behaviour']}" for f in info["fault_tenants"]]
    lines += ["", "Scenarios (key: title -> expected):"]
    lines += [f"  {s['key']}: {s['title']} -> {s['expect']}" for s in info["scenarios"]]
    tenant = info["tenants"][0]["id"]
    lines += [
        "",
        "Token URLs:",
        f"  v1: {base}/{tenant}/oauth2/token",
        f"  v2: {base}/{tenant}/oauth2/v2.0/token",
        f"Try: CLIENT_SECRET=... uv run main.py token --cloud sandbox --authority {base} "
        f"--tenant {tenant} --client-id <client ID> --secret-env CLIENT_SECRET",
        f"Certificate: uv run main.py token --cloud sandbox --authority {base} --tenant "
        f"{tenant} --client-id <Contoso Daemon> --certificate {info['files_dir']}/"
        "contoso-daemon.pem",
        "",
    ]
    return "\n".join(lines)
