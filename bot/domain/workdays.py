"""Chinese working days: statutory holidays and 调休 make-up workdays.

Why: a face-to-face training institution must report "within 10 working days after the course" (notice,
``face_to_face.report_within_working_days``). Counting Monday–Friday is wrong around 国庆 and 春节: in
2026 the week of 1–7 October is off while Saturday 10 October is a workday. Three sources, best first:

1. ``chinese_calendar`` (the State Council's arrangement as published; 1.11.0 knows 2004–2026);
2. ``knowledge/holidays/<year>.toml``, which an admin adds when the next year's 放假安排 is published;
3. without either, the statutory holidays themselves (全国年节及纪念日放假办法: 元旦, 春节 除夕–初三, 清明,
   劳动节 5/1–5/2, 端午, 中秋, 国庆 10/1–10/3; lunar dates from ``bot.domain.festivals``) and weekends. 调休
   cannot be known, so such a count is marked ``approximate`` and the user is told the real date may be earlier.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import chinese_calendar

from bot.domain.festivals import festival_dates
from knowledge.schedules import holiday_year

__all__ = ["WorkdayResult", "add_working_days", "is_working_day", "statutory_holidays"]

# Hard stop for absurd inputs: ten years of working days is far beyond any notice's deadline.
_MAX_STEPS = 3660


@dataclass(frozen=True)
class WorkdayResult:
    due: date
    approximate: bool  # some day counted fell in a year without a published schedule (调休 not counted)
    estimated_years: tuple[int, ...] = ()  # those years, for the message


@lru_cache(maxsize=32)
def statutory_holidays(year: int) -> frozenset[date]:
    """The days off the law itself fixes for ``year`` (no 调休, which each year's notice adds)."""
    days = {date(year, 1, 1), date(year, 5, 1), date(year, 5, 2), date(year, 10, 1), date(year, 10, 2),
            date(year, 10, 3)}
    for eve in festival_dates("除夕", year):
        days.update(eve + timedelta(days=i) for i in range(4))  # 除夕, 初一, 初二, 初三
    for name in ("清明", "端午", "中秋"):
        days.update(festival_dates(name, year))
    return frozenset(d for d in days if d.year == year)


def is_working_day(d: date) -> tuple[bool, bool]:
    """(is it a working day, is that an estimate). Estimates know statutory holidays but not 调休."""
    try:
        return bool(chinese_calendar.is_workday(d)), False
    except NotImplementedError:
        pass
    schedule = holiday_year(d.year)
    if schedule is not None:
        if d in schedule.workdays:
            return True, False
        return d.weekday() < 5 and d not in schedule.holidays, False
    return d.weekday() < 5 and d not in statutory_holidays(d.year), True


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
    estimated: set[int] = set()
    while remaining:
        day += step
        working, guess = is_working_day(day)
        if guess:
            estimated.add(day.year)
        if working:
            remaining -= 1
    return WorkdayResult(day, bool(estimated), tuple(sorted(estimated)))
