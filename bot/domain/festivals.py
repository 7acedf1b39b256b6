"""Festival dates, lunar ones included, for time expressions and for statutory holidays.

Why a library: 春节, 端午 and 中秋 follow the Chinese lunisolar calendar and 清明 a solar term; computing them
by hand is exactly the kind of code that is right for years and then wrong. ``lunar_python`` (a kept,
table-driven implementation of the calendar) converts lunar dates and gives the solar terms.

A festival "in year Y" is its occurrence whose Gregorian date falls in Y: 除夕 of the lunar year that ends
in early 2027 is 2027-02-05; 腊八 can fall on either side of 1 January, so both lunar years are tried.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from lunar_python import Lunar, Solar

__all__ = ["FIXED", "LUNAR", "festival_dates"]

# Gregorian fixed-date festivals: name → (month, day).
FIXED: dict[str, tuple[int, int]] = {
    "元旦": (1, 1), "新年": (1, 1), "情人节": (2, 14), "妇女节": (3, 8), "植树节": (3, 12), "劳动节": (5, 1),
    "五一": (5, 1), "青年节": (5, 4), "儿童节": (6, 1), "六一": (6, 1), "建党节": (7, 1), "建军节": (8, 1),
    "教师节": (9, 10), "国庆节": (10, 1), "国庆": (10, 1), "平安夜": (12, 24), "圣诞节": (12, 25),
    "圣诞": (12, 25),
    "new year's day": (1, 1), "new year": (1, 1), "new year's eve": (12, 31), "christmas eve": (12, 24),
    "christmas day": (12, 25),
    "christmas": (12, 25), "xmas": (12, 25), "valentine's day": (2, 14), "labour day": (5, 1),
    "labor day": (5, 1), "national day": (10, 1),
}
# Lunar festivals: name → (lunar month, lunar day); day 0 means the last day of that month (除夕).
LUNAR: dict[str, tuple[int, int]] = {
    "春节": (1, 1), "大年初一": (1, 1), "正月初一": (1, 1), "大年初二": (1, 2), "正月初二": (1, 2),
    "大年初三": (1, 3), "正月初三": (1, 3),
    "破五": (1, 5), "元宵节": (1, 15), "元宵": (1, 15), "正月十五": (1, 15), "龙抬头": (2, 2), "端午节": (5, 5),
    "端午": (5, 5), "七夕节": (7, 7), "七夕": (7, 7), "中元节": (7, 15), "中秋节": (8, 15), "中秋": (8, 15),
    "重阳节": (9, 9), "重阳": (9, 9), "腊八节": (12, 8), "腊八": (12, 8), "小年": (12, 23), "除夕": (12, 0),
    "大年三十": (12, 0), "年三十": (12, 0),
    "chinese new year": (1, 1), "spring festival": (1, 1), "lunar new year": (1, 1),
    "lantern festival": (1, 15), "dragon boat festival": (5, 5), "mid-autumn festival": (8, 15),
    "mid autumn festival": (8, 15), "chinese new year's eve": (12, 0),
}
# Solar-term festivals: name → the term's Chinese name in lunar_python's table.
SOLAR_TERMS: dict[str, str] = {"清明节": "清明", "清明": "清明", "冬至": "冬至", "qingming": "清明",
                               "tomb-sweeping day": "清明", "tomb sweeping day": "清明"}


def _lunar_to_solar(lunar_year: int, month: int, day: int) -> date:
    if day == 0:  # the last day of the lunar year's 12th month: the day before next year's 正月初一
        s = Lunar.fromYmd(lunar_year + 1, 1, 1).next(-1).getSolar()
    else:
        s = Lunar.fromYmd(lunar_year, month, day).getSolar()
    return date(s.getYear(), s.getMonth(), s.getDay())


@lru_cache(maxsize=512)
def festival_dates(name: str, year: int) -> tuple[date, ...]:
    """Every date of festival ``name`` in Gregorian ``year`` (usually one; none if unknown)."""
    key = name.lower()
    if key in FIXED:
        month, day = FIXED[key]
        return (date(year, month, day),)
    if key in SOLAR_TERMS:
        # The table of a lunar year spans two Gregorian years and names the later 冬至 "DONG_ZHI".
        table = Solar.fromYmd(year, 6, 1).getLunar().getJieQiTable()
        term = SOLAR_TERMS[key]
        found = {date(s.getYear(), s.getMonth(), s.getDay())
                 for k, s in table.items() if k == term or (term == "冬至" and k == "DONG_ZHI")}
        return tuple(sorted(d for d in found if d.year == year))
    if key in LUNAR:
        month, day = LUNAR[key]
        out = {_lunar_to_solar(ly, month, day) for ly in (year - 1, year)}
        return tuple(sorted(d for d in out if d.year == year))
    return ()
