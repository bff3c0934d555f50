"""Start and stop the sandbox: a background thread serving 127.0.0.1, optionally over TLS."""

from __future__ import annotations

import logging
import shutil
import ssl
import tempfile
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from types import TracebackType

from core.sandbox.certificates import demo_certificates, refresh_tokens, write_files
from core.sandbox.directory import DEFAULT_NEW_SECRET_DELAY_S, NEW_SECRET
from core.sandbox.keys import signing_key, tls_material
from core.sandbox.server import SandboxServer
from core.sandbox.signin_state import SignInState

log = logging.getLogger(__name__)


class Sandbox:
    """The local Entra-like identity provider, served on 127.0.0.1 from a background thread.

    Use as a context manager (`with Sandbox() as sb: ... sb.base_url ...`) or call `start()`
    and `stop()`. `stop()` is idempotent and leaves no thread, socket or temporary file behind.

    The Contoso Daemon's just-created secret is refused as unknown until `new_secret_delay_s`
    after the start (or after `recreate_new_secret()`), measured on `clock` (injectable).
    """

    def __init__(
        self, *, port: int = 0, tls: bool = False, slow_delay_s: float = 5.0,
        new_secret_delay_s: float = DEFAULT_NEW_SECRET_DELAY_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:  # fmt: skip
        self.port = port
        self.tls = tls
        self.slow_delay_s = slow_delay_s
        self.new_secret_delay_s = new_secret_delay_s
        self._clock = clock
        self._new_secret_since = clock()
        self.ca_file: Path | None = None
        self._server: SandboxServer | None = None
        self._thread: threading.Thread | None = None
        self._tmp: Path | None = None
        self._lock = threading.Lock()

    @property
    def base_url(self) -> str:
        """`http(s)://127.0.0.1:PORT`, no trailing slash."""
        if self._server is None:
            raise RuntimeError("the sandbox is not running")
        scheme = "https" if self.tls else "http"
        return f"{scheme}://127.0.0.1:{self._server.server_address[1]}"

    @property
    def running(self) -> bool:
        return self._server is not None

    def start(self) -> Sandbox:
        """Bind 127.0.0.1 and serve in a background thread; returns self."""
        with self._lock:
            if self._server is not None:
                return self
            signing_key()  # made before the first request, not during it
            self._new_secret_since = self._clock()
            demo_certificates()
            server = SandboxServer(("127.0.0.1", self.port), self)
            try:
                self._tmp = Path(tempfile.mkdtemp(prefix="entra-sandbox-"))
                self._server = server  # base_url is known from here on
                write_files(self._tmp, self.base_url)
                if self.tls:
                    server.tls = self._tls_context()
            except BaseException:
                self._server = None
                server.server_close()
                self._remove_tmp()
                raise
            self._server = server
            self._thread = threading.Thread(
                target=server.serve_forever, kwargs={"poll_interval": 0.05},
                name=f"sandbox-{server.server_address[1]}", daemon=True,
            )  # fmt: skip
            self._thread.start()
            log.info("sandbox serving on %s", self.base_url)
            return self

    @property
    def files_dir(self) -> Path:
        """The temporary folder holding the demo certificates and token files (see FILES)."""
        if self._tmp is None:
            raise RuntimeError("the sandbox is not running")
        return self._tmp

    def refresh_tokens(self) -> None:
        """Mint the token files again (external tokens and ready-made assertions expire)."""
        refresh_tokens(self.files_dir, self.base_url)

    @property
    def signin(self) -> SignInState:
        """The running server's sign-in state (codes, device codes, consents given)."""
        if self._server is None:
            raise RuntimeError("the sandbox is not running")
        state: SignInState = self._server.signin
        return state

    def new_secret_ready_in(self) -> float:
        """Seconds until the just-created secret has replicated (0 once it works)."""
        return max(0.0, self._new_secret_since + self.new_secret_delay_s - self._clock())

    def recreate_new_secret(self) -> None:
        """Create the new secret again: it is refused for `new_secret_delay_s` from now."""
        self._new_secret_since = self._clock()

    def scenario_form(self, form: Mapping[str, str]) -> dict[str, str]:
        """A scenario's form with `{files}` replaced by this sandbox's folder; token files are
        re-minted first, so a loaded scenario never starts with an expired token, and a form
        sending the just-created secret creates it again (its replication delay starts now)."""
        if any("{files}" in value for value in form.values()):
            self.refresh_tokens()
        if form.get("client_secret") == NEW_SECRET.value:
            self.recreate_new_secret()
        return {k: v.replace("{files}", str(self.files_dir)) for k, v in form.items()}

    def _tls_context(self) -> ssl.SSLContext:
        material = tls_material()
        assert self._tmp is not None
        self.ca_file = self._tmp / "sandbox-ca.pem"
        self.ca_file.write_bytes(material.ca_pem)
        cert, key = self._tmp / "server.pem", self._tmp / "server.key"
        cert.write_bytes(material.cert_pem)
        key.write_bytes(material.key_pem)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert, key)
        key.unlink()
        return context

    def stop(self) -> None:
        """Stop serving, cut open connections, join every thread, release the port."""
        with self._lock:
            server, thread = self._server, self._thread
            if server is None:
                return
            server.stopping.set()
            server.shutdown()
            server.cut_connections()
            server.server_close()  # closes the socket and joins the request threads
            if thread is not None:
                thread.join()
            self._server = self._thread = None
            self._remove_tmp()
            log.info("sandbox stopped")

    def _remove_tmp(self) -> None:
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None
            self.ca_file = None

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
