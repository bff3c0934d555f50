"""HTTP/1.1 on the wire for the sandbox: a light request-head parser and one-write answers.

The standard library parses request headers with the `email` package (about a tenth of a
token request's time in the sandbox); this reads the same head with plain string operations
and the same limits (65536 bytes a line, 100 header lines), and builds each answer's head in
one string. Everything else of `BaseHTTPRequestHandler` is kept.
"""

from __future__ import annotations

import os
import time
from email.utils import formatdate
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from io import BufferedIOBase

MAX_LINE = 65536
MAX_HEADERS = 100
_REASONS = {status.value: status.phrase for status in HTTPStatus}


class HeadTooLarge(ValueError):
    """A header line over MAX_LINE bytes, or more than MAX_HEADERS lines (answer 431)."""


class Headers:
    """Request headers by case-insensitive name; a repeated header reads as its first value
    (as `email.message.Message.get` does)."""

    __slots__ = ("_fields",)

    def __init__(self, fields: dict[str, str]) -> None:
        self._fields = fields

    def get(self, name: str, default: str = "") -> str:
        return self._fields.get(name.lower(), default)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._fields

    def __repr__(self) -> str:  # names only: values may hold credentials
        return f"Headers({sorted(self._fields)})"


def read_headers(rfile: BufferedIOBase) -> Headers:
    """Read header lines up to the empty line; folded lines join the header before them.

    Raises:
        HeadTooLarge: a line too long or too many lines.
    """
    fields: dict[str, str] = {}
    last = ""  # the header a folded line continues ('' after a repeat or a stray line)
    for _ in range(MAX_HEADERS + 1):
        raw = rfile.readline(MAX_LINE + 1)
        if len(raw) > MAX_LINE:
            raise HeadTooLarge("header line too long")
        if raw in (b"\r\n", b"\n", b""):
            return Headers(fields)
        line = raw.decode("iso-8859-1")
        if line[0] in " \t":  # obsolete line folding: more of the header before
            if last:
                fields[last] = f"{fields[last]} {line.strip()}".strip()
            continue
        key, sep, value = line.partition(":")
        last = key.strip().lower() if sep else ""
        if last in fields:
            last = ""  # a repeat: the first value stays
        elif last:
            fields[last] = value.strip()
    raise HeadTooLarge(f"got more than {MAX_HEADERS} headers")


def guid() -> str:
    """A random (version 4) GUID in its canonical text form, like `str(uuid.uuid4())`."""
    raw = bytearray(os.urandom(16))
    raw[6] = (raw[6] & 0x0F) | 0x40
    raw[8] = (raw[8] & 0x3F) | 0x80
    h = raw.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


_date: tuple[int, str] = (0, "")


def http_date() -> str:
    """The Date header's value (RFC 7231 IMF-fixdate), formatted once a second."""
    global _date
    now = int(time.time())
    second, text = _date
    if second != now:
        text = formatdate(now, usegmt=True)
        _date = (now, text)
    return text


def answer_head(status: int, server: str, headers: dict[str, str]) -> bytes:
    """Status line, Server, Date and `headers`, ending with the empty line."""
    lines = [f"HTTP/1.1 {status} {_REASONS.get(status, '')}", f"Server: {server}",
             f"Date: {http_date()}", *(f"{k}: {v}" for k, v in headers.items())]  # fmt: skip
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", "strict")


class WireHandler(BaseHTTPRequestHandler):
    """HTTP/1.1 keep-alive with the light head parser; each answer in one write.

    Every answer leaves in one write (head and body buffered, flushed after each request) with
    TCP_NODELAY: otherwise Nagle's algorithm and the client's delayed ACK hold each answer on
    a reused or HTTPS connection for about 40 ms.
    """

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    wbufsize = -1
    headers: Headers  # type: ignore[assignment]
    raw_requestline: bytes

    def parse_request(self) -> bool:
        """The request line as the standard library reads it, the headers by
        `core.sandbox.wire` (without the email parser); False once an error is answered."""
        self.command = None  # type: ignore[assignment]  # set in case of error on the line
        self.request_version = self.protocol_version  # an error answer has a head, even then
        self.close_connection = True
        self.requestline = line = str(self.raw_requestline, "iso-8859-1").rstrip("\r\n")
        words, number = line.split(), (0, 9)
        if not words:
            return False
        if len(words) >= 3:
            version = words[-1]
            major, dot, minor = version[5:].partition(".")
            if not (version.startswith("HTTP/") and dot and major.isdigit() and minor.isdigit()
                    and len(major) <= 10 and len(minor) <= 10):  # fmt: skip
                self.send_error(HTTPStatus.BAD_REQUEST, f"Bad request version ({version!r})")
                return False
            number = int(major), int(minor)
            if number >= (2, 0):
                self.send_error(HTTPStatus.HTTP_VERSION_NOT_SUPPORTED,
                                f"Invalid HTTP version ({version[5:]})")  # fmt: skip
                return False
            self.close_connection = number < (1, 1)
            self.request_version = version
        if len(words) != 3:  # HTTP/0.9 (a bare "GET /path") is not served either
            self.send_error(HTTPStatus.BAD_REQUEST, f"Bad request syntax ({line!r})")
            return False
        command, path, _ = words
        self.command = command
        self.path = "/" + path.lstrip("/") if path.startswith("//") else path
        try:
            self.headers = read_headers(self.rfile)
        except HeadTooLarge as exc:
            self.send_error(HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, None, str(exc))
            return False
        connection = self.headers.get("Connection").lower()
        if connection in ("close", "keep-alive"):
            self.close_connection = connection == "close"
        if self.headers.get("Expect").lower() == "100-continue" and number >= (1, 1):
            return self.handle_expect_100()
        return True

    def handle_expect_100(self) -> bool:
        """100 Continue, sent now: the client waits for it before sending its body."""
        super().handle_expect_100()
        self.wfile.flush()
        return True

    def write_answer(self, status: int, headers: dict[str, str], data: bytes) -> None:
        """Head and body (none for HEAD) into the write buffer: one write when small."""
        self.log_request(status)
        head = answer_head(status, self.version_string(), headers)
        if self.command == "HEAD":
            self.wfile.write(head)
        elif len(data) <= 65536:
            self.wfile.write(head + data)
        else:
            self.wfile.write(head)
            self.wfile.write(data)
