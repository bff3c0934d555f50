"""Copy as curl / PowerShell: the prepared request, with secrets read from the environment."""

from __future__ import annotations

import shlex

from core.redaction import Secret
from core.token.models import AuthMethod, CredentialKind, PreparedRequest

# Environment variables the exported commands read secrets from (never the values themselves).
SECRET_ENV = {
    "client_secret": "CLIENT_SECRET",
    "password": "USER_PASSWORD",
    "client_assertion": "CLIENT_ASSERTION",
}
_SKIP_HEADERS = {"content-type", "user-agent", "authorization"}


def _env_for(name: str) -> str:
    return SECRET_ENV.get(name, name.upper())


def assertion_note(prepared: PreparedRequest) -> list[str]:
    """Comment lines saying what $CLIENT_ASSERTION must hold (the assertion is never exported:
    it is signed for one request and lives 10 minutes)."""
    env = SECRET_ENV["client_assertion"]
    if prepared.credential is CredentialKind.FEDERATED:
        return [f"The client assertion is the external identity provider's token (e.g. the file "
                f"in $AZURE_FEDERATED_TOKEN_FILE): put it in ${env}."]  # fmt: skip
    if prepared.credential is not CredentialKind.CERTIFICATE:
        return []
    cert = prepared.certificate
    thumb = ""
    if cert is not None:
        thumb = f", header x5t#S256 {cert.x5t_s256} (PS256) or x5t {cert.x5t} (RS256)"
    return [
        f"The client assertion must be a JWT signed with the certificate's private key{thumb};",
        f"claims aud = {prepared.url}, iss = sub = {prepared.field('client_id')}, a new jti,",
        "nbf/iat = now, exp = now + 10 min. This tool never exports one (it is a secret valid for",
        f"one request): sign a fresh one and put it in ${env}.",
    ]


def to_curl(prepared: PreparedRequest) -> str:
    """A POSIX-shell curl command equivalent to the request; secrets come from $CLIENT_SECRET."""
    note = "".join(f"# {line}\n" for line in assertion_note(prepared))
    lines = [f"curl -sS -X POST {shlex.quote(prepared.url)}"]
    for name, value in prepared.headers:
        if name.lower() not in _SKIP_HEADERS:
            lines.append(f"-H {shlex.quote(f'{name}: {value}')}")
    if prepared.auth_method is AuthMethod.BASIC and prepared.header("Authorization"):
        client_id = str(prepared.field("client_id") or "")
        # curl -u does not form-encode; Entra secrets use only characters that need none.
        lines.append(f'-u {shlex.quote(client_id)}":${{{SECRET_ENV["client_secret"]}}}"')
    for name, value in prepared.form:
        if isinstance(value, Secret):
            lines.append(f'--data-urlencode "{name}=${{{_env_for(name)}}}"')
        else:
            lines.append(f"--data-urlencode {shlex.quote(f'{name}={value}')}")
    return note + " \\\n  ".join(lines) + "\n"


def _ps(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def to_powershell(prepared: PreparedRequest) -> str:
    """A PowerShell Invoke-RestMethod call; secrets come from $env:CLIENT_SECRET."""
    width = max(len(name) for name, _ in prepared.form)
    body = []
    for name, value in prepared.form:
        rendered = f"$env:{_env_for(name)}" if isinstance(value, Secret) else _ps(str(value))
        body.append(f"    {name.ljust(width)} = {rendered}")
    headers = [
        f"    {_ps(name)} = {_ps(str(value))}"
        for name, value in prepared.headers
        if name.lower() not in _SKIP_HEADERS
    ]
    note = [f"# {line}" for line in assertion_note(prepared)]
    out = [*note, "$body = @{", *body, "}", "$headers = @{", *headers, "}"]
    if prepared.auth_method is AuthMethod.BASIC and prepared.header("Authorization"):
        client_id = str(prepared.field("client_id") or "")
        out += [
            f"$pair = [uri]::EscapeDataString({_ps(client_id)}) + ':' + "
            f"[uri]::EscapeDataString($env:{SECRET_ENV['client_secret']})",
            "$headers['Authorization'] = 'Basic ' + "
            "[Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($pair))",
        ]
    out.append(
        f"Invoke-RestMethod -Method Post -Uri {_ps(prepared.url)} -Headers $headers "
        "-Body $body -ContentType 'application/x-www-form-urlencoded'"
    )
    return "\n".join(out) + "\n"
