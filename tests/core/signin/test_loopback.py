"""The loopback listener binds 127.0.0.1 only, serves one redirect, and always closes."""

from __future__ import annotations

import socket
import threading
import time
import urllib.error
import urllib.request

import pytest

from core.redaction import Scrubber, Secret
from core.signin.loopback import DONE_TEXT, ListenerError, LoopbackListener, Redirect


def _get(url: str) -> tuple[int, str]:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=5) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def _serve(listener: LoopbackListener, **kwargs: object) -> tuple[threading.Thread, list[Redirect]]:
    out: list[Redirect] = []
    kwargs.setdefault("expected_state", "s1")
    thread = threading.Thread(target=lambda: out.append(listener.wait(**kwargs)))  # type: ignore[arg-type]
    thread.start()
    return thread, out


def _refused(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) != 0


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_binds_loopback_ipv4_only_and_names_the_host_chosen(host: str) -> None:
    with LoopbackListener(host) as listener:
        assert listener.bound_address()[0] == "127.0.0.1"
        assert listener.redirect_uri == f"http://{host}:{listener.port}/"
    assert listener.closed and _refused(listener.port)


@pytest.mark.parametrize("host", ["0.0.0.0", "::1", "[::1]", "", "example.com", "::"])
def test_refuses_any_other_address(host: str) -> None:
    with pytest.raises(ListenerError, match=r"127\.0\.0\.1 or localhost"):
        LoopbackListener(host)


def test_one_redirect_gets_the_done_page_and_closes_the_port() -> None:
    listener = LoopbackListener()
    thread, out = _serve(listener)
    status, page = _get(f"{listener.redirect_uri}?code=the-code-123&state=s1")
    thread.join(5)
    assert status == 200 and DONE_TEXT in page
    assert out[0].code == Secret("the-code-123") and not out[0].state_mismatch
    assert out[0].received_at > 0
    assert listener.closed and _refused(listener.port)


def test_other_paths_and_silent_connections_do_not_end_the_wait() -> None:
    listener = LoopbackListener(path="/auth")
    thread, out = _serve(listener)
    with socket.create_connection(("127.0.0.1", listener.port)):
        pass  # a speculative connection that asks nothing
    assert _get(f"http://127.0.0.1:{listener.port}/favicon.ico")[0] == 404
    assert _get(f"http://127.0.0.1:{listener.port}/?code=x&state=s1")[0] == 404  # path matters
    assert _get(f"http://127.0.0.1:{listener.port}/x" + "a" * 20000)[0] == 431
    assert thread.is_alive() and not out
    assert _get(f"http://127.0.0.1:{listener.port}/auth?code=abcdef&state=s1")[0] == 200
    thread.join(5)
    assert out[0].code == Secret("abcdef")


def test_error_redirect_page_shows_the_error_escaped_and_scrubbed() -> None:
    listener = LoopbackListener()
    thread, out = _serve(listener, scrubber=Scrubber([Secret("hunter2-secret")]))
    query = ("error=invalid_request&error_description=AADSTS50011%3A+redirect+%3Cscript%3E"
             "+hunter2-secret&error_codes=50011&state=s1")  # fmt: skip
    status, page = _get(f"{listener.redirect_uri}?{query}")
    thread.join(5)
    assert status == 200 and "AADSTS50011" in page and "Sign-in failed" in page
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "hunter2-secret" not in page
    assert out[0].error == "invalid_request" and out[0].error_codes == (50011,)
    assert listener.closed


def test_state_mismatch_is_flagged_and_not_accepted() -> None:
    listener = LoopbackListener()
    thread, out = _serve(listener)
    _, page = _get(f"{listener.redirect_uri}?code=abcdef&state=other")
    thread.join(5)
    assert out[0].state_mismatch and "not accepted" in page and DONE_TEXT not in page


def test_timeout_ends_the_wait_and_closes() -> None:
    listener = LoopbackListener()
    started = time.monotonic()
    found = listener.wait(expected_state="s", timeout_s=0.3)
    assert found.timed_out and 0.25 < time.monotonic() - started < 3
    assert listener.closed and _refused(listener.port)


def test_cancel_ends_the_wait_and_closes() -> None:
    listener = LoopbackListener()
    cancel = threading.Event()
    thread, out = _serve(listener, cancel=cancel, timeout_s=30.0)
    cancel.set()
    thread.join(5)
    assert out[0].cancelled and listener.closed and _refused(listener.port)


def test_closes_even_when_waiting_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    listener = LoopbackListener()

    def broken(*args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(LoopbackListener, "_accept", broken)
    thread_error: list[BaseException] = []

    def run() -> None:
        try:
            listener.wait(expected_state="s", timeout_s=5)
        except RuntimeError as exc:
            thread_error.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    with socket.create_connection(("127.0.0.1", listener.port)):
        pass
    thread.join(5)
    assert thread_error and listener.closed and _refused(listener.port)


def test_a_port_in_use_is_a_plain_error() -> None:
    first = LoopbackListener()
    with first, pytest.raises(ListenerError, match=f"port {first.port}.*another program"):
        LoopbackListener(port=first.port)
