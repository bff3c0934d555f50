"""File > Check all profiles: rows fill in as results arrive, Cancel stops at once, a row opens
its full result, history gets an entry per checked profile, and no secret is shown or saved."""

from __future__ import annotations

import itertools
import json
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from core.sandbox import Sandbox
from gui.check.table import STATE_ROLE, WAITING
from gui.main_window import MainWindow
from tests.gui.check.checkwin import seed
from tests.gui.scripted import Dialogs

# Two pass, two are refused, one has no remembered secret, one answers after the slow delay.
MIXED = ["cc-v2-graph", "secret-wrong", "cert-ps256", "password-wrong", "fault-slow",
         "cc-v1-graph"]  # fmt: skip
FORGOTTEN = ("cc-v1-graph",)


@pytest.fixture
def mixed(make_window, sandbox: Sandbox, config_folder: Path) -> tuple[MainWindow, list[str]]:
    """A sandbox window with six saved profiles (secrets in a memory keychain but one)."""
    secrets, _, values = seed(config_folder, sandbox, MIXED, forget=FORGOTTEN)
    return make_window(sandbox=sandbox, secrets=secrets, clear_delay_s=1), values


def _open(qtbot: QtBot, window: MainWindow):
    """Ctrl+Shift+A, as a keyboard user opens it."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(
        window.form.tenant_edit,
        Qt.Key.Key_A,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    dialog = window.checking.dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def _rows(dialog) -> dict[str, tuple[str, ...]]:
    return {row[1]: row for row in dialog.table.row_texts()}


def test_rows_fill_in_as_results_arrive(qtbot: QtBot, mixed) -> None:
    """Enter starts the run; rows fill in one by one (the slow tenant last) with status, result
    and expiry while the UI keeps running; the summary counts them."""
    window, _ = mixed
    dialog = _open(qtbot, window)
    assert [r[0] for r in dialog.table.row_texts()] == [WAITING] * len(MIXED)
    assert dialog.run_button.hasFocus()
    seen: list[int] = []  # rows still waiting each time a result arrived
    window.checking.worker.progressed.connect(
        lambda _r: seen.append([r[0] for r in dialog.table.row_texts()].count(WAITING))
    )
    ticks: list[float] = []
    timer = QTimer(interval=20, timeout=lambda: ticks.append(time.monotonic()))
    timer.start()
    with qtbot.waitSignal(window.checking.finished, timeout=20_000):
        qtbot.keyClick(dialog.run_button, Qt.Key.Key_Return)
        assert dialog.run_button.text() == "Cancel"
    timer.stop()
    assert seen == sorted(seen, reverse=True) and len(set(seen)) >= 3, seen  # one at a time
    assert seen[-1] == 0 and seen[0] >= 1
    assert max(b - a for a, b in itertools.pairwise(ticks)) < 0.5  # never blocked
    rows = _rows(dialog)
    assert rows["Working secret (client credentials, v2)"][0] == "OK"
    assert rows["Slow answer"][0] == "OK"
    assert rows["Wrong secret"][0] == "FAILED"
    assert "HTTP 401" in rows["Wrong secret"][2] and "AADSTS7000215" in rows["Wrong secret"][2]
    assert "AADSTS50126" in rows["Password grant: wrong password"][2]
    certificate = rows["Certificate (PS256, x5t#S256)"]
    assert certificate[0] == "OK" and "3 roles" in certificate[2]
    assert certificate[3].startswith("Expires 20")  # dated from its file
    assert not dialog.table.isColumnHidden(3)
    unsent = rows["Working secret (client credentials, v1)"]
    assert unsent[0] == "Not checked" and "No client secret is remembered" in unsent[2]
    assert "--file" not in unsent[2]  # the window's words, not the command line's
    states = [dialog.table.item(r, 0).data(STATE_ROLE) for r in range(dialog.table.rowCount())]
    assert sorted(states) == ["failed"] * 3 + ["ok"] * 3
    assert all(not dialog.table.item(r, 0).icon().isNull() for r in range(len(MIXED)))
    assert dialog.summary.text().startswith("3 of 6 OK, 2 failed, 1 not checked in ")
    assert dialog.run_button.text() == "&Check all" and dialog.copy_button.isEnabled()


def test_a_warning_for_a_credential_expiring_soon(qtbot: QtBot, make_window, sandbox: Sandbox,
                                                  config_folder: Path) -> None:  # fmt: skip
    """A secret ending within the warning days is a Warning row, counted in the summary."""
    secrets, _, _ = seed(config_folder, sandbox, ["secret-expiring", "cc-v2-graph"])
    window = make_window(sandbox=sandbox, secrets=secrets)
    window.checking.open()
    dialog = window.checking.dialog
    dialog.expiry_check.setChecked(True)
    assert not dialog.table.isColumnHidden(3)
    with qtbot.waitSignal(window.checking.finished, timeout=20_000):
        dialog.run_button.click()
    rows = _rows(dialog)
    assert rows["Secret expiring in 10 days"][0] == "Warning"
    assert rows["Secret expiring in 10 days"][3].startswith("Expires ")
    assert "(in 10 days)" in rows["Secret expiring in 10 days"][3]
    assert dialog.summary.text().startswith("1 of 2 OK, 1 expires within 30 days in ")


@pytest.fixture
def hanging() -> Iterator[Sandbox]:
    """A sandbox whose slow tenant answers only after a minute."""
    with Sandbox(slow_delay_s=60) as sb:
        yield sb


@pytest.mark.parametrize("how", ["cancel", "close"])
def test_cancel_stops_the_run_at_once(
    qtbot: QtBot, make_window, hanging: Sandbox, config_folder: Path, how: str
) -> None:
    """Cancel (or closing the dialog) with every request hanging ends the run within a second
    or so, not at the one-minute answer or the deadline; the UI keeps running meanwhile."""
    secrets, _, _ = seed(config_folder, hanging, ["cc-v2-graph"] + ["fault-slow"] * 5)
    window = make_window(sandbox=hanging, secrets=secrets)
    window.checking.open()
    dialog = window.checking.dialog
    with qtbot.waitSignal(window.checking.worker.progressed, timeout=10_000):
        dialog.run_button.click()  # the working one comes back; five hang
    qtbot.wait(300)
    assert window.checking.running
    ticks: list[float] = []
    timer = QTimer(interval=20, timeout=lambda: ticks.append(time.monotonic()))
    timer.start()
    started = time.monotonic()
    with qtbot.waitSignal(window.checking.finished, timeout=5_000):
        if how == "cancel":
            qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
            assert dialog.run_button.text() == "Cancelling…"
        else:
            dialog.close()
    took = time.monotonic() - started
    timer.stop()
    assert took < 2.0, took
    assert max((b - a for a, b in itertools.pairwise(ticks)), default=0) < 0.5
    rows = dialog.table.row_texts()
    assert [r[0] for r in rows].count("OK") == 1
    assert [r[0] for r in rows].count("Not checked") == 5
    assert all(r[2].startswith("Cancelled") for r in rows if r[0] == "Not checked")
    assert dialog.summary.text().startswith("1 of 6 OK, 5 not checked in ")
    assert dialog.summary.text().endswith("(cancelled)")
    assert window.checking.worker.wait(5)
    history = {p.name: window.history.entries(p.id) for p in window.profiles.list()}
    assert sorted(len(h) for h in history.values()) == [0] * 5 + [1]  # a cut-short one: none


def test_a_row_opens_its_full_result(qtbot: QtBot, mixed) -> None:
    """Enter on a refused row shows its diagnosis in the answer pane; a double click on a passing
    row shows its verdict and claims, the token ready to copy, named as Check all's."""
    window, _ = mixed
    window.checking.open()
    dialog = window.checking.dialog
    with qtbot.waitSignal(window.checking.finished, timeout=20_000):
        dialog.run_button.click()
    names = [r[1] for r in dialog.table.row_texts()]
    dialog.table.setFocus()
    dialog.table.setCurrentCell(names.index("Wrong secret"), 1)
    with qtbot.waitSignal(window.decoder.finished, timeout=10_000):
        qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
    response = window.response
    assert response.verdict_label.text().startswith("Check all, “Wrong secret”: ")
    assert response.report.diagnosis.code == "AADSTS7000215"
    assert response.tabs.currentWidget() is response.diagnosis
    row = names.index("Working secret (client credentials, v2)")
    cell = dialog.table.visualItemRect(dialog.table.item(row, 1)).center()
    qtbot.mouseClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    with qtbot.waitSignal(window.decoder.finished, timeout=10_000):
        qtbot.mouseDClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    assert response.verdict_label.text().startswith(
        "Check all, “Working secret (client credentials, v2)”: "
    )
    assert response.report.issued and response.copy_token_button.isEnabled()
    assert response.tabs.currentWidget() is response.summary
    assert any(r.name == "roles" for r in response.report.claims)
    window.form.tenant_edit.setText("elsewhere.example")  # the form is not what it answers
    assert not response.stale
    dialog.table.setCurrentCell(names.index("Working secret (client credentials, v1)"), 1)
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)  # never sent: its reason is shown
    assert "not checked" in response.verdict_label.text()
    assert dialog.isVisible()  # the dialog stays for the next row


def test_history_gets_an_entry_per_checked_profile(
    qtbot: QtBot, mixed, config_folder: Path
) -> None:
    """Each profile that was sent gets one history entry (OK or FAILED, as a Send's); the one
    never sent gets none; the selected profile's history list shows its entry at once."""
    window, _ = mixed
    profiles = {p.name: p for p in window.profiles.list()}
    window.panel.list.setCurrentRow(
        [window.panel.list.item(i).text() for i in range(window.panel.list.count())]
        .index("Wrong secret"))  # fmt: skip
    assert window.panel.history_list.count() == 0
    window.checking.open()
    with qtbot.waitSignal(window.checking.finished, timeout=20_000):
        window.checking.dialog.run_button.click()
    from core.store.history import HistoryStore

    history = HistoryStore(config_folder)  # as saved on disk
    counts = {name: len(history.entries(p.id)) for name, p in profiles.items()}
    assert counts == {name: 0 if name == "Working secret (client credentials, v1)" else 1
                      for name in profiles}  # fmt: skip
    assert history.entries(profiles["Wrong secret"].id)[0].ok is False
    assert history.entries(profiles["Slow answer"].id)[0].ok is True
    assert window.panel.history_list.count() == 1
    assert "FAILED" in window.panel.history_list.item(0).text()


def test_no_secret_in_the_table_or_the_reports(
    qtbot: QtBot, mixed, dialogs: Dialogs, tmp_path: Path
) -> None:
    """No secret or password is in a cell, a tooltip, the summary, the copied report, the
    saved JSON or JUnit XML, or the status bar; the reports parse."""
    window, values = mixed
    assert values
    window.checking.open()
    dialog = window.checking.dialog
    with qtbot.waitSignal(window.checking.finished, timeout=20_000):
        dialog.run_button.click()
    table = dialog.table
    shown = [dialog.summary.text(), window.statusBar().currentMessage()]
    for r in range(table.rowCount()):
        for c in range(table.columnCount()):
            item = table.item(r, c)
            shown += [item.text(), item.toolTip(),
                      str(item.data(Qt.ItemDataRole.AccessibleDescriptionRole))]  # fmt: skip
    dialog.copy_button.click()
    shown.append(QApplication.clipboard().text())
    assert "Wrong secret" in shown[-1] and "FAILED" in shown[-1]
    for name in ("report.json", "report.xml"):
        dialogs.answers.append(tmp_path / name)
        dialog.save_button.click()
        shown.append((tmp_path / name).read_text(encoding="utf-8"))
    document = json.loads(shown[-2])
    assert document["schema"] == "entra-token-tester/check/1" and len(document["results"]) == 6
    suite = ET.fromstring(shown[-1]).find("testsuite")
    assert suite is not None and suite.get("tests") == "6" and suite.get("failures") == "3"
    leaks = [v for v in values for text in shown if v in text]
    assert leaks == []


def test_menu_entry_and_profile_button_open_it(qtbot: QtBot, mixed) -> None:
    """File > Check all profiles… and the profile panel's Check all button open the dialog,
    which lists the saved profiles before anything is sent."""
    window, _ = mixed
    assert window.menus.check_all.shortcut().toString() == "Ctrl+Shift+A"
    window.panel.toolbar.check_button.click()
    dialog = window.checking.dialog
    assert dialog.isVisible() and dialog.table.rowCount() == len(MIXED)
    assert dialog.summary.text() == "6 saved profiles to check."
    dialog.close()
    window.menus.check_all.trigger()
    assert dialog.isVisible()


def test_strict_makes_a_credential_expiring_soon_a_failure(
    qtbot: QtBot, make_window, sandbox: Sandbox, config_folder: Path
) -> None:
    """As `check --strict`: within the warning days is a failed row, not a warning; the
    choice needs the warning days (off with them)."""
    secrets, _, _ = seed(config_folder, sandbox, ["secret-expiring", "cc-v2-graph"])
    window = make_window(sandbox=sandbox, secrets=secrets)
    window.checking.open()
    dialog = window.checking.dialog
    dialog.warn_check.setChecked(False)
    assert not dialog.strict_check.isEnabled()
    dialog.warn_check.setChecked(True)
    assert dialog.strict_check.isEnabled()
    dialog.strict_check.setChecked(True)
    dialog.expiry_check.setChecked(True)
    with qtbot.waitSignal(window.checking.finished, timeout=20_000):
        dialog.run_button.click()
    rows = _rows(dialog)
    assert rows["Secret expiring in 10 days"][0] == "FAILED"
    assert rows["Working secret (client credentials, v2)"][0] == "OK"
    assert dialog.summary.text().startswith("1 of 2 OK, 1 failed")


def test_the_options_of_the_last_run_are_remembered(
    qtbot: QtBot, make_window, sandbox: Sandbox, config_folder: Path, settings_path: Path
) -> None:
    """A new window's check-all starts with the options of the last run; unreadable stored
    values fall back to the defaults."""
    secrets, _, _ = seed(config_folder, sandbox, ["cc-v2-graph"])
    first = make_window(sandbox=sandbox, secrets=secrets)
    first.checking.open()
    dialog = first.checking.dialog
    defaults = dialog.options()
    assert defaults == {"expiry": False, "warn": True, "warn_days": 30, "strict": False,
                        "wait_new": False, "jobs": 8}  # fmt: skip
    dialog.warn_spin.setValue(45)
    dialog.strict_check.setChecked(True)
    dialog.wait_check.setChecked(True)
    dialog.jobs_spin.setValue(3)
    with qtbot.waitSignal(first.checking.finished, timeout=20_000):
        dialog.run_button.click()
    first.close()
    second = make_window(sandbox=sandbox, secrets=secrets)
    second.checking.open()
    again = second.checking.dialog
    assert again.options() == {"expiry": False, "warn": True, "warn_days": 45, "strict": True,
                               "wait_new": True, "jobs": 3}  # fmt: skip
    assert again.settings().strict and again.settings().warn_days == 45
    second.close()
    text = settings_path.read_text(encoding="utf-8")
    assert "strict=true" in text and "jobs=3" in text
    settings_path.write_text(text.replace("jobs=3", "jobs=many").replace("strict=true",
                             "strict=perhaps"), encoding="utf-8")  # fmt: skip
    third = make_window(sandbox=sandbox, secrets=secrets)
    third.checking.open()
    assert third.checking.dialog.options() == dict(defaults, warn_days=45, wait_new=True)
