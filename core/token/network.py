"""How the client reaches a server: which certificates it trusts, which proxy it uses, and what
a failure with no HTTP answer means in plain words."""

from __future__ import annotations

import functools
import os
import socket
import ssl
from collections.abc import Mapping
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from core.token.authority import is_loopback_host
from core.token.result import FailureKind, TransportFailure

if TYPE_CHECKING:
    import urllib3

# Environment variables naming a CA bundle that replaces the OS trust store (as requests and
# curl read them), in the order they are honoured.
CA_BUNDLE_ENV = ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")


class NetworkSetupError(Exception):
    """The connection cannot even be set up (a CA file that is missing, a proxy we cannot use)."""

    def __init__(self, failure: TransportFailure) -> None:
        super().__init__(failure.message)
        self.failure = failure


def ca_source(ca_file: str | None, environ: Mapping[str, str] = os.environ) -> tuple[str, str]:
    """(CA bundle path, where it was named) or ("", "") for the operating system's trust store."""
    if ca_file:
        return ca_file, "the CA file setting"
    for name in CA_BUNDLE_ENV:
        if environ.get(name, "").strip():
            return environ[name].strip(), name
    return "", ""


def ssl_context(ca_file: str | None = None) -> ssl.SSLContext:
    """Certificate checks against the OS trust store (truststore: Windows, macOS, the Linux CA
    store, so a company's TLS-inspecting proxy works), or against an explicit CA bundle
    (`ca_file`, else REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE), which then replaces it.

    Raises:
        NetworkSetupError: the CA bundle named is missing or unreadable (a TLS failure).
    """
    path, origin = ca_source(ca_file)
    if not path:
        return _os_trust_store()
    if not os.path.isfile(path):
        raise NetworkSetupError(
            TransportFailure(
                FailureKind.TLS,
                f"The CA file named by {origin} does not exist: {path}.",
                f"{origin}={path}",
            )
        )
    try:
        return _bundle_context(path, os.stat(path).st_mtime_ns)
    except (OSError, ssl.SSLError, ValueError) as exc:
        raise NetworkSetupError(
            TransportFailure(
                FailureKind.TLS,
                f"The CA file named by {origin} ({path}) holds no usable certificate.",
                f"{type(exc).__name__}: {exc}",
            )
        ) from None


@functools.lru_cache(maxsize=1)
def _os_trust_store() -> ssl.SSLContext:
    """One truststore context for the process (making one costs ~30 ms; it is reusable and
    reads the OS trust store on each handshake)."""
    import truststore

    return truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


@functools.lru_cache(maxsize=4)
def _bundle_context(path: str, mtime_ns: int) -> ssl.SSLContext:
    """A context trusting one CA bundle, made again when the file changes."""
    return ssl.create_default_context(cafile=path)


def proxy_for(url: str) -> str | None:
    """The proxy for a URL, from the environment (HTTPS_PROXY, HTTP_PROXY, ALL_PROXY, NO_PROXY)
    and the operating system's settings (Windows, macOS); never one for loopback addresses."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if not host or is_loopback_host(host):
        return None
    import urllib.request  # ~8 ms (tempfile, shutil, mimetypes): not for loopback servers

    proxies = urllib.request.getproxies()
    chosen = proxies.get(parts.scheme) or proxies.get("all")
    if not chosen:
        return None
    try:
        if urllib.request.proxy_bypass(host):
            return None
    except (OSError, ValueError):
        pass
    return chosen if "://" in chosen else f"http://{chosen}"


def pool_manager(
    url: str, ca_file: str | None, pool_classes: dict[str, type], *, size: int = 1
) -> urllib3.PoolManager:
    """A connection pool for one exchange (`size` 1), or one shared by a batch of exchanges
    (up to `size` hosts, `size` open connections each): direct, or through the proxy
    `proxy_for` names.

    Raises:
        NetworkSetupError: a CA file or proxy that cannot be used.
    """
    import urllib3

    proxy = proxy_for(url)
    tls = url.lower().startswith("https:") or (proxy or "").lower().startswith("https:")
    context = ssl_context(ca_file) if tls else None  # plain http (loopback) needs no trust
    if proxy is None:
        manager = urllib3.PoolManager(
            num_pools=size, maxsize=size, ssl_context=context, retries=False
        )
    else:
        parts = urlsplit(proxy)
        if parts.scheme not in ("http", "https"):
            raise NetworkSetupError(
                TransportFailure(
                    FailureKind.PROXY,
                    f"The proxy {_without_userinfo(proxy)} uses {parts.scheme}://, which this "
                    "tool does not support; use an http:// or https:// proxy.",
                )
            )
        headers = None
        if parts.username is not None:
            credentials = f"{unquote(parts.username)}:{unquote(parts.password or '')}"
            headers = urllib3.make_headers(proxy_basic_auth=credentials)
        manager = urllib3.ProxyManager(
            _without_userinfo(proxy), num_pools=size, maxsize=size, proxy_headers=headers,
            ssl_context=context,
            proxy_ssl_context=context if parts.scheme == "https" else None, retries=False,
        )  # fmt: skip
    manager.pool_classes_by_scheme = pool_classes
    return manager


def _without_userinfo(url: str) -> str:
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return parts._replace(netloc=parts.netloc.rpartition("@")[2]).geturl()


def host_of(url: str) -> str:
    """The host[:port] of a URL for messages (never the user name or password it may hold)."""
    try:
        netloc = urlsplit(url).netloc
    except ValueError:
        return "the server"
    return netloc.rpartition("@")[2] or "the server"


def _chain(exc: BaseException) -> list[BaseException]:
    seen, out = set(), []
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        out.append(current)
        nested = getattr(current, "reason", None)  # urllib3 wraps the cause in .reason
        following = current.__cause__ or current.__context__
        current = nested if isinstance(nested, BaseException) else following
    return out


def chain_text(exc: BaseException) -> str:
    """The messages of an exception and its causes, one line (scrub before showing it)."""
    return " <- ".join(f"{type(e).__name__}: {e}" for e in _chain(exc))[:2000]


_DNS_WORDS = (
    "name or service not known", "nodename nor servname", "getaddrinfo failed",
    "name resolution", "no address associated", "failed to resolve", "temporary failure in name",
)  # fmt: skip


def classify(exc: BaseException, url: str, timeout_s: float) -> TransportFailure:
    """A failure with no HTTP answer, classified, with a plain one-line message."""
    import urllib3.exceptions as u3

    host = host_of(url)
    chain = _chain(exc)
    detail = chain_text(exc)
    lowered = detail.lower()

    def has(*types: type) -> bool:
        return any(isinstance(e, types) for e in chain)

    if has(u3.ProxySchemeUnknown, u3.ProxySchemeUnsupported) or (
        has(u3.ProxyError) and "407" not in lowered
    ):
        return TransportFailure(
            FailureKind.PROXY, "The proxy server could not be reached or refused the request.",
            detail,
        )  # fmt: skip
    if has(u3.ProxyError) or "407 proxy authentication" in lowered:
        return TransportFailure(
            FailureKind.PROXY_AUTH,
            "The proxy server asked for credentials (HTTP 407 Proxy Authentication Required).",
            detail,
        )
    if has(u3.LocationValueError) or (has(ValueError) and not has(OSError, u3.HTTPError)):
        return TransportFailure(FailureKind.INVALID_URL, f"'{url}' is not a valid URL.", detail)
    if has(u3.SSLError, ssl.SSLError, ssl.CertificateError):
        return TransportFailure(
            FailureKind.TLS, f"The TLS (HTTPS) connection to {host} could not be verified.", detail
        )
    if has(u3.NameResolutionError, socket.gaierror) or any(w in lowered for w in _DNS_WORDS):
        return TransportFailure(FailureKind.DNS, f"The host name {host} could not be resolved.",
                                detail)  # fmt: skip
    if has(ConnectionRefusedError) or "refused" in lowered:
        return TransportFailure(
            FailureKind.REFUSED, f"{host} refused the connection (nothing listens there).", detail
        )
    if has(u3.ReadTimeoutError, TimeoutError) or (
        has(u3.ConnectTimeoutError) and not has(u3.NewConnectionError)
    ):
        return timeout_failure(host, timeout_s, detail)
    return TransportFailure(
        FailureKind.CONNECTION, f"The connection to {host} broke before a full answer came.",
        detail,
    )  # fmt: skip


def timeout_failure(host: str, timeout_s: float, detail: str = "") -> TransportFailure:
    """No complete answer within the total time allowed (connect to last byte)."""
    return TransportFailure(
        FailureKind.TIMEOUT, f"No complete answer from {host} within {timeout_s:g} s.", detail
    )
