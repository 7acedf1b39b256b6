"""The credit rule (bot/domain/credits.py): a table of cases, then properties that must hold for any figures."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.answers.credits_view import render_assessment, render_makeup_line
from bot.answers.i18n import Translator
from bot.domain.credits import (
    Assessment,
    Category,
    MakeupStatus,
    Profile,
    YearTotals,
    assess,
    required_for_year,
    window_state,
)
from knowledge.policy import Policy, policy_for

P = policy_for(2026)
D = Decimal
MIN_TOTAL = P.credits.min_total
MIN_PRO = P.credits.min_professional
TODAY = date(2026, 11, 27)
QUALIFIED_LONG_AGO = Profile("中级", 2015, 2012)


def _assess(pro: float | int | str, pub: float | int | str, profile: Profile | None = QUALIFIED_LONG_AGO,
            today: date = TODAY, policy: Policy = P) -> Assessment:
    return assess(policy, profile, {policy.year: YearTotals(policy.year, D(str(pro)), D(str(pub)))}, today)


# (pro, pub, met, missing_total, missing_professional, min_additional); of the least additional credits,
# ``missing_professional`` must be professional
RULE_CASES = [
    (40, 30, False, 20, 20, 20),             # brief: not met, 20 more, all professional
    (50, 45, False, 0, 10, 10),              # brief: 95 total of which 50 pro → 10 more professional
    (60, 30, True, 0, 0, 0),                 # brief: exactly the minimum
    (100, 0, True, 0, 0, 0),                 # brief: no public credits at all
    (0, 0, False, 90, 60, 90),
    (70, 0, False, 20, 0, 20),               # professional met, total short: any category
    (0, 90, False, 0, 60, 60),               # only public: the professional minimum is still missing
    (59.5, 30.5, False, 0, 0.5, 0.5),        # halves
    (59.5, 30, False, 0.5, 0.5, 0.5),
    (60, 29.5, False, 0.5, 0, 0.5),
    (7.5, 0, False, 82.5, 52.5, 82.5),
    (200, 200, True, 0, 0, 0),
    (30, 80, False, 0, 30, 30),
    (45, 20, False, 25, 15, 25),
    (89, 0, False, 1, 0, 1),
    (60, 0, False, 30, 0, 30),
]


@pytest.mark.parametrize(("pro", "pub", "met", "miss_total", "miss_pro", "add"), RULE_CASES)
def test_rule_table(pro: float, pub: float, met: bool, miss_total: float, miss_pro: float, add: float) -> None:
    a = _assess(pro, pub)
    assert a.met is met
    assert a.missing_total == D(str(miss_total))
    assert a.missing_professional == D(str(miss_pro))
    assert a.min_additional == D(str(add))
    assert a.total == D(str(pro)) + D(str(pub))


def test_thresholds_come_from_policy() -> None:
    strict = P.model_copy(update={"credits": P.credits.model_copy(update={"min_total": 100,
                                                                          "min_professional": 70})})
    a = _assess(60, 30, policy=strict)
    assert not a.met
    assert (a.missing_total, a.missing_professional, a.min_total) == (D(10), D(10), 100)


# --- who must study (notice 第一条) ----------------------------------------------------------------

@pytest.mark.parametrize(("profile", "required", "reason", "start"), [
    (Profile("初级", 2026, None), False, "qualified_this_year", 2027),   # 今年刚考过初级
    (Profile("初级", 2025, None), True, "required", 2026),
    (Profile(None, None, 2026), False, "started_work_this_year", 2027),
    (Profile(None, None, 2025), True, "required", 2026),
    (Profile("初级", 2026, 2015), True, "required", 2016),   # already obliged as an accounting worker
    (Profile("中级", 2027, None), False, "not_started", 2028),
    (Profile(), None, "no_profile", None),
    (None, None, "no_profile", None),
])
def test_required(profile: Profile | None, required: bool | None, reason: str, start: int | None) -> None:
    assert required_for_year(profile, 2026) == (required, reason, start)
    a = assess(P, profile, {}, TODAY)
    assert (a.required, a.required_reason, a.start_year) == (required, reason, start)


def test_not_required_still_reports_figures(t: Translator) -> None:
    a = _assess(10, 0, profile=Profile("初级", 2026, None))
    assert a.required is False and not a.met
    text = render_assessment(a, "zh", t)
    assert "2027" in text and "不需要" in text and "还需" not in text


# --- days left and pace ------------------------------------------------------------------------------

@pytest.mark.parametrize(("today", "days_left", "past"), [
    (date(2026, 11, 27), 35, False),
    (date(2026, 12, 31), 1, False),
    (date(2026, 12, 25), 7, False),
    (date(2027, 1, 1), 0, True),
    (date(2026, 1, 1), 365, False),
])
def test_days_left(today: date, days_left: int, past: bool) -> None:
    a = _assess(40, 30, today=today)
    assert a.days_left == days_left
    assert a.past_deadline is past
    assert a.deadline == P.deadline


@pytest.mark.parametrize(("today", "pro", "pub", "pace"), [
    (date(2026, 11, 27), 40, 30, D(4)),        # 20 credits over 35 days = 5 weeks
    (date(2026, 11, 28), 40, 30, D("4.2")),    # 20 / (34/7) = 4.117… → rounded up to 4.2
    (date(2026, 12, 31), 40, 30, D(20)),       # less than a week counts as one week
    (date(2026, 12, 25), 0, 0, D(90)),
    (date(2027, 1, 1), 40, 30, None),          # no time left
    (date(2026, 11, 27), 60, 30, None),        # met
])
def test_weekly_pace(today: date, pro: int, pub: int, pace: Decimal | None) -> None:
    assert _assess(pro, pub, today=today).weekly_pace == pace


# --- makeup years ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("today", "state"), [
    (date(2026, 3, 31), "upcoming"),
    (date(2026, 4, 1), "open"),
    (date(2026, 5, 15), "open"),
    (date(2026, 6, 1), "open"),
    (date(2026, 6, 2), "closed"),
])
def test_makeup_window_states(today: date, state: str) -> None:
    assert window_state(P.makeup.start, P.makeup.end, today) == state
    a = assess(P, QUALIFIED_LONG_AGO, {2025: YearTotals(2025, 40, 30)}, today)
    assert [m.year for m in a.makeup] == list(P.makeup.years)
    assert all(m.window == state for m in a.makeup)


def test_makeup_gap_and_unknown() -> None:
    a = assess(P, QUALIFIED_LONG_AGO, {2025: YearTotals(2025, 40, 30), 2024: YearTotals(2024, 60, 30)},
               date(2026, 5, 1))
    by_year = {m.year: m for m in a.makeup}
    assert by_year[2025].gap is True and by_year[2025].missing_total == 20
    assert by_year[2024].gap is False and not by_year[2024].relevant
    b = assess(P, QUALIFIED_LONG_AGO, {}, date(2026, 5, 1))
    assert all(m.gap is None and m.recorded is None and m.relevant for m in b.makeup)


def test_makeup_not_required_before_start() -> None:
    a = assess(P, Profile("初级", 2024, None), {}, date(2026, 5, 1))
    by_year = {m.year: m for m in a.makeup}
    assert by_year[2024].required is False and not by_year[2024].relevant
    assert by_year[2025].required is True and by_year[2025].relevant


def test_makeup_lines(t: Translator) -> None:
    gap = MakeupStatus(2025, YearTotals(2025, 40, 30), True, "closed", P.makeup.start, P.makeup.end, True,
                       D(20), D(20))
    assert "已于2026年6月1日关闭" in (render_makeup_line(gap, "zh", t) or "")
    unknown_closed = MakeupStatus(2025, None, None, "closed", P.makeup.start, P.makeup.end, True)
    assert render_makeup_line(unknown_closed, "zh", t) is None


def test_assess_makeup_year_itself() -> None:
    a = assess(P, QUALIFIED_LONG_AGO, {2025: YearTotals(2025, 40, 30)}, date(2026, 5, 26), year=2025)
    assert a.year == 2025 and a.deadline == P.makeup.end and a.days_left == 7
    assert [m.year for m in a.makeup] == [2025]
    before = assess(P, QUALIFIED_LONG_AGO, {2025: YearTotals(2025, 40, 30)}, date(2026, 3, 1), year=2025)
    assert before.days_left == (P.makeup.end - P.makeup.start).days + 1


# --- rendering --------------------------------------------------------------------------------------

def test_render_not_met_zh_en(t: Translator) -> None:
    a = _assess(40, 30)
    zh = render_assessment(a, "zh", t)
    assert zh.startswith("❌")
    assert "还需至少20学分，其中至少20学分须为专业科目" in zh
    assert "还剩35天（含今天）" in zh and "每周约需4学分" in zh
    en = render_assessment(a, "en", t)
    assert en.startswith("❌") and "at least 20 professional" in en and "35 days left" in en


def test_render_met_and_public_note(t: Translator) -> None:
    text = render_assessment(_assess(100, 0), "zh", t)
    assert text.startswith("✅") and "没有单独规定公需科目的最低学分" in text
    assert "公需科目不少于30" not in text
    assert "没有单独规定" not in render_assessment(_assess(60, 30), "zh", t)


def test_render_no_trailing_zero(t: Translator) -> None:
    text = render_assessment(_assess("59.5", "30.0"), "zh", t)
    assert "89.5" in text and "30.0" not in text and "0.5学分" in text


def test_render_no_profile_hint(t: Translator) -> None:
    assert "/profile" in render_assessment(_assess(40, 30, profile=None), "zh", t)


# --- properties -------------------------------------------------------------------------------------

halves = st.integers(min_value=0, max_value=400).map(lambda n: Decimal(n) / 2)
days = st.integers(min_value=0, max_value=400).map(lambda n: date(2026, 1, 1) + timedelta(days=n))


@settings(max_examples=300)
@given(pro=halves, pub=halves, today=days)
def test_met_iff_nothing_missing(pro: Decimal, pub: Decimal, today: date) -> None:
    a = _assess(pro, pub, today=today)
    assert a.met == (a.missing_total == 0 and a.missing_professional == 0) == (a.min_additional == 0)
    assert a.missing_total >= 0 and a.missing_professional >= 0
    assert a.missing_professional <= a.min_additional
    assert (a.weekly_pace is None) == (a.met or not a.days_left)


@settings(max_examples=300)
@given(pro=halves, pub=halves, extra=halves, category=st.sampled_from(list(Category)))
def test_adding_never_increases_a_shortfall(pro: Decimal, pub: Decimal, extra: Decimal,
                                            category: Category) -> None:
    before = _assess(pro, pub)
    totals = YearTotals(P.year, pro, pub).plus(category, extra)
    after = assess(P, QUALIFIED_LONG_AGO, {P.year: totals}, TODAY)
    assert after.missing_total <= before.missing_total
    assert after.missing_professional <= before.missing_professional
    assert after.min_additional <= before.min_additional


@settings(max_examples=300)
@given(pro=halves, pub=halves)
def test_adding_min_additional_makes_it_met(pro: Decimal, pub: Decimal) -> None:
    a = _assess(pro, pub)
    totals = YearTotals(P.year, pro + a.missing_professional,
                        pub + a.min_additional - a.missing_professional)
    assert assess(P, QUALIFIED_LONG_AGO, {P.year: totals}, TODAY).met
