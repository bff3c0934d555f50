"""`token` with certificates and federated assertions, `--azure-env`, and `cert`, in a
subprocess against the sandbox: exit codes, JSON, and no secret ever printed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.sandbox import PFX_PASSWORD, Sandbox
from core.sandbox import directory as d

ROOT = Path(__file__).resolve().parents[3]
GRAPH = "https://graph.microsoft.com/.default"


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as sb:
        yield sb


def _main(*args: str, stdin: str = "", env: dict[str, str] | None = None
          ) -> subprocess.CompletedProcess[str]:  # fmt: skip
    clean = {k: v for k, v in os.environ.items() if not k.startswith("AZURE_")}
    return subprocess.run([sys.executable, "main.py", *args], cwd=ROOT, input=stdin,
                          capture_output=True, text=True, timeout=60,
                          env={**clean, **(env or {})})  # fmt: skip


def _token(sb: Sandbox, *extra: str, client: str = d.DAEMON.client_id, stdin: str = "",
           env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:  # fmt: skip
    return _main("token", "--cloud", "sandbox", "--authority", sb.base_url, "--tenant",
                 d.CONTOSO.id, "--client-id", client, *extra, stdin=stdin, env=env)  # fmt: skip


def _clean(proc: subprocess.CompletedProcess[str], *secrets: str) -> None:
    for value in (PFX_PASSWORD, *secrets):
        assert value not in proc.stdout and value not in proc.stderr
    assert "PRIVATE KEY" not in proc.stdout + proc.stderr


def _file(sb: Sandbox, name: str) -> str:
    sb.refresh_tokens()
    return str(sb.files_dir / name)


def test_certificate_pem_ps256_issues_a_certificate_token(sandbox: Sandbox) -> None:
    """--certificate with a PEM: a token whose verdict names the certificate; JSON carries the
    certificate summary and a masked assertion."""
    proc = _token(sandbox, "--certificate", _file(sandbox, "contoso-daemon.pem"), "--json")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["verdict"]["credential"] == "certificate"
    assert doc["credential"]["kind"] == "certificate"
    assert doc["credential"]["certificate"]["thumbprint_sha1"]
    assert doc["request"]["form"]["client_assertion"] == "********"
    assert "client_secret" not in doc["request"]["form"]
    assert "eyJ" not in proc.stdout


def test_pfx_with_password_from_env_rs256_x5c(sandbox: Sandbox) -> None:
    proc = _token(sandbox, "--certificate", _file(sandbox, "contoso-daemon.pfx"),
                  "--certificate-password-env", "PFX_PW", "--assertion-alg", "RS256",
                  "--send-x5c", env={"PFX_PW": PFX_PASSWORD})  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Credential: certificate" in proc.stdout
    _clean(proc)


def test_pfx_password_from_stdin(sandbox: Sandbox) -> None:
    proc = _token(sandbox, "--certificate", _file(sandbox, "contoso-daemon.pfx"),
                  "--certificate-password-stdin", stdin=PFX_PASSWORD + "\n")  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    _clean(proc)


def test_pfx_wrong_password_is_caught_before_sending(sandbox: Sandbox) -> None:
    """Exit 2, a plain message, nothing sent, the typed password never echoed."""
    proc = _token(
        sandbox,
        "--certificate",
        _file(sandbox, "contoso-daemon.pfx"),
        "--certificate-password-env",
        "PFX_PW",
        env={"PFX_PW": "Wr0ng-typed"},
    )
    assert proc.returncode == 2
    assert "Wrong password for this PFX" in proc.stdout
    assert "Not sent" in proc.stdout and "HTTP " not in proc.stdout
    _clean(proc, "Wr0ng-typed")


def test_pfx_without_password_and_no_terminal_says_how(sandbox: Sandbox) -> None:
    proc = _token(sandbox, "--certificate", _file(sandbox, "contoso-daemon.pfx"))
    assert proc.returncode == 2 and "protected by a password" in proc.stdout


def test_certificate_not_uploaded_is_diagnosed(sandbox: Sandbox) -> None:
    """700027: exit 1, the diagnosis names the thumbprint to compare with the portal."""
    proc = _token(sandbox, "--certificate", _file(sandbox, "not-uploaded.pem"))
    assert proc.returncode == 1
    assert "AADSTS700027" in proc.stdout and "Thumbprint column" in proc.stdout


@pytest.mark.parametrize(
    ("name", "code"),
    [("expired-assertion.jwt", "AADSTS700024"), ("sub-mismatch-assertion.jwt", "AADSTS50048")],
)
def test_ready_made_assertions(sandbox: Sandbox, name: str, code: str) -> None:
    """--assertion-file sends a ready-made assertion; the expired one is warned about first."""
    proc = _token(sandbox, "--assertion-file", _file(sandbox, name))
    assert proc.returncode == 1 and code in proc.stdout
    if code == "AADSTS700024":
        assert "warning [client_assertion]: Assertion expired" in proc.stdout


def test_federated_from_file_env_and_stdin(sandbox: Sandbox) -> None:
    """The GitHub-like token from a file, a variable or stdin gets a federated token."""
    path = _file(sandbox, "github-token.jwt")
    token = Path(path).read_text().strip()
    runs = [
        _token(sandbox, "--assertion-file", path, client=d.PIPELINE.client_id),
        _token(sandbox, "--assertion-env", "GH_TOKEN", client=d.PIPELINE.client_id,
               env={"GH_TOKEN": token}),
        _token(sandbox, "--assertion-stdin", client=d.PIPELINE.client_id, stdin=token + "\n"),
    ]  # fmt: skip
    for proc in runs:
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert "federated credential" in proc.stdout
        assert f"sub {d.EXTERNAL_SUBJECT}" in proc.stdout
        _clean(proc, token)


def test_federated_subject_mismatch(sandbox: Sandbox) -> None:
    proc = _token(sandbox, "--assertion-file", _file(sandbox, "github-token-wrong-subject.jwt"),
                  client=d.PIPELINE.client_id)  # fmt: skip
    assert proc.returncode == 1
    assert "AADSTS70021" in proc.stdout and "repo:Contoso/app" in proc.stdout


def test_mixing_credentials_and_plain_arguments_are_refused(sandbox: Sandbox) -> None:
    mixed = _token(sandbox, "--certificate", "x.pem", "--secret-env", "X")
    assert mixed.returncode == 2 and "choose one credential" in mixed.stderr
    plain = _token(sandbox, "--certificate", "x.pem", "--certificate-password", "hunter2")
    assert plain.returncode == 2 and "never accepted" in plain.stderr
    assert "hunter2" not in plain.stderr


def _azure(sb: Sandbox, **env: str) -> subprocess.CompletedProcess[str]:
    base = {"AZURE_AUTHORITY_HOST": sb.base_url.replace("http://", "https://"),
            "AZURE_TENANT_ID": d.CONTOSO.id}  # fmt: skip
    return _main("token", "--azure-env", "--dry-run", "--json", env={**base, **env})


def test_azure_env_precedence(sandbox: Sandbox) -> None:
    """Secret before certificate before user/password before the federated token file, as
    EnvironmentCredential (then WorkloadIdentityCredential) does."""
    cert = _file(sandbox, "contoso-daemon.pem")
    fed = _file(sandbox, "github-token.jwt")
    everything = {
        "AZURE_CLIENT_ID": d.DAEMON.client_id,
        "AZURE_CLIENT_SECRET": "s3cret-value",
        "AZURE_CLIENT_CERTIFICATE_PATH": cert,
        "AZURE_FEDERATED_TOKEN_FILE": fed,
    }
    first = _azure(sandbox, **everything)
    assert "client secret from AZURE_CLIENT_SECRET" in first.stderr
    assert json.loads(first.stdout)["credential"]["kind"] == "secret"
    assert "s3cret-value" not in first.stdout
    no_secret = {k: v for k, v in everything.items() if k != "AZURE_CLIENT_SECRET"}
    second = _azure(sandbox, **no_secret)
    assert json.loads(second.stdout)["credential"]["kind"] == "certificate", second.stderr
    third = _azure(sandbox, AZURE_CLIENT_ID=d.PIPELINE.client_id, AZURE_FEDERATED_TOKEN_FILE=fed)
    assert json.loads(third.stdout)["credential"]["kind"] == "federated"
    assert "WorkloadIdentityCredential" in third.stderr
    users = _azure(
        sandbox,
        AZURE_CLIENT_ID=d.DESKTOP.client_id,
        AZURE_USERNAME="alex@contoso.example",
        AZURE_PASSWORD=d.PASSWORD,
    )
    assert json.loads(users.stdout)["request"]["form"]["grant_type"] == "password"
    missing = _azure(sandbox, AZURE_CLIENT_ID=d.DAEMON.client_id)
    assert missing.returncode == 2
    assert "no complete credential" in missing.stdout + missing.stderr  # JSON with --json


def test_azure_env_sends_for_real(sandbox: Sandbox) -> None:
    """A pipeline's certificate variables get a token from the sandbox (http authority host)."""
    env = {"AZURE_TENANT_ID": d.CONTOSO.id, "AZURE_CLIENT_ID": d.DAEMON.client_id,
           "AZURE_CLIENT_CERTIFICATE_PATH": _file(sandbox, "contoso-daemon.pfx"),
           "AZURE_CLIENT_CERTIFICATE_PASSWORD": PFX_PASSWORD}  # fmt: skip
    proc = _main("token", "--azure-env", "--cloud", "sandbox", "--authority", sandbox.base_url,
                 env=env)  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    _clean(proc)


def test_cert_command(sandbox: Sandbox) -> None:
    """`cert PATH` prints the thumbprints and validity; --json the schema; exit codes."""
    from core.sandbox.certificates import demo_certificates

    daemon = next(c for c in demo_certificates() if c.name == "contoso-daemon")
    proc = _main("cert", _file(sandbox, "contoso-daemon.pfx"), "--password-env", "PW",
                 env={"PW": PFX_PASSWORD})  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert daemon.sha1 in proc.stdout and daemon.sha256 in proc.stdout
    assert "matches the certificate" in proc.stdout
    _clean(proc)
    doc = json.loads(_main("cert", _file(sandbox, "contoso-daemon.cer"), "--json").stdout)
    assert doc["schema"] == "entra-token-tester/cert/1" and doc["ok"] is False
    assert doc["certificate"]["thumbprint_sha1"] == daemon.sha1
    assert doc["certificate"]["has_private_key"] is False
    expired = _main("cert", _file(sandbox, "expired.pem"))
    assert expired.returncode == 0 and "warning: Certificate expired" in expired.stdout
    wrong = _main("cert", _file(sandbox, "contoso-daemon.pfx"), "--json")
    assert wrong.returncode == 2 and json.loads(wrong.stdout)["error"]["kind"] == "password_needed"


def test_certificate_profile(sandbox: Sandbox, tmp_path: Path) -> None:
    """A certificate profile keeps the file path; `token --profile` signs with it (password from
    the variable), and `profiles show` names the credential without any secret."""
    from core.store.profile import Profile
    from core.store.profiles import ProfileStore
    from core.token.models import CredentialKind

    ProfileStore(tmp_path).save(Profile(
        name="Cert", cloud="sandbox", authority=sandbox.base_url, tenant=d.CONTOSO.id,
        client_id=d.DAEMON.client_id, credential=CredentialKind.CERTIFICATE,
        certificate_path=_file(sandbox, "contoso-daemon.pfx")))  # fmt: skip
    proc = _main("--config-dir", str(tmp_path), "token", "--profile", "Cert",
                 "--certificate-password-env", "PW", env={"PW": PFX_PASSWORD})  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Credential: certificate" in proc.stdout
    shown = _main("--config-dir", str(tmp_path), "profiles", "show", "Cert")
    assert "certificate" in shown.stdout and "contoso-daemon.pfx" in shown.stdout
    _clean(proc)
    _clean(shown)
