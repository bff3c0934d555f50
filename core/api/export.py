"""Copy a call as curl / PowerShell: the token is read from $ACCESS_TOKEN / $env:ACCESS_TOKEN,
never written out."""

from __future__ import annotations

import shlex

from core.api.call import ApiRequest
from core.redaction import is_secret_name

TOKEN_ENV = "ACCESS_TOKEN"


def _env_name(header: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in header).upper()


def to_curl(request: ApiRequest) -> str:
    """A POSIX-shell curl command; the token comes from $ACCESS_TOKEN (secret-named headers
    from a variable named after the header)."""
    lines = [f"curl -sS -X {request.method} {shlex.quote(request.url)}",
             f'-H "Authorization: Bearer ${{{TOKEN_ENV}}}"']  # fmt: skip
    for name, value in request.headers:
        if is_secret_name(name):
            lines.append(f'-H "{name}: ${{{_env_name(name)}}}"')
        else:
            lines.append(f"-H {shlex.quote(f'{name}: {value}')}")
    if request.body:
        if not any(k.lower() == "content-type" for k, _ in request.headers):
            lines.append("-H 'Content-Type: application/json'")
        lines.append(f"--data-binary {shlex.quote(request.body.decode('utf-8', 'replace'))}")
    return " \\\n  ".join(lines) + "\n"


def _ps(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def to_powershell(request: ApiRequest) -> str:
    """A PowerShell Invoke-RestMethod call; the token comes from $env:ACCESS_TOKEN."""
    headers = [f"    'Authorization' = \"Bearer $env:{TOKEN_ENV}\""]
    for name, value in request.headers:
        rendered = f"$env:{_env_name(name)}" if is_secret_name(name) else _ps(value)
        headers.append(f"    {_ps(name)} = {rendered}")
    out = ["$headers = @{", *headers, "}"]
    call = f"Invoke-RestMethod -Method {request.method} -Uri {_ps(request.url)} -Headers $headers"
    if request.body:
        out.append(f"$body = {_ps(request.body.decode('utf-8', 'replace'))}")
        content = next((v for k, v in request.headers if k.lower() == "content-type"),
                       "application/json")  # fmt: skip
        call += f" -Body $body -ContentType {_ps(content)}"
    out.append(call)
    return "\n".join(out) + "\n"
