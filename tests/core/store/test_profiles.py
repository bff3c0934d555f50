"""Profiles: saving and finding them, names, conversions, atomic files, corruption and imports."""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.redaction import Secret
from core.store import config
from core.store.config import config_dir as resolve_config_dir
from core.store.profile import (
    Profile,
    ProfileImportError,
    ProfileNameError,
    ProfileNotFoundError,
    ProfileStoreError,
    from_input,
    to_input,
)
from core.store.profiles import ProfileStore
from core.token.models import AuthMethod, Endpoint, GrantType, TokenRequestInput

SECRET = "Vv7Q~profile-test-secret-abcdefghijklmnop"
PASSWORD = "hunter2-profile-password"


def _contoso(**changes: object) -> Profile:
    base = Profile(
        name="Contoso prod",
        tenant="contoso.onmicrosoft.com",
        client_id="6e74172b-be56-4843-9ff4-e66a39bb12e3",
        endpoint=Endpoint.V1,
        resource="https://graph.microsoft.com",
        auth_method=AuthMethod.BASIC,
        timeout_s=12.5,
        notes="rotated 2026-10\nowner: infra",
        remember_secret=True,
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def _file_bytes(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def test_config_folder_explicit_then_environment_then_platform(tmp_path: Path) -> None:
    """--config-dir wins over the environment variable, which wins over the platform folder."""
    env = {"ENTRA_TOKEN_TESTER_CONFIG_DIR": str(tmp_path / "env"), "XDG_CONFIG_HOME": "/x"}
    assert resolve_config_dir(tmp_path / "cli", env) == tmp_path / "cli"
    assert resolve_config_dir(None, env) == tmp_path / "env"
    assert resolve_config_dir(None, {}).name == "entra-token-tester"


def test_platform_folder_follows_xdg(config_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without overrides, profiles go to the platform's user config folder (XDG here)."""
    monkeypatch.delenv("ENTRA_TOKEN_TESTER_CONFIG_DIR")
    expected = Path(os.environ["XDG_CONFIG_HOME"]) / "entra-token-tester"
    assert resolve_config_dir() == expected


def test_saved_profiles_come_back_by_id_and_any_case_name(config_dir: Path) -> None:
    """A saved profile is found again, by id or name in any case, from a fresh store."""
    saved = ProfileStore(config_dir).save(_contoso())
    store = ProfileStore(config_dir)
    assert store.list() == (saved,)
    assert store.get(saved.id) == saved
    assert store.get("CONTOSO PROD") == saved
    assert store.get("nope") is None
    assert store.load().problem == ""


def test_update_keeps_id_and_position(config_dir: Path) -> None:
    """Saving a profile with an existing id replaces it instead of adding one."""
    store = ProfileStore(config_dir)
    first = store.save(_contoso())
    store.save(Profile(name="Fabrikam"))
    store.save(dataclasses.replace(first, tenant="contoso.com"))
    reloaded = ProfileStore(config_dir)
    assert [p.name for p in reloaded.list()] == ["Contoso prod", "Fabrikam"]
    assert reloaded.require(first.id).tenant == "contoso.com"


@pytest.mark.parametrize(
    ("name", "words"),
    [("", "needs a name"), ("   ", "needs a name"), ("a\nb", "line breaks"), ("x" * 201, "200")],
)
def test_bad_names_are_refused(config_dir: Path, name: str, words: str) -> None:
    """Empty, multi-line or overlong names get a plain error and nothing is written."""
    store = ProfileStore(config_dir)
    with pytest.raises(ProfileNameError) as info:
        store.save(Profile(name=name))
    assert words in info.value.message
    assert not store.path.exists()


def test_names_stay_unique_ignoring_case(config_dir: Path) -> None:
    """A second profile or a rename cannot take a name in use, whatever its case."""
    store = ProfileStore(config_dir)
    store.save(_contoso())
    other = store.save(Profile(name="Fabrikam"))
    with pytest.raises(ProfileNameError, match="already exists"):
        store.save(Profile(name="contoso PROD"))
    with pytest.raises(ProfileNameError, match="already exists"):
        store.rename(other.id, "CONTOSO prod")
    renamed = store.rename("fabrikam", "Fabrikam test")
    assert renamed.id == other.id and store.get("Fabrikam") is None


def test_duplicate_gets_new_id_and_free_name(config_dir: Path) -> None:
    """Duplicating copies the setup under a new id and a name not yet used."""
    store = ProfileStore(config_dir)
    original = store.save(_contoso())
    copy1 = store.duplicate(original.id)
    copy2 = store.duplicate(original.id)
    assert (copy1.name, copy2.name) == ("Contoso prod (copy)", "Contoso prod (copy) (2)")
    assert len({original.id, copy1.id, copy2.id}) == 3
    assert dataclasses.replace(copy1, id=original.id, name=original.name) == original


def test_delete_and_missing_profile_message(config_dir: Path) -> None:
    """Deleting removes the profile from the file; a missing one is named with a suggestion."""
    store = ProfileStore(config_dir)
    store.save(_contoso())
    store.delete("contoso prod")
    assert ProfileStore(config_dir).list() == ()
    store.save(Profile(name="Fabrikam test"))
    with pytest.raises(ProfileNotFoundError) as info:
        store.require("fabrikam tst")
    assert 'no profile named "fabrikam tst"' in info.value.message
    assert "Did you mean 'Fabrikam test'?" in info.value.message


def test_input_conversion_round_trip_drops_secrets() -> None:
    """to_input/from_input keep every setting, and a profile has nowhere to hold a secret."""
    profile = _contoso(grant=GrantType.PASSWORD, username="admin@contoso.com")
    inputs = to_input(profile, Secret(SECRET), Secret(PASSWORD))
    assert inputs.client_secret == Secret(SECRET) and inputs.password == Secret(PASSWORD)
    assert (inputs.endpoint, inputs.auth_method, inputs.timeout_s) == (
        Endpoint.V1,
        AuthMethod.BASIC,
        12.5,
    )
    back = from_input(inputs, "Contoso prod", base=profile)
    assert back == profile
    fields = dataclasses.fields(Profile)
    assert not {f.name for f in fields} & {"client_secret", "password"}
    assert not [f.name for f in fields if "Secret" in str(f.type)]
    fresh = from_input(TokenRequestInput(client_secret=Secret(SECRET)), "New")
    assert SECRET not in repr(fresh) and fresh.id != profile.id


def test_file_is_schema_versioned_and_written_atomically(config_dir: Path) -> None:
    """The file carries a schema version, and no temporary file is left behind (the empty
    lock file that every process shares stays)."""
    store = ProfileStore(config_dir)
    store.save(_contoso())
    data = json.loads(store.path.read_text())
    assert data["schema_version"] == 1 and data["profiles"][0]["name"] == "Contoso prod"
    assert sorted(_file_bytes(config_dir)) == ["profiles.json", "profiles.json.lock"]


def test_failed_write_keeps_old_file_and_memory(
    config_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the rename of the new file fails, the old file and the list stay as they were."""
    store = ProfileStore(config_dir)
    store.save(_contoso())
    before = _file_bytes(config_dir)

    def refuse(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(ProfileStoreError, match="No space left on device"):
        store.save(Profile(name="Fabrikam"))
    assert _file_bytes(config_dir) == before  # no temp file, old content intact
    assert [p.name for p in store.list()] == ["Contoso prod"]


def test_folder_that_cannot_be_created_is_a_plain_error(tmp_path: Path) -> None:
    """A config 'folder' below a regular file gives ProfileStoreError, not a traceback."""
    (tmp_path / "file").write_text("x")
    store = ProfileStore(tmp_path / "file" / "config")
    assert store.list() == ()
    with pytest.raises(ProfileStoreError, match="could not be saved"):
        store.save(Profile(name="Fabrikam"))


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b'{"schema_version": 1, "profiles": [', "not valid JSON"),
        (b"\xff\xfe\x00garbage", "not UTF-8"),
        (b'{"schema_version": 1, "profiles": [{"name": 5}]}', "must be text"),
        (b'{"schema_version": 9, "profiles": []}', "newer version"),
        (b"[]", "not a profiles file"),
    ],
)
def test_corrupt_file_is_kept_aside_and_app_starts_empty(
    config_dir: Path, content: bytes, words: str
) -> None:
    """An unusable file is reported, moved aside unchanged, and saving starts a new file."""
    config_dir.mkdir()
    (config_dir / "profiles.json").write_bytes(content)
    store = ProfileStore(config_dir)
    report = store.load()
    assert words in report.problem and "kept as profiles.json.corrupt-" in report.problem
    assert report.kept_aside is not None and report.kept_aside.read_bytes() == content
    assert store.list() == ()
    store.save(Profile(name="Fresh"))
    assert report.kept_aside.read_bytes() == content
    assert [p.name for p in ProfileStore(config_dir).list()] == ["Fresh"]


def test_second_corruption_never_overwrites_the_first(config_dir: Path) -> None:
    """Two corrupt files in the same second are both kept, under different names."""
    config_dir.mkdir()
    kept = []
    for content in (b"{first", b"{second"):
        (config_dir / "profiles.json").write_bytes(content)
        report = ProfileStore(config_dir).load()
        assert report.kept_aside is not None
        kept.append(report.kept_aside)
    assert kept[0] != kept[1]
    assert [p.read_bytes() for p in kept] == [b"{first", b"{second"]


def test_file_that_cannot_be_moved_aside_is_never_overwritten(
    config_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If a corrupt file cannot be moved aside, saving refuses instead of replacing it."""
    config_dir.mkdir()
    (config_dir / "profiles.json").write_bytes(b"{broken")

    def cannot(path: Path, label: str = "corrupt") -> Path:
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(config, "keep_aside", cannot)
    store = ProfileStore(config_dir)
    assert "left untouched" in store.load().problem
    with pytest.raises(ProfileStoreError, match="left untouched"):
        store.save(Profile(name="Fresh"))
    assert (config_dir / "profiles.json").read_bytes() == b"{broken"


def test_export_then_import_elsewhere(tmp_path: Path) -> None:
    """Export holds no ids or secrets; import adds the same setups with new ids."""
    source = ProfileStore(tmp_path / "a")
    original = source.save(_contoso())
    text = source.export_json()
    assert original.id not in text and '"id"' not in text
    target = ProfileStore(tmp_path / "b")
    report = target.import_json(text)
    (added,) = report.added
    assert added.id != original.id
    assert dataclasses.replace(added, id=original.id) == original
    assert ProfileStore(tmp_path / "b").list() == (added,)


def test_import_renames_clashing_names_and_warns_on_unknown_and_secret_fields(
    config_dir: Path,
) -> None:
    """Names are made unique; unknown fields and secret fields are dropped with a warning."""
    store = ProfileStore(config_dir)
    store.save(Profile(name="Contoso"))
    text = json.dumps(
        {
            "schema_version": 1,
            "profiles": [
                {"name": "contoso", "client_secret": SECRET, "colour": "blue"},
                {"name": "Contoso", "password": PASSWORD},
            ],
        }
    )
    report = store.import_json(text)
    assert [p.name for p in report.added] == ["contoso (2)", "Contoso (3)"]
    assert any('unknown field "colour" ignored' in w for w in report.warnings)
    assert any('"client_secret" ignored: profiles never hold secrets' in w for w in report.warnings)
    saved = store.path.read_text()
    for leak in (SECRET, PASSWORD):
        assert leak not in saved and all(leak not in w for w in report.warnings)


HOSTILE = [
    ("not json at all", "not valid JSON"),
    ("[]", "not a profiles file"),
    ('{"profiles": {"name": "x"}}', "not a profiles file"),
    ('{"profiles": ["x"]}', "Profile 1 must be an object, not text"),
    ('{"profiles": [{"tenant": "t"}]}', "Profile 1 has no name"),
    ('{"profiles": [{"name": ["a"]}]}', '"name" must be text, not a list'),
    ('{"profiles": [{"name": "a", "tenant": 7}]}', '"tenant" must be text, not a number'),
    ('{"profiles": [{"name": "a", "timeout_s": "30"}]}', "number of seconds, not text"),
    ('{"profiles": [{"name": "a", "timeout_s": true}]}', "number of seconds, not true/false"),
    (
        '{"profiles": [{"name": "a", "timeout_s": NaN}]}',
        "not valid JSON (NaN is not a JSON number)",
    ),
    ('{"profiles": [{"name": "a", "timeout_s": 1e999}]}', "at most 600 seconds"),
    ('{"profiles": [{"name": "a", "endpoint": "v3"}]}', "must be one of v1, v2"),
    ('{"profiles": [{"name": "a", "remember_secret": "yes"}]}', "true or false, not text"),
    ('{"profiles": [{"name": "a", "notes": "' + "x" * 5000 + '"}]}', "longer than 4096"),
    ('{"profiles": [{"name": "a", "tenant": ' + "9" * 5000 + "}]}", "too many digits"),
    ('{"profiles": [], "schema_version": "1"}', '"schema_version" must be a whole number'),
    ("[" * 100_000 + "]" * 100_000, "nested more than 64 levels"),
    (json.dumps({"profiles": [{"name": f"p{i}"} for i in range(1001)]}), "at most 1000"),
    ('{"profiles": [{"name": "' + "x" * 1_000_001 + '"}]}', "larger than 1000 KB"),
]


@pytest.mark.parametrize(("text", "words"), HOSTILE, ids=[w for _, w in HOSTILE])
def test_hostile_import_is_one_plain_error_and_changes_nothing(
    config_dir: Path, text: str, words: str
) -> None:
    """Malformed or hostile JSON raises only ProfileImportError, and the store is untouched."""
    store = ProfileStore(config_dir)
    store.save(Profile(name="Existing"))
    before = _file_bytes(config_dir)
    with pytest.raises(ProfileImportError) as info:
        store.import_json(text)
    assert words in info.value.message and "Nothing was imported" in info.value.message
    assert len(info.value.message) < 300
    assert _file_bytes(config_dir) == before
    assert [p.name for p in store.list()] == ["Existing"]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner),
    max_leaves=20,
)
profile_like = st.fixed_dictionaries(
    {"name": st.text(max_size=10) | json_values},
    optional={k: json_values for k in ("tenant", "endpoint", "timeout_s", "remember_secret")},
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(doc=st.fixed_dictionaries({"profiles": st.lists(profile_like, max_size=3)}) | json_values)
def test_any_json_imports_or_fails_with_the_typed_error(tmp_path: Path, doc: object) -> None:
    """Whatever JSON arrives, import either succeeds or raises ProfileImportError only."""
    store = ProfileStore(tmp_path)
    try:
        report = store.import_json(json.dumps(doc))
    except ProfileImportError as exc:
        assert exc.message
    else:
        assert all(p.name.strip() == p.name and p.name for p in report.added)


@pytest.mark.parametrize("char", ["\u202e", "\u2066", "\u200f", "\u200b", "\x1b"])
def test_names_refuse_control_and_bidi_characters(config_dir: Path, char: str) -> None:
    """A name with a right-to-left override, an isolate, a mark, a zero-width space or an
    escape is refused (it could read as another profile's name)."""
    with pytest.raises(ProfileNameError):
        ProfileStore(config_dir).save(Profile(name=f"Contoso{char}dorp"))


def test_imports_never_write_a_file_the_next_start_refuses(config_dir: Path) -> None:
    """Two imports of 600 profiles: the second is refused whole (at most 1000), and the file
    written by the first still loads with all 600."""
    store = ProfileStore(config_dir)
    text = json.dumps({"profiles": [{"name": f"p{i}"} for i in range(600)]})
    assert len(store.import_json(text).added) == 600
    with pytest.raises(ProfileImportError, match="at most 1000"):
        store.import_json(text)
    fresh = ProfileStore(config_dir)
    assert fresh.load().problem == "" and len(fresh.list()) == 600


def test_saving_refuses_to_grow_past_the_file_limit(config_dir: Path) -> None:
    """Saves that would make the file larger than loading accepts are refused, and the file
    stays loadable."""
    store = ProfileStore(config_dir)
    with pytest.raises(ProfileStoreError, match="1000 KB"):
        for n in range(300):
            store.save(Profile(name=f"big {n}", notes="n" * 4000))
    assert ProfileStore(config_dir).load().problem == ""


def test_a_save_rereads_what_another_process_wrote(config_dir: Path) -> None:
    """Two stores on one folder (two windows): each save keeps the other's profiles."""
    first, second = ProfileStore(config_dir), ProfileStore(config_dir)
    first.list(), second.list()
    first.save(Profile(name="From the first"))
    second.save(Profile(name="From the second"))
    assert {p.name for p in ProfileStore(config_dir).list()} == {
        "From the first",
        "From the second",
    }


def test_fsync_comes_before_rename(config_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The new file's data is on disk (fsync) before it replaces the old one (rename)."""
    calls: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(os, "fsync", lambda fd: (calls.append("fsync"), real_fsync(fd))[1])
    monkeypatch.setattr(
        os, "replace", lambda a, b: (calls.append("replace"), real_replace(a, b))[1]
    )
    config.write_json_atomic(config_dir / "x.json", {"a": 1})
    assert calls[:2] == ["fsync", "replace"]
