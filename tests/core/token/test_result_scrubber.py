"""An answer's scrubber is built once (it encodes every secret many ways) and kept by the
result, but never outlives the request and token it was built for."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from core import redaction
from core.redaction import Secret
from core.token.client import result_from_answer
from core.token.models import PreparedRequest
from core.token.result import TokenFields
from core.token.transport import HttpResult

SECRET = "client-secret-value~42"
ACCESS, REFRESH = "opaque-access-token-1", "opaque-refresh-token-1"


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One entry per Scrubber built while the test runs."""
    made: list[int] = []
    real_init = redaction.Scrubber.__init__

    def init(self: redaction.Scrubber, secrets=()) -> None:  # type: ignore[no-untyped-def]
        made.append(1)
        real_init(self, secrets)

    monkeypatch.setattr(redaction.Scrubber, "__init__", init)
    return made


def _prepared(secret: str = SECRET) -> PreparedRequest:
    form = (("client_id", "c"), ("client_secret", Secret(secret)))
    return PreparedRequest("POST", "https://x.example/t", (), form, 5.0, "rid")


def _answer(prepared: PreparedRequest, status: int, body: dict[str, object]) -> HttpResult:
    return HttpResult("POST", prepared.url, 1.0, 2.0, status=status, body=json.dumps(body).encode())


def test_a_token_answer_builds_its_scrubber_once(builds: list[int]) -> None:
    """The scrubber that cleaned the answer is the one the result hands out afterwards, and
    it masks the request's secret and the tokens received."""
    prepared = _prepared()
    body = {"access_token": ACCESS, "refresh_token": REFRESH, "expires_in": 3599}
    result = result_from_answer(prepared, _answer(prepared, 200, body))
    assert result.ok and len(builds) == 1
    scrub = result.scrubber()
    assert result.scrubber() is scrub and len(builds) == 1
    assert scrub.text(f"{SECRET} {ACCESS} {REFRESH}") == " ".join([redaction.MASK] * 3)


def test_a_refusal_builds_its_scrubber_once(builds: list[int]) -> None:
    prepared = _prepared()
    body = {"error": "invalid_client", "error_description": f"bad {SECRET}"}
    result = result_from_answer(prepared, _answer(prepared, 401, body))
    assert result.error is not None and SECRET not in result.error.error_description
    assert result.scrubber().text(SECRET) == redaction.MASK and len(builds) == 1


def test_a_changed_result_gets_a_scrubber_for_what_it_holds() -> None:
    """A result copied with another token or another request masks those secrets: the kept
    scrubber is used only for the very request and token it was built from."""
    prepared = _prepared()
    result = result_from_answer(prepared, _answer(prepared, 200, {"access_token": ACCESS}))
    other_token = TokenFields(access_token=Secret(ACCESS), refresh_token=Secret("new-refresh-2"))
    assert replace(result, token=other_token).scrubber().text("new-refresh-2") == redaction.MASK
    moved = replace(result, request=_prepared("another-secret-3"))
    assert moved.scrubber().text("another-secret-3") == redaction.MASK
    assert result.scrubber().text("new-refresh-2 another-secret-3") == (
        "new-refresh-2 another-secret-3"
    )
