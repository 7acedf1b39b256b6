"""Chinese working days: statutory holidays and 调休 make-up workdays.

Why: a face-to-face training institution must report "within 10 working days after the course" (notice,
``face_to_face.report_within_working_days``). Counting Monday–Friday is wrong around 国庆 and 春节: in
2026 the week of 1–7 October is off while Saturday 10 October is a workday. chinese-calendar knows the State
Council's arrangement, but only up to the last year it was published for (1.11.0: 2004–2026) and raises
``NotImplementedError`` beyond. Then we count Monday–Friday and say so (``approximate=True``) instead of
crashing or pretending to be exact; the user sees ``rm.f2f.approximate``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import chinese_calendar

__all__ = ["WorkdayResult", "add_working_days", "is_working_day"]

# Hard stop for absurd inputs: ten years of working days is far beyond any notice's deadline.
_MAX_STEPS = 3660


@dataclass(frozen=True)
class WorkdayResult:
    due: date
    approximate: bool  # some day counted fell in a year without holiday data: Monday–Friday was assumed


def is_working_day(d: date) -> tuple[bool, bool]:
    """(is it a working day, is that an estimate). Estimates are Monday–Friday for years without data."""
    try:
        return bool(chinese_calendar.is_workday(d)), False
    except NotImplementedError:
        return d.weekday() < 5, True


def add_working_days(start: date, n: int) -> WorkdayResult:
    """The ``n``-th working day after ``start`` (``start`` itself is not counted; negative ``n`` counts back).

    2026-09-25 (Friday, 中秋) + 10 → 2026-10-15: 28–30 Sep count, 1–7 Oct are 国庆, 8–9 Oct count, Saturday
    10 Oct is a 调休 workday, then 12–15 Oct. ``n == 0`` returns ``start`` unchanged.
    """
    if abs(n) > _MAX_STEPS:
        raise ValueError(f"n={n} working days is beyond any deadline this bot handles")
    step = timedelta(days=1 if n >= 0 else -1)
    remaining = abs(n)
    day = start
    approximate = False
    while remaining:
        day += step
        working, estimated = is_working_day(day)
        approximate = approximate or estimated
        if working:
            remaining -= 1
    return WorkdayResult(day, approximate)
