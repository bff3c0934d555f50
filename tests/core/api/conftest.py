"""API-call fixtures: one sandbox per module and tokens it issues for the demo apps."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from core.redaction import Secret
from core.sandbox import Sandbox
from core.sandbox import directory as d
from core.token.client import request_token
from core.token.models import TokenRequestInput

GRAPH_DEFAULT = "https://graph.microsoft.com/.default"


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as sb:
        yield sb


def inputs_for(sb: Sandbox, app: d.App, secret: str, scope: str = GRAPH_DEFAULT,
               **fields: object) -> TokenRequestInput:  # fmt: skip
    return TokenRequestInput(cloud="sandbox", authority=sb.base_url, tenant=d.CONTOSO.domain,
                             client_id=app.client_id, client_secret=Secret(secret), scope=scope,
                             timeout_s=10, **fields)  # type: ignore[arg-type]  # fmt: skip


@pytest.fixture
def token_for(sandbox: Sandbox) -> Callable[..., Secret]:
    """A token the sandbox issues (app-only by default: Contoso Daemon for Graph)."""

    def issue(app: d.App = d.DAEMON, secret: str = d.VALID_SECRET.value,
              scope: str = GRAPH_DEFAULT, **fields: object) -> Secret:  # fmt: skip
        result = request_token(inputs_for(sandbox, app, secret, scope, **fields))
        assert result.token is not None and result.token.access_token, result.error
        return result.token.access_token

    return issue
