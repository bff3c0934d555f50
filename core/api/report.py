"""The whole "Try it": check the permissions, send the call, explain a refusal."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from core.api.call import ApiCallResult, ApiRequest, send_call
from core.api.graph_errors import diagnose_call
from core.api.permissions import PermissionCheck, check_permissions
from core.api.target import TokenFacts, graph_roots, token_facts
from core.insight.diagnosis import Diagnosis


@dataclass(frozen=True)
class CallReport:
    """A call's permission check (made before sending), its result and the diagnosis."""

    facts: TokenFacts
    check: PermissionCheck | None
    result: ApiCallResult
    diagnosis: Diagnosis | None

    @property
    def verdict(self) -> str:
        return self.result.verdict


def precheck(request: ApiRequest, cloud: str = "", authority: str = "") -> PermissionCheck | None:
    """The permission check alone (nothing is sent): what the window shows while typing."""
    facts = token_facts(request.token)
    return check_permissions(request.method, request.url, facts, graph_roots(cloud, authority))


def call_api(
    request: ApiRequest,
    *,
    cloud: str = "",
    authority: str = "",
    ca_file: str | None = None,
    cancel: threading.Event | None = None,
) -> CallReport:
    """Check, send and explain one call. `cloud`/`authority` say where the sandbox's Graph is.

    Raises:
        CallInputError: the request cannot be sent as given.
    """
    facts = token_facts(request.token)
    roots = graph_roots(cloud, authority)
    check = check_permissions(request.method, request.url, facts, roots)
    result = send_call(request, ca_file=ca_file, cancel=cancel)
    return CallReport(facts, check, result, diagnose_call(result, facts, check, roots))
