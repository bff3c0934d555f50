"""Window state: scalars round-trip through the INI file; secret fields are refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray

from gui.ui_state import UiState


def test_state_round_trips(tmp_path: Path) -> None:
    """Geometry, splitter, delay and form values come back from a new instance."""
    path = tmp_path / "w.ini"
    state = UiState(path)
    state.set_geometry(QByteArray(b"geo"))
    state.set_splitter(QByteArray(b"split"))
    state.set_clear_delay_s(15)
    state.set_form_values({"tenant": "contoso.example", "timeout_s": 12.0})
    state.sync()
    again = UiState(path)
    assert bytes(again.geometry().data()) == b"geo"
    assert bytes(again.splitter().data()) == b"split"
    assert again.clear_delay_s(60) == 15
    assert again.form_values() == {"tenant": "contoso.example", "timeout_s": "12.0"}


@pytest.mark.parametrize("name", ["client_secret", "password", "access_token"])
def test_secret_fields_are_refused(tmp_path: Path, name: str) -> None:
    """Storing a secret field raises instead of writing it."""
    state = UiState(tmp_path / "w.ini")
    with pytest.raises(ValueError, match=name):
        state.set_form_values({name: "value"})
    state.sync()
    path = tmp_path / "w.ini"
    assert not path.exists() or "value" not in path.read_text()


@pytest.mark.parametrize("value", ["nan", "-1", "0", "601", "inf", "abc"])
def test_remembered_timeout_follows_the_shared_rule(value: str) -> None:
    """A timeout from window.ini that the shared rule refuses is ignored (the default stays);
    a usable one is kept."""
    from core.token.models import DEFAULT_TIMEOUT_S
    from gui.form.form_data import input_from_strings

    assert input_from_strings({"timeout_s": value}).timeout_s == DEFAULT_TIMEOUT_S
    assert input_from_strings({"timeout_s": "45"}).timeout_s == 45.0
