"""Device code: both spellings, polling at the interval, slow_down, the final errors, cancel."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from core.insight.diagnosis import diagnose
from core.redaction import Secret
from core.signin import DeviceCode, SignInEndpoints, run_device_code
from core.signin.device import parse_device_code
from core.token.models import Endpoint, TokenRequestInput
from core.token.result import FailureKind, Outcome
from tests.core.signin.scripted import ScriptedServer

CLIENT = "a0c98bb6-50e6-4455-bc94-3dbbbdd6351f"
V2_CODE = {
    "device_code": "dc-" + "d" * 40,
    "user_code": "ABCD-EFGH",
    "expires_in": 900,
    "interval": 5,
    "verification_uri": "https://login.example/device",
    "message": "To sign in, open https://login.example/device and enter ABCD-EFGH.",
}
TOKEN = {"access_token": "at-" + "x" * 40, "token_type": "Bearer", "expires_in": 3600}


def pending(error: str = "authorization_pending") -> tuple[int, dict[str, object]]:
    return 400, {"error": error, "error_description": f"AADSTS70016: {error}"}


class FakeTime:
    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with ScriptedServer() as srv:
        srv.on("/devicecode", (200, V2_CODE))
        yield srv


def _run(srv: ScriptedServer, t: FakeTime, *, timeout_s: float = 600, **kw: object):  # type: ignore[no-untyped-def]
    endpoints = SignInEndpoints(
        device_url=srv.base_url + "/devicecode", token_url=srv.base_url + "/token", entra=False
    )
    codes: list[DeviceCode] = []
    inputs = TokenRequestInput(client_id=CLIENT, scope="User.Read")
    done = run_device_code(
        inputs,
        endpoints,
        timeout_s=timeout_s,
        on_code=codes.append,
        clock=t.clock,
        sleep=t.sleep,
        **kw,
    )  # type: ignore[arg-type]
    return done, codes


def test_polls_at_the_interval_and_five_more_after_slow_down(server: ScriptedServer) -> None:
    server.on("/token", pending(), pending("slow_down"), pending(), (200, TOKEN))
    t = FakeTime()
    done, codes = _run(server, t)
    assert done.ok and codes[0].user_code == "ABCD-EFGH"
    assert t.sleeps == [5, 10, 10]
    polls = server.posted("/token")
    assert len(polls) == 4 and all(p["device_code"] == V2_CODE["device_code"] for p in polls)
    assert polls[0]["grant_type"] == "urn:ietf:params:oauth:grant-type:device_code"
    assert server.posted("/devicecode")[0]["scope"] == "User.Read openid profile offline_access"


@pytest.mark.parametrize(
    "error", ["authorization_declined", "expired_token", "bad_verification_code"]
)
def test_final_errors_stop_polling_and_are_diagnosed(server: ScriptedServer, error: str) -> None:
    server.on("/token", pending(), (400, {"error": error, "error_description": error}))
    done, _ = _run(server, FakeTime())
    assert done.result.outcome is Outcome.REFUSED and len(server.posted("/token")) == 2
    d = diagnose(done.result)
    assert d is not None and d.code == error


def test_code_expiry_stops_polling_without_the_server_saying_so(server: ScriptedServer) -> None:
    server.on("/devicecode", (200, {**V2_CODE, "expires_in": 12}))
    server.on("/token", pending())
    t = FakeTime()
    done, _ = _run(server, t)
    assert done.result.error is not None and done.result.error.error == "expired_token"
    assert t.sleeps == [5, 5, 2] and len(server.posted("/token")) == 3


def test_whole_timeout_bounds_the_wait(server: ScriptedServer) -> None:
    server.on("/token", pending())
    t = FakeTime()
    done, _ = _run(server, t, timeout_s=7)
    assert done.result.failure is not None and done.result.failure.kind is FailureKind.TIMEOUT
    assert sum(t.sleeps) <= 7


def test_cancel_stops_at_once_with_the_real_sleep(server: ScriptedServer) -> None:
    server.on("/token", pending())
    cancel = threading.Event()
    endpoints = SignInEndpoints(
        device_url=server.base_url + "/devicecode",
        token_url=server.base_url + "/token",
        entra=False,
    )
    out = []
    thread = threading.Thread(
        target=lambda: out.append(
            run_device_code(
                TokenRequestInput(client_id=CLIENT, scope="User.Read"),
                endpoints,
                timeout_s=60,
                on_code=lambda c: cancel.set(),
                cancel=cancel,
            )
        )
    )
    thread.start()
    thread.join(5)
    assert not thread.is_alive()
    assert out[0].result.failure.kind is FailureKind.CANCELLED


def test_v1_spellings_are_read_and_polled_the_adal_way(server: ScriptedServer) -> None:
    v1 = {
        "device_code": "dc-" + "e" * 40,
        "user_code": "XY12Z",
        "expires_in": "900",
        "interval": "3",
        "verification_url": "https://microsoft.com/devicelogin",
    }
    code = parse_device_code(v1, 0.0)
    assert isinstance(code, DeviceCode) and code.interval == 3 and code.expires_in == 900
    assert code.verification_uri == "https://microsoft.com/devicelogin"
    assert "e" * 40 not in repr(code)
    server.on("/common/oauth2/devicecode", (200, v1))
    server.on("/common/oauth2/token", pending(), (200, TOKEN))
    inputs = TokenRequestInput(
        cloud="sandbox",
        authority=server.base_url,
        tenant="common",
        client_id=CLIENT,
        endpoint=Endpoint.V1,
        resource="https://graph.microsoft.com",
    )
    from core.signin import endpoints_for

    t = FakeTime()
    done = run_device_code(
        inputs,
        endpoints_for(inputs),
        timeout_s=60,
        on_code=lambda c: None,
        clock=t.clock,
        sleep=t.sleep,
    )
    assert done.ok, done.result
    asked = server.posted("/common/oauth2/devicecode")[0]
    assert asked == {"client_id": CLIENT, "resource": "https://graph.microsoft.com"}
    poll = server.posted("/common/oauth2/token")[0]
    assert poll["grant_type"] == "device_code" and poll["code"] == v1["device_code"]


@pytest.mark.parametrize(
    "body",
    [
        {"user_code": "A", "verification_uri": "https://x.example/d"},
        {"device_code": "d" * 20, "verification_uri": "https://x.example/d"},
        {"device_code": "d" * 20, "user_code": "A\x1b[2J", "verification_uri": "https://x.example"},
        {"device_code": "d" * 20, "user_code": "ABC", "verification_uri": "javascript:alert(1)"},
    ],
)
def test_unusable_code_answers_are_refused(body: dict[str, object]) -> None:
    assert isinstance(parse_device_code(body, 0.0), str)


def test_refusal_of_the_code_request_is_a_result(server: ScriptedServer) -> None:
    server.on(
        "/devicecode",
        (
            400,
            {
                "error": "invalid_client",
                "error_description": "AADSTS7000218: public client flows are not allowed",
            },
        ),
    )
    done, codes = _run(server, FakeTime())
    assert done.stage == "device" and codes == []
    d = diagnose(done.result)
    assert d is not None and d.code == "AADSTS7000218"


def test_secret_with_device_code_warns(server: ScriptedServer) -> None:
    server.on("/token", (200, TOKEN))
    endpoints = SignInEndpoints(
        device_url=server.base_url + "/devicecode",
        token_url=server.base_url + "/token",
        entra=False,
    )
    t = FakeTime()
    done = run_device_code(
        TokenRequestInput(client_id=CLIENT, scope="User.Read", client_secret=Secret("abcdefgh1")),
        endpoints,
        timeout_s=60,
        on_code=lambda c: None,
        clock=t.clock,
        sleep=t.sleep,
    )
    assert "device-code-confidential" in {f.code for f in done.result.findings}
    assert "client_secret" not in server.posted("/devicecode")[0]
