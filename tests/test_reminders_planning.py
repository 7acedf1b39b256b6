"""Pure reminder planning: campaign dates come from the policy, quiet hours, snooze, who is concerned,
and the face-to-face report due date across 调休 make-up workdays."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from bot.domain.clock import SHANGHAI
from bot.domain.credits import Profile, YearTotals, assess
from bot.domain.reminders import (
    QuietHours,
    campaign_concerns,
    campaigns_for,
    defer_for_quiet,
    parse_clock,
    snooze_until,
)
from bot.domain.workdays import add_working_days
from knowledge.policy import Policy


def test_campaigns_are_derived_from_the_policy_dates(policy: Policy) -> None:
    specs = {s.key: s for s in campaigns_for(policy)}
    assert specs["2026:online_open"].fire_day == policy.online_study.start
    assert specs["2026:makeup_open"].fire_day == policy.makeup.start
    assert specs["2026:makeup_close:7"].fire_day == policy.makeup.end - timedelta(days=7)
    assert specs["2026:makeup_close:0"].fire_day == policy.makeup.end
    deadline = sorted(s.arg for s in specs.values() if s.kind == "deadline")
    assert deadline == sorted(policy.reminders.deadline_days_before)
    for d in policy.reminders.deadline_days_before:
        assert specs[f"2026:deadline:{d}"].fire_day == policy.deadline - timedelta(days=d)
    plan = [s for s in specs.values() if s.kind == "plan_due"]
    assert plan and all(s.audience == "institution" for s in plan)
    assert max(s.fire_day for s in plan) == policy.plan_due  # 12月15日


def test_a_changed_policy_moves_every_campaign(policy: Policy) -> None:
    later = policy.model_copy(update={"makeup": policy.makeup.model_copy(update={"end": date(2026, 7, 1)})})
    specs = {s.key: s for s in campaigns_for(later)}
    assert specs["2026:makeup_close:0"].fire_day == date(2026, 7, 1)


@pytest.mark.parametrize(
    ("hhmm", "inside"),
    [
        ("21:59", False),
        ("22:00", True),
        ("23:30", True),
        ("00:00", True),
        ("07:59", True),
        ("08:00", False),
        ("12:00", False),
    ],
)
def test_quiet_hours_wrap_midnight(hhmm: str, inside: bool) -> None:
    minute = parse_clock(hhmm)
    assert minute is not None
    assert QuietHours(22 * 60, 8 * 60).contains(minute) is inside


def test_quiet_hours_defer_to_their_end() -> None:
    quiet = QuietHours(22 * 60, 8 * 60)
    late = datetime(2026, 12, 1, 23, 15, tzinfo=SHANGHAI)
    assert defer_for_quiet(late, quiet, SHANGHAI) == datetime(2026, 12, 2, 8, 0, tzinfo=SHANGHAI)
    early = datetime(2026, 12, 2, 6, 0, tzinfo=SHANGHAI)
    assert defer_for_quiet(early, quiet, SHANGHAI) == datetime(2026, 12, 2, 8, 0, tzinfo=SHANGHAI)
    assert defer_for_quiet(datetime(2026, 12, 2, 9, 0, tzinfo=SHANGHAI), quiet, SHANGHAI) is None
    assert defer_for_quiet(late, QuietHours(0, 0), SHANGHAI) is None  # quiet hours off


def test_snooze_choices() -> None:
    now = datetime(2026, 12, 20, 21, 30, tzinfo=SHANGHAI)
    assert snooze_until("1h", now, 540, SHANGHAI) == now + timedelta(hours=1)
    assert snooze_until("tm", now, 540, SHANGHAI) == datetime(2026, 12, 21, 9, 0, tzinfo=SHANGHAI)
    assert snooze_until("tm", now, 8 * 60 + 30, SHANGHAI) == datetime(2026, 12, 21, 8, 30, tzinfo=SHANGHAI)
    assert snooze_until("3d", now, 540, SHANGHAI) == now + timedelta(days=3)
    assert snooze_until("99y", now, 540, SHANGHAI) is None


@pytest.mark.parametrize(
    ("text", "minute"),
    [
        ("9:30", 570),
        ("09:30", 570),
        ("21点", 1260),
        ("8", 480),
        ("24:00", None),
        ("9:61", None),
        ("abc", None),
        ("", None),
    ],
)
def test_parse_clock(text: str, minute: int | None) -> None:
    assert parse_clock(text) == minute


def test_who_is_concerned(policy: Policy) -> None:
    today = date(2026, 12, 1)
    unknown = assess(policy, None, {}, today)
    met = assess(policy, None, {2026: YearTotals(2026, 70, 30)}, today)
    short = assess(policy, None, {2026: YearTotals(2026, 40, 10)}, today)
    assert campaign_concerns("deadline", unknown, None)
    assert campaign_concerns("deadline", short, None)
    assert not campaign_concerns("deadline", met, None)
    not_yet = Profile(qualification="初级", qualification_year=2026)
    assert not campaign_concerns("deadline", assess(policy, not_yet, {}, today), not_yet)

    full = {2024: YearTotals(2024, 60, 30), 2025: YearTotals(2025, 60, 30)}
    gap = {2024: YearTotals(2024, 60, 30), 2025: YearTotals(2025, 20, 0)}
    assert campaign_concerns("makeup_open", assess(policy, None, {}, date(2026, 4, 1)), None)  # unknown gap
    assert not campaign_concerns("makeup_open", assess(policy, None, full, date(2026, 4, 1)), None)
    assert campaign_concerns("makeup_close", assess(policy, None, gap, date(2026, 5, 25)), None)

    staff = Profile(is_institution=True)
    assert campaign_concerns("plan_due", met, staff)
    assert not campaign_concerns("plan_due", met, None)


def test_working_days_skip_national_day_and_count_the_tiaoxiu_saturday() -> None:
    # 2026-09-25 (Fri) + 10: 1–7 Oct off, Saturday 10 Oct is a 调休 workday → 15 Oct, not 9 Oct (Mon–Fri).
    result = add_working_days(date(2026, 9, 25), 10)
    assert result.due == date(2026, 10, 15) and not result.approximate
    # Spring festival 2026: 14 Feb (Sat) and 28 Feb (Sat) are make-up workdays, 15–23 Feb off.
    assert add_working_days(date(2026, 2, 13), 10).due == date(2026, 3, 5)


def test_working_days_without_holiday_data_say_so() -> None:
    result = add_working_days(date(2026, 12, 25), 10)
    assert result.approximate  # 2027 has no published arrangement yet
    assert result.due == date(2027, 1, 11)  # 元旦 is a statutory holiday even without the 2027 schedule
