"""Times as an admin reads them: local, UTC and relative ("in 59 min", "3 days ago")."""

from __future__ import annotations

import time
from datetime import datetime, timezone


def relative(seconds: float) -> str:
    """A signed duration in words: positive is the future ("in 5 min"), negative the past."""
    span = abs(seconds)
    if span < 45:
        text = f"{int(span)} s"
    elif span < 90 * 60:
        text = f"{int(span // 60)} min"
    elif span < 36 * 3600:
        hours, rest = divmod(int(span), 3600)
        minutes = rest // 60
        text = f"{hours} h {minutes} min" if minutes else f"{hours} h"
    elif span < 60 * 86400:
        days = round(span / 86400)
        text = f"{days} day" + ("s" if days != 1 else "")
    else:
        years = span / (365.25 * 86400)
        text = f"{years:.1f} years" if years >= 1 else f"{round(span / 86400)} days"
    return f"in {text}" if seconds >= 0 else f"{text} ago"


def span_text(seconds: float) -> str:
    """A positive span to the second: '59 min 12 s', '2 h 03 min', '45 s'."""
    whole = int(seconds)
    if whole >= 3600:
        return f"{whole // 3600} h {whole % 3600 // 60:02d} min"
    if whole >= 60:
        return f"{whole // 60} min {whole % 60:02d} s"
    return f"{whole} s"


def count_text(number: int) -> str:
    """A count with thin groups, as admins read it: 1 290, 12 500 (no-break spaces)."""
    return f"{number:,}".replace(",", "\u00a0")


def relative_to_now(epoch: float, now: float | None = None) -> str:
    """How far `epoch` is from now, in words."""
    return relative(epoch - (time.time() if now is None else now))


def local_text(epoch: float) -> str:
    """Local wall-clock time with its zone, e.g. `2024-05-01 16:42:07 CEST`."""
    moment = datetime.fromtimestamp(epoch).astimezone()
    return moment.strftime("%Y-%m-%d %H:%M:%S %Z").strip()


def utc_text(epoch: float) -> str:
    """UTC time, e.g. `2024-05-01 14:42:07 UTC`."""
    return datetime.fromtimestamp(epoch, tz=timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


def iso_utc(epoch: float | None) -> str | None:
    """ISO 8601 UTC (`2024-05-01T14:42:07+00:00`), or None."""
    if epoch is None:
        return None
    return datetime.fromtimestamp(epoch, tz=timezone.utc).isoformat(timespec="seconds")


def clock(epoch: float) -> str:
    """Local `HH:MM`, or `YYYY-MM-DD HH:MM` when not today."""
    moment = datetime.fromtimestamp(epoch)
    if moment.date() == datetime.now().date():
        return moment.strftime("%H:%M")
    return moment.strftime("%Y-%m-%d %H:%M")


def describe(epoch: float, now: float | None = None) -> str:
    """`local · UTC · relative`, the full rendering of a timestamp claim."""
    local, utc = local_text(epoch), utc_text(epoch)
    shown = utc if local == utc else f"{local} · {utc}"
    return f"{shown} · {relative_to_now(epoch, now)}"


def as_epoch(value: object) -> float | None:
    """A timestamp claim as epoch seconds (int, float or numeric string), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return None
    else:
        return None
    if number != number or not -62_135_596_800 < number < 253_402_300_799:  # NaN, out of range
        return None
    return number
