"""The credit rule: has this accountant earned enough continuing-education credits this year?

The rule comes from the year's notice (晋财会〔2026〕7号): 第一条 says who must study and from which year
("自取得会计专业技术资格的次年" / "自从事会计工作的次年"), 第四条 says at least ``min_total`` credits a
year, of which professional subjects generally at least ``min_professional``. Every threshold and date is
read from the :class:`~knowledge.policy.Policy`, so next year's notice is a data change. ``today`` is injected:
nothing here reads a clock, so tests can stand on any date.

There is deliberately no public-subject (公需) minimum: none is verified (regulations C6). Public credits
only count towards the total; a shortfall is expressed as "N more credits, of which at least M professional".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_CEILING, Decimal
from typing import Literal

from knowledge.policy import Category, Policy

__all__ = [
    "Assessment",
    "Category",
    "MakeupStatus",
    "Profile",
    "RequiredReason",
    "WindowState",
    "YearTotals",
    "assess",
    "required_for_year",
    "to_decimal",
    "window_state",
]

ZERO = Decimal(0)
WindowState = Literal["upcoming", "open", "closed"]
RequiredReason = Literal[
    "required",                # must study this year
    "qualified_this_year",     # obtained the qualification this year → starts next year
    "started_work_this_year",  # began accounting work this year → starts next year
    "not_started",             # profile says qualification / work begins after this year
    "no_profile",              # nothing known → cannot say; the figures are still assessed
]


def to_decimal(value: Decimal | int | float | str) -> Decimal:
    """Exact credits; floats go through ``str`` so ``7.5`` stays 7.5 and ``0.1`` does not become 0.1000…"""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(str(value))
    return Decimal(value)


@dataclass(frozen=True, slots=True)
class Profile:
    """What the user told us about themselves; any field may be unknown."""

    qualification: str | None = None  # "初级" | "中级" | "高级" | None (no qualification / unknown)
    qualification_year: int | None = None
    work_start_year: int | None = None
    is_institution: bool = False  # staff of a face-to-face training institution (institution reminders)


@dataclass(frozen=True, slots=True)
class YearTotals:
    """Credits recorded for one year, by category. Accepts int/str/float and stores ``Decimal``."""

    year: int
    professional: Decimal = ZERO
    public: Decimal = ZERO

    def __post_init__(self) -> None:
        object.__setattr__(self, "professional", to_decimal(self.professional))
        object.__setattr__(self, "public", to_decimal(self.public))

    @property
    def total(self) -> Decimal:
        return self.professional + self.public

    def value(self, category: Category) -> Decimal:
        return self.professional if category is Category.PROFESSIONAL else self.public

    def with_figures(self, figures: Mapping[Category, Decimal]) -> YearTotals:
        """These totals with the named categories replaced (the others keep their figures)."""
        return YearTotals(self.year, figures.get(Category.PROFESSIONAL, self.professional),
                          figures.get(Category.PUBLIC, self.public))

    def plus(self, category: Category, credits: Decimal | int) -> YearTotals:
        """These totals with ``credits`` more in ``category`` (values are immutable)."""
        amount = to_decimal(credits)
        if category is Category.PROFESSIONAL:
            return YearTotals(self.year, self.professional + amount, self.public)
        return YearTotals(self.year, self.professional, self.public + amount)


@dataclass(frozen=True, slots=True)
class MakeupStatus:
    """One earlier year that the notice lets users make up (补学), as seen on ``today``.

    ``gap`` is ``None`` when nothing is recorded for the year: we cannot tell whether credits are missing.
    ``required`` is ``False`` when the profile shows the user did not yet have to study that year.
    """

    year: int
    recorded: YearTotals | None
    gap: bool | None
    window: WindowState
    window_start: date
    window_end: date
    required: bool | None = None
    missing_total: Decimal | None = None
    missing_professional: Decimal | None = None

    @property
    def relevant(self) -> bool:
        """Worth telling the user: a known gap, or an unknown year while the window is not yet closed."""
        if self.required is False:
            return False
        if self.gap is True:
            return True
        return self.gap is None and self.window != "closed"


@dataclass(frozen=True, slots=True)
class Assessment:
    """The answer to "am I done for the year?", with everything a renderer needs (no policy lookup)."""

    year: int
    required: bool | None
    required_reason: RequiredReason
    start_year: int | None  # first year the user must study, when the profile tells us
    has_record: bool  # any credits recorded for ``year`` at all
    total: Decimal
    professional: Decimal
    public: Decimal
    min_total: int
    min_professional: int
    met: bool
    missing_total: Decimal
    missing_professional: Decimal
    min_additional: Decimal
    deadline: date | None  # policy deadline for this year (makeup end for an earlier makeup year)
    days_left: int | None  # (deadline - today).days + 1: today and the deadline day both count; 0 after
    weekly_pace: Decimal | None  # credits per week still needed, rounded up to 0.1; None if met / no time
    past_deadline: bool
    makeup: tuple[MakeupStatus, ...] = field(default=())


def window_state(start: date, end: date, today: date) -> WindowState:
    """Where ``today`` falls relative to an inclusive date window."""
    if today < start:
        return "upcoming"
    if today > end:
        return "closed"
    return "open"


def required_for_year(profile: Profile | None, year: int) -> tuple[bool | None, RequiredReason, int | None]:
    """Whether ``profile`` must study in ``year`` (notice 第一条), the reason code and the start year.

    Each known trigger (qualification, start of accounting work) obliges study from the following year;
    the earliest one counts. Someone who has worked in accounting since 2015 and passes 初级 in 2026
    was already obliged as a non-qualified accounting worker, so the new qualification does not pause it.
    """
    if profile is None:
        return None, "no_profile", None
    triggers = [y for y in (profile.qualification_year, profile.work_start_year) if y is not None]
    if not triggers:
        return None, "no_profile", None
    start = min(triggers) + 1
    if start <= year:
        return True, "required", start
    if profile.qualification_year == year:
        return False, "qualified_this_year", start
    if profile.work_start_year == year:
        return False, "started_work_this_year", start
    return False, "not_started", start


def _shortfall(totals: YearTotals, policy: Policy) -> tuple[Decimal, Decimal]:
    missing_total = max(ZERO, Decimal(policy.credits.min_total) - totals.total)
    missing_professional = max(ZERO, Decimal(policy.credits.min_professional) - totals.professional)
    return missing_total, missing_professional


def _weekly_pace(needed: Decimal, days_left: int) -> Decimal:
    """Credits per week, rounded up to one decimal; less than a week left counts as one week."""
    weeks = max(Decimal(days_left) / Decimal(7), Decimal(1))
    return (needed / weeks * 10).to_integral_value(rounding=ROUND_CEILING) / Decimal(10)


def _makeup(policy: Policy, profile: Profile | None, totals_by_year: Mapping[int, YearTotals],
            today: date) -> tuple[MakeupStatus, ...]:
    """Status of each makeup year, judged by the same credit thresholds as the policy year.

    The 2024 and 2025 Shanxi thresholds were the same 90/60 (晋财会〔2021〕23号 第一条), which is why the
    current policy's figures are reused here.
    """
    out: list[MakeupStatus] = []
    if policy.makeup is None:  # a year whose notice opens no makeup window
        return ()
    state = window_state(policy.makeup.start, policy.makeup.end, today)
    for year in policy.makeup.years:
        recorded = totals_by_year.get(year)
        required, _, _ = required_for_year(profile, year)
        if recorded is None:
            out.append(MakeupStatus(year, None, None, state, policy.makeup.start, policy.makeup.end,
                                    required))
            continue
        missing_total, missing_pro = _shortfall(recorded, policy)
        gap = bool(missing_total or missing_pro)
        out.append(MakeupStatus(year, recorded, gap, state, policy.makeup.start, policy.makeup.end,
                                required, missing_total, missing_pro))
    return tuple(out)


def assess(policy: Policy, profile: Profile | None, totals_by_year: Mapping[int, YearTotals],
           today: date, *, year: int | None = None) -> Assessment:
    """Assess ``year`` (default: the policy year) for ``profile`` on ``today``.

    Shortfalls: ``missing_total`` and ``missing_professional`` are each never negative; the least the
    user must still earn is ``max`` of the two, of which ``missing_professional`` must be professional
    (professional credits also count towards the total). Days left count today and the deadline day
    (2026-11-27 → 2026-12-31 is 35 days). For an earlier makeup year the deadline is the makeup window's
    end and the days count from the window's opening at the earliest; for any other earlier year there
    is no deadline to count down to. The policy year's assessment carries every makeup year's status; a
    makeup year's assessment carries its own status only.
    """
    year = policy.year if year is None else year
    totals = totals_by_year.get(year)
    has_record = totals is not None
    totals = totals or YearTotals(year)
    required, reason, start_year = required_for_year(profile, year)
    missing_total, missing_pro = _shortfall(totals, policy)
    met = not missing_total and not missing_pro
    min_additional = max(missing_total, missing_pro)

    makeup = policy.makeup
    in_makeup = makeup is not None and year in makeup.years
    deadline: date | None
    if year == policy.year:
        deadline = policy.deadline
    elif makeup is not None and in_makeup:
        deadline = makeup.end
    else:
        deadline = None
    past_deadline = deadline is not None and today > deadline
    if year < policy.year and not in_makeup:
        past_deadline = True
    days_left: int | None = None
    pace: Decimal | None = None
    if deadline is not None:
        # A makeup year can only be studied inside its window, so its days count from the opening day.
        first_day = max(today, makeup.start) if makeup is not None and in_makeup else today
        days_left = max(0, (deadline - first_day).days + 1)
        if not met and days_left > 0:
            pace = _weekly_pace(min_additional, days_left)

    return Assessment(
        year=year,
        required=required,
        required_reason=reason,
        start_year=start_year,
        has_record=has_record,
        total=totals.total,
        professional=totals.professional,
        public=totals.public,
        min_total=policy.credits.min_total,
        min_professional=policy.credits.min_professional,
        met=met,
        missing_total=missing_total,
        missing_professional=missing_pro,
        min_additional=min_additional,
        deadline=deadline,
        days_left=days_left,
        weekly_pace=pace,
        past_deadline=past_deadline,
        makeup=tuple(m for m in _makeup(policy, profile, totals_by_year, today)
                     if year == policy.year or m.year == year),
    )

