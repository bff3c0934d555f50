"""Run many token requests at once, politely: bounded workers on shared connections, at most
a few requests per tenant at a time, `Retry-After` honoured once on HTTP 429, one total deadline
for everything, and a cancel that stops every wait."""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlsplit

from core.check.outcome import CheckOutcome, not_checked, outcome_of
from core.check.plan import CheckItem
from core.token.models import TokenRequestInput
from core.token.result import FailureKind, TokenResult

log = logging.getLogger(__name__)

DEFAULT_JOBS = 8
MAX_JOBS = 64
PER_TENANT = 4  # concurrent requests to one tenant at most
DEFAULT_DEADLINE_S = 300.0
MAX_RETRY_WAIT_S = 120.0  # a longer Retry-After is not waited for: the 429 is the result
DEFAULT_RETRY_WAIT_S = 2.0  # a 429 without Retry-After
_POLL_S = 0.05


@dataclass(frozen=True)
class CheckSettings:
    """How a run goes: workers, per-tenant limit, total deadline, trust, expiry warnings.

    `wait_new_s`: a credential refused as unknown (AADSTS7000215 / 700027) is sent again
    while a new one replicates, up to that many seconds (`core.token.replication`).
    `check_expiry`: read the credential's end date from Microsoft Graph with the token issued
    (`core.check.expiry`); certificates are dated from their file anyway.
    """

    jobs: int = DEFAULT_JOBS
    per_tenant: int = PER_TENANT
    deadline_s: float = DEFAULT_DEADLINE_S
    ca_file: str | None = None
    warn_days: float | None = None
    strict: bool = False
    check_expiry: bool = False
    wait_new_s: float | None = None  # retry a credential refused as unknown (replication)


class _Gates:
    """One semaphore per tenant (login host + tenant), made on first use."""

    def __init__(self, limit: int) -> None:
        self.limit, self._lock = limit, threading.Lock()
        self._gates: dict[str, threading.Semaphore] = {}

    def gate(self, item: CheckItem) -> threading.Semaphore:
        key = tenant_key(item)
        with self._lock:
            return self._gates.setdefault(key, threading.BoundedSemaphore(self.limit))


def tenant_key(item: CheckItem) -> str:
    """Requests to the same tenant of the same login host share one politeness limit."""
    inputs = item.inputs
    if inputs is None:
        return ""
    if inputs.token_url:
        return (urlsplit(inputs.token_url).hostname or inputs.token_url).lower()
    host = urlsplit(inputs.authority).hostname if inputs.authority else inputs.cloud
    return f"{(host or '').lower()}/{inputs.tenant.strip().lower()}"


class _Run:
    def __init__(self, settings: CheckSettings, cancel: threading.Event) -> None:
        from core.token.transport import SharedConnections

        self.settings, self.cancel = settings, cancel
        self.deadline = time.monotonic() + settings.deadline_s
        self.gates = _Gates(max(1, settings.per_tenant))
        self.shared = SharedConnections(size=max(settings.jobs, settings.per_tenant))
        self._certificates: dict[tuple[str, ...], object] = {}
        self._cert_lock = threading.Lock()

    def with_certificate(self, inputs: TokenRequestInput) -> TokenRequestInput:
        """The inputs with their certificate loaded once per run (parsing a key file takes
        tens of milliseconds; many profiles share one). A file that cannot be loaded is left
        to `request_token`, whose pre-flight finding explains it."""
        from core.token.models import CredentialKind

        if inputs.credential is not CredentialKind.CERTIFICATE or inputs.certificate is not None:
            return inputs
        import os

        from core.redaction import fingerprint
        from core.token.credential.certificate import CertificateError, load_certificate

        path, key = inputs.certificate_path.strip(), inputs.certificate_key_path.strip()
        try:
            stamp = tuple(str(os.stat(p).st_mtime_ns) for p in (path, key) if p)
        except OSError:
            return inputs
        password = inputs.certificate_password
        cache_key = (path, key, fingerprint(password) if password else "", *stamp)
        with self._cert_lock:
            loaded = self._certificates.get(cache_key)
            if loaded is None:
                try:
                    loaded = load_certificate(path, key, password)
                except CertificateError:
                    return inputs
                self._certificates[cache_key] = loaded
        return dataclasses.replace(inputs, certificate=loaded)  # type: ignore[arg-type]

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def stopped(self) -> str:
        if self.cancel.is_set():
            return "cancelled before it was sent"
        if self.remaining() <= 0:
            return f"not sent: the run's time limit ({self.settings.deadline_s:g} s) was reached"
        return ""

    def check(self, item: CheckItem) -> CheckOutcome:
        if item.inputs is None:
            return not_checked(item, item.problem)
        attempts, waited = 0, None
        while True:
            result = self._send_once(item)
            if isinstance(result, str):
                return not_checked(item, result)
            if result.failure is not None and result.failure.kind is FailureKind.CANCELLED:
                return not_checked(item, "cancelled while it was on its way")  # not a result
            attempts += 1
            wait_s = self._retry_wait(result) if attempts == 1 else None
            if wait_s is None:
                break
            log.info("check %s: HTTP 429, retrying after %.1f s", item.name, wait_s)
            waited = wait_s
            if self.cancel.wait(wait_s) or self.remaining() <= 0:
                break  # the 429 stays the result
        expires, source, note = None, "", ""
        if result.ok and self.settings.check_expiry and not self.stopped():
            from core.check.expiry import graph_expiry

            assert item.inputs is not None
            expires, source, note = graph_expiry(
                item, result, timeout_s=min(item.inputs.timeout_s, max(0.1, self.remaining())),
                ca_file=self.settings.ca_file, cancel=self.cancel,
            )  # fmt: skip
        return outcome_of(item, result, attempts=attempts, retry_after_s=waited,
                          credential_expires_at=expires, credential_expiry_source=source,
                          expiry_note=note,
                          warn_days=self.settings.warn_days,
                          strict=self.settings.strict)  # fmt: skip

    def _retry_wait(self, result: TokenResult) -> float | None:
        """The wait before the one retry of a 429, or None (no retry)."""
        if result.status != 429:
            return None
        asked = result.retry_after_s()
        wait_s = float(asked) if asked is not None else DEFAULT_RETRY_WAIT_S
        if wait_s > MAX_RETRY_WAIT_S or wait_s >= self.remaining() - 0.5:
            return None
        return wait_s

    def _send_once(self, item: CheckItem) -> TokenResult | str:
        from core.token.client import request_token

        assert item.inputs is not None
        gate = self.gates.gate(item)
        while not gate.acquire(timeout=_POLL_S):
            if why := self.stopped():
                return why
        try:
            if why := self.stopped():
                return why
            timeout = min(item.inputs.timeout_s, max(0.1, self.remaining()))
            inputs = self.with_certificate(dataclasses.replace(item.inputs, timeout_s=timeout))
            if self.settings.wait_new_s:
                from core.token.replication import request_token_retrying

                limit = max(0.0, min(self.settings.wait_new_s, self.remaining() - timeout))
                return request_token_retrying(inputs, limit_s=limit, ca_file=self.settings.ca_file,
                                              cancel=self.cancel, shared=self.shared)  # fmt: skip
            return request_token(inputs, ca_file=self.settings.ca_file, cancel=self.cancel,
                                 shared=self.shared)  # fmt: skip
        finally:
            gate.release()


def run_checks(
    items: Sequence[CheckItem],
    settings: CheckSettings = CheckSettings(),
    *,
    cancel: threading.Event | None = None,
    on_outcome: Callable[[int, CheckOutcome], None] | None = None,
) -> list[CheckOutcome]:
    """Check every item; returns the outcomes in the items' order.

    `on_outcome(index, outcome)` is called (on a worker thread) as each one ends. Setting
    `cancel` stops every wait within a fraction of a second: items not finished become
    "cancelled". The whole run ends by `settings.deadline_s`. A KeyboardInterrupt in the
    calling thread cancels the run and is raised again once the workers have stopped.
    """
    cancel = cancel or threading.Event()
    run = _Run(settings, cancel)
    outcomes: list[CheckOutcome | None] = [None] * len(items)
    jobs = max(1, min(settings.jobs, MAX_JOBS))

    def task(index: int) -> None:
        try:
            try:
                found = run.check(items[index])
            except Exception as exc:  # a bug in one check must not lose the others
                log.exception("check %s failed inside the tester", items[index].name)
                found = not_checked(items[index], f"the tester failed ({type(exc).__name__})")
            outcomes[index] = found
            if on_outcome is not None:
                on_outcome(index, found)
        finally:
            finished.release()  # whatever happened, the run counts this item as ended

    # One release per finished item: waiting on `wait(futures, FIRST_COMPLETED)` instead
    # installed a waiter on every pending future for every item that ended.
    finished = threading.Semaphore(0)
    pool = ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="check")
    try:
        for index in range(len(items)):
            pool.submit(task, index)
        left = len(items)
        while left:
            if finished.acquire(timeout=0.2):
                left -= 1
            if run.remaining() < -5.0:  # every wait inside is bounded; this is a backstop
                cancel.set()
    except BaseException:
        cancel.set()
        pool.shutdown(wait=True, cancel_futures=True)
        run.shared.close()
        raise
    pool.shutdown(wait=True)
    run.shared.close()
    why = "cancelled before it was sent" if cancel.is_set() else "not checked"
    return [o if o is not None else not_checked(items[i], why) for i, o in enumerate(outcomes)]
