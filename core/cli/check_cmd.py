"""`main.py check`: check every saved profile (or a checks file) at once and report each."""

from __future__ import annotations

import argparse
import os
import sys

from core.cli import EXIT_OK, EXIT_REFUSED, EXIT_USAGE, add_config_dir, seconds


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError("a whole number is expected") from None
    if not 1 <= value <= 64:
        raise argparse.ArgumentTypeError("between 1 and 64")
    return value


def _days(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError("a number of days is expected") from None
    if not 0 <= value <= 3650:  # also refuses nan
        raise argparse.ArgumentTypeError("between 0 and 3650 days")
    return value


def _wait_new(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError("a number of seconds is expected") from None
    if not 0 < value <= 600:  # also refuses nan; the replication wait's own limit
        raise argparse.ArgumentTypeError("more than 0 and at most 600 seconds")
    return value


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "check",
        help="check every saved profile (or a checks file) at once",
        description="Request a token for every saved profile (or each --profile, or each "
        "entry of --file) concurrently and report one line per credential and a summary. "
        "Secrets come from the keychain, or from the variables a checks file names "
        "(secret_env, password_env, certificate_password_env); never from the file itself. "
        "Exit 0 when all pass, 1 when any failed, 2 for bad input.",
    )
    p.add_argument("--profile", metavar="NAME", action="append", default=[],
                   help="check this profile only (repeat for several); with --file, an "
                   "entry of the file")  # fmt: skip
    p.add_argument("--file", metavar="PATH",
                   help="a checks file: the JSON File > Export profiles writes, each entry "
                   "optionally naming the variables of its secrets")  # fmt: skip
    p.add_argument("--jobs", type=_jobs, default=8, metavar="N",
                   help="requests at once (default 8; at most 4 per tenant)")  # fmt: skip
    p.add_argument("--deadline", type=seconds, default=300.0, metavar="S",
                   help="seconds for the whole run, retries included (default 300)")  # fmt: skip
    p.add_argument("--authority", default="", metavar="URL",
                   help="login host for profiles of the sandbox cloud (the running sandbox's "
                   "address)")  # fmt: skip
    p.add_argument("--ca-file", metavar="PATH", default=None,
                   help="trust only the CA certificates in this PEM file")  # fmt: skip
    p.add_argument("--check-expiry", action="store_true",
                   help="read each credential's own end date from Microsoft Graph with the "
                   "token issued (app-only Graph tokens)")  # fmt: skip
    p.add_argument("--warn-days", type=_days, default=None, metavar="N",
                   help="warn when a credential expires within N days (exit 0)")  # fmt: skip
    p.add_argument("--strict", action="store_true",
                   help="with --warn-days: a credential expiring that soon fails")  # fmt: skip
    p.add_argument("--wait-new", type=_wait_new, default=None, metavar="S",
                   help="a credential refused as unknown (AADSTS7000215/700027) may be new: "
                   "send it again while it replicates, up to S seconds (at most 600)")  # fmt: skip
    p.add_argument("--json", action="store_true", help="print the documented JSON document")
    p.add_argument("--junit", metavar="PATH", help="also write JUnit XML (a test case each)")
    add_config_dir(p)


def _entries(args: argparse.Namespace) -> tuple[list, object | None]:
    """The entries to check and the history store (None for a checks file)."""
    from core.check.plan import CheckEntry, CheckFileError, read_checks_file
    from core.cli.credentials import UsageError

    if args.file:
        try:
            entries, warnings = read_checks_file(args.file)
        except CheckFileError as exc:
            raise UsageError(exc.message) from None
        for warning in warnings:
            print(f"warning: {warning}", file=sys.stderr)
        history = None
    else:
        from core.cli.profile_option import profile_store
        from core.store.history import HistoryStore

        store = profile_store(args)
        entries = [CheckEntry(p) for p in store.list()]
        history = HistoryStore(store.directory)
    if args.profile:
        by_name = {e.profile.name.casefold(): e for e in entries}
        by_id = {e.profile.id: e for e in entries if e.saved}
        chosen, unknown = [], []
        for name in args.profile:
            found = by_id.get(name) or by_name.get(name.casefold())
            if found is None:
                unknown.append(name)
            else:
                chosen.append(found)
        if unknown:
            where = "in the file" if args.file else "saved"
            names = ", ".join(f'"{n}"' for n in unknown)
            raise UsageError(f"no profile named {names} {where}")
        entries = list({id(e): e for e in chosen}.values())
    if not entries:
        raise UsageError("there is nothing to check: no saved profiles (save one in the "
                         "window, or give --file)" if not args.file else
                         "the checks file holds no profiles")  # fmt: skip
    return entries, history


def run(args: argparse.Namespace) -> int:
    import threading
    import time

    from core.check.plan import plan
    from core.check.report import document, junit_xml, line, record_history, summarise
    from core.check.runner import CheckSettings, run_checks
    from core.cli.credentials import UsageError

    try:
        if args.ca_file and not os.path.isfile(args.ca_file):
            raise UsageError(f"--ca-file: there is no file {args.ca_file}")
        if args.strict and args.warn_days is None:
            raise UsageError("--strict needs --warn-days N")
        entries, history = _entries(args)
    except UsageError as exc:
        if args.json:
            from core.cli.terminal import usage_error_json

            print(usage_error_json(str(exc), "check"))
        else:
            print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    secrets = None
    if any(e.saved and e.profile.remember_secret for e in entries):
        from core.store.secret_store import open_secret_store

        secrets = open_secret_store()
        if not secrets.is_secure:
            print(f"note: {secrets.reason}", file=sys.stderr)
    items = plan(entries, environ=os.environ, secrets=secrets)
    if args.authority:
        import dataclasses

        items = [
            dataclasses.replace(i, inputs=dataclasses.replace(i.inputs, authority=args.authority))
            if i.inputs is not None and i.inputs.cloud == "sandbox" else i for i in items
        ]  # fmt: skip
    settings = CheckSettings(jobs=args.jobs, deadline_s=args.deadline, ca_file=args.ca_file,
                             warn_days=args.warn_days, strict=args.strict,
                             wait_new_s=args.wait_new,
                             check_expiry=args.check_expiry)  # fmt: skip
    width = min(32, max(len(i.name) for i in items))
    lock = threading.Lock()
    started, now = time.monotonic(), time.time()

    def show(index: int, outcome: object) -> None:
        if not args.json:
            with lock:
                print(line(outcome, now, width), flush=True)  # type: ignore[arg-type]

    cancel = threading.Event()
    try:
        outcomes = run_checks(items, settings, cancel=cancel, on_outcome=show)
    except KeyboardInterrupt:
        print("stopped: the check was interrupted; nothing was written", file=sys.stderr)
        return 130
    summary = summarise(outcomes, time.monotonic() - started)
    if history is not None and (problem := record_history(history, outcomes)):
        print(f"warning: the history could not be saved: {problem}", file=sys.stderr)
    if args.junit:
        try:
            with open(args.junit, "w", encoding="utf-8") as fh:
                fh.write(junit_xml(outcomes, summary, now))
        except OSError as exc:
            print(f"error: the JUnit file {args.junit} could not be written: "
                  f"{exc.strerror or exc}", file=sys.stderr)  # fmt: skip
            return EXIT_USAGE
    if args.json:
        import json

        print(json.dumps(document(outcomes, summary, now), indent=2))
    else:
        print(summary.line())
    return EXIT_OK if summary.passed else EXIT_REFUSED
