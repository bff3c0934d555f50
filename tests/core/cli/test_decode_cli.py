"""`main.py decode`: human and JSON output, exit codes, and the token never printed."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from core.sandbox import Sandbox, scenarios
from core.token.client import request_token
from main import main
from tests.core.sandbox.conftest import to_inputs
from tests.core.tokenkit import microsoft_samples

ROOT = Path(__file__).resolve().parents[3]
SAMPLES = microsoft_samples()
V2 = SAMPLES["v2_access_doc"]["token"]


def _run(
    argv: list[str], stdin: str, capsys: pytest.CaptureFixture[str], monkeypatch
) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin.encode("utf-8"))))
    code = main(["decode", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def _assert_no_token(text: str, token: str) -> None:
    header, payload, _ = token.split(".")
    assert token not in text and payload not in text and f"{header}." not in text


def test_human_output(capsys, monkeypatch) -> None:
    """Verdict, signature line and claims table are printed; the token is not."""
    code, out, err = _run(["--no-verify"], f"Bearer {V2}\n", capsys, monkeypatch)
    assert code == 0 and err == ""
    assert out.splitlines()[0].startswith("Token: delegated for abeli@microsoft.com, public client")
    assert "Signature: not checked (--no-verify)" in out
    assert "azpacr              public client (0)" in out
    _assert_no_token(out, V2)


def test_json_output_schema(capsys, monkeypatch) -> None:
    """--json gives the documented fields; verdict, header and claims carry the values."""
    code, out, _ = _run(["--no-verify", "--json", "--tenant", "contoso.com"], V2, capsys,
                        monkeypatch)  # fmt: skip
    doc = json.loads(out)
    assert code == 0 and doc["schema"] == "entra-token-tester/decode/1" and doc["ok"]
    assert set(doc) == {"schema", "ok", "error", "token", "verdict", "signature", "header",
                        "claims"}  # fmt: skip
    assert doc["token"]["kid"] == "i6lGk3FZzxRcUb2C3nEQ7syHJlY" and doc["token"]["size"] == 1029
    v = doc["verdict"]
    assert v["token_kind"] == "delegated" and v["scopes"] == ["access_as_user"]
    assert v["expires_at_iso"] == "2018-09-18T01:42:28+00:00"
    assert doc["signature"] is None
    azp = next(r for r in doc["claims"] if r["name"] == "azpacr")
    assert azp["known"] and azp["value"] == "public client (0)" and azp["raw"] == "0"
    _assert_no_token(out, V2)


def test_file_input(tmp_path: Path, capsys, monkeypatch) -> None:
    """--file reads the token (with paste noise) from a file."""
    path = tmp_path / "token.txt"
    path.write_text(f"Authorization: Bearer {SAMPLES['v1_graph_nonce']['token']}\n")
    code, out, _ = _run(["--file", str(path), "--json"], "", capsys, monkeypatch)
    doc = json.loads(out)
    assert code == 0 and doc["signature"]["status"] == "not_verifiable"
    assert doc["verdict"]["audience_name"] == "Microsoft Graph"


@pytest.mark.parametrize("argv", [[], ["--json"]])
def test_decode_error_exit_2(argv: list[str], capsys, monkeypatch) -> None:
    """A bad paste exits 2 with one clear line (or a JSON error object)."""
    code, out, err = _run(argv, "a.b.c.d.e", capsys, monkeypatch)
    assert code == 2
    if argv:
        doc = json.loads(out)
        assert doc["ok"] is False and doc["error"]["kind"] == "encrypted"
    else:
        assert out == "" and err.count("\n") == 1 and "encrypted" in err


def test_missing_file_exit_2(tmp_path: Path, capsys, monkeypatch) -> None:
    """A file that does not exist is a usage error with a plain message."""
    code, _, err = _run(["--file", str(tmp_path / "nope")], "", capsys, monkeypatch)
    assert code == 2 and "cannot read" in err and "Traceback" not in err


def test_verifies_against_the_sandbox(capsys, monkeypatch) -> None:
    """With --authority set to the sandbox, a sandbox token's signature is valid."""
    scenario = next(s for s in scenarios() if s.key == "cc-v2-api")
    with Sandbox() as sb:
        token = request_token(to_inputs(scenario.form, sb.base_url)).token.access_token.reveal()
        code, out, _ = _run(["--json", "--authority", sb.base_url], token, capsys, monkeypatch)
        untrusted = json.loads(_run(["--json"], token, capsys, monkeypatch)[1])
    doc = json.loads(out)
    assert code == 0 and doc["signature"]["status"] == "valid"
    assert doc["verdict"]["token_kind"] == "app-only" and doc["verdict"]["roles"]
    assert untrusted["signature"]["status"] == "untrusted_issuer"
    _assert_no_token(out, token)


def test_decode_help_is_light() -> None:
    """`main.py decode --help` loads neither Qt nor requests nor jwt."""
    code = (
        "import sys, runpy\nsys.argv = ['main.py', 'decode', '--help']\n"
        "try:\n    runpy.run_path('main.py', run_name='__main__')\n"
        "except SystemExit:\n    pass\nprint('\\n'.join(sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout  # fmt: skip
    loaded = set(out.split())
    assert "--no-verify" in out and not {"PySide6", "requests", "jwt"} & loaded


def test_endless_input_is_capped(capsys, monkeypatch) -> None:
    """`decode --file /dev/zero` stops at the input cap with a plain too_large error."""
    code, out, _ = _run(["--file", "/dev/zero", "--json"], "", capsys, monkeypatch)
    doc = json.loads(out)
    assert code == 2 and doc["error"]["kind"] == "too_large" and doc["error"]["exit_code"] == 2
    assert doc["verdict"] is None and doc["claims"] is None


def test_an_invalid_signature_leads_the_headline(capsys, monkeypatch) -> None:
    """A sandbox token changed after signing: INVALID in the headline and the warnings."""
    from tests.core.tokenkit import b64url, compact

    scenario = next(s for s in scenarios() if s.key == "cc-v2-api")
    with Sandbox() as sb:
        token = request_token(to_inputs(scenario.form, sb.base_url)).token.access_token.reveal()
        header, payload, signature = token.split(".")
        claims = json.loads(__import__("base64").urlsafe_b64decode(payload + "=="))
        forged = f"{header}.{b64url(compact({**claims, 'roles': ['Orders.ReadWrite.All']}))}"
        code, out, _ = _run(["--authority", sb.base_url], f"{forged}.{signature}", capsys,
                            monkeypatch)  # fmt: skip
    first = out.splitlines()[0]
    assert code == 0 and first.startswith("INVALID SIGNATURE.")
    assert "! Signature INVALID" in out
