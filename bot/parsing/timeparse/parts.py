"""What a time expression means: the parts a token yields and how they resolve against ``now``.

A date spec (``AbsDate``, ``Weekday``, ``PolicyDate`` …) knows its own rolling rule ("a yearless date already
gone this year means next year"), so the rules live next to the thing they are about and the grammar only
has to build specs. Resolution raises ``Fail(reason)``; the public API turns that into a reason code.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from bot.domain.clock import SHANGHAI
from bot.domain.festivals import festival_dates

if TYPE_CHECKING:
    from knowledge.policy import Policy


# ---------------------------------------------------------------------------------------------- parts


class Fail(Exception):
    """Internal control flow: resolution stopped with a reason code."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Clock:
    """A clock reading as typed. ``exact``: 24-hour (≥13, 0, leading zero); ``ampm``: 'am'/'pm'."""

    hour: int
    minute: int = 0
    exact: bool = False
    ampm: str | None = None
    shift: int = 0  # midnight → 00:00 of the next day


@dataclass
class _Ctx:
    now: datetime
    policy: Policy | None
    ahead: Callable[[date], bool]  # is (this date + the resolved time of day) still ahead of now?
    explicit_time: bool
    past: bool = False  # a date that must lie in the past (a study date, a course's end): yearless → latest

    @property
    def today(self) -> date:
        return self.now.date()


def _add_months(d: date, months: int, day: int | None = None) -> date:
    """``d`` moved by whole months; the day is clamped to the month's length (1月31日 + 1 month → 2月28日)."""
    index = d.year * 12 + d.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day if day is not None else d.day, last))


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _valid_month_day(month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(2000, month)[1]


@dataclass(frozen=True)
class AbsDate:
    """12月20日 / 2026-12-20 / Dec 20 / 明年1月5日. ``year`` absolute, ``year_off`` relative, or neither."""

    month: int
    day: int
    year: int | None = None
    year_off: int | None = None

    def resolve(self, ctx: _Ctx) -> date:
        if not _valid_month_day(self.month, self.day):
            raise Fail("impossible_date")
        if self.year is not None or self.year_off is not None:
            year = self.year if self.year is not None else ctx.today.year + (self.year_off or 0)
            try:
                return date(year, self.month, self.day)
            except ValueError:
                raise Fail("impossible_date") from None
        if ctx.past:  # no year, must have happened: the most recent such day (12月30日 on 1月5日 → last year)
            for year in range(ctx.today.year, ctx.today.year - 5, -1):
                try:
                    candidate = date(year, self.month, self.day)
                except ValueError:
                    continue
                if candidate <= ctx.today:
                    return candidate
            raise Fail("impossible_date")
        # No year: this year's if still ahead (today counts only with its time still ahead); else next.
        for year in range(ctx.today.year, ctx.today.year + 5):  # 2月29日 may need a leap year
            try:
                candidate = date(year, self.month, self.day)
            except ValueError:
                continue
            if candidate > ctx.today or (candidate == ctx.today and ctx.ahead(candidate)):
                return candidate
            if candidate == ctx.today:
                raise Fail("past")
        raise Fail("impossible_date")


@dataclass(frozen=True)
class DayOffset:
    """今天/明天/后天/昨天, today/tomorrow."""

    days: int

    def resolve(self, ctx: _Ctx) -> date:
        return ctx.today + timedelta(days=self.days)


@dataclass(frozen=True)
class Weekday:
    """周五 (mode 'bare'), 本周五 ('this'), 下周五 (week=1), 下下周五 (week=2), next friday ('next')."""

    weekday: int  # Monday = 0
    mode: str = "bare"
    week: int = 0

    def resolve(self, ctx: _Ctx) -> date:
        today = ctx.today
        if self.mode == "last":  # last friday: the most recent one before today
            return today - timedelta(days=(today.weekday() - self.weekday) % 7 or 7)
        if self.mode in ("bare", "next"):
            delta = (self.weekday - today.weekday()) % 7
            if delta == 0 and not (self.mode == "bare" and ctx.explicit_time and ctx.ahead(today)):
                delta = 7
            return today + timedelta(days=delta)
        monday = today - timedelta(days=today.weekday())
        return monday + timedelta(days=7 * self.week + self.weekday)


@dataclass(frozen=True)
class Weekend:
    """周末/本周末 (this week's Saturday, or Sunday once Saturday is gone); 下周末 (next week's Saturday)."""

    week: int = 0

    def resolve(self, ctx: _Ctx) -> date:
        monday = ctx.today - timedelta(days=ctx.today.weekday())
        saturday = monday + timedelta(days=7 * self.week + 5)
        if self.week == 0 and (saturday < ctx.today or (saturday == ctx.today and not ctx.ahead(saturday))):
            return saturday + timedelta(days=1)
        return saturday


@dataclass(frozen=True)
class MonthDay:
    """20号 / 下个月1号 / 月底 / 12月底 / 下月初. ``day`` is a number, 'end' or 'start'.

    ``month_off`` None means no month was named: roll to next month once the day is gone.
    ``month`` set means an absolute month (12月底), rolled to next year like any yearless date.
    """

    day: int | str
    month_off: int | None = None
    month: int | None = None

    def _pick(self, year: int, month: int) -> date:
        if self.day == "end":
            return _month_end(year, month)
        if self.day == "start":
            return date(year, month, 1)
        assert isinstance(self.day, int)
        if not 1 <= self.day <= calendar.monthrange(year, month)[1]:
            raise Fail("impossible_date")
        return date(year, month, self.day)

    def resolve(self, ctx: _Ctx) -> date:
        today = ctx.today
        if isinstance(self.day, int) and not 1 <= self.day <= 31:
            raise Fail("impossible_date")
        if self.month is not None:
            if not 1 <= self.month <= 12:
                raise Fail("impossible_date")
            candidate = self._pick(today.year, self.month)
            if candidate < today or (candidate == today and not ctx.ahead(candidate)):
                candidate = self._pick(today.year + 1, self.month)
            return candidate
        if self.month_off is not None:
            first = _add_months(today.replace(day=1), self.month_off)
            return self._pick(first.year, first.month)
        if self.day == "start":  # 月初 with no month named: the next first of a month
            return _add_months(today.replace(day=1), 1)
        for months in range(0, 3):  # 31号 in a 30-day month rolls to the next month that has one
            first = _add_months(today.replace(day=1), months)
            try:
                candidate = self._pick(first.year, first.month)
            except Fail:
                continue
            if candidate > today or (candidate == today and ctx.ahead(candidate)):
                return candidate
        raise Fail("impossible_date")


@dataclass(frozen=True)
class YearEnd:
    """年底 / 今年年底 / 明年年底 / 2026年底: 31 December."""

    year: int | None = None
    year_off: int | None = None

    def resolve(self, ctx: _Ctx) -> date:
        if self.year is not None:
            return date(self.year, 12, 31)
        if self.year_off is not None:
            return date(ctx.today.year + self.year_off, 12, 31)
        candidate = date(ctx.today.year, 12, 31)
        if candidate == ctx.today and not ctx.ahead(candidate):
            return date(ctx.today.year + 1, 12, 31)
        return candidate


@dataclass(frozen=True)
class DateDelta:
    """三天后 / 两周后 / 一个月后 / in 3 days: a date, so the time of day is explicit or default."""

    days: int = 0
    months: int = 0

    def resolve(self, ctx: _Ctx) -> date:
        return _add_months(ctx.today, self.months) + timedelta(days=self.days)


_ANCHORS: dict[str, Callable[[Policy], date]] = {
    "deadline": lambda p: p.deadline,
    "makeup_end": lambda p: p.makeup.end,  # type: ignore[union-attr]
    "makeup_start": lambda p: p.makeup.start,  # type: ignore[union-attr]
    "online_start": lambda p: p.online_study.start,
    "online_end": lambda p: p.online_study.end,
    "study_start": lambda p: p.study_period.start,
}


@dataclass(frozen=True)
class PolicyDate:
    """截止日 / 截止前一周 / 补学截止前3天 / 补学开始: a date of the year's policy plus an offset."""

    anchor: str
    days: int = 0
    months: int = 0

    def resolve(self, ctx: _Ctx) -> date:
        if ctx.policy is None or (self.anchor.startswith("makeup") and ctx.policy.makeup is None):
            raise Fail("unrecognized")  # no policy, or a year without a makeup window
        return _add_months(_ANCHORS[self.anchor](ctx.policy), self.months) + timedelta(days=self.days)


@dataclass(frozen=True)
class Festival:
    """春节 / 除夕 / 中秋 / 元旦 / Christmas (``bot.domain.festivals``); rolls like a yearless date."""

    name: str
    year: int | None = None
    year_off: int | None = None

    def resolve(self, ctx: _Ctx) -> date:
        if self.year is not None or self.year_off is not None:
            year = self.year if self.year is not None else ctx.today.year + (self.year_off or 0)
            found = festival_dates(self.name, year)
            if not found:
                raise Fail("impossible_date")
            return found[0]
        if ctx.past:
            days = [d for y in (ctx.today.year, ctx.today.year - 1) for d in festival_dates(self.name, y)]
            past = [d for d in days if d <= ctx.today]
            if not past:
                raise Fail("impossible_date")
            return max(past)
        for year in (ctx.today.year, ctx.today.year + 1, ctx.today.year + 2):
            for candidate in festival_dates(self.name, year):
                if candidate > ctx.today or (candidate == ctx.today and ctx.ahead(candidate)):
                    return candidate
        raise Fail("impossible_date")


@dataclass(frozen=True)
class Shifted:
    """X前一天 / X后两天 / the day before X: any date phrase moved by whole days."""

    base: DateSpec
    days: int

    def resolve(self, ctx: _Ctx) -> date:
        # The base rolls as the base would on its own day (元旦前一天 on 12-31 morning is today).
        inner = _Ctx(ctx.now, ctx.policy, lambda d: ctx.ahead(d + timedelta(days=self.days)), ctx.explicit_time,
                     ctx.past)
        return self.base.resolve(inner) + timedelta(days=self.days)


@dataclass(frozen=True)
class WeekdayOf:
    """一周后的周五: the given weekday in the week of another date phrase (always that weekday)."""

    base: DateSpec
    weekday: int

    def resolve(self, ctx: _Ctx) -> date:
        day = self.base.resolve(ctx)
        return day - timedelta(days=day.weekday()) + timedelta(days=self.weekday)


DateSpec = (AbsDate | DayOffset | Weekday | Weekend | MonthDay | YearEnd | DateDelta | PolicyDate | Festival
            | Shifted | WeekdayOf)

# Periods of the day: name → default hour when no hour is given.
PERIOD_DEFAULT = {
    "dawn": 5, "morning": 8, "forenoon": 9, "noon": 12,
    "afternoon": 15, "dusk": 18, "evening": 20, "night": 22,
}
CN_PERIODS = {
    "凌晨": "dawn", "清晨": "morning", "早晨": "morning", "早上": "morning", "早": "morning",
    "上午": "forenoon", "中午": "noon", "午后": "afternoon", "下午": "afternoon", "傍晚": "dusk",
    "晚上": "evening", "晚间": "evening", "晚": "evening",
    "夜里": "night", "夜间": "night", "半夜": "night", "深夜": "night",
}


@dataclass
class Parts:
    date: DateSpec | None = None
    clock: Clock | None = None
    period: str | None = None
    exact: timedelta | None = None
    shift: int | None = None  # 前一天 / 后两天: days added to the date phrase it follows
    vague: str | None = None  # 中旬 / 年前: a word naming no single day; the phrase is refused with it

    def names(self) -> set[str]:
        return {name for name in ("date", "clock", "period", "exact", "shift") if getattr(self, name) is not None}

    def merge(self, other: Parts) -> bool:
        """Take ``other``'s parts if none collides (and an exact offset stands alone); False otherwise.

        Two readings combine instead of colliding: a day shift after a date (元旦前一天) and a weekday after
        a date distance (一周后的周五 is that week's Friday).
        """
        if other.shift is not None:
            if not self.names() and not self.vague:
                self.shift = other.shift  # "the day before …": the date follows
                return True
            if self.date is None or self.shift is not None:
                return False
            self.date = Shifted(self.date, other.shift)
            return True
        if self.shift is not None and self.date is None and other.date is not None:  # the day before X
            self.date, self.shift = Shifted(other.date, self.shift), None
            for name in other.names() - {"date"} - self.names():
                setattr(self, name, getattr(other, name))
            return True
        if isinstance(self.date, DateDelta) and isinstance(other.date, Weekday) and other.date.mode == "bare" \
                and not (self.names() - {"date"}) & other.names():
            self.date = WeekdayOf(self.date, other.date.weekday)
            for name in other.names() - {"date"}:
                setattr(self, name, getattr(other, name))
            return True
        if other.vague or self.vague:
            self.vague = self.vague or other.vague
            return True
        mine, theirs = self.names(), other.names()
        if mine & theirs or ("exact" in mine | theirs and mine and theirs):
            return False
        for name in theirs:
            setattr(self, name, getattr(other, name))
        return True

    def score(self) -> float:
        return sum(1.0 for n in ("date", "clock", "exact", "vague") if getattr(self, n) is not None) + (
            0.5 if self.period else 0.0
        )


# ---------------------------------------------------------------------------------------------- resolve


def _apply_period(clock: Clock, period: str | None) -> tuple[int, int, int]:
    """(day shift, hour, minute) of a clock reading under a period word or am/pm, on a date the user named."""
    h, mi, shift = clock.hour, clock.minute, clock.shift
    if h > 24 or mi > 59 or (h == 24 and mi > 0):
        raise Fail("impossible_date")
    if h == 24:  # 24点 / 晚上24点: the end of that day
        return shift + 1, 0, 0
    if clock.ampm:
        if h == 0 or h > 12:
            raise Fail("impossible_date")
        if clock.ampm == "am":
            return shift, 0 if h == 12 else h, mi
        return shift, h if h == 12 else h + 12, mi
    if period is None or h >= 13 or h == 0:
        return shift, h, mi
    if period == "dawn":
        return shift, 0 if h == 12 else h, mi
    if period in ("morning", "forenoon"):
        if 1 <= h <= 4:  # 上午3点 / 早上2点: the small hours are 凌晨, not the morning
            raise Fail("period_conflict")
        return shift, h, mi
    if period == "noon":
        return shift, h + 12 if 1 <= h <= 5 else h, mi
    if period in ("afternoon", "dusk"):
        return shift, h + 12 if h < 12 else h, mi
    if period == "evening":
        if 1 <= h <= 5:  # 晚上3点 is neither 15:00 (afternoon) nor surely 03:00: ask instead of guessing
            raise Fail("period_conflict")
        return (shift + 1, 0, mi) if h == 12 else (shift, h + 12, mi)
    # night (夜里/半夜/深夜): 11点 → 23:00, 12点 → midnight, 2点 → 02:00 of the next day
    if h == 12:
        return shift + 1, 0, mi
    if h <= 5:
        return shift + 1, h, mi
    return shift, h + 12, mi


_Reading = tuple[int, int, int]  # (day shift, hour, minute)


def _clock_options(parts: Parts, has_date: bool, default_time: time) -> tuple[list[_Reading], bool]:
    """Candidate (day shift, hour, minute) readings in order of preference, and whether a time was explicit.

    With a date there is exactly one reading; with no date the caller takes the first one still ahead.
    """
    clock, period = parts.clock, parts.period
    if clock is None:
        if period is None:
            reading = (0, default_time.hour, default_time.minute)
            return [reading], False
        reading = (0, PERIOD_DEFAULT[period], 0)
        return ([reading] if has_date else [reading, (1, reading[1], 0)]), True
    if clock.hour > 24 or clock.minute > 59:
        raise Fail("impossible_date")
    if clock.exact or clock.ampm or period is not None or clock.hour == 24:
        shift, h, mi = _apply_period(clock, period)
        return ([(shift, h, mi)] if has_date else [(shift, h, mi), (shift + 1, h, mi)]), True
    h, mi = clock.hour, clock.minute
    if 1 <= h <= 6:  # 3点 → 15:00
        return ([(0, h + 12, mi)] if has_date else [(0, h + 12, mi), (1, h + 12, mi)]), True
    if has_date:
        return [(0, h, mi)], True
    if h == 12:
        return [(0, 12, mi), (1, 12, mi)], True
    return [(0, h, mi), (0, h + 12, mi), (1, h, mi)], True


def _at(d: date, shift: int, h: int, mi: int) -> datetime:
    return datetime.combine(d + timedelta(days=shift), time(h, mi), SHANGHAI)


def resolve(parts: Parts, now: datetime, default_time: time, policy: Policy | None) -> datetime:
    if parts.vague is not None:
        raise Fail("vague")
    if parts.shift is not None and parts.date is None:
        raise Fail("unrecognized")  # 前一天 with no date before it
    if parts.exact is not None:
        return now + parts.exact
    options, explicit = _clock_options(parts, parts.date is not None, default_time)
    if parts.date is None:
        for shift, h, mi in options:
            candidate = _at(now.date(), shift, h, mi)
            if candidate > now:
                return candidate
        raise Fail("past")  # not reached: the last option is always tomorrow
    shift, h, mi = options[0]
    ctx = _Ctx(now=now, policy=policy, ahead=lambda d: _at(d, shift, h, mi) > now, explicit_time=explicit)
    day = parts.date.resolve(ctx)
    return _at(day, shift, h, mi)


