"""Load the JSON catalogs kept in resources/ (claims, AADSTS codes), once, with a shape check."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

RESOURCES_DIR = Path(__file__).resolve().parents[2] / "resources"


class CatalogError(RuntimeError):
    """A catalog file is missing or has the wrong shape (a packaging bug, not user input)."""


@cache
def load_catalog(name: str) -> dict[str, Any]:
    """The parsed JSON object of `resources/<name>`; raises CatalogError when unusable."""
    if "/" in name or "\\" in name or name.startswith("."):
        raise CatalogError(f"catalog name must be a plain file name: {name!r}")
    path = RESOURCES_DIR / name
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CatalogError(f"cannot read catalog {path}: {exc}") from exc
    if not isinstance(data, dict):
        raise CatalogError(f"catalog {path} must hold a JSON object")
    return data


def require_table(data: dict[str, Any], key: str, fields: tuple[str, ...], source: str) -> None:
    """Check that `data[key]` maps names to objects that each carry `fields` as non-empty."""
    table = data.get(key)
    if not isinstance(table, dict) or not table:
        raise CatalogError(f"{source}: '{key}' must be a non-empty object")
    for name, entry in table.items():
        if not isinstance(entry, dict):
            raise CatalogError(f"{source}: {key}.{name} must be an object")
        for f in fields:
            if not entry.get(f):
                raise CatalogError(f"{source}: {key}.{name} lacks '{f}'")


def require_names(data: dict[str, Any], key: str, source: str) -> None:
    """Check that `data[key]` maps strings to non-empty strings."""
    table = data.get(key)
    if not isinstance(table, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and v for k, v in table.items()
    ):
        raise CatalogError(f"{source}: '{key}' must map names to non-empty strings")
