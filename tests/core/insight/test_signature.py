"""Signature checks: trusted hosts only, key choice by kid/x5t, refetch, and the sandbox."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from core.insight.decode import decode_token
from core.insight.key_sets import KeyCache, trusted_base
from core.insight.signature import SignatureStatus, verify_signature
from core.sandbox import Sandbox, scenarios
from core.token.client import request_token
from tests.core.sandbox.conftest import to_inputs
from tests.core.tokenkit import (
    LocalServer,
    b64url,
    compact,
    microsoft_samples,
    mint,
    public_jwk,
    unsigned,
)

TID = "492a87ce-f03d-415a-bf2c-7b67c4e52753"
SCENARIOS = {s.key: s for s in scenarios()}


@pytest.fixture
def idp() -> Iterator[LocalServer]:
    """A local issuer publishing v2 discovery and a key set with the test key."""
    with LocalServer() as srv:
        keys = f"{srv.base_url}/{TID}/discovery/v2.0/keys"
        srv.json(f"/{TID}/v2.0/.well-known/openid-configuration", {"jwks_uri": keys})
        srv.json(f"/{TID}/discovery/v2.0/keys", {"keys": [public_jwk("test-kid")]})
        yield srv


def _payload(srv: LocalServer, **extra: object) -> dict:
    return {"iss": f"{srv.base_url}/{TID}/v2.0", "tid": TID, "ver": "2.0", "aud": "x", **extra}


def _verify(token: str, srv: LocalServer | None = None, cache: KeyCache | None = None):
    authorities = [srv.base_url] if srv else []
    return verify_signature(
        decode_token(token), extra_authorities=authorities, cache=cache or KeyCache(), timeout_s=3
    )


def test_valid_signature_from_chosen_authority(idp: LocalServer) -> None:
    """A token signed by the key the chosen authority publishes is VALID."""
    result = _verify(mint(_payload(idp)), idp)
    assert result.status is SignatureStatus.VALID and result.key_id == "test-kid"
    assert result.jwks_uri.endswith(f"/{TID}/discovery/v2.0/keys")


def test_tampered_payload_is_invalid(idp: LocalServer) -> None:
    """Changing one claim after signing makes the signature INVALID."""
    header, _, signature = mint(_payload(idp, roles=["Read"])).split(".")
    forged = f"{header}.{b64url(compact(_payload(idp, roles=['Write'])))}.{signature}"
    assert _verify(forged, idp).status is SignatureStatus.INVALID


def test_issuer_not_chosen_is_never_fetched(idp: LocalServer) -> None:
    """Without the authority being trusted, nothing is fetched from the token's issuer."""
    result = _verify(mint(_payload(idp)))
    assert result.status is SignatureStatus.UNTRUSTED_ISSUER and idp.hits == {}


def test_jwks_on_another_host_is_refused(idp: LocalServer) -> None:
    """A discovery document pointing to keys on another host is not followed."""
    elsewhere = idp.base_url.replace("127.0.0.1", "localhost") + "/keys"
    idp.json(f"/{TID}/v2.0/.well-known/openid-configuration", {"jwks_uri": elsewhere})
    result = _verify(mint(_payload(idp)), idp)
    assert result.status is SignatureStatus.UNTRUSTED_ISSUER
    assert "/keys" not in idp.hits


def test_key_chosen_by_x5t_when_no_kid(idp: LocalServer) -> None:
    """A v1-style header with only x5t finds its key."""
    token = mint(_payload(idp), kid=None, x5t="test-kid")
    assert "kid" not in decode_token(token).header
    assert _verify(token, idp).status is SignatureStatus.VALID


def test_unknown_kid_refetches_once(idp: LocalServer) -> None:
    """Keys are cached; an unknown kid triggers exactly one refetch (key rotation)."""
    cache = KeyCache()
    keys_path = f"/{TID}/discovery/v2.0/keys"
    assert _verify(mint(_payload(idp)), idp, cache).status is SignatureStatus.VALID
    assert _verify(mint(_payload(idp)), idp, cache).status is SignatureStatus.VALID
    assert idp.hits[keys_path] == 1
    from cryptography.hazmat.primitives.asymmetric import rsa

    new_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    idp.json(keys_path, {"keys": [public_jwk("test-kid"), public_jwk("rotated", new_key)]})
    rotated = mint(_payload(idp), kid="rotated", key=new_key)
    assert _verify(rotated, idp, cache).status is SignatureStatus.VALID
    assert idp.hits[keys_path] == 2
    ghost = _verify(mint(_payload(idp), kid="ghost"), idp, cache)
    assert ghost.status is SignatureStatus.INVALID and "ghost" in ghost.message
    assert idp.hits[keys_path] == 3


def test_key_issuer_must_match(idp: LocalServer) -> None:
    """A v2 key that names another issuer does not validate this token."""
    jwk = public_jwk("test-kid") | {"issuer": "https://login.microsoftonline.com/{tenantid}/v2.0"}
    idp.json(f"/{TID}/discovery/v2.0/keys", {"keys": [jwk]})
    result = _verify(mint(_payload(idp)), idp)
    assert result.status is SignatureStatus.INVALID and "another issuer" in result.message


def test_concurrent_checks_share_the_cache(idp: LocalServer) -> None:
    """Several threads verifying at once all succeed with one shared cache."""
    cache, token, results = KeyCache(), mint(_payload(idp)), []
    threads = [
        threading.Thread(target=lambda: results.append(_verify(token, idp, cache).status))
        for _ in range(6)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert results == [SignatureStatus.VALID] * 6


def test_unsigned_nonce_and_other_algorithms_need_no_network() -> None:
    """alg none is UNSIGNED, a Graph nonce header NOT_VERIFIABLE, HS256 UNSUPPORTED."""
    samples = microsoft_samples()
    assert _verify(samples["v1_id_unsigned"]["token"]).status is SignatureStatus.UNSIGNED
    assert _verify(unsigned({"iss": "x"})).status is SignatureStatus.UNSIGNED
    graph = _verify(samples["v1_graph_nonce"]["token"])
    assert graph.status is SignatureStatus.NOT_VERIFIABLE and "not a fault" in graph.message
    import jwt

    hs = jwt.encode({"iss": "https://login.microsoftonline.com/x/v2.0"}, "k" * 32, "HS256")
    assert _verify(hs).status is SignatureStatus.UNSUPPORTED


@pytest.mark.parametrize(
    ("issuer", "extra", "expected"),
    [
        (f"https://sts.windows.net/{TID}/", (), ("https://login.microsoftonline.com", TID)),
        (f"https://sts.windows.net/{TID}/", ("https://login.microsoftonline.us",),
         ("https://login.microsoftonline.us", TID)),
        (f"https://login.microsoftonline.com/{TID}/v2.0", (),
         ("https://login.microsoftonline.com", TID)),
        (f"https://sts.chinacloudapi.cn/{TID}/", (),
         ("https://login.partner.microsoftonline.cn", TID)),
        (f"https://login.microsoftonline.com.evil.example/{TID}/v2.0", (), None),
        (f"http://login.microsoftonline.com/{TID}/v2.0", (), None),
        (f"https://login.microsoftonline.com:8443/{TID}/v2.0", (), None),
        (f"https://keys.example/{TID}/v2.0", (), None),
        (f"https://keys.example/{TID}/v2.0", ("https://keys.example",),
         ("https://keys.example", TID)),
    ],
)  # fmt: skip
def test_trusted_hosts(issuer: str, extra: tuple[str, ...], expected: object) -> None:
    """Only Microsoft login hosts (mapped per cloud) and chosen authorities are trusted."""
    assert trusted_base(issuer, extra) == expected


def _sandbox_token(sb: Sandbox, key: str) -> str:
    result = request_token(to_inputs(SCENARIOS[key].form, sb.base_url))
    assert result.ok, key
    return result.token.access_token.reveal()


def test_sandbox_signatures() -> None:
    """Sandbox tokens: v2 and v1 VALID, tampered INVALID, Graph NOT_VERIFIABLE; offline after."""
    cache = KeyCache()
    with Sandbox() as sb:
        base = sb.base_url
        v2 = _sandbox_token(sb, "cc-v2-api")
        v1 = _sandbox_token(sb, "cc-v1-api")
        graph = _sandbox_token(sb, "cc-v2-graph")

        def check(token: str):
            return verify_signature(
                decode_token(token), extra_authorities=[base], cache=cache, timeout_s=3
            )

        assert check(v2).status is SignatureStatus.VALID
        assert check(v1).status is SignatureStatus.VALID
        assert decode_token(v1).x5t
        header, _, signature = v2.split(".")
        claims = dict(decode_token(v2).payload, roles=["Orders.ReadWrite.All"])
        assert check(f"{header}.{b64url(compact(claims))}.{signature}").status is (
            SignatureStatus.INVALID
        )
        assert check(graph).status is SignatureStatus.NOT_VERIFIABLE
    offline = verify_signature(
        decode_token(v2), extra_authorities=[base], cache=KeyCache(), timeout_s=2
    )
    assert offline.status is SignatureStatus.KEYS_UNREACHABLE
    assert "127.0.0.1" in offline.message
