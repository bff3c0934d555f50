"""Fault tenants: token endpoints that answer slowly, throttle, fail, or break the connection."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from core.sandbox.errors import EntraError

RETRY_AFTER_S = 30
HUGE_BODY_BYTES = 6 * 1024 * 1024
GATEWAY_PAGE = (
    b"<!DOCTYPE html>\n<html><head><title>503 Service Temporarily Unavailable</title></head>\n"
    b"<body><center><h1>503 Service Temporarily Unavailable</h1></center>\n"
    b"<hr><center>gateway</center>\n</body></html>\n"
)
CUT_JSON = b'{"token_type":"Bearer","expires_in":3599,"ext_expires_in":3599,"access_token":"eyJ0eX'

# A fault handler answers (returns True) or lets the request go on (returns None).
FaultHandler = Callable[[Any], "bool | None"]


def _slow(handler: Any) -> bool | None:
    """Wait the sandbox's slow delay, then answer normally (or drop if the sandbox stops)."""
    if handler.server.stopping.wait(handler.server.sandbox.slow_delay_s):
        handler.close_connection = True
        return True
    return None


def _throttled(handler: Any) -> bool | None:
    raise EntraError(90055, retry_after=RETRY_AFTER_S)


def _unavailable(handler: Any) -> bool:
    handler.send_raw(503, GATEWAY_PAGE, "text/html", {"Retry-After": "10"})
    return True


def _malformed_json(handler: Any) -> bool:
    handler.send_raw(200, CUT_JSON, "application/json; charset=utf-8")
    return True


@functools.lru_cache(maxsize=1)
def huge_body() -> bytes:
    """An HTML page of several megabytes (an error page stuffed with a dump)."""
    row = b"<tr><td>debug</td><td>" + b"x" * 100 + b"</td></tr>\n"
    head = b"<!DOCTYPE html><html><head><title>Diagnostics</title></head><body><table>\n"
    count = (HUGE_BODY_BYTES - len(head)) // len(row)
    return head + row * count + b"</table></body></html>\n"


def _huge(handler: Any) -> bool:
    handler.send_raw(200, huge_body(), "text/html; charset=utf-8")
    return True


def _dropped(handler: Any) -> bool:
    """Promise a full JSON body, send its first bytes, then close the connection."""
    handler.close_connection = True
    handler.send_raw(200, CUT_JSON, "application/json; charset=utf-8", length=4096)
    handler.wfile.flush()
    return True


FAULT_HANDLERS: dict[str, FaultHandler] = {
    "slow": _slow,
    "throttled": _throttled,
    "unavailable": _unavailable,
    "malformed_json": _malformed_json,
    "huge_body": _huge,
    "dropped": _dropped,
}
