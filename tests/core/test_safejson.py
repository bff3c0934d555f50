"""Untrusted JSON: nesting capped with a plain message, never a RecursionError."""

from __future__ import annotations

import pytest

from core import safejson


@pytest.mark.parametrize(
    "text",
    ["[" * 100_000 + "]" * 100_000, '{"a":' * 65 + "1" + "}" * 65, "[" * 100_000],
)
def test_deep_nesting_is_refused_plainly(text: str) -> None:
    """100 000 deep, just over the cap, or deep and broken: one JsonError of kind depth."""
    with pytest.raises(safejson.JsonError) as info:
        safejson.loads(text)
    assert info.value.kind == "depth" and "nested more than 64 levels" in str(info.value)


def test_the_cap_itself_is_accepted_and_constants_refused_when_strict() -> None:
    """64 levels parse; NaN is refused when strict and read when not (token claims)."""
    assert safejson.depth(safejson.loads("[" * 64 + "]" * 64)) == 64
    with pytest.raises(safejson.JsonError):
        safejson.loads('{"a": NaN}')
    assert safejson.loads('{"a": 1}', strict=False) == {"a": 1}
    assert safejson.depth({"a": [1, {"b": []}]}) == 4 and safejson.depth(5) == 0
