"""The signature check's key download against a hostile issuer: bounded in time, size and
nesting, never redirected, and `decode --timeout` is the whole download's limit."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.insight.decode import decode_token
from core.insight.key_sets import KeyCache
from core.insight.signature import SignatureStatus, verify_signature
from tests.core.tokenkit import mint
from tests.hostile import HostileServer

ROOT = Path(__file__).resolve().parents[3]
TID = "492a87ce-f03d-415a-bf2c-7b67c4e52753"


@pytest.fixture(scope="module")
def issuer() -> Iterator[HostileServer]:
    with HostileServer() as server:
        yield server


def _token(server: HostileServer) -> str:
    return mint({"iss": f"{server.base_url}/{TID}/v2.0", "tid": TID, "ver": "2.0", "aud": "x"})


def _check(server: HostileServer, variant: str, timeout_s: float = 5.0):
    server.discovery = variant
    return verify_signature(decode_token(_token(server)), extra_authorities=[server.base_url],
                            cache=KeyCache(), timeout_s=timeout_s)  # fmt: skip


def test_a_huge_key_set_is_not_read_whole(issuer: HostileServer) -> None:
    """A 20 MB key set stops at the size cap: keys unreachable, with the reason."""
    result = _check(issuer, "keys-huge")
    assert result.status is SignatureStatus.KEYS_UNREACHABLE
    assert "more than 1024 KB" in result.message


@pytest.mark.parametrize("variant", ["deep", "keys-deep"])
def test_deeply_nested_discovery_or_keys_are_refused(issuer: HostileServer, variant: str) -> None:
    """Discovery or a key set nested 100 000 deep: a plain 'not usable JSON', no recursion."""
    result = _check(issuer, variant)
    assert result.status is SignatureStatus.KEYS_UNREACHABLE
    assert "nested more than 64 levels" in result.message


def test_a_dripping_issuer_ends_at_the_timeout(issuer: HostileServer) -> None:
    """Discovery sent one byte at a time ends after the check's time limit, not never."""
    started = time.monotonic()
    result = _check(issuer, "drip", timeout_s=1.0)
    assert time.monotonic() - started < 2.5
    assert result.status is SignatureStatus.KEYS_UNREACHABLE and "within 1 s" in result.message


def test_discovery_redirects_are_not_followed(issuer: HostileServer) -> None:
    """A 302 from the discovery URL is not followed: keys unreachable, /landing never hit."""
    result = _check(issuer, "redirect")
    assert result.status is SignatureStatus.KEYS_UNREACHABLE and "HTTP 302" in result.message
    assert issuer.hits.get("/landing", 0) == 0


def test_decode_timeout_bounds_the_key_download(issuer: HostileServer) -> None:
    """`decode --timeout 1` against a dripping issuer answers within a few seconds."""
    issuer.discovery = "drip"
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "main.py", "decode", "--json", "--timeout", "1",
         "--authority", issuer.base_url],
        cwd=ROOT, input=_token(issuer), capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert time.monotonic() - started < 6
    doc = json.loads(proc.stdout)
    assert proc.returncode == 0 and doc["signature"]["status"] == "keys_unreachable"
