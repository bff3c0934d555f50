"""`main.py cert PATH`: show a certificate as the portal does, without sending anything."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TextIO

from core.cli import EXIT_OK, EXIT_REFUSED, EXIT_USAGE

SCHEMA = "entra-token-tester/cert/1"


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "cert",
        help="show a certificate's thumbprints, validity and key match (sends nothing)",
        description="Read a certificate credential (PEM, PFX/P12, CER/CRT/DER, with or without "
        "a separate key) and print what to compare with App registrations > Certificates & "
        "secrets: subject, issuer, serial, validity, the SHA-1 thumbprint as the portal shows "
        "it, the SHA-256 thumbprint and whether the private key matches. Nothing is sent.",
    )
    p.add_argument("path", metavar="PATH", help="the certificate file")
    p.add_argument("--key", metavar="PATH", default="", help="the private key, when separate")
    pw = p.add_mutually_exclusive_group()
    pw.add_argument("--password-env", metavar="NAME", help="read the PFX/key password from $NAME")
    pw.add_argument("--password-stdin", action="store_true",
                    help="read the PFX/key password from standard input")  # fmt: skip
    pw.add_argument("--password", help=argparse.SUPPRESS)  # refused with a clear message
    p.add_argument("--json", action="store_true", help="print the documented JSON schema")


def run(args: argparse.Namespace, out: TextIO | None = None) -> int:
    import getpass
    import os

    from core.cli.cert_output import summary_json, write_summary
    from core.redaction import Secret
    from core.token.credential.certificate import CertificateError, load_certificate

    out = out or sys.stdout
    if args.password is not None:
        print("error: a password is never accepted as a command-line argument; use "
              "--password-env NAME or --password-stdin", file=sys.stderr)  # fmt: skip
        return EXIT_USAGE
    password = None
    if args.password_env:
        if os.environ.get(args.password_env) is None:
            print(f"error: the environment variable {args.password_env} is not set",
                  file=sys.stderr)  # fmt: skip
            return EXIT_USAGE
        password = Secret(os.environ[args.password_env])
    elif args.password_stdin:
        password = Secret(sys.stdin.readline().rstrip("\r\n"))
    try:
        try:
            loaded = load_certificate(args.path, args.key, password)
        except CertificateError as exc:
            if exc.kind != "password_needed" or password is not None or not sys.stdin.isatty():
                raise
            loaded = load_certificate(
                args.path, args.key, Secret(getpass.getpass("Certificate password: "))
            )
    except CertificateError as exc:
        if args.json:
            doc = {"schema": SCHEMA, "ok": False, "error": {"kind": exc.kind,
                                                            "message": exc.message},
                   "certificate": None}  # fmt: skip
            out.write(json.dumps(doc, indent=2) + "\n")
        else:
            print(f"error: {exc.message}", file=sys.stderr)
        return EXIT_USAGE
    summary = loaded.summary
    usable = not any(sev == "error" for sev, _, _ in summary.problems())
    if args.json:
        doc = {"schema": SCHEMA, "ok": usable, "error": None, "certificate": summary_json(summary)}
        out.write(json.dumps(doc, indent=2) + "\n")
    else:
        write_summary(summary, out)
    return EXIT_OK if usable else EXIT_REFUSED
