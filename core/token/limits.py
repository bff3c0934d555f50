"""The time limits every part shares (the form, profiles, the command line, pre-flight).

Kept free of imports so that `main.py token --help` can show them without loading the models.
"""

from __future__ import annotations

DEFAULT_TIMEOUT_S = 30.0
MAX_TIMEOUT_S = 600.0  # one limit for the form, profiles and the command line


def timeout_problem(value: object) -> str:
    """Why a timeout is unusable ('' when it is fine): a positive, finite number of seconds up
    to MAX_TIMEOUT_S. The form, profiles, the command line and pre-flight all ask this."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return "the timeout must be a number of seconds"
    if not 0 < value <= MAX_TIMEOUT_S:  # also refuses nan (every comparison is False)
        return f"the timeout must be more than 0 and at most {MAX_TIMEOUT_S:g} seconds"
    return ""
