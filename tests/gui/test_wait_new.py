"""The window's "This secret is new: retry while Entra replicates it" option, end to end."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from core.sandbox import Sandbox, scenarios
from core.sandbox import directory as d
from core.store.secret_store import KeyringSecretStore
from core.token.models import CredentialKind
from core.token.replication import WaitEnd
from gui.form import wait_option
from gui.main_window import MainWindow
from tests.counting import CountingProxy
from tests.fakes.memory_keyring import MemoryKeyring
from tests.gui.profiles.test_profiles_window import _name_new_profile, _save

SCENARIOS = {s.key: s for s in scenarios()}
NEW = SCENARIOS["secret-new"]


def _load(window: MainWindow, key: str) -> None:
    action = next(a for a in window.sandboxing.actions() if a.data() == key)
    action.trigger()


@pytest.fixture
def proxied(window: MainWindow, sandbox: Sandbox) -> Iterator[CountingProxy]:
    """The window's sandbox requests go through a counting proxy."""
    with CountingProxy(sandbox.base_url) as proxy:
        window.form.set_sandbox_authority(proxy.base_url)
        yield proxy


def test_option_beside_the_credential_off_by_default(window: MainWindow) -> None:
    """Unticked at start and after loading any setup; worded for a secret or a certificate;
    hidden for a federated credential; the scenario of a just-created secret ticks it."""
    check = window.form.wait_new_check
    assert check.isVisible() and not check.isChecked()
    assert check.text().replace("&", "") == "This secret is new: retry while Entra replicates it"
    _load(window, "cert-ps256")
    assert check.isVisible() and check.text().startswith("New certificate: ")
    _load(window, "federated-ok")
    assert not check.isVisible()
    _load(window, NEW.key)
    assert check.isVisible() and check.isChecked()
    _load(window, "secret-wrong")
    assert not check.isChecked()
    assert check.limit_s() == 0
    check.setChecked(True)
    assert check.limit_s() == wait_option.WAIT_LIMIT_S == 120


def test_new_secret_works_after_retries_with_the_live_line(
    qtbot: QtBot, window: MainWindow, proxied: CountingProxy
) -> None:
    """Refused once, then a token 2 s later: the banner shows the live line while waiting,
    then 'Worked after 2 s: it was replication'; two requests, 2 s or more apart."""
    _load(window, NEW.key)
    window.form.set_sandbox_authority(proxied.base_url)
    lines: list[str] = []
    window.worker.progressed.connect(lambda p: lines.append(window.response.verdict_label.text()))
    with qtbot.waitSignal(window.worker.finished, timeout=15_000):
        window.send()
    assert lines == [
        "Refused as unknown (attempt 1, 0 s): a new secret can take a few minutes to reach "
        "every Entra server; retrying in 2 s. Esc stops."
    ]
    report = window.response.report
    assert report.issued and report.result.replication.end is WaitEnd.WORKED
    banner = window.response.verdict_label.text()
    assert banner.startswith("Worked after 2 s: it was replication, not a wrong secret. Token")
    assert any("2 attempts over 2 s" in n for n in report.verdict.notes)
    assert proxied.count == 2 and proxied.gaps()[0] >= 1.95


def test_wrong_secret_gives_up_at_the_limit(
    qtbot: QtBot, window: MainWindow, proxied: CountingProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ticked for a secret that is simply wrong: sent at 0, 2 and 4 s (a 4 s limit here), then
    'Still refused after 4 s: this is not replication' and the Diagnosis tab."""
    monkeypatch.setattr(wait_option, "WAIT_LIMIT_S", 4.0)
    _load(window, "secret-wrong")
    window.form.set_sandbox_authority(proxied.base_url)
    window.form.wait_new_check.setChecked(True)
    with qtbot.waitSignal(window.worker.finished, timeout=15_000):
        window.send()
    view = window.response
    assert view.verdict_label.text().startswith(
        "Still refused after 4 s: this is not replication. Check the Value (not the Secret ID)"
    )
    assert view.banner_state == "error" and view.tabs.currentWidget() is view.diagnosis
    assert "not replication" in view.diagnosis.details.text()
    assert proxied.count == 3 and min(proxied.gaps()) >= 1.95


def test_wrong_tenant_never_retries(
    qtbot: QtBot, window: MainWindow, proxied: CountingProxy
) -> None:
    """Ticked, but the app is not in that tenant: one request, no live line."""
    _load(window, "tenant-wrong")
    window.form.set_sandbox_authority(proxied.base_url)
    window.form.wait_new_check.setChecked(True)
    with (
        qtbot.assertNotEmitted(window.worker.progressed),
        qtbot.waitSignal(window.worker.finished, timeout=10_000),
    ):
        window.send()
    assert "AADSTS700016" in window.response.verdict_label.text()
    assert proxied.count == 1


def test_esc_stops_the_wait_at_once(
    qtbot: QtBot, window: MainWindow, proxied: CountingProxy
) -> None:
    """Esc during the pause: Send is back at once, the banner says how far the wait got, and
    nothing more is sent."""
    _load(window, "secret-wrong")
    window.form.set_sandbox_authority(proxied.base_url)
    window.form.wait_new_check.setChecked(True)
    with qtbot.waitSignal(window.worker.progressed, timeout=10_000):
        window.send()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert not window.worker.busy and window.send_button.text().replace("&", "") == "Send"
    assert window.response.verdict_label.text() == (
        "Stopped waiting for replication after 0 s (1 attempt): still refused as unknown "
        "(AADSTS7000215). Nothing more is sent."
    )
    qtbot.wait(2500)  # longer than the 2 s pause the wait was in: observe that nothing is sent
    assert proxied.count == 1


def test_history_shows_the_wait_and_profiles_never_keep_the_option(
    qtbot: QtBot, make_window, sandbox: Sandbox, config_folder: Path
) -> None:
    """Saved as a profile and sent with the option: the history line says it worked after
    retries because of replication; the profile file holds no trace of the option."""
    window = make_window(sandbox=sandbox, secrets=KeyringSecretStore(MemoryKeyring()),
                         clear_delay_s=1)  # fmt: skip
    _load(window, NEW.key)
    _save(qtbot, window)
    _name_new_profile(qtbot, window, "New secret")
    window.form.wait_new_check.setChecked(True)
    sandbox.recreate_new_secret()  # created "now": refused for the next second
    with qtbot.waitSignal(window.worker.finished, timeout=15_000):
        window.send()
    line = window.panel.history_list.item(0).text()
    assert "OK" in line and "worked after 2 s: it was replication (2 attempts)" in line
    (entry,) = window.history.entries(window.panel.current_id())
    assert (entry.wait, entry.attempts) == ("worked", 2)
    saved = (config_folder / "profiles.json").read_text()
    assert "wait" not in saved.lower() and d.NEW_SECRET.value not in saved
    assert window.form.to_profile(window.panel.current_profile()).credential is (
        CredentialKind.SECRET
    )
