"""`token --azure-env`: the credential azure-identity would build from the environment.

EnvironmentCredential's precedence: a client secret (AZURE_TENANT_ID, AZURE_CLIENT_ID,
AZURE_CLIENT_SECRET), else a certificate (AZURE_TENANT_ID, AZURE_CLIENT_ID,
AZURE_CLIENT_CERTIFICATE_PATH, with AZURE_CLIENT_CERTIFICATE_PASSWORD and
AZURE_CLIENT_SEND_CERTIFICATE_CHAIN), else a user name and password (AZURE_CLIENT_ID,
AZURE_USERNAME, AZURE_PASSWORD; tenant AZURE_TENANT_ID or organizations). When none is complete,
DefaultAzureCredential tries WorkloadIdentityCredential next (AZURE_TENANT_ID, AZURE_CLIENT_ID,
AZURE_FEDERATED_TOKEN_FILE), and so does this. AZURE_AUTHORITY_HOST picks the cloud. A variable
set to an empty value counts as set, as in azure-identity. `--cloud` or `--authority` given
on the command line win over AZURE_AUTHORITY_HOST (a plain-http sandbox, say).
"""

from __future__ import annotations

import argparse
import copy
from collections.abc import Mapping
from urllib.parse import urlsplit

from core.cli.credentials import UsageError

_CONFLICTS = ("tenant", "client_id", "secret_env", "secret_stdin", "no_secret", "certificate",
              "certificate_key", "certificate_password_env", "certificate_password_stdin",
              "assertion_file", "assertion_env", "assertion_stdin", "username", "password_env",
              "password_stdin", "token_url", "profile")  # fmt: skip


def _set(env: Mapping[str, str], *names: str) -> bool:
    return all(env.get(name) is not None for name in names)


def _cloud(host: str) -> tuple[str, str]:
    """(cloud key, authority override) for AZURE_AUTHORITY_HOST."""
    from core.token.authority import CLOUDS

    url = host.strip().rstrip("/")
    if not url:
        return "global", ""
    if "://" not in url:
        url = "https://" + url
    if urlsplit(url).scheme != "https":
        raise UsageError(f"AZURE_AUTHORITY_HOST must be an https address, not {host!r}")
    for cloud in CLOUDS:
        if cloud.authority and cloud.authority.lower() == url.lower():
            return cloud.key, ""
    return "global", url


def apply_azure_env(args: argparse.Namespace, env: Mapping[str, str]) -> tuple[argparse.Namespace,
                                                                               str]:  # fmt: skip
    """The options `--azure-env` stands for, and one line saying which credential was chosen."""
    given = [name for name in _CONFLICTS if getattr(args, name, None)]
    if given:
        option = "--" + given[0].replace("_", "-")
        raise UsageError(f"--azure-env takes the app and its credential from the AZURE_* "
                         f"variables; leave out {option}")  # fmt: skip
    ns = copy.copy(args)
    from core.cli.profile_option import is_default

    if is_default(args, "cloud") and not args.authority:  # else --cloud/--authority win
        ns.cloud, ns.authority = _cloud(env.get("AZURE_AUTHORITY_HOST", ""))
    ns.tenant = env.get("AZURE_TENANT_ID", "")
    ns.client_id = env.get("AZURE_CLIENT_ID", "")
    if _set(env, "AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET"):
        ns.secret_env = "AZURE_CLIENT_SECRET"
        return ns, "client secret from AZURE_CLIENT_SECRET (EnvironmentCredential)"
    if _set(env, "AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_CERTIFICATE_PATH"):
        ns.certificate = env["AZURE_CLIENT_CERTIFICATE_PATH"]
        if env.get("AZURE_CLIENT_CERTIFICATE_PASSWORD") is not None:
            ns.certificate_password_env = "AZURE_CLIENT_CERTIFICATE_PASSWORD"
        chain = env.get("AZURE_CLIENT_SEND_CERTIFICATE_CHAIN", "").strip().lower()
        ns.send_x5c = chain in ("1", "true")
        return ns, (f"certificate {ns.certificate} from AZURE_CLIENT_CERTIFICATE_PATH "
                    "(EnvironmentCredential)")  # fmt: skip
    if _set(env, "AZURE_CLIENT_ID", "AZURE_USERNAME", "AZURE_PASSWORD"):
        ns.grant, ns.no_secret = "password", True
        ns.tenant = env.get("AZURE_TENANT_ID") or "organizations"
        ns.username, ns.password_env = env["AZURE_USERNAME"], "AZURE_PASSWORD"
        return ns, (f"user {ns.username} and AZURE_PASSWORD, password grant "
                    "(EnvironmentCredential)")  # fmt: skip
    if _set(env, "AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_FEDERATED_TOKEN_FILE"):
        ns.assertion_file = env["AZURE_FEDERATED_TOKEN_FILE"]
        return ns, (f"federated token file {ns.assertion_file} from AZURE_FEDERATED_TOKEN_FILE "
                    "(WorkloadIdentityCredential)")  # fmt: skip
    raise UsageError(
        "--azure-env found no complete credential: set AZURE_TENANT_ID and AZURE_CLIENT_ID with "
        "AZURE_CLIENT_SECRET, AZURE_CLIENT_CERTIFICATE_PATH or AZURE_FEDERATED_TOKEN_FILE, or "
        "AZURE_CLIENT_ID with AZURE_USERNAME and AZURE_PASSWORD"
    )
