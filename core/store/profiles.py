"""Saved setups: `ProfileStore`, the profiles (`core.store.profile`) in a JSON file in the
config folder.

A profile never holds a secret or a password; those live in a `core.store.secret_store.SecretStore`
under the profile's stable id. The store keeps the profiles in memory and writes the whole file
atomically on every change; an unusable file is moved aside and reported, never overwritten.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.store import profile_json as pj
from core.store.config import (
    FileProblem,
    encode_json,
    locked,
    parse_json,
    read_json_file,
    set_aside,
    stamp,
    write_json_atomic,
)
from core.store.profile import (
    Profile,
    ProfileError,
    ProfileImportError,
    ProfileNameError,
    ProfileNotFoundError,
    ProfileStoreError,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LoadReport:
    """What loading the profiles file found: a plain problem ('' when fine) and warnings."""

    problem: str = ""
    kept_aside: Path | None = None
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class ImportReport:
    """The profiles an import added (with new ids and unique names) and its warnings."""

    added: tuple[Profile, ...]
    warnings: tuple[str, ...] = ()


_Profiles = list[Profile]  # `ProfileStore.list` shadows the builtin inside the class


def _record(profile: Profile) -> dict[str, Any]:
    return {k: getattr(profile, k) for k in pj.FIELDS}


class ProfileStore:
    """The profiles in `<directory>/profiles.json`.

    Reading happens on the first use (or `load()`); every change writes the whole file
    atomically. Lookups by name ignore case.
    """

    FILE_NAME = "profiles.json"

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self.path = self.directory / self.FILE_NAME
        self._profiles: list[Profile] | None = None
        self._stamp: tuple[int, int, int] | None = None  # the file version in memory
        self._writable = True
        self.report = LoadReport()

    def load(self) -> LoadReport:
        """(Re)read the file. An unusable file is moved aside and reported, never raised."""
        self._stamp = stamp(self.path)
        outcome = read_json_file(self.path, pj.MAX_FILE_BYTES, "The profiles file")
        self._writable = outcome.writable
        profiles: list[Profile] = []
        warnings: tuple[str, ...] = ()
        problem, kept = outcome.problem, outcome.kept_aside
        if outcome.data is not None:
            try:
                parsed = pj.parse_document(outcome.data, own_file=True)
                profiles = self._profiles_from(parsed.records, keep_ids=True)
                warnings = parsed.warnings
            except pj.ProfileFormatError as exc:
                outcome = set_aside(self.path, "The profiles file", exc.message)
                problem, kept, self._writable = (
                    outcome.problem,
                    outcome.kept_aside,
                    outcome.writable,
                )
        self._profiles = profiles
        self.report = LoadReport(problem, kept, warnings)
        return self.report

    def _all(self) -> list[Profile]:
        if self._profiles is None:
            self.load()
        assert self._profiles is not None
        return self._profiles

    def _profiles_from(self, records: Iterable[dict[str, Any]], *, keep_ids: bool) -> list[Profile]:
        out: list[Profile] = []
        ids: set[str] = set()
        names = {p.name.casefold() for p in (self._profiles or [])} if not keep_ids else set()
        for record in records:
            rec = dict(record)
            if not keep_ids or rec.get("id") in ids or "id" not in rec:
                rec["id"] = pj.new_id()
            rec["name"] = self._unique(rec["name"], names)
            names.add(rec["name"].casefold())
            ids.add(rec["id"])
            out.append(Profile(**rec))
        return out

    def list(self) -> tuple[Profile, ...]:
        """All profiles, sorted by name."""
        return tuple(sorted(self._all(), key=lambda p: p.name.casefold()))

    def get(self, key: str) -> Profile | None:
        """The profile with this id, or else with this name (ignoring case)."""
        profiles = self._all()
        found = next((p for p in profiles if p.id == key), None)
        return found or next((p for p in profiles if p.name.casefold() == key.casefold()), None)

    def require(self, key: str) -> Profile:
        """Like `get`, but raises ProfileNotFoundError naming close matches."""
        found = self.get(key)
        if found is None:
            names = {p.name.casefold(): p.name for p in self._all()}
            import difflib  # only for a suggestion

            folded = difflib.get_close_matches(key.casefold(), list(names), n=3, cutoff=0.5)
            close = [names[n] for n in folded]
            hint = f" Did you mean {' or '.join(repr(n) for n in close)}?" if close else ""
            raise ProfileNotFoundError(f'There is no profile named "{key}".{hint}')
        return found

    @staticmethod
    def _unique(name: str, taken: set[str]) -> str:
        candidate, n = name, 2
        while candidate.casefold() in taken:
            suffix = f" ({n})"
            candidate, n = name[: pj.MAX_NAME_CHARS - len(suffix)] + suffix, n + 1
        return candidate

    def unique_name(self, name: str) -> str:
        """`name`, or `name (2)`, `name (3)`… whichever no profile uses yet."""
        return self._unique(name, {p.name.casefold() for p in self._all()})

    @staticmethod
    def _check_name(name: str, others: Iterable[Profile], own_id: str = "") -> str:
        try:
            name = pj.clean_name(name, "The profile")
        except pj.ProfileFormatError as exc:
            raise ProfileNameError(exc.message) from None
        clash = next((p for p in others if p.name.casefold() == name.casefold()), None)
        if clash is not None and clash.id != own_id:
            raise ProfileNameError(f'A profile named "{clash.name}" already exists.')
        return name

    def _change(self, change: Callable[[_Profiles], _Profiles]) -> None:
        """Apply a change to the profiles as they are on disk now, under the file lock.

        The file is re-read first (another window or the command line may have saved since),
        so no one's changes are lost; what is written obeys the limits loading enforces.
        """
        try:
            with locked(self.path):
                if self._profiles is None or stamp(self.path) != self._stamp:
                    self.load()  # changed on disk since it was read: start from that
                if not self._writable:
                    problem = self.report.problem or f"{self.path} cannot be written."
                    raise ProfileStoreError(problem)
                profiles = change(list(self._all()))
                document = pj.document([_record(p) for p in profiles], with_ids=True)
                text = encode_json(document)
                if len(profiles) > pj.MAX_PROFILES:
                    raise ProfileStoreError(
                        f"That would make {len(profiles)} profiles; at most {pj.MAX_PROFILES} "
                        "are kept. Nothing was changed."
                    )
                if len(text.encode("utf-8")) > pj.MAX_FILE_BYTES:
                    raise ProfileStoreError(
                        f"The profiles file would grow past {pj.MAX_FILE_BYTES // 1000} KB, "
                        "the most that is read back. Nothing was changed."
                    )
                write_json_atomic(self.path, document, text)
                self._profiles, self._stamp = profiles, stamp(self.path)
        except FileProblem as exc:
            raise ProfileStoreError(exc.message) from None

    def save(self, profile: Profile) -> Profile:
        """Add the profile, or replace the one with the same id; names must stay unique."""
        profile = dataclasses.replace(
            profile, name=self._check_name(profile.name, self._all(), profile.id)
        )
        try:
            pj.parse_record({k: pj.to_json_value(v) for k, v in _record(profile).items()}, 1)
        except pj.ProfileFormatError as exc:
            raise ProfileError(exc.message) from None

        def change(current: _Profiles) -> _Profiles:
            self._check_name(profile.name, current, profile.id)
            index = next((i for i, p in enumerate(current) if p.id == profile.id), None)
            if index is None:
                return [*current, profile]
            return [*current[:index], profile, *current[index + 1 :]]

        self._change(change)
        return profile

    def rename(self, key: str, new_name: str) -> Profile:
        """Give a profile a new (unique) name; its id stays the same."""
        profile = self.require(key)
        return self.save(dataclasses.replace(profile, name=new_name))

    def duplicate(self, key: str, new_name: str = "") -> Profile:
        """A copy under a new id and name (`<name> (copy)` by default); secrets are not copied."""
        source = self.require(key)
        name = new_name or self.unique_name(f"{source.name} (copy)")
        return self.save(dataclasses.replace(source, id=pj.new_id(), name=name))

    def delete(self, key: str) -> Profile:
        """Remove a profile and return it (its secrets and history are the caller's to clear)."""
        profile = self.require(key)
        self._change(lambda current: [p for p in current if p.id != profile.id])
        return profile

    def export_json(self, profiles: Iterable[Profile] | None = None) -> str:
        """Profiles (all by default) as export JSON text: no ids, never a secret."""
        chosen = list(self.list() if profiles is None else profiles)
        return json.dumps(pj.document([_record(p) for p in chosen], with_ids=False), indent=2)

    def import_json(self, text: str) -> ImportReport:
        """Add the profiles of an export file, all or nothing, with new ids and unique names.

        Raises:
            ProfileImportError: the text is not a usable profiles file (nothing was added).
            ProfileStoreError: the profiles file could not be saved (nothing was added).
        """
        if len(text.encode("utf-8", "surrogatepass")) > pj.MAX_FILE_BYTES:
            raise ProfileImportError(
                f"The file is larger than {pj.MAX_FILE_BYTES // 1000} KB. Nothing was imported."
            )
        try:
            parsed = pj.parse_document(parse_json(text))
        except ValueError as exc:
            message = (
                exc.message
                if isinstance(exc, pj.ProfileFormatError)
                else f"It cannot be read: {exc}."
            )
            raise ProfileImportError(f"{message} Nothing was imported.") from None
        added: list[Profile] = []

        def change(current: _Profiles) -> _Profiles:
            added[:] = self._profiles_from(parsed.records, keep_ids=False)
            if len(current) + len(added) > pj.MAX_PROFILES:
                raise ProfileImportError(
                    f"Importing {len(added)} profiles would make {len(current) + len(added)}; "
                    f"at most {pj.MAX_PROFILES} are kept. Nothing was imported."
                )
            return [*current, *added]

        self._change(change)
        return ImportReport(tuple(added), parsed.warnings)
