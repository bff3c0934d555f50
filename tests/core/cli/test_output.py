"""`token` output in-process against the sandbox: the documented JSON fields by name, and the
human lines an admin reads (verdict, request line, error, diagnosis, support, token)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from core.sandbox import Sandbox, scenarios
from main import main

FORMS = {s.key: s.form for s in scenarios()}
GOOD = FORMS["cc-v2-graph"]
REQUEST_KEYS = {"method", "url", "client_request_id", "headers", "form"}
RESPONSE_KEYS = {"status", "reason", "elapsed_ms", "received_at", "headers", "json", "text",
                 "truncated", "problem"}  # fmt: skip
TOKEN_KEYS = {"token_type", "expires_in", "ext_expires_in", "expires_on", "expires_at", "scope",
              "resource", "fingerprint", "has_refresh_token", "has_id_token"}  # fmt: skip
ERROR_KEYS = {"error", "error_description", "error_codes", "trace_id", "correlation_id",
              "timestamp", "error_uri", "suberror"}  # fmt: skip
DIAGNOSIS_KEYS = {"code", "title", "cause", "fix", "link", "support", "parts", "support_text",
                  "said", "retry_after_s"}  # fmt: skip
FINDING_KEYS = {"code", "severity", "field", "title", "detail", "fix"}


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as sb:
        yield sb


def _token(capsys, monkeypatch, sandbox: Sandbox, key: str, *extra: str,
           secret: str | None = None) -> tuple[int, str]:  # fmt: skip
    form = FORMS[key]
    monkeypatch.setenv("OUT_SECRET", secret if secret is not None else form["client_secret"])
    argv = ["token", "--cloud", "sandbox", "--authority", sandbox.base_url, "--tenant",
            form["tenant"], "--client-id", form["client_id"], "--endpoint", form["endpoint"],
            "--secret-env", "OUT_SECRET", *extra]  # fmt: skip
    target = ("--scope", form["scope"]) if form["scope"] else ("--resource", form["resource"])
    code = main([*argv, *target])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out


def test_token_json_fields_by_name(capsys, monkeypatch, sandbox: Sandbox) -> None:
    """A v1 token answer: every documented field of request, response and token by name."""
    code, out = _token(capsys, monkeypatch, sandbox, "cc-v1-graph", "--json")
    doc = json.loads(out)
    assert code == 0 and doc["outcome"] == "token" and doc["ok"] is True
    assert set(doc["request"]) == REQUEST_KEYS and doc["request"]["method"] == "POST"
    assert doc["request"]["form"]["client_secret"] == "********"
    assert doc["request"]["headers"]["client-request-id"] == doc["request"]["client_request_id"]
    response = doc["response"]
    assert set(response) == RESPONSE_KEYS and response["status"] == 200
    assert response["reason"] == "OK" and response["elapsed_ms"] > 0 and response["text"] is None
    assert response["truncated"] is False and response["problem"] is None
    assert response["json"]["access_token"] == "********" and response["received_at"].endswith(
        "+00:00"
    )
    assert response["headers"]["client-request-id"] == doc["request"]["client_request_id"]
    token = doc["token"]
    assert set(token) == TOKEN_KEYS and token["token_type"] == "Bearer"
    assert token["expires_in"] == 3599 and isinstance(token["expires_on"], int)
    assert token["resource"] == "https://graph.microsoft.com" and token["scope"] is None
    assert token["fingerprint"].startswith("sha256:") and len(token["fingerprint"]) == 19
    assert token["has_refresh_token"] is False and token["has_id_token"] is False
    assert doc["error"] is None and doc["failure"] is None and doc["diagnosis"] is None
    assert doc["verdict"]["issued"] is True and doc["verdict"]["token_kind"] == "app-only"


def test_password_grant_json_says_refresh_and_id_tokens_came(capsys, monkeypatch, sandbox) -> None:
    """has_refresh_token / has_id_token are true when the answer carries them."""
    form = FORMS["password-ok"]
    monkeypatch.setenv("OUT_PASSWORD", form["password"])
    code = main(["token", "--cloud", "sandbox", "--authority", sandbox.base_url, "--tenant",
                 form["tenant"], "--client-id", form["client_id"], "--grant", "password",
                 "--no-secret", "--username", form["username"], "--password-env", "OUT_PASSWORD",
                 "--scope", form["scope"], "--json"])  # fmt: skip
    doc = json.loads(capsys.readouterr().out)
    assert code == 0 and doc["token"]["has_refresh_token"] and doc["token"]["has_id_token"]
    assert doc["request"]["form"]["password"] == "********"


def test_token_human_output_lines(capsys, monkeypatch, sandbox: Sandbox) -> None:
    """Headline first, the facts indented, the request line, and the token's fingerprint."""
    code, out = _token(capsys, monkeypatch, sandbox, "cc-v2-graph")
    lines = out.splitlines()
    assert code == 0 and lines[0].startswith("Token issued in ")
    assert "  Kind        app-only (" in out and "  Audience    Microsoft Graph (" in out
    assert "  Roles       " in out and "Allows:\n  - " in out
    assert f"Request: POST {sandbox.base_url}/" in out and "(HTTP 200 OK, " in out
    assert lines[-1].startswith("Access token: sha256:") and lines[-1].endswith(
        " (--show-token prints it)"
    )
    code, out = _token(capsys, monkeypatch, sandbox, "cc-v2-graph", "--show-token")
    assert out.splitlines()[-1].startswith("Access token: eyJ")


def test_refused_json_and_human(capsys, monkeypatch, sandbox: Sandbox) -> None:
    """A refusal: every error field by name, the diagnosis with support text; the human
    output shows the error, its first line, the numbered fix and the support details."""
    code, out = _token(capsys, monkeypatch, sandbox, "secret-wrong", "--json")
    doc = json.loads(out)
    assert code == 1 and doc["outcome"] == "refused" and doc["token"] is None
    assert set(doc["error"]) == ERROR_KEYS and doc["error"]["error"] == "invalid_client"
    assert (
        doc["error"]["trace_id"] and doc["error"]["timestamp"] and doc["error"]["suberror"] is None
    )
    diagnosis = doc["diagnosis"]
    assert set(diagnosis) == DIAGNOSIS_KEYS and diagnosis["code"] == "AADSTS7000215"
    assert diagnosis["support"]["Trace ID"] == doc["error"]["trace_id"]
    assert diagnosis["support_text"].startswith(f"{diagnosis['title']} (AADSTS7000215)")
    assert diagnosis["link"] == "https://login.microsoftonline.com/error?code=7000215"
    code, out = _token(capsys, monkeypatch, sandbox, "secret-wrong")
    assert code == 1 and out.startswith("Failed: ")
    assert "  error: invalid_client\n  AADSTS7000215: " in out
    assert "Diagnosis: " in out and "\n  1. " in out and "  More: https://login." in out
    assert "Support details:\n  AADSTS codes: AADSTS7000215\n" in out


def test_no_answer_and_blocked(capsys, monkeypatch) -> None:
    """No answer: failure fields, exit 3, the one-line reason; blocked: findings by name."""
    monkeypatch.setenv("OUT_SECRET", "s3cr3t-value")
    code = main(["token", "--token-url", "http://127.0.0.1:9/t", "--client-id", "c",
                 "--secret-env", "OUT_SECRET", "--json"])  # fmt: skip
    doc = json.loads(capsys.readouterr().out)
    assert code == 3 and set(doc["failure"]) == {"kind", "message", "detail", "certificate"}
    assert doc["response"] is None and doc["diagnosis"]["code"] == "connection_refused"
    code = main(["token", "--token-url", "http://127.0.0.1:9/t", "--client-id", "c",
                 "--secret-env", "OUT_SECRET"])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 3 and "(no answer, " in out and "  127.0.0.1:9 refused the connection" in out
    assert "Diagnosis: Connection refused\n" in out  # no internal key such as (connection_refused)
    code = main(["token", "--tenant", "common", "--client-id", "not-a-guid", "--secret-env",
                 "OUT_SECRET", "--json"])  # fmt: skip
    doc = json.loads(capsys.readouterr().out)
    assert code == 2 and doc["outcome"] == "blocked" and doc["response"] is None
    assert all(set(f) == FINDING_KEYS for f in doc["findings"])
    assert {f["severity"] for f in doc["findings"]} == {"error"}
    code = main(["token", "--tenant", "common", "--client-id", "not-a-guid", "--secret-env",
                 "OUT_SECRET"])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 2 and "error [client_id]: Client ID is not a GUID. " in out and " Fix: " in out


def test_dry_run_text_and_warning_lines(capsys, monkeypatch) -> None:
    """A dry run prints findings (warnings marked so) and the redacted request."""
    monkeypatch.setenv("OUT_SECRET", " padded-secret ")
    code = main(["token", "--tenant", "contoso.onmicrosoft.com", "--client-id",
                 "6e74172b-be56-4843-9ff4-e66a39bb12e3", "--secret-env", "OUT_SECRET",
                 "--dry-run"])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0 and out.startswith("warning [client_secret]: Secret has spaces at an end.")
    assert (
        "\nPOST https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token" in out
    )
    assert "client_secret=********" in out and "padded-secret" not in out


def test_verdict_and_diagnosis_blocks_word_for_word() -> None:
    """The human verdict block (every fact line, allows, warnings, notes) and a diagnosis
    with parts, fix steps, link and support details, exactly as printed."""
    import io

    from core.cli.output import write_diagnosis, write_verdict
    from core.timefmt import describe

    verdict = {
        "headline": "Token: app-only", "token_kind": "app-only", "kind_reason": "idtyp is 'app'",
        "credential": "client secret", "version": "1.0", "issuer": "https://sts.windows.net/t/",
        "audience": "https://graph.microsoft.com", "audience_name": "Microsoft Graph",
        "tenant_id": "t", "client_id": "c", "issued_at": 1.0, "not_before": 2.0,
        "expires_at": 3.0, "roles": ["A", "B"], "scopes": ["s1", "s2"], "allows": ["A: read"],
        "warnings": ["w1", "w2"], "notes": ["n1"],
    }  # fmt: skip
    out = io.StringIO()
    write_verdict(verdict, out)
    assert out.getvalue() == (
        "Token: app-only\n"
        "  Kind        app-only (idtyp is 'app')\n"
        "  Credential  client secret\n"
        "  Version     1.0\n"
        "  Issuer      https://sts.windows.net/t/\n"
        "  Audience    Microsoft Graph (https://graph.microsoft.com)\n"
        "  Tenant      t\n"
        "  Client app  c\n"
        f"  Issued at   {describe(1.0)}\n"
        f"  Not before  {describe(2.0)}\n"
        f"  Expires     {describe(3.0)}\n"
        "  Roles       A, B\n"
        "  Scopes      s1, s2\n"
        "Allows:\n  - A: read\n"
        "Warnings:\n  ! w1\n  ! w2\n"
        "Notes:\n  - n1\n"
    )
    same = dict(verdict, audience_name="https://graph.microsoft.com", kind_reason="",
                issued_at=None, not_before=None, expires_at=None, roles=[], allows=[],
                warnings=[], notes=[])  # fmt: skip
    out = io.StringIO()
    write_verdict(same, out)
    assert "  Audience    https://graph.microsoft.com\n" in out.getvalue()
    assert "Kind" not in out.getvalue() and "Issued" not in out.getvalue()
    part = {"code": "AADSTS1", "title": "One", "cause": "Because.", "fix": ["Do a.", "Do b."],
            "link": "https://x.example/1"}  # fmt: skip
    other = {"code": "HTTP 429", "title": "Too many (HTTP 429)", "cause": "Slow down.",
             "fix": ["Wait."], "link": ""}  # fmt: skip
    out = io.StringIO()
    write_diagnosis({**part, "parts": [part, other], "support": {"Trace ID": "tr"}}, out)
    assert out.getvalue() == (
        "Diagnosis: One (AADSTS1)\n  Because.\n  1. Do a.\n  2. Do b.\n  More: https://x.example/1\n"
        "Diagnosis: Too many (HTTP 429)\n  Slow down.\n  1. Wait.\n"
        "Support details:\n  Trace ID: tr\n"
    )


def test_show_token_json_dry_run_findings_and_body_line(capsys, monkeypatch, sandbox) -> None:
    """--show-token under --json adds token.access_token (only then); a dry run's JSON lists
    its findings; a refusal that is not JSON shows its body's first words; JSON is indented."""
    code, out = _token(capsys, monkeypatch, sandbox, "cc-v2-graph", "--json", "--show-token")
    doc = json.loads(out)
    assert code == 0 and doc["token"]["access_token"].startswith("eyJ")
    assert out.startswith('{\n  "schema"')
    code, out = _token(capsys, monkeypatch, sandbox, "cc-v2-graph", "--json")
    assert "access_token" not in json.loads(out)["token"]
    code, out = _token(capsys, monkeypatch, sandbox, "cc-v2-graph", "--json", "--dry-run",
                       secret=" padded ")  # fmt: skip
    doc = json.loads(out)
    assert code == 0 and [f["code"] for f in doc["findings"]] == ["secret-whitespace"]
    assert doc["ok"] is True and out.startswith('{\n  "schema"')
    code, out = _token(capsys, monkeypatch, sandbox, "fault-503")
    assert code == 1 and "\n  body: <!DOCTYPE html> <html><head><title>503 " in out


@pytest.mark.parametrize("columns", ["", "60", "143", "junk"])
def test_help_is_as_wide_as_argparse_makes_it(columns: str, monkeypatch) -> None:
    """The help formatter finds the width without shutil, as shutil would (COLUMNS first)."""
    import argparse
    import shutil

    from core.cli.terminal import HelpFormatter, terminal_columns

    monkeypatch.setenv("COLUMNS", columns)
    assert terminal_columns() == shutil.get_terminal_size().columns
    ours, theirs = HelpFormatter("main.py"), argparse.HelpFormatter("main.py")
    assert ours._width == theirs._width and ours._max_help_position == theirs._max_help_position
