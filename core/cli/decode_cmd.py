"""`main.py decode`: explain a token read from stdin or a file (verdict, signature, claims)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, TextIO

from core.cli import EXIT_OK, EXIT_USAGE, seconds

SCHEMA = "entra-token-tester/decode/1"
MAX_INPUT_BYTES = 4 * 1024 * 1024  # tokens are a few KB; /dev/zero or a log is not read whole


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "decode",
        help="explain a token read from stdin or a file",
        description="Read a token (JWT) from standard input or --file, and print the verdict, "
        "the signature check and every claim explained. The token itself is never printed.",
    )
    parser.add_argument("--file", metavar="PATH", help="read the token from this file")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument(
        "--no-verify", action="store_true", help="do not check the signature (no network)"
    )
    parser.add_argument(
        "--authority",
        metavar="URL",
        action="append",
        default=[],
        help="also trust keys from this authority (the sandbox or a custom one); repeatable",
    )
    parser.add_argument(
        "--tenant", default="", help="the tenant you expect (GUID or domain), compared with tid"
    )
    parser.add_argument(
        "--timeout", type=seconds, default=10.0, metavar="S",
        help="seconds for fetching the issuer's keys, all downloads together (default 10)",
    )  # fmt: skip
    parser.add_argument(
        "--ca-file", metavar="PATH", default=None,
        help="trust only the CA certificates in this PEM file for the key download",
    )  # fmt: skip


class _TooLarge(Exception):
    """The input is larger than MAX_INPUT_BYTES (it was not read whole)."""


def _read(args: argparse.Namespace) -> str:
    if args.file:
        with Path(args.file).open("rb") as fh:
            raw = fh.read(MAX_INPUT_BYTES + 1)
    else:
        if sys.stdin.isatty():
            print("Paste the token, then press Ctrl-D (Ctrl-Z Enter on Windows):",
                  file=sys.stderr)  # fmt: skip
        raw = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
    if len(raw) > MAX_INPUT_BYTES:
        raise _TooLarge
    return raw.decode("utf-8", errors="replace")


def _rows_json(rows: tuple[Any, ...]) -> list[dict[str, Any]]:
    return [
        {
            "name": r.name,
            "label": r.label,
            "value": r.value_text,
            "explanation": r.explanation,
            "known": r.known,
            "raw": r.raw,
        }
        for r in rows
    ]


def document(decoded: Any, verdict: Any, signature: Any, now: float | None = None) -> dict:
    """The JSON schema of `decode --json` (documented in README.md)."""
    from core.cli.output import verdict_json
    from core.insight.claims import explain_claims, explain_header
    from core.redaction import fingerprint

    return {
        "schema": SCHEMA,
        "ok": True,
        "error": None,
        "token": {
            "size": decoded.size,
            "segments": decoded.segments,
            "alg": decoded.alg,
            "kid": decoded.kid or None,
            "x5t": decoded.x5t or None,
            "fingerprint": fingerprint(decoded.raw),
        },
        "verdict": verdict_json(verdict),
        "signature": None
        if signature is None
        else {
            "status": signature.status.value,
            "message": signature.message,
            "key_id": signature.key_id or None,
            "jwks_uri": signature.jwks_uri or None,
        },
        "header": _rows_json(explain_header(decoded.header)),
        "claims": _rows_json(explain_claims(decoded.payload, now=now)),
    }


def _write_human(doc: dict[str, Any], out: TextIO) -> None:
    from core.cli.output import write_verdict

    write_verdict(doc["verdict"], out)
    sig = doc["signature"]
    out.write(f"Signature: {sig['message'] if sig else 'not checked (--no-verify)'}\n")
    t = doc["token"]
    out.write(f"Token: {t['size']} characters, {t['alg'] or 'no alg'}, {t['fingerprint']}\n")
    for title, rows in (("Header", doc["header"]), ("Claims", doc["claims"])):
        out.write(f"{title}:\n")
        width = max((len(r["name"]) for r in rows), default=0)
        for r in rows:
            extra = "" if r["known"] else "   (not in our catalog)"
            out.write(f"  {r['name']:<{width}}  {r['value']}{extra}\n")


def run(args: argparse.Namespace) -> int:
    from core.insight.decode import DecodeError, decode_token

    try:
        decoded = decode_token(_read(args))
    except _TooLarge:
        return _fail(args, "too_large", f"The input is larger than {MAX_INPUT_BYTES // 1048576} "
                     "MB; a token is a few KB. Was a whole file or log given?")  # fmt: skip
    except OSError as exc:
        return _fail(args, "file", f"cannot read {args.file}: {exc.strerror or exc}")
    except DecodeError as exc:
        return _fail(args, exc.kind, str(exc))
    from core.insight.verdict import verdict_for_token, with_signature

    verdict = verdict_for_token(decoded, tenant=args.tenant)
    signature = None
    if not args.no_verify:
        from core.insight.signature import verify_signature

        signature = verify_signature(
            decoded, extra_authorities=args.authority, timeout_s=args.timeout,
            ca_file=args.ca_file,
        )  # fmt: skip
        verdict = with_signature(verdict, signature)
    doc = document(decoded, verdict, signature)
    if args.json:
        sys.stdout.write(json.dumps(doc, indent=2, default=str) + "\n")
    else:
        _write_human(doc, sys.stdout)
    return EXIT_OK


def _fail(args: argparse.Namespace, kind: str, message: str) -> int:
    if args.json:
        doc = {
            "schema": SCHEMA, "ok": False,
            "error": {"kind": kind, "message": message, "exit_code": EXIT_USAGE},
            **dict.fromkeys(("token", "verdict", "signature", "header", "claims")),
        }  # fmt: skip
        sys.stdout.write(json.dumps(doc, indent=2) + "\n")
    else:
        print(f"error: {message}", file=sys.stderr)
    return EXIT_USAGE
