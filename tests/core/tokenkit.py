"""Test helpers: the Microsoft sample tokens of the facts file, and RS256 tokens we mint."""

from __future__ import annotations

import base64
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent.parent / "data"


def b64url(data: bytes, *, pad: bool = False) -> str:
    text = base64.urlsafe_b64encode(data).decode("ascii")
    return text if pad else text.rstrip("=")


def compact(obj: Any) -> bytes:
    return json.dumps(obj, separators=(",", ":")).encode("utf-8")


@lru_cache(maxsize=1)
def microsoft_samples() -> dict[str, dict[str, Any]]:
    """Section 8 samples by name; rebuilt ones (8.3, 8.5) get a placeholder signature."""
    doc = json.loads((DATA / "microsoft_tokens.json").read_text(encoding="utf-8"))
    out = {}
    for sample in doc["samples"]:
        sample = dict(sample)
        if "token" not in sample:
            header = b64url(compact(sample["header"]))
            payload = b64url(compact(sample["payload"]), pad=sample["pad_payload"])
            sample["token"] = f"{header}.{payload}.{b64url(b'placeholder-signature')}"
        out[sample["name"]] = sample
    return out


@lru_cache(maxsize=1)
def rsa_key() -> Any:
    from cryptography.hazmat.primitives.asymmetric import rsa

    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def public_jwk(kid: str = "test-kid", key: Any = None) -> dict[str, Any]:
    from jwt.algorithms import RSAAlgorithm

    jwk = json.loads(RSAAlgorithm.to_jwk((key or rsa_key()).public_key()))
    jwk.update({"kid": kid, "use": "sig", "x5t": kid})
    return jwk


def mint(payload: dict[str, Any], *, kid: str = "test-kid", key: Any = None, **header: Any) -> str:
    """An RS256 token signed with the test key (extra header fields as keywords)."""
    import jwt

    return str(
        jwt.encode(payload, key or rsa_key(), algorithm="RS256", headers={"kid": kid, **header})
    )


def unsigned(payload: dict[str, Any]) -> str:
    header = b64url(compact({"typ": "JWT", "alg": "none"}))
    return f"{header}.{b64url(compact(payload))}."
