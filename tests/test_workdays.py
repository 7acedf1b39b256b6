"""Working days across 国庆, 春节 and their 调休 Saturdays, and the Monday–Friday fallback past the data.

chinese-calendar 1.11.0 has data for 2004–2026; the 2026 facts below are the State Council's arrangement as
the library records it (中秋 25–27 Sep, 国庆 1–7 Oct with Sunday 20 Sep and Saturday 10 Oct worked;
春节 15–23 Feb with Saturdays 14 and 28 Feb worked).
"""

from __future__ import annotations

from datetime import date

import chinese_calendar
import pytest

from bot.domain.workdays import WorkdayResult, add_working_days, is_working_day


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 9, 25), False),  # Friday, 中秋
        (date(2026, 9, 20), True),  # Sunday, 调休 workday
        (date(2026, 10, 1), False),
        (date(2026, 10, 7), False),
        (date(2026, 10, 8), True),
        (date(2026, 10, 10), True),  # Saturday, 调休 workday
        (date(2026, 10, 11), False),
        (date(2026, 2, 14), True),  # Saturday before 春节, workday
        (date(2026, 2, 16), False),  # Monday in 春节
        (date(2026, 2, 28), True),  # Saturday after 春节, workday
        (date(2026, 11, 27), True),
        (date(2026, 11, 28), False),
    ],
)
def test_is_working_day_2026(day: date, working: bool) -> None:
    assert is_working_day(day) == (working, False)


def test_course_ending_before_national_day() -> None:
    # 28, 29, 30 Sep; 1–7 Oct off; 8, 9 Oct; Sat 10 Oct (调休); 12, 13, 14, 15 Oct
    assert add_working_days(date(2026, 9, 25), 10) == WorkdayResult(date(2026, 10, 15), False)


def test_plain_monday_to_friday_would_be_wrong() -> None:
    assert add_working_days(date(2026, 9, 25), 10).due != date(2026, 10, 9)


def test_makeup_saturday_counts() -> None:
    # Friday 9 Oct + 1 working day is Saturday 10 Oct, not Monday 12 Oct
    assert add_working_days(date(2026, 10, 9), 1) == WorkdayResult(date(2026, 10, 10), False)
    assert add_working_days(date(2026, 2, 13), 1) == WorkdayResult(date(2026, 2, 14), False)


def test_spring_festival() -> None:
    # Sat 14 Feb works; 15–23 off; 24 Feb is the next working day
    assert add_working_days(date(2026, 2, 14), 1).due == date(2026, 2, 24)


def test_zero_and_negative() -> None:
    assert add_working_days(date(2026, 10, 3), 0) == WorkdayResult(date(2026, 10, 3), False)
    assert add_working_days(date(2026, 10, 15), -10) == WorkdayResult(date(2026, 9, 24), False)


def test_year_without_data_keeps_the_statutory_holidays() -> None:
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(date(2031, 3, 7))
    assert is_working_day(date(2031, 3, 8)) == (False, True)  # a Saturday
    assert is_working_day(date(2031, 3, 7)) == (True, True)  # a Friday
    # Friday 7 March 2031 + 5 → Friday 14 March, estimated
    assert add_working_days(date(2031, 3, 7), 5) == WorkdayResult(date(2031, 3, 14), True, (2031,))
    # 1–3 Oct 2031 (Wednesday to Friday) are 国庆 by law even without the year's schedule
    assert add_working_days(date(2031, 9, 30), 1) == WorkdayResult(date(2031, 10, 6), True, (2031,))


def test_2027_without_a_schedule_counts_new_year_and_spring_festival_off() -> None:
    """2026-12-25 + 10 working days: 元旦 is off, so 11 January, not 8 January."""
    assert add_working_days(date(2026, 12, 25), 10) == WorkdayResult(date(2027, 1, 11), True, (2027,))
    # 春节 2027: 除夕 5 Feb (Friday) to 初三 8 Feb (Monday) are off by law
    assert add_working_days(date(2027, 2, 4), 1).due == date(2027, 2, 9)


def test_a_published_schedule_file_replaces_the_estimate(tmp_path) -> None:
    from knowledge.schedules import holiday_year

    (tmp_path / "2031.toml").write_text(
        'year = 2031\nsource = "测试（虚构）"\nholidays = [2031-10-01, 2031-10-02, 2031-10-03, 2031-10-06]\n'
        "workdays = [2031-10-11]\n", encoding="utf-8")
    schedule = holiday_year(2031, (tmp_path,))
    assert schedule is not None and date(2031, 10, 11) in schedule.workdays


def test_crossing_into_a_year_without_data_is_approximate() -> None:
    last_year = max(y for y in range(2020, 2040) if _has_data(y))
    start = date(last_year, 12, 24)
    result = add_working_days(start, 10)
    assert result.due.year == last_year + 1
    assert result.approximate


def test_within_known_data_is_exact() -> None:
    assert not add_working_days(date(2026, 3, 2), 20).approximate


def test_absurd_n_is_refused() -> None:
    with pytest.raises(ValueError):
        add_working_days(date(2026, 1, 1), 100_000)


def _has_data(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True
