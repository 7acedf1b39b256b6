"""How text becomes parts: normalisation, numerals, the token table and grouping.

Each token spec is a regex plus a builder that turns a match into ``Parts``; one combined regex finds the next
place any spec could start, then the longest accepted match there wins. Builders may refuse a match (return
``None``), which is how context rules ("早一点" is not one o'clock, "3天" alone is a quantity) stay local.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from bot.domain.festivals import FIXED, LUNAR, SOLAR_TERMS
from bot.parsing.numbers import EN_NUMBERS, parse_count
from bot.parsing.timeparse.parts import (
    CN_PERIODS,
    AbsDate,
    Clock,
    DateDelta,
    DayOffset,
    Festival,
    MonthDay,
    Parts,
    PolicyDate,
    Weekday,
    Weekend,
    YearEnd,
)

# ---------------------------------------------------------------------------------------------- normalise

_FULLWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FULLWIDTH[0x3000] = 0x20
_ASCII_LOWER = {code: code + 32 for code in range(ord("A"), ord("Z") + 1)}
_NORMALISE = str.maketrans({**_FULLWIDTH, **{k: v for k, v in _ASCII_LOWER.items()}})
# Full-width upper case letters must lower-case too: Ａ (FF21) → A (41) → a (61).
_NORMALISE.update({code: code - 0xFEE0 + 32 for code in range(0xFF21, 0xFF3B)})


def normalise(text: str) -> str:
    """Half-width, ASCII lower case; length-preserving so spans map back to the original text."""
    out = text.translate(_NORMALISE)
    assert len(out) == len(text)
    return out


_CN_DIGITS = "零〇一二两三四五六七八九十百千廿"
_NUMCN = f"[{_CN_DIGITS}]"
NUM = rf"(?:\d{{1,4}}|{_NUMCN}{{1,7}})"


num = parse_count  # Arabic, Chinese (cn2an smart: 两, 〇, 廿, 二〇二六) and English number words


# ---------------------------------------------------------------------------------------------- tokens

Builder = Callable[[re.Match[str], str], "Parts | None"]


@dataclass(frozen=True)
class _Spec:
    name: str
    regex: re.Pattern[str]
    build: Builder


_SPECS: list[_Spec] = []


def _token(name: str, pattern: str) -> Callable[[Builder], Builder]:
    def register(fn: Builder) -> Builder:
        _SPECS.append(_Spec(name, re.compile(pattern), fn))
        return fn

    return register


def _n(s: str | None) -> int | None:
    return None if s is None else num(s)


def _year(s: str) -> int | None:
    y = num(s)
    if y is not None and y < 100:  # 26年 → 2026
        y += 2000
    return y


_YEAR_OFF = {"今年": 0, "明年": 1, "后年": 2, "去年": -1, "前年": -2, "今": 0, "明": 1, "后": 2}

# ---- Chinese dates


@_token("cn_date", rf"(?:(?:({NUM})\s*年|(今年|明年|后年|去年|前年))\s*的?\s*)?"
        rf"({NUM})\s*月份?\s*({NUM})\s*(?:日|号|號)?(?:之前|以前|前(?!\s*{NUM}))?")
def _cn_date(m: re.Match[str], s: str) -> Parts | None:
    month, day = _n(m[3]), _n(m[4])
    if month is None or day is None:
        return None
    year = _year(m[1]) if m[1] else None
    if m[1] and year is None:
        return None
    return Parts(date=AbsDate(month, day, year, _YEAR_OFF[m[2]] if m[2] else None))


@_token("iso_date", r"(?<!\d)(\d{4})(?P<isosep>[-/.])(\d{1,2})(?P=isosep)(\d{1,2})(?!\d)")
def _iso_date(m: re.Match[str], s: str) -> Parts | None:
    return Parts(date=AbsDate(int(m[3]), int(m[4]), int(m[1])))


@_token("md_date", r"(?<![\d/.:-])(\d{1,2})[/-](\d{1,2})(?![\d/:-])")
def _md_date(m: re.Match[str], s: str) -> Parts | None:
    return Parts(date=AbsDate(int(m[1]), int(m[2])))


# "12.20" is how people write 12月20日 in a hurry (dateparser reads it as 12:20). Not before a unit, so that
# "1.5小时后" stays a duration.
@_token("dot_date", r"(?<![\d/.:-])(\d{1,2})\.(\d{1,2})(?![\d/.:-])"
        r"(?!\s*(?:个|小时|钟头|分|天|日|周|星期|礼拜|月|年|h|hours?|mins?|minutes?|days?|weeks?))")
def _dot_date(m: re.Match[str], s: str) -> Parts | None:
    return Parts(date=AbsDate(int(m[1]), int(m[2])))


# Festivals, lunar ones included (bot.domain.festivals computes the dates), with an optional year before them.
_FESTIVAL_NAMES = sorted({*FIXED, *LUNAR, *SOLAR_TERMS, "除夕夜", "元宵夜", "中秋夜", "七夕夜"}, key=len, reverse=True)
_FESTIVAL_ALT = "|".join(re.escape(n) for n in _FESTIVAL_NAMES)


@_token("festival", rf"(?:(?:({NUM})\s*年|(今年|明年|后年|去年))\s*的?\s*)?(?<![a-z])({_FESTIVAL_ALT})(?![a-z])")
def _festival(m: re.Match[str], s: str) -> Parts | None:
    year = _year(m[1]) if m[1] else None
    if m[1] and year is None:
        return None
    name, period = m[3], None
    if name.endswith("夜") and name[:-1] in LUNAR:  # 除夕夜: that festival's evening
        name, period = name[:-1], "evening"
    return Parts(date=Festival(name, year, _YEAR_OFF[m[2]] if m[2] else None), period=period)


# X前一天 / X后两天 / X的前3天 / the day before X: a shift of the date phrase just before it.
@_token("day_shift", rf"(?:之|以)?(前|后|後)\s*({NUM})\s*(?:个|個)?\s*(天|日|周|星期|礼拜)(?![后後前])")
def _day_shift(m: re.Match[str], s: str) -> Parts | None:
    n = _n(m[2])
    if n is None:
        return None
    n *= 1 if m[3] in ("天", "日") else 7
    return Parts(shift=-n if m[1] == "前" else n)


@_token("en_day_shift", r"(?<![a-z])(?:the\s+)?(day|\d+\s+days?|two\s+days|three\s+days)\s+(before|after)(?![a-z])")
def _en_day_shift(m: re.Match[str], s: str) -> Parts | None:
    word = m[1].split()[0]
    n = 1 if word == "day" else int(word) if word.isdigit() else _EN_NUMBERS.get(word)
    if n is None:
        return None
    return Parts(shift=-n if m[2] == "before" else n)


# Words that name a stretch of time, not a day: refused with the word itself rather than read without it.
@_token("vague", r"(?:(?:本|这个?|下下?个?|上个?|\d{1,2}|[一二三四五六七八九十]{1,2})月(?:的)?)?[上中下]旬|月中|"
        r"年前|年后|年後|节前|节后|年初|年中|上半年|下半年|"
        r"(?<![a-z])(?:mid-?month|early|late|sometime|around)(?![a-z])")
def _vague(m: re.Match[str], s: str) -> Parts | None:
    return Parts(vague=m[0])


_MONTH_OFF = {
    "本": 0, "这": 0, "这个": 0, "当": 0, "下": 1, "下个": 1, "下下": 2, "下下个": 2, "上": -1, "上个": -1,
}


@_token("cn_month_day", rf"(?:(本|这个?|当|下下个?|下个?|上个?)月\s*)?({NUM})\s*(?:号|號|日)"
        r"(?![楼樓线線门房室窗柜座号後后])")
def _cn_month_day(m: re.Match[str], s: str) -> Parts | None:
    day = _n(m[2])
    if day is None:
        return None
    return Parts(date=MonthDay(day, _MONTH_OFF[m[1]] if m[1] else None))


@_token("cn_month_edge", rf"(?:({NUM})|(本|这个?|当|下下个?|下个?))?月份?(?:的)?月?(底|末|初)")
def _cn_month_edge(m: re.Match[str], s: str) -> Parts | None:
    edge = "start" if m[3] == "初" else "end"
    if m[1]:
        month = _n(m[1])
        return None if month is None else Parts(date=MonthDay(edge, month=month))
    if m[2]:
        return Parts(date=MonthDay(edge, _MONTH_OFF[m[2]]))
    return Parts(date=MonthDay(edge))


@_token("cn_month_last", rf"(?:({NUM})\s*月|(本|这个?|当|下下个?|下个?|上个?)月|月)\s*(?:的)?\s*最后一天")
def _cn_month_last(m: re.Match[str], s: str) -> Parts | None:
    if m[1]:
        month = _n(m[1])
        return None if month is None else Parts(date=MonthDay("end", month=month))
    if m[2]:
        return Parts(date=MonthDay("end", _MONTH_OFF[m[2]]))
    return Parts(date=MonthDay("end"))


@_token("cn_year_last", rf"(?:({NUM})\s*年|(今|明|后)年|年)\s*(?:的)?\s*最后一天")
def _cn_year_last(m: re.Match[str], s: str) -> Parts | None:
    if m[1]:
        year = _year(m[1])
        return None if year is None else Parts(date=YearEnd(year=year))
    if m[2]:
        return Parts(date=YearEnd(year_off=_YEAR_OFF[m[2]]))
    return Parts(date=YearEnd())


@_token("cn_year_end", rf"(?:({NUM})|(今|明|后))年\s*年?(?:底|末)")
def _cn_year_end(m: re.Match[str], s: str) -> Parts | None:
    if m[1]:
        year = _year(m[1])
        return None if year is None else Parts(date=YearEnd(year=year))
    return Parts(date=YearEnd(year_off=_YEAR_OFF[m[2]]))


@_token("cn_year_end_bare", r"年(?:底|末)")
def _cn_year_end_bare(m: re.Match[str], s: str) -> Parts | None:
    return Parts(date=YearEnd())


_CN_DAYS: dict[str, tuple[int, str | None]] = {
    "今天": (0, None), "今日": (0, None), "今儿": (0, None), "明天": (1, None), "明日": (1, None),
    "明儿": (1, None), "后天": (2, None), "大后天": (3, None), "大大后天": (4, None), "昨天": (-1, None),
    "昨日": (-1, None), "前天": (-2, None), "大前天": (-3, None),
    "今晚": (0, "evening"), "今夜": (0, "night"), "今早": (0, "morning"),
    "明早": (1, "morning"), "明晚": (1, "evening"), "昨晚": (-1, "evening"),
}


@_token("cn_day", "|".join(sorted(_CN_DAYS, key=len, reverse=True)))
def _cn_day(m: re.Match[str], s: str) -> Parts | None:
    days, period = _CN_DAYS[m[0]]
    return Parts(date=DayOffset(days), period=period)


_CN_WEEKDAY = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6,
               "1": 0, "2": 1, "3": 2, "4": 3, "5": 4, "6": 5, "7": 6}
_WEEK_PREFIX: dict[str, tuple[str, int]] = {
    "本": ("this", 0), "这": ("this", 0), "下": ("this", 1), "下下": ("this", 2), "上": ("this", -1),
    "上上": ("this", -2),
}


@_token("cn_weekday", r"(上上|上|本|这|下下|下)?个?(?:周|星期|礼拜|週|禮拜)"
        r"(?:([一二三四五六日天])|([1-7])(?!\d))")
def _cn_weekday(m: re.Match[str], s: str) -> Parts | None:
    mode, week = _WEEK_PREFIX[m[1]] if m[1] else ("bare", 0)
    return Parts(date=Weekday(_CN_WEEKDAY[m[2] or m[3]], mode, week))


@_token("cn_weekend", r"(上|本|这|下下|下)?个?(?:周末|週末)")
def _cn_weekend(m: re.Match[str], s: str) -> Parts | None:
    week = _WEEK_PREFIX[m[1]][1] if m[1] else 0
    return Parts(date=Weekend(week))


_UNIT_PART = (rf"(?:(\d{{1,3}}\.\d{{1,2}}|{NUM})\s*(个|個)?\s*(半)?|(半)\s*(个|個)?)\s*"
              r"(小时|小時|钟头|鐘頭|分钟|分鐘|分|天|日|周|星期|礼拜|月|年)")
_UNIT_PART_RE = re.compile(_UNIT_PART)


@_token("cn_duration", rf"(?<![\d.])(再?过\s*)?(?:{_UNIT_PART}\s*)+(以后|之后|过后|后|以後|之後|後|以前|之前|前)?")
def _cn_duration(m: re.Match[str], s: str) -> Parts | None:
    suffix = m[m.re.groups]
    if not (m[1] or suffix):  # "3天" alone is a quantity; 3天后 / 再过3天 is a time
        return None
    parts = _cn_duration_parts(m)
    if parts is not None and suffix and suffix.endswith("前"):  # 3天前: a moment already gone
        return _negate(parts)
    return parts


def _negate(parts: Parts) -> Parts:
    if parts.exact is not None:
        return Parts(exact=-parts.exact)
    if isinstance(parts.date, DateDelta):
        return Parts(date=DateDelta(-parts.date.days, -parts.date.months))
    return parts


def _cn_duration_parts(m: re.Match[str]) -> Parts | None:
    minutes = days = months = 0
    exact = False
    for part in _UNIT_PART_RE.finditer(m[0]):
        num_s, ge, half, half_only, ge2, unit = part.groups()
        if half_only:
            n, halves = 0, True
        elif num_s and "." in num_s:  # 1.5小时后: decimals only make sense for hours
            if unit not in ("小时", "小時", "钟头", "鐘頭") or half:
                return None
            minutes += round(float(num_s) * 60)
            exact = True
            continue
        else:
            value = _n(num_s)
            if value is None:
                return None
            n, halves = value, bool(half)
        has_ge = bool(ge or ge2)
        if unit == "月" and not has_ge:  # 3月后 is "after March", not a duration
            return None
        if unit in ("小时", "小時", "钟头", "鐘頭"):
            minutes += n * 60 + (30 if halves else 0)
            exact = True
        elif unit in ("分钟", "分鐘", "分"):
            if halves:
                return None
            minutes += n
            exact = True
        elif halves and unit == "月":
            months += n
            days += 15
        elif halves:
            return None
        elif unit in ("天", "日"):
            days += n
        elif unit in ("周", "星期", "礼拜"):
            days += 7 * n
        elif unit == "月":
            months += n
        else:  # 年
            months += 12 * n
    if exact:
        if months:
            return None
        return Parts(exact=timedelta(days=days, minutes=minutes))
    return Parts(date=DateDelta(days, months))


_POLICY_SUBJECT = {
    None: "deadline", "学习": "deadline", "继续教育": "deadline", "补学": "makeup", "补修": "makeup",
    "网络学习": "online", "网上学习": "online", "网络培训": "online", "在线学习": "online",
}


@_token("cn_policy", r"(补学|补修|网络学习|网上学习|网络培训|在线学习|继续教育|学习)?的?"
        rf"(截止|截至|结束|开始)(?:日期|日|时间|当天|那天)?(?:\s*(前|后)\s*({NUM})?\s*(?:个|個)?\s*(天|日|周|星期|礼拜|月))?")
def _cn_policy(m: re.Match[str], s: str) -> Parts | None:
    subject = _POLICY_SUBJECT[m[1]]
    verb = m[2]
    if subject == "deadline":
        if verb == "开始":
            if m[1] is None:
                return None  # a bare 开始 is too vague to be a date
            anchor = "study_start"
        elif verb == "结束" and m[1] is None:
            return None
        else:
            anchor = "deadline"
    else:
        anchor = f"{subject}_{'start' if verb == '开始' else 'end'}"
    days = months = 0
    if m[3]:
        n = _n(m[4]) if m[4] else 1
        if n is None:
            return None
        sign = -1 if m[3] == "前" else 1
        unit = m[5]
        if unit in ("天", "日"):
            days = sign * n
        elif unit == "月":
            months = sign * n
        else:
            days = sign * 7 * n
    return Parts(date=PolicyDate(anchor, days, months))


# ---- Chinese times of day

_CN_PERIOD_RE = "|".join(sorted((p for p in CN_PERIODS if len(p) > 1), key=len, reverse=True))


@_token("cn_period", rf"(?:{_CN_PERIOD_RE})|[早晚](?=\s*{NUM}\s*(?:点|點|时|時|:))")
def _cn_period(m: re.Match[str], s: str) -> Parts | None:
    return Parts(period=CN_PERIODS[m[0]])


@_token("cn_clock", rf"({NUM})\s*(?:点钟|點鐘|点|點|时|時)(?:\s*(?:(半)|(一刻|1刻)|(三刻|3刻)|(整)"
        rf"|过?({NUM})\s*分钟?|(\d{{2}})(?!\d)|({_NUMCN}{{2,4}})))?")
def _cn_clock(m: re.Match[str], s: str) -> Parts | None:
    hour = _n(m[1])
    if hour is None:
        return None
    if m[1] in ("一", "两") and m.start() > 0 and s[m.start() - 1] in "早快慢多少差有些":
        return None  # 早一点 / 快一点 mean "a bit earlier", not one o'clock
    minute = 0
    if m[2]:
        minute = 30
    elif m[3]:
        minute = 15
    elif m[4]:
        minute = 45
    elif m[6] or m[7] or m[8]:
        value = _n(m[6] or m[7] or m[8])
        if value is None:
            return None
        minute = value
    exact = hour == 0 or hour >= 13
    return Parts(clock=Clock(hour, minute, exact=exact))


@_token("colon_clock", r"(?:(?<![a-z])at\s+)?(?<![\d:./-])(\d{1,2}):(\d{2})(?![\d:])"
        r"(?:\s*(a\.?m\.?|p\.?m\.?)(?![a-z]))?")
def _colon_clock(m: re.Match[str], s: str) -> Parts | None:
    hour, minute = int(m[1]), int(m[2])
    ampm = ("am" if m[3].startswith("a") else "pm") if m[3] else None
    # A written clock reading is 24-hour from 7 on ("9:30" is 09:30, tomorrow if already past), while 1–6
    # ("3:30") reads like 3点, the afternoon: nobody books a reminder for 03:30 by writing "3:30".
    exact = hour == 0 or hour >= 7 or m[1].startswith("0")
    return Parts(clock=Clock(hour, minute, exact=exact, ampm=ampm))


# ---- English

_EN_NUMBERS = EN_NUMBERS
_EN_NUM = r"(?:\d{1,4}|" + "|".join(sorted(_EN_NUMBERS, key=len, reverse=True)) + ")"
_EN_UNIT = r"(?:minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)"


@_token("en_ampm", r"(?:(?<![a-z])at\s+)?(?<![\d:.])(\d{1,2})(?:[:.](\d{2}))?\s*(a\.?m\.?|p\.?m\.?)(?![a-z])")
def _en_ampm(m: re.Match[str], s: str) -> Parts | None:
    return Parts(clock=Clock(int(m[1]), int(m[2] or 0), ampm="am" if m[3].startswith("a") else "pm"))


@_token("en_at", r"(?<![a-z])at\s+(\d{1,2})(?![\d:.a-z])(?:\s*o'?clock)?")
def _en_at(m: re.Match[str], s: str) -> Parts | None:
    hour = int(m[1])
    return Parts(clock=Clock(hour, 0, exact=hour == 0 or hour >= 13 or m[1].startswith("0")))


@_token("en_noon", r"(?<![a-z])(?:at\s+)?(noon|midday|midnight)(?![a-z])")
def _en_noon(m: re.Match[str], s: str) -> Parts | None:
    if m[1] == "midnight":
        return Parts(clock=Clock(0, 0, exact=True, shift=1))
    return Parts(clock=Clock(12, 0, exact=True))


_EN_PERIODS = {"morning": "morning", "afternoon": "afternoon", "evening": "evening", "night": "night"}


@_token("en_period", r"(?<![a-z])(?:in\s+the\s+|this\s+)?(morning|afternoon|evening|night)(?![a-z])")
def _en_period(m: re.Match[str], s: str) -> Parts | None:
    return Parts(period=_EN_PERIODS[m[1]])


_EN_DAYS: dict[str, tuple[int, str | None]] = {
    "today": (0, None), "tonight": (0, "evening"), "tomorrow": (1, None), "tmrw": (1, None), "tmr": (1, None),
    "the day after tomorrow": (2, None), "day after tomorrow": (2, None), "yesterday": (-1, None),
}


@_token("en_day", r"(?<![a-z])(" + "|".join(sorted(_EN_DAYS, key=len, reverse=True)) + r")(?![a-z])")
def _en_day(m: re.Match[str], s: str) -> Parts | None:
    days, period = _EN_DAYS[m[1]]
    return Parts(date=DayOffset(days), period=period)


_EN_MONTHS = (r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
              r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
_MONTH_INDEX = {k: i for i, k in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}


@_token("en_month_day", rf"(?<![a-z]){_EN_MONTHS}(?![a-z])\.?\s*(\d{{1,2}})(?:st|nd|rd|th)?(?![\d:a-z])"
        r"(?:,?\s*(\d{4})(?!\d))?")
def _en_month_day(m: re.Match[str], s: str) -> Parts | None:
    return Parts(date=AbsDate(_MONTH_INDEX[m[1][:3]], int(m[2]), int(m[3]) if m[3] else None))


@_token("en_day_month", rf"(?<![\d:.])(\d{{1,2}})(?:st|nd|rd|th)?\s*(?:of\s+)?{_EN_MONTHS}(?![a-z])\.?"
        r"(?:,?\s*(\d{4})(?!\d))?")
def _en_day_month(m: re.Match[str], s: str) -> Parts | None:
    return Parts(date=AbsDate(_MONTH_INDEX[m[2][:3]], int(m[1]), int(m[3]) if m[3] else None))


@_token("en_end_of", rf"(?<![a-z])(?:(?:the\s+)?end|(?:the\s+)?last\s+day)\s+of\s+(?:(this|next|the)\s+)?"
        rf"(month|year|{_EN_MONTHS})(?![a-z])")
def _en_end_of(m: re.Match[str], s: str) -> Parts | None:
    which, unit = m[1], m[2]
    if unit == "year":
        return Parts(date=YearEnd(year_off=1 if which == "next" else None))
    if unit == "month":
        return Parts(date=MonthDay("end", 1 if which == "next" else 0 if which == "this" else None))
    return Parts(date=MonthDay("end", month=_MONTH_INDEX[unit[:3]]))


_EN_WEEKDAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
_EN_WD_FULL = r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_EN_WD_ABBR = r"(mon|tues?|wed|thur?s?|fri|sat|sun)"


def _en_weekday_parts(prefix: str | None, name: str) -> Parts:
    mode = "next" if prefix in ("next", "coming") else "last" if prefix == "last" else "bare"
    return Parts(date=Weekday(_EN_WEEKDAYS[name[:3]], mode))


@_token("en_weekday", rf"(?<![a-z])(?:(this|next|coming|last|on)\s+)?{_EN_WD_FULL}(?![a-z])")
def _en_weekday(m: re.Match[str], s: str) -> Parts | None:
    return _en_weekday_parts(m[1], m[2])


# Abbreviations (sun, sat, wed) are ordinary words too: only with a prefix or right before a time.
@_token("en_weekday_abbr", rf"(?<![a-z])(?:(this|next|coming|last|on)\s+{_EN_WD_ABBR}\.?(?![a-z])"
        rf"|{_EN_WD_ABBR}\.?(?=\s*(?:at\s+)?\d))")
def _en_weekday_abbr(m: re.Match[str], s: str) -> Parts | None:
    return _en_weekday_parts(m[1], m[2] or m[3])


_EN_DUR_PART = re.compile(rf"(half\s+an?|a\s+half|{_EN_NUM})\s*({_EN_UNIT})")


@_token("en_duration", rf"(?<![a-z])(?:in\s+(?:(?:half\s+an?|{_EN_NUM})\s*{_EN_UNIT}(?:\s*(?:and\s+)?)?)+"
        rf"|(?:(?:{_EN_NUM})\s*{_EN_UNIT}\s*)+(?:later|from\s+now|ago))(?![a-z])")
def _en_duration(m: re.Match[str], s: str) -> Parts | None:
    parts = _en_duration_parts(m)
    return _negate(parts) if parts is not None and m[0].endswith("ago") else parts


def _en_duration_parts(m: re.Match[str]) -> Parts | None:
    minutes = days = months = 0
    exact = False
    for part in _EN_DUR_PART.finditer(m[0]):
        amount, unit = part[1], part[2]
        if amount.startswith(("half", "a half")):
            if not unit.startswith("h"):
                return None
            minutes += 30
            exact = True
            continue
        n2 = int(amount) if amount.isdigit() else _EN_NUMBERS[amount]
        if unit.startswith("min"):
            minutes += n2
            exact = True
        elif unit.startswith("h"):
            minutes += 60 * n2
            exact = True
        elif unit.startswith("d"):
            days += n2
        elif unit.startswith("w"):
            days += 7 * n2
        elif unit.startswith("mo"):
            months += n2
        else:
            months += 12 * n2
    if exact:
        if months:
            return None
        return Parts(exact=timedelta(days=days, minutes=minutes))
    return Parts(date=DateDelta(days, months))


_SCAN = re.compile("|".join(f"(?:{spec.regex.pattern})" for spec in _SPECS))
_CONNECTOR = re.compile(r"(?:\s|[,、的]|当天|那天|当日|这天|那日|at(?![a-z])|on(?![a-z])|the(?![a-z])|t)*")


@dataclass
class Token:
    start: int
    end: int
    parts: Parts
    name: str = ""  # the spec that read it (``cn_date``, ``iso_date`` …)


@dataclass
class Group:
    start: int
    end: int
    parts: Parts = field(default_factory=Parts)


def tokens(s: str) -> list[Token]:
    """Scan left to right; at each place where some spec matches, keep the longest accepted match."""
    out: list[Token] = []
    pos = 0
    while True:
        hit = _SCAN.search(s, pos)
        if hit is None:
            break
        start = hit.start()
        best: Token | None = None
        for spec in _SPECS:
            m = spec.regex.match(s, start)
            if m is None or m.end() <= start or (best is not None and m.end() <= best.end):
                continue
            parts = spec.build(m, s)
            if parts is not None:
                best = Token(start, m.end(), parts, spec.name)
        if best is None:
            pos = start + 1
            continue
        # trim trailing whitespace a pattern may have swallowed, so ``rest`` keeps its own spacing
        end = best.end
        while end > best.start and s[end - 1].isspace():
            end -= 1
        best.end = end
        out.append(best)
        pos = end
    return out


def groups(s: str, tokens: list[Token]) -> list[Group]:
    groups: list[Group] = []
    current: Group | None = None
    for tok in tokens:
        if current is not None and _CONNECTOR.fullmatch(s, current.end, tok.start) and \
                current.parts.merge(tok.parts):
            current.end = tok.end
            continue
        current = Group(tok.start, tok.end, Parts())
        current.parts.merge(tok.parts)
        groups.append(current)
    return groups


