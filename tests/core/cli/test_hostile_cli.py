"""`main.py token` against a hostile endpoint: no secret in any encoding, every wait ends, no
traceback, the documented exit codes, nothing a server sends can drive the terminal."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.hostile import ESCAPES, HostileServer, leaks

ROOT = Path(__file__).resolve().parents[3]
SECRET = 'Zx9Q~h0st/le+s3cr3t"&<é>'
PASSWORD = 'P@ss wörd/+"&<x>'
CLIENT = "6e74172b-be56-4843-9ff4-e66a39bb12e3"
ODD_CLIENT = "my app+1/é"  # a custom server's client ID: Basic must form-encode it too


@pytest.fixture(scope="module")
def hostile() -> Iterator[HostileServer]:
    with HostileServer() as server:
        yield server


def _run(*args: str, stdin: str = "", env: dict[str, str] | None = None,
         timeout: float = 60) -> subprocess.CompletedProcess[str]:  # fmt: skip
    return subprocess.run(
        [sys.executable, "main.py", "token", *args],
        cwd=ROOT, input=stdin, capture_output=True, text=True, timeout=timeout,
        env={**os.environ, "HOSTILE_SECRET": SECRET, "HOSTILE_PASSWORD": PASSWORD, **(env or {})},
    )  # fmt: skip


def _token(server: HostileServer, path: str, *extra: str, **kwargs) -> subprocess.CompletedProcess:
    return _run("--token-url", server.base_url + path, "--client-id", CLIENT,
                "--secret-env", "HOSTILE_SECRET", "--timeout", "10", *extra, **kwargs)  # fmt: skip


def _clean(proc: subprocess.CompletedProcess[str]) -> None:
    output = proc.stdout + proc.stderr
    assert leaks(output, [SECRET, PASSWORD], CLIENT) == [], output[:3000]
    assert leaks(output, [SECRET, PASSWORD], ODD_CLIENT) == []
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize(
    ("path", "extra"),
    [
        ("/echo", ("--json", "--auth-method", "basic")),
        ("/echo", ()),
        ("/echo-html", ("--json",)),
        ("/echo-text", ("--auth-method", "basic")),
        ("/echo-token", ("--json", "--auth-method", "basic")),
        ("/echo-token", ()),
    ],
)
def test_an_echoing_endpoint_never_gets_the_secret_printed(
    hostile: HostileServer, path: str, extra: tuple[str, ...]
) -> None:
    """Whatever field, header or body echoes the request, in whatever encoding, the secret
    never reaches stdout or stderr (human or --json, body or Basic authentication)."""
    proc = _token(hostile, path, *extra)
    sent = hostile.requests[-1]
    assert sent["path"] == path
    sent_secret = sent["form"].get("client_secret", "") + _basic_secret(sent)
    assert SECRET in sent_secret
    _clean(proc)
    if "--json" in extra:
        doc = json.loads(proc.stdout)
        assert set(doc) >= {"response", "token", "error", "failure", "verdict", "diagnosis"}
        if path == "/echo":
            assert doc["error"]["error_codes"] == [7000215]
            assert "AADSTS7000215" in doc["error"]["error_description"]  # scrubbed, not blanked
            assert "********" in doc["error"]["error_description"]
        if path == "/echo-html":
            assert doc["response"]["text"].startswith("<html>")
    assert proc.returncode in (0, 1)


def _basic_secret(sent: dict) -> str:
    import base64
    from urllib.parse import unquote_plus

    auth = sent["headers"].get("Authorization", "")
    if not auth.startswith("Basic "):
        return ""
    return unquote_plus(base64.b64decode(auth[6:]).decode().partition(":")[2])


def test_secret_then_password_on_stdin_are_masked_too(hostile: HostileServer) -> None:
    """Password grant with a confidential client: the secret (first line) and the password
    (second line) both reach the server in that order, and neither comes back out."""
    proc = _run("--token-url", hostile.base_url + "/echo", "--client-id", CLIENT, "--json",
                "--grant", "password", "--username", "ada@contoso.example", "--secret-stdin",
                "--password-stdin", stdin=f"{SECRET}\n{PASSWORD}\n")  # fmt: skip
    form = hostile.requests[-1]["form"]
    assert (form["client_secret"], form["password"]) == (SECRET, PASSWORD)
    _clean(proc)
    assert proc.returncode == 1


def test_basic_form_encodes_an_odd_client_id_and_masks_it(hostile: HostileServer) -> None:
    """A custom server's client ID with spaces and '+' is form-encoded inside Basic."""
    proc = _run("--token-url", hostile.base_url + "/echo", "--client-id", ODD_CLIENT,
                "--secret-env", "HOSTILE_SECRET", "--auth-method", "basic")  # fmt: skip
    import base64

    auth = hostile.requests[-1]["headers"]["Authorization"]
    assert base64.b64decode(auth[6:]).decode().startswith("my+app%2B1%2F%C3%A9:")
    _clean(proc)


def test_escape_sequences_from_a_server_are_shown_not_obeyed(hostile: HostileServer) -> None:
    """ANSI escapes and bidi overrides in an answer are printed as visible escapes."""
    proc = _token(hostile, "/escape")
    assert proc.returncode == 1
    for char in ("\x1b", "\u202e", "\u202c", "\x07"):
        assert char not in proc.stdout and char not in proc.stderr
    assert "\\x1b[2J" in proc.stdout and "\\u202e" in proc.stdout
    doc = json.loads(_token(hostile, "/escape", "--json").stdout)
    assert doc["error"]["error_description"] == ESCAPES  # JSON keeps it, escaped by json
    assert doc["error"]["error_uri"] is None and doc["error"]["timestamp"] is None  # not ""


def test_a_dripping_server_ends_in_a_timeout_after_the_limit(hostile: HostileServer) -> None:
    """One byte every 0.2 s never ends a per-read timeout; --timeout 1 ends the whole
    exchange after 1 s: exit 3, a timeout diagnosis."""
    started = time.monotonic()
    proc = _run("--token-url", hostile.base_url + "/drip", "--client-id", CLIENT,
                "--secret-env", "HOSTILE_SECRET", "--timeout", "1", "--json")  # fmt: skip
    took = time.monotonic() - started
    doc = json.loads(proc.stdout)
    assert proc.returncode == 3 and doc["failure"]["kind"] == "timeout"
    assert "1 s" in doc["failure"]["message"] and doc["diagnosis"]["code"] == "timeout"
    assert took < 6  # start-up plus 1 s; the default 30 s would fail this


def test_json_nested_100000_deep_is_refused_plainly(hostile: HostileServer) -> None:
    """A 200 whose JSON nests 100 000 deep: exit 1, a plain diagnosis, no RecursionError."""
    proc = _token(hostile, "/deep", "--json")
    doc = json.loads(proc.stdout)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "nested more than 64 levels" in doc["response"]["problem"]
    assert doc["diagnosis"]["title"] == "The answer was cut off or is not valid JSON"


def test_a_cut_off_200_is_diagnosed_as_cut_off(hostile: HostileServer) -> None:
    """HTTP 200 with JSON cut in the middle says so, not 'no access_token'."""
    proc = _token(hostile, "/truncated")
    assert proc.returncode == 1
    assert "The answer was cut off or is not valid JSON" in proc.stdout
    assert "No access token in the answer" not in proc.stdout


def test_redirects_are_never_followed(hostile: HostileServer) -> None:
    """A 302 from the token endpoint is the answer; its Location is never requested."""
    before = hostile.hits.get("/landing", 0)
    doc = json.loads(_token(hostile, "/redirect", "--json").stdout)
    assert doc["response"]["status"] == 302 and doc["outcome"] == "refused"
    assert hostile.hits.get("/landing", 0) == before == 0


def test_proxy_that_wants_credentials_is_diagnosed(hostile: HostileServer) -> None:
    """HTTPS through a proxy answering 407: exit 3, failure kind proxy_auth, plain advice."""
    url = "https://login.microsoftonline.com/contoso.example/oauth2/v2.0/token"
    proc = _run("--token-url", url, "--client-id", CLIENT, "--secret-env", "HOSTILE_SECRET",
                "--json", "--timeout", "10", env={"HTTPS_PROXY": hostile.base_url})  # fmt: skip
    doc = json.loads(proc.stdout)
    assert proc.returncode == 3 and doc["failure"]["kind"] == "proxy_auth"
    assert doc["diagnosis"]["title"].startswith("Proxy authentication required")
    assert hostile.hits.get("CONNECT", 0) >= 1
    _clean(proc)


def test_loopback_never_goes_through_a_proxy(hostile: HostileServer) -> None:
    """With HTTP_PROXY and ALL_PROXY set, a request to 127.0.0.1 goes straight there."""
    with HostileServer() as proxy:
        proc = _token(hostile, "/echo", env={"HTTP_PROXY": proxy.base_url,
                                             "ALL_PROXY": proxy.base_url})  # fmt: skip
        assert proc.returncode == 1 and proxy.hits == {}
    assert hostile.requests[-1]["path"] == "/echo"


def test_missing_ca_bundle_is_a_tls_failure() -> None:
    """REQUESTS_CA_BUNDLE naming a missing file: exit 3, a TLS failure naming the variable."""
    proc = _run("--token-url", "https://127.0.0.1:9/token", "--client-id", CLIENT,
                "--secret-env", "HOSTILE_SECRET", "--json",
                env={"REQUESTS_CA_BUNDLE": "/nonexistent/ca.pem"})  # fmt: skip
    doc = json.loads(proc.stdout)
    assert proc.returncode == 3 and doc["failure"]["kind"] == "tls"
    assert "REQUESTS_CA_BUNDLE" in doc["failure"]["message"]


def test_a_closed_pipe_ends_quietly() -> None:
    """Output into a pipe whose reader is gone (`| head`): no traceback, exit 141."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        proc = subprocess.run(
            [sys.executable, "main.py", "sandbox", "--describe"], cwd=ROOT, stdout=write_end,
            stderr=subprocess.PIPE, text=True, timeout=60,
        )  # fmt: skip
    finally:
        os.close(write_end)
    assert proc.returncode == 141 and proc.stderr == ""


PFX_PASSWORD = 'Pfx "pa55"/+&<é>'


@pytest.mark.parametrize("path", ["/echo", "/echo-text", "/echo-token"])
def test_an_echoing_endpoint_never_gets_the_assertion_or_pfx_password_printed(
    hostile: HostileServer, tmp_path: Path, path: str
) -> None:
    """With a certificate, the signed client assertion and the PFX password are secrets of the
    request too: echoed back in any field or encoding, neither reaches stdout or stderr."""
    from tests.core import certkit

    key = certkit.rsa_key()
    pfx = certkit.write(
        tmp_path, "app.pfx", certkit.pfx(key, certkit.cert(key), PFX_PASSWORD.encode())
    )
    proc = _run("--token-url", hostile.base_url + path, "--client-id", CLIENT, "--timeout", "10",
                "--certificate", str(pfx), "--certificate-password-env", "PFX_PASSWORD", "--json",
                env={"PFX_PASSWORD": PFX_PASSWORD})  # fmt: skip
    assertion = hostile.requests[-1]["form"].get("client_assertion", "")
    assert assertion.count(".") == 2, proc.stderr  # a signed JWT was sent
    output = proc.stdout + proc.stderr
    assert leaks(output, [assertion, PFX_PASSWORD], CLIENT) == [], output[:3000]
    assert "Traceback" not in proc.stderr
    json.loads(proc.stdout)
