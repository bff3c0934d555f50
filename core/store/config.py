"""The config folder: where it is, and safe reading and writing of the JSON files kept in it."""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

APP_NAME = "entra-token-tester"
CONFIG_DIR_ENV = "ENTRA_TOKEN_TESTER_CONFIG_DIR"


def config_dir(
    explicit: str | os.PathLike[str] | None = None, environ: Mapping[str, str] = os.environ
) -> Path:
    """The folder for profiles and history.

    Args:
        explicit: a folder given on the command line (`--config-dir`); wins over everything.
        environ: the environment to read `ENTRA_TOKEN_TESTER_CONFIG_DIR` from.

    Returns:
        An absolute path (not created here): the explicit folder, else the environment
        variable, else the platform's user config folder.
    """
    chosen = os.fspath(explicit) if explicit else environ.get(CONFIG_DIR_ENV, "").strip()
    if not chosen:
        from platformdirs import user_config_dir

        chosen = user_config_dir(APP_NAME, appauthor=False)
    return Path(chosen).expanduser().absolute()


class FileProblem(Exception):
    """A config file could not be read or written; `message` is one plain sentence."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ReadOutcome:
    """What reading a config file gave: its JSON (None when absent or unusable) and any problem.

    `kept_aside` is where an unusable file was moved; `writable` is False when the file could
    be neither read nor moved aside, so writing would destroy it.
    """

    data: Any = None
    problem: str = ""
    kept_aside: Path | None = None
    writable: bool = True


def parse_json(text: str) -> Any:
    """Parse JSON strictly (no NaN/Infinity, nesting capped); raises ValueError with a plain
    reason (core.safejson.JsonError)."""
    from core import safejson

    return safejson.loads(text)


def read_text_limited(path: Path, limit: int) -> str:
    """Read a UTF-8 text file of at most `limit` bytes; raises FileProblem with a plain message."""
    try:
        with path.open("rb") as fh:
            raw = fh.read(limit + 1)
    except FileNotFoundError:
        raise FileProblem(f"{path} does not exist") from None
    except OSError as exc:
        raise FileProblem(f"{path} could not be read: {exc.strerror or exc}") from None
    if len(raw) > limit:
        raise FileProblem(f"{path} is larger than {limit // 1024} KB")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileProblem(f"{path} is not UTF-8 text") from None


def keep_aside(path: Path, label: str = "corrupt") -> Path:
    """Move a file to `<name>.<label>-<timestamp>` next to it, never replacing another file."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    for n in range(1000):
        target = path.with_name(f"{path.name}.{label}-{stamp}" + (f"-{n}" if n else ""))
        if target.exists():
            continue
        try:
            os.link(path, target)  # fails if target exists: nothing is ever overwritten
        except FileExistsError:
            continue
        except OSError:
            if target.exists():
                continue
            os.replace(path, target)  # no hard links on this file system
            return target
        path.unlink()
        return target
    raise FileProblem(f"{path} could not be moved aside")


def read_json_file(path: Path, limit: int, what: str) -> ReadOutcome:
    """Read a JSON config file; an unusable one is moved aside and reported, never raised.

    Args:
        path: the file; a missing file gives an empty outcome without a problem.
        limit: the largest size accepted, in bytes.
        what: plain words for the file's content, used in messages ("The profiles file").
    """
    if not path.exists():
        return ReadOutcome()
    try:
        return ReadOutcome(data=parse_json(read_text_limited(path, limit)))
    except (FileProblem, ValueError) as exc:
        reason = exc.message if isinstance(exc, FileProblem) else str(exc)
    return set_aside(path, what, reason)


def set_aside(path: Path, what: str, reason: str) -> ReadOutcome:
    """Move an unusable config file aside and describe what happened in plain words."""
    try:
        target = keep_aside(path)
    except (OSError, FileProblem) as exc:
        log.warning("could not move %s aside: %s", path, exc)
        return ReadOutcome(
            problem=f"{what} {path} could not be used ({reason}) nor moved aside; it is left "
            "untouched and nothing will be saved over it until it is fixed or removed.",
            writable=False,
        )
    log.warning("%s %s unusable (%s); kept as %s", what, path, reason, target)
    return ReadOutcome(
        problem=f"{what} could not be used ({reason}). It was kept as {target.name} in "
        f"{target.parent}; starting without it.",
        kept_aside=target,
    )


LOCK_TIMEOUT_S = 10.0


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold `<file>.lock` (a filelock lock, shared by every process of this app) while a file
    is re-read and written, so two windows or a window and the command line never lose each
    other's changes. Raises FileProblem when another process holds it too long."""
    import filelock

    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        lock = filelock.FileLock(str(path) + ".lock", timeout=LOCK_TIMEOUT_S)
        lock.acquire()
    except filelock.Timeout:
        raise FileProblem(
            f"{path} is being saved by another Entra Token Tester for more than "
            f"{LOCK_TIMEOUT_S:g} s; try again."
        ) from None
    except OSError as exc:
        raise FileProblem(f"{path} could not be saved: {exc.strerror or exc}") from None
    try:
        yield
    finally:
        lock.release()


def encode_json(data: Any) -> str:
    """The text `write_json_atomic` writes: an object with one key per line and, in a list or
    an object of lists, one item per line (readable, and written by json's fast encoder)."""

    def compact(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False)

    def block(value: Any, indent: str) -> str:
        if isinstance(value, list) and value:
            items = ",\n".join(indent + "  " + compact(v) for v in value)
            return "[\n" + items + "\n" + indent + "]"
        if isinstance(value, dict) and value and indent == "  ":
            rows = [f"{indent}  {compact(k)}: {block(v, indent + '  ')}" for k, v in value.items()]
            return "{\n" + ",\n".join(rows) + "\n" + indent + "}"
        return compact(value)

    if not isinstance(data, dict):
        return compact(data) + "\n"
    rows = [f"  {compact(key)}: {block(value, '  ')}" for key, value in data.items()]
    return "{\n" + ",\n".join(rows) + "\n}\n"


def stamp(path: Path) -> tuple[int, int, int] | None:
    """What identifies a version of a file (inode, size, mtime): the same stamp means the
    file was not replaced since (every write renames a new file into place)."""
    try:
        info = path.stat()
    except OSError:
        return None
    return (info.st_ino, info.st_size, info.st_mtime_ns)


def write_json_atomic(path: Path, data: Any, text: str | None = None) -> None:
    """Write JSON through a temporary file, fsync and rename; raises FileProblem on failure.
    `text` is `encode_json(data)` when the caller has it already."""
    text = encode_json(data) if text is None else text
    tmp_name = ""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        import tempfile  # only writes need it (with shutil, ~4 ms of a read-only start)

        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp_name, path)
        tmp_name = ""
        _fsync_dir(path.parent)
    except OSError as exc:
        raise FileProblem(f"{path} could not be saved: {exc.strerror or exc}") from None
    finally:
        if tmp_name:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass


def _fsync_dir(directory: Path) -> None:
    if os.name != "posix":
        return
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
