"""Time as an injected dependency.

Domain code takes a ``Clock`` (or a ``now`` value) instead of reading the wall clock, so tests move
time instead of sleeping and every datetime the bot handles is aware and in Asia/Shanghai.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


class Clock(Protocol):
    tz: ZoneInfo

    def now(self) -> datetime: ...


class SystemClock:
    """The real clock; only the application edge constructs one."""

    def __init__(self, tz: ZoneInfo = SHANGHAI) -> None:
        self.tz = tz

    def now(self) -> datetime:
        return datetime.now(self.tz)


class ManualClock:
    """A clock that moves only when told to; for tests and benchmarks."""

    def __init__(self, start: datetime, tz: ZoneInfo = SHANGHAI) -> None:
        if start.tzinfo is None:
            start = start.replace(tzinfo=tz)
        self.tz = tz
        self._now = start.astimezone(tz)

    def now(self) -> datetime:
        return self._now

    def set(self, when: datetime) -> None:
        self._now = (when if when.tzinfo else when.replace(tzinfo=self.tz)).astimezone(self.tz)

    def advance(self, delta: timedelta) -> None:
        self._now += delta


class ShiftedClock:
    """The real clock moved to start at another moment (``accbot chat --now``): time still passes."""

    def __init__(self, start: datetime, tz: ZoneInfo = SHANGHAI) -> None:
        self.tz = tz
        self._offset = start.astimezone(tz) - datetime.now(tz)

    def now(self) -> datetime:
        return datetime.now(self.tz) + self._offset


def parse_now(text: str, tz: ZoneInfo = SHANGHAI) -> datetime:
    """``--now`` of the CLI: an ISO date or datetime; naive means Asia/Shanghai. Raises ``ValueError``."""
    value = datetime.fromisoformat(text.strip())
    return value.replace(tzinfo=tz) if value.tzinfo is None else value.astimezone(tz)


def day_start(day: date, tz: ZoneInfo = SHANGHAI) -> datetime:
    """Local midnight that begins ``day`` (aware). The one helper for "the start of a day" in the bot."""
    return datetime.combine(day, time(0, 0), tzinfo=tz)


def at_minute(day: date, minute: int, tz: ZoneInfo = SHANGHAI) -> datetime:
    """``day`` at ``minute`` minutes after midnight, as wall-clock time (never seconds added to midnight)."""
    return datetime.combine(day, time(minute // 60, minute % 60), tzinfo=tz)
