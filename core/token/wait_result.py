"""How a wait for a new credential's replication ended (core/token/replication.py waits)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class WaitEnd(str, Enum):
    """How a wait for replication ended."""

    NOT_NEEDED = "not_needed"  # the first answer was no "unknown credential" refusal
    WORKED = "worked"  # refused first, then a token: it was replication
    TIME_UP = "time_up"  # still refused when the time was up: not replication
    OTHER_ERROR = "other_error"  # refused first, then another answer (retries stop at once)
    STOPPED = "stopped"  # the user stopped it (Esc, Ctrl+C)


@dataclass(frozen=True)
class ReplicationWait:
    """What the wait did: attempts sent, seconds from the first send to the last answer."""

    end: WaitEnd
    attempts: int
    waited_s: float
    limit_s: float
    code: int | None = None  # the refusal that was retried (7000215 or 700027)

    @property
    def retried(self) -> bool:
        return self.attempts > 1
