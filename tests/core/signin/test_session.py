"""The refresh token: in memory only, masked, rotated on use, for another API when asked."""

from __future__ import annotations

import copy
import pickle

import pytest

from core.redaction import Secret
from core.signin import RefreshSession
from core.token.models import Endpoint, TokenRequestInput
from tests.core.signin.scripted import ScriptedServer

RT1, RT2 = "rt-one-" + "a" * 40, "rt-two-" + "b" * 40


def test_refresh_rotates_and_targets_another_api() -> None:
    with ScriptedServer() as srv:
        srv.on("/token", (200, {"access_token": "at-" + "x" * 40, "expires_in": 60,
                                "refresh_token": RT2}))  # fmt: skip
        inputs = TokenRequestInput(
            client_id="c1", scope="User.Read", token_url=srv.base_url + "/token"
        )
        session = RefreshSession(inputs, Secret(RT1))
        first = session.refresh()
        second = session.refresh(target="api://orders/Orders.Read")
    assert first.ok and second.ok
    forms = srv.posted("/token")
    assert [f["refresh_token"] for f in forms] == [RT1, RT2]
    assert forms[0]["grant_type"] == "refresh_token" and forms[0]["scope"] == "User.Read"
    assert forms[1]["scope"] == "api://orders/Orders.Read"
    assert RT1 not in first.request.redacted_text() and RT2 not in first.body_text  # type: ignore[union-attr]
    assert RT2 not in repr(session) and session.held


def test_v1_refresh_names_the_resource() -> None:
    with ScriptedServer() as srv:
        srv.on("/contoso.example/oauth2/token", (200, {"access_token": "at-" + "x" * 40}))
        inputs = TokenRequestInput(cloud="sandbox", authority=srv.base_url,
                                   tenant="contoso.example", endpoint=Endpoint.V1,
                                   client_id="a0c98bb6-50e6-4455-bc94-3dbbbdd6351f",
                                   resource="https://graph")  # fmt: skip
        RefreshSession(inputs, Secret(RT1)).refresh(target="api://orders")
    assert srv.posted("/contoso.example/oauth2/token")[0]["resource"] == "api://orders"


def test_a_session_cannot_be_serialised_and_can_be_forgotten() -> None:
    session = RefreshSession(TokenRequestInput(), Secret(RT1))
    with pytest.raises(TypeError):
        pickle.dumps(session)
    with pytest.raises(TypeError):
        copy.deepcopy(session)
    session.forget()
    assert not session.held
    with pytest.raises(ValueError, match="no refresh token"):
        session.refresh()
