"""Untrusted JSON with limits: a nesting cap, so no input can raise RecursionError downstream."""

from __future__ import annotations

import json
from typing import Any

# Token answers, discovery documents, key sets and claims nest 2 to 5 levels; 64 is generous,
# and far below the depth where Python's own recursion (json, our walkers) would give out.
MAX_DEPTH = 64


class JsonError(ValueError):
    """Text that is not usable JSON; `kind` is "syntax", "depth" or "number", and the message
    says why in plain words (it never quotes the text, which may hold a secret)."""

    def __init__(self, message: str, kind: str = "syntax") -> None:
        super().__init__(message)
        self.kind = kind


def _reject_constant(name: str) -> None:
    raise JsonError(f"not valid JSON ({name} is not a JSON number)", "number")


def loads(text: str | bytes, *, max_depth: int = MAX_DEPTH, strict: bool = True) -> Any:
    """Parse JSON and refuse nesting deeper than `max_depth`; `strict` refuses NaN/Infinity.

    Raises:
        JsonError: broken JSON, nesting too deep, or a number Python will not read.
    """
    try:
        value = json.loads(text, parse_constant=_reject_constant if strict else None)
    except JsonError:
        raise
    except RecursionError:
        raise JsonError(_too_deep(max_depth), "depth") from None
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        raise JsonError(f"not valid JSON ({exc.msg.removesuffix(' at')}, {where})") from None
    except ValueError as exc:  # an integer with thousands of digits, bad UTF-8 in bytes
        reason = "a number has too many digits" if "digits" in str(exc) else "not text"
        raise JsonError(f"not valid JSON ({reason})", "number") from None
    if depth(value) > max_depth:
        raise JsonError(_too_deep(max_depth), "depth")
    return value


def depth(value: Any) -> int:
    """How deeply lists and objects nest in a parsed value (a scalar is 0), without recursion."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in children if isinstance(child, (dict, list)))
    return deepest


def _too_deep(limit: int) -> str:
    return f"the JSON is nested more than {limit} levels deep (refused: no real answer does that)"
