"""What a run covers: checks files (variables named, never secrets), saved profiles with
keychain secrets, and `check` over saved profiles writing their history."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.check.plan import CheckEntry, CheckFileError, plan, read_checks_file
from core.redaction import Secret
from core.store.history import HistoryStore
from core.store.profile import Profile
from core.store.profiles import ProfileStore
from core.store.secret_store import KeyringSecretStore, SecretKind, SecretRef
from core.token.models import CredentialKind, GrantType
from tests.fakes.memory_keyring import MemoryKeyring


def _file(tmp_path: Path, *profiles: dict) -> Path:
    path = tmp_path / "checks.json"
    path.write_text(json.dumps({"schema": "entra-token-tester/profiles", "schema_version": 1,
                                "profiles": list(profiles)}))  # fmt: skip
    return path


def test_checks_file_names_variables_and_drops_secrets(tmp_path: Path) -> None:
    """secret_env/password_env are read; a client_secret field is dropped with a warning and
    its value never used or repeated."""
    path = _file(tmp_path, {"name": "A", "tenant": "contoso.example", "secret_env": "A_SECRET",
                            "client_secret": "do-not-use-me"},
                 {"name": "B", "grant": "password", "username": "u@x.example",
                  "password_env": "B_PASSWORD"})  # fmt: skip
    entries, warnings = read_checks_file(path)
    assert [e.profile.name for e in entries] == ["A", "B"]
    assert entries[0].env == {SecretKind.CLIENT_SECRET: "A_SECRET"} and not entries[0].saved
    assert any("client_secret" in w for w in warnings)
    assert not any("do-not-use-me" in w for w in warnings)
    items = plan(entries, environ={"A_SECRET": "s3cret-a", "B_PASSWORD": "pw-b"})
    a, b = items
    assert a.inputs is not None and a.inputs.client_secret == Secret("s3cret-a")
    assert a.inputs.scope == "https://graph.microsoft.com/.default"
    assert b.inputs is not None and b.inputs.password == Secret("pw-b")
    assert b.inputs.client_secret is None  # a public client sends none


@pytest.mark.parametrize("value", ["jPV0Q~sg25hKOlzI6W5U3CG3N8xGFHt80n-gAr~M", 5, ""])
def test_a_secret_in_place_of_a_variable_name_is_refused(tmp_path: Path, value: object) -> None:
    """The whole file is refused with a message naming the entry, never the value."""
    with pytest.raises(CheckFileError) as caught:
        read_checks_file(_file(tmp_path, {"name": "A", "secret_env": value}))
    assert "Profile 1" in caught.value.message
    assert not value or str(value) not in caught.value.message


def test_unreadable_or_wrong_files_are_refused(tmp_path: Path) -> None:
    """Broken JSON, a document without profiles, a wrong field type: one plain message."""
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    for path in (bad, _file(tmp_path, {"name": "A", "timeout_s": "ten"})):
        with pytest.raises(CheckFileError):
            read_checks_file(path)
    (tmp_path / "x.json").write_text('{"items": []}')
    with pytest.raises(CheckFileError, match="not a profiles file"):
        read_checks_file(tmp_path / "x.json")


def test_saved_profiles_take_secrets_from_the_keychain() -> None:
    """A remembered secret comes from the store; a profile without one fails unsent with a
    reason; a certificate without a password and a federated file need none."""
    store = KeyringSecretStore(MemoryKeyring())
    kept = Profile(name="kept", tenant="contoso.example", remember_secret=True)
    store.set(SecretRef(kept.id, SecretKind.CLIENT_SECRET), Secret("kept-secret"))
    bare = Profile(name="bare", tenant="contoso.example")
    cert = Profile(name="cert", credential=CredentialKind.CERTIFICATE, certificate_path="c.pem")
    fed = Profile(name="fed", credential=CredentialKind.FEDERATED)
    ropc = Profile(name="ropc", grant=GrantType.PASSWORD, username="u@x.example")
    browser = Profile(name="browser", grant=GrantType.AUTHORIZATION_CODE)
    device = Profile(name="device", grant=GrantType.DEVICE_CODE)
    items = plan([CheckEntry(p) for p in (kept, bare, cert, fed, ropc, browser, device)],
                 environ={}, secrets=store)  # fmt: skip
    by_name = {i.name: i for i in items}
    assert by_name["kept"].inputs is not None
    assert by_name["kept"].inputs.client_secret == Secret("kept-secret")
    assert by_name["kept"].profile_id == kept.id
    assert by_name["bare"].inputs is None and "keychain" in by_name["bare"].problem
    assert by_name["cert"].inputs is not None
    assert by_name["fed"].inputs is None and "assertion file" in by_name["fed"].problem
    assert by_name["ropc"].inputs is None and "password" in by_name["ropc"].problem
    for name in ("browser", "device"):  # never sent: nobody is there to sign in
        assert by_name[name].inputs is None
        assert by_name[name].problem.startswith("a sign-in needs someone to sign in")
        assert f'token --profile "{name}"' in by_name[name].problem


def test_check_of_saved_profiles_writes_history(
    config_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`check` over saved sandbox profiles: secrets from the keychain, one history entry per
    checked profile (as a Send), none for a profile that could not be sent."""
    import main
    from core.sandbox import Sandbox, scenarios

    forms = {s.key: s.form for s in scenarios()}
    store = KeyringSecretStore(MemoryKeyring())
    monkeypatch.setattr("core.store.secret_store.open_secret_store", lambda *a: store)
    profiles = ProfileStore(config_dir)
    saved = {}
    for key in ("cc-v2-graph", "secret-wrong"):
        form = forms[key]
        p = profiles.save(Profile(name=key, cloud="sandbox", tenant=form["tenant"],
                                  client_id=form["client_id"], scope=form["scope"],
                                  remember_secret=True))  # fmt: skip
        store.set(SecretRef(p.id, SecretKind.CLIENT_SECRET), Secret(form["client_secret"]))
        saved[key] = p
    unsent = profiles.save(Profile(name="no secret", cloud="sandbox", tenant="contoso.example"))
    with Sandbox() as sb:
        code = main.main(["check", "--authority", sb.base_url])
    out = capsys.readouterr().out
    assert code == 1
    assert "2 OK" not in out and out.splitlines()[-1].startswith("3 checked: 1 OK")
    history = HistoryStore(config_dir)
    assert [e.ok for e in history.entries(saved["cc-v2-graph"].id)] == [True]
    (wrong,) = history.entries(saved["secret-wrong"].id)
    assert not wrong.ok and wrong.aadsts == (7000215,)
    assert history.entries(unsent.id) == ()
    for form in forms.values():
        if form["client_secret"]:
            assert form["client_secret"] not in (config_dir / "history.json").read_text()
