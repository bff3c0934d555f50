"""The sandbox's own request-head parser, over raw sockets: what the standard library's did."""

from __future__ import annotations

import io
import socket
from urllib.parse import urlencode

import pytest

from core.sandbox import Sandbox, scenarios
from core.sandbox.wire import MAX_HEADERS, HeadTooLarge, guid, read_headers

FORM = next(s for s in scenarios() if s.key == "cc-v2-graph").form
TOKEN_PATH = f"/{FORM['tenant']}/oauth2/v2.0/token".encode()
FIELDS = {"grant_type": "client_credentials", "client_id": FORM["client_id"],
          "client_secret": FORM["client_secret"], "scope": FORM["scope"]}  # fmt: skip
BODY = urlencode(FIELDS).encode()
DISCOVERY = f"/{FORM['tenant']}/v2.0/.well-known/openid-configuration".encode()


def _exchange(sandbox: Sandbox, raw: bytes, *, until_close: bool = True) -> bytes:
    port = int(sandbox.base_url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(raw)
        if not until_close:
            s.shutdown(socket.SHUT_WR)
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    return data


def _token_post(extra: bytes = b"", body: bytes = BODY, version: bytes = b"HTTP/1.1") -> bytes:
    return (b"POST " + TOKEN_PATH + b" " + version + b"\r\nHost: x\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n" + extra +
            b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)  # fmt: skip


def test_headers_by_any_case_first_of_repeats_folded_lines_joined() -> None:
    """Names match in any case; a repeated header keeps its first value; a folded line joins."""
    head = io.BytesIO(b"Content-TYPE: text/plain\r\nX-Two: first\r\nx-two: second\r\n"
                      b"X-Long: one\r\n  two\r\nno colon here\r\n\r\nbody")  # fmt: skip
    headers = read_headers(head)  # type: ignore[arg-type]
    assert headers.get("content-type") == "text/plain"
    assert headers.get("X-TWO") == "first"
    assert headers.get("x-long") == "one two"
    assert headers.get("Missing") == "" and "x-two" in headers and "no colon here" not in headers
    assert head.read() == b"body"


def test_header_values_stay_out_of_the_repr() -> None:
    """A header value may be a credential: the repr names the headers only."""
    headers = read_headers(io.BytesIO(b"Authorization: Basic c2VjcmV0\r\n\r\n"))  # type: ignore[arg-type]
    assert "c2VjcmV0" not in repr(headers) and "authorization" in repr(headers)


def test_head_limits() -> None:
    """At most 100 header lines of at most 65536 bytes each."""
    enough = b"".join(b"X-%d: v\r\n" % i for i in range(MAX_HEADERS)) + b"\r\n"
    assert read_headers(io.BytesIO(enough)).get("x-99") == "v"  # type: ignore[arg-type]
    with pytest.raises(HeadTooLarge):
        read_headers(io.BytesIO(b"X-A: v\r\n" + enough))  # type: ignore[arg-type]
    with pytest.raises(HeadTooLarge):
        read_headers(io.BytesIO(b"X-A: " + b"v" * 65536 + b"\r\n\r\n"))  # type: ignore[arg-type]


def test_guid_is_a_version_4_guid() -> None:
    """The request and correlation IDs have the canonical form and version/variant bits."""
    import uuid

    values = {guid() for _ in range(200)}
    assert len(values) == 200
    for value in values:
        parsed = uuid.UUID(value)
        assert str(parsed) == value and parsed.version == 4
        assert parsed.variant == uuid.RFC_4122


def test_keep_alive_answers_two_requests_then_closes_on_connection_close(
    sandbox: Sandbox,
) -> None:
    """Two requests on one connection; the second asks to close, and the server does."""
    raw = _token_post() + _token_post(b"Connection: close\r\n")
    data = _exchange(sandbox, raw)
    assert data.count(b"HTTP/1.1 200 OK\r\n") == 2
    assert data.count(b'"access_token":"') == 2


def test_http_1_0_closes_after_one_answer(sandbox: Sandbox) -> None:
    """An HTTP/1.0 request gets its answer and the connection ends (no keep-alive asked)."""
    data = _exchange(sandbox, _token_post(version=b"HTTP/1.0"))
    assert data.startswith(b"HTTP/1.1 200 OK\r\n") and data.count(b"HTTP/1.1") == 1


def test_answer_head_in_one_piece(sandbox: Sandbox) -> None:
    """Status line, Server, Date, Entra's headers, the body's type and length; HEAD no body."""
    data = _exchange(sandbox, b"GET " + DISCOVERY + b" HTTP/1.1\r\nHost: x\r\n"
                     b"Connection: close\r\n\r\n")  # fmt: skip
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    assert lines[0] == "HTTP/1.1 200 OK"
    assert lines[1] == "Server: EntraSandbox/1.0" and lines[2].startswith("Date: ")
    assert lines[2].endswith(" GMT")
    fields = dict(line.split(": ", 1) for line in lines[1:])
    assert fields["Content-Length"] == str(len(body)) and body.startswith(b"{")
    assert fields["Content-Type"] == "application/json; charset=utf-8"
    assert fields["Cache-Control"] == "max-age=86400, private" and "Pragma" not in fields
    head_only = _exchange(sandbox, b"HEAD " + DISCOVERY + b" HTTP/1.1\r\nHost: x\r\n"
                          b"Connection: close\r\n\r\n")  # fmt: skip
    assert head_only.partition(b"\r\n\r\n")[2] == b""


def test_expect_100_continue(sandbox: Sandbox) -> None:
    """A client that waits for 100 Continue before its body gets it, then the token."""
    port = int(sandbox.base_url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        head = _token_post(b"Expect: 100-continue\r\nConnection: close\r\n", body=b"")
        s.sendall(head.replace(b"Content-Length: 0", b"Content-Length: %d" % len(BODY)))
        assert s.recv(65536).startswith(b"HTTP/1.1 100 Continue\r\n")
        s.sendall(BODY)
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    assert data.startswith(b"HTTP/1.1 200 OK\r\n") and b'"access_token"' in data


@pytest.mark.parametrize(
    ("line", "status"),
    [
        (b"POST " + TOKEN_PATH + b" HTTP/2.0", b"505"),
        (b"POST " + TOKEN_PATH + b" HTTPS/1.1", b"400"),
        (b"POST " + TOKEN_PATH + b" HTTP/1.x", b"400"),
        (b"POST a b HTTP/1.1", b"400"),
    ],
)
def test_bad_request_lines(sandbox: Sandbox, line: bytes, status: bytes) -> None:
    """A request line the server cannot read gets 400 (or 505 for HTTP/2) and a close."""
    data = _exchange(sandbox, line + b"\r\nHost: x\r\n\r\n")
    assert data.startswith(b"HTTP/1.1 " + status + b" ")


def test_too_many_headers_get_431(sandbox: Sandbox) -> None:
    """101 header lines: 431 and the connection ends."""
    many = b"".join(b"X-%d: v\r\n" % i for i in range(MAX_HEADERS + 1))
    data = _exchange(sandbox, b"GET " + DISCOVERY + b" HTTP/1.1\r\n" + many + b"\r\n")
    assert data.startswith(b"HTTP/1.1 431 ")
