"""Chinese and English time expressions → an aware datetime in Asia/Shanghai.

Why our own layer: dateparser (measured, see DESIGN.md "Dates") returns ``None`` for most everyday Chinese
(十二月二十日, 下周五, 三天后, 今晚8点 …) and is *silently wrong* on some (``12月20日`` → 2012-11-20,
``12月31日前`` → "12 months 31 days ago"). A reminder saved at the wrong time is worse than a refusal, so
Chinese never goes near dateparser. English gets the same grammar first; dateparser is only a last
fallback for English text the grammar does not know.

The pipeline is a small grammar, not a pile of special cases:

1. **normalise** – full-width ASCII → half-width, ASCII lower case. Both are 1:1 on characters, so a span
   found in the normalised text is the same span in the original, which is how ``rest`` (the reminder's
   subject) is cut out of the user's own wording.
2. **tokenise** – a table of token specs (regex + builder). Each builder turns a match into *parts*:
   a ``date`` spec, a ``clock`` (hour/minute), a ``period`` (上午/下午/晚上 …) or an ``exact`` offset
   (10分钟后). Chinese numerals go through cn2an (``两``, ``〇``, ``廿`` included).
3. **group** – adjacent tokens separated only by connectors (spaces, 的, commas, "at", "on") form one
   expression, as long as they do not set the same part twice. The best group wins (a date or clock beats a
   lone 下午), ties go to the earliest.
4. **resolve** – the date spec and the time of day are combined against the injected ``now``; the result
   is validated (impossible → past → too far).

Rules a user may meet (the bot echoes the resolved date through ``answers.time_view.format_when`` before saving, so a
surprising reading is visible):

* A date without a time of day gets ``default_time`` (09:00); a date with only a period gets that
  period's usual hour (下午 → 15:00, 晚上 → 20:00 …).
* A date without a year (12月20日, 12/20, Dec 20) is this year's if that moment is still ahead, otherwise
  next year's. Today's date with a time still ahead stays today; with the time gone it is "past" — we do
  not silently jump a whole year for a day the user obviously meant.
* Bare hours (3点, 9:30, "at 9") read like a 12-hour clock: 1–6 mean the afternoon (3点 → 15:00; say
  凌晨3点 or 03:00 for the night), 7–12 the morning. With no date, the next such moment is taken: at 10:00,
  "8点15分" is 20:15 today. A written clock "9:30" is 09:30 (tomorrow when past), "3:30" is 15:30; a leading zero
  (03:30) or an hour ≥ 13 is taken as written.
* Weekdays: ``周五`` / "friday" is the next Friday after today; it is *today* only when today is Friday and a
  time later today is given (周五下午3点 on a Friday morning). ``本周五``/``这周五`` is the Friday of the
  current Monday–Sunday week (possibly past), ``下周五`` the Friday of next week, ``下下周五`` the week
  after. "next friday" means the first Friday after today (an early reminder beats a late one).
* Day-level durations (三天后, 两周后, 一个月后, in 3 days) land on a date and take ``default_time``;
  hour/minute durations (10分钟后, 一个半小时后, in 2 hours) are exact offsets from ``now``.
* 月底/年底 are the last day of the month/year; 下周末 is next week's Saturday.
* Policy anchors (截止日, 截止前一周, 补学截止前3天, 补学开始, 网络学习开始) need the ``policy``.
* On any failure ``when`` is ``None`` and ``reason`` says why; ``matched``/``rest`` are still filled.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from bot.domain.clock import SHANGHAI
from bot.parsing.commands import strip_command
from bot.parsing.timeparse.grammar import groups, normalise, tokens
from bot.parsing.timeparse.parts import AbsDate, DayOffset, Fail, Festival, MonthDay, _Ctx, resolve

if TYPE_CHECKING:
    from knowledge.policy import Policy

__all__ = [
    "REASONS",
    "DateRead",
    "NamedDay",
    "TimeParse",
    "parse_time",
    "read_day",
    "read_past_date",
    "split_reminder",
]

REASONS = ("empty", "unrecognized", "past", "impossible_date", "too_far", "unused", "vague", "period_conflict")
MAX_AHEAD = timedelta(days=731)  # "more than ~2 years ahead" is a typo (2062年) more often than a plan


@dataclass(frozen=True)
class TimeParse:
    when: datetime | None  # aware, Asia/Shanghai
    reason: str | None  # None on success; else one of REASONS
    rest: str = ""  # the text left after removing the time expression (the reminder's subject)
    matched: str = ""  # the time expression that was recognized
    unused: str | None = None  # reason "unused": the word inside the phrase the grammar could not use
    past: datetime | None = None  # reason "past": the moment that has already gone (said back to the user)


# ---------------------------------------------------------------------------------------------- public API


def _aware(now: datetime) -> datetime:
    return now.replace(tzinfo=SHANGHAI) if now.tzinfo is None else now.astimezone(SHANGHAI)


_LATIN = re.compile(r"[a-z]")
_CJK = re.compile(r"[\u3400-\u9fff]")
_EN_TIME_HINT = re.compile(
    r"\d\s*(?:a\.?m|p\.?m)(?![a-z])|:\d\d|\b(?:noon|midnight|o'?clock|morning|evening|night|afternoon|tonight)\b"
)


def _dateparser_fallback(s: str, now: datetime, default_time: time) -> datetime | None:
    """English our grammar does not know ("next week", "in a fortnight"). Never used for Chinese.

    Imported lazily: dateparser's import and parse cost stays off the common path.
    """
    import dateparser

    settings: Any = {
        "PREFER_DATES_FROM": "future",
        "RELATIVE_BASE": now.replace(tzinfo=None),
        "TIMEZONE": "Asia/Shanghai",
        "RETURN_AS_TIMEZONE_AWARE": True,
    }
    found = dateparser.parse(s, languages=["en"], settings=settings)
    if found is None:
        return None
    found = found.astimezone(SHANGHAI)
    if not _EN_TIME_HINT.search(s):  # a date alone: dateparser keeps now's clock or midnight; we use ours
        found = datetime.combine(found.date(), default_time, SHANGHAI)
    return found


def _check(when: datetime, now: datetime) -> str | None:
    if when <= now:
        return "past"
    if when - now > MAX_AHEAD:
        return "too_far"
    return None


_EDGE_PUNCT = " \t\r\n,，.。、;；:：!！?？~～-—"


def _cut(text: str, start: int, end: int) -> str:
    left, right = text[:start].rstrip(), text[end:].lstrip()
    return _join(left, right).strip(_EDGE_PUNCT)


def _join(left: str, right: str) -> str:
    """Glue the text around a removed expression: a space between Latin words, nothing between hanzi."""
    if left and right and (_word_edge(left[-1]) or _word_edge(right[0])):
        return f"{left} {right}"
    return left + right


def _word_edge(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _parse(
    text: str, now: datetime, default_time: time, policy: Policy | None
) -> tuple[TimeParse, tuple[int, int] | None]:
    """The parse and the span of the chosen expression in ``text`` (for the subject cut)."""
    now = _aware(now)
    if not text or not text.strip():
        return TimeParse(None, "empty"), None
    s = normalise(text)
    found = groups(s, tokens(s))
    if not found:
        if _LATIN.search(s) and not _CJK.search(s):
            fallback = _dateparser_fallback(s.strip(), now, default_time)
            if fallback is not None:
                reason = _check(fallback, now)
                return TimeParse(None if reason else fallback, reason, "", text.strip()), (0, len(text))
        return TimeParse(None, "unrecognized", text.strip()), None
    best = max(found, key=lambda g: (g.parts.score(), -g.start))
    span = (best.start, best.end)
    matched = text[best.start:best.end].strip()
    rest = _cut(text, best.start, best.end)
    if best.parts.vague:
        return TimeParse(None, "vague", rest, matched, unused=best.parts.vague), span
    others = [g for g in found if g is not best and (g.parts.date or g.parts.clock or g.parts.exact
                                                     or (g.parts.period and g.end - g.start > 1))]
    if others:  # 中秋节那个下午: a second time phrase the chosen one does not include would be silently dropped
        word = text[others[0].start:others[0].end].strip()
        return TimeParse(None, "unused", rest, matched, unused=word), span
    dangling = _dangling(s, best.start, best.end)
    if dangling:  # 3点前, 每周五: a word that changes the meaning and that the grammar did not use
        return TimeParse(None, "unused", rest, matched, unused=dangling), span
    try:
        when = resolve(best.parts, now, default_time, policy)
    except Fail as fail:
        return TimeParse(None, fail.reason, rest, matched), span
    reason = _check(when, now)
    return TimeParse(None if reason else when, reason, rest, matched, past=when if reason == "past" else None), span


# Words right after or before a time phrase that change what it means; reading the phrase without them would
# be silently wrong ("3点前" is not 15:00, "每周五" is not one Friday), so the phrase is refused naming them.
_AFTER_WORDS = re.compile(r"(?:的)?(以前|以后|之前|之后|前后|左右|之间|以内|前|后|後|起|为止|到|至|或者|或|~|～)|"
                          r"\s*(until|before|after|or so|at the latest|till)(?![a-z])")
_BEFORE_WORDS = re.compile(r"(每隔|每[天日周月年晚早个]?|天天|隔|从|自|every|each|daily|before|after|until|by|from|"
                           r"between)\s*$")


def _dangling(s: str, start: int, end: int) -> str | None:
    after = _AFTER_WORDS.match(s, end)
    if after:
        return after[1] or after[2]
    before = _BEFORE_WORDS.search(s, 0, start)
    return before[1] if before else None


def parse_time(
    text: str, now: datetime, *, default_time: time = time(9, 0), policy: Policy | None = None
) -> TimeParse:
    """Find the time expression in ``text`` and resolve it against ``now`` (never the wall clock).

    ``rest`` is the text around the expression, unedited; :func:`split_reminder` also removes fillers.
    """
    return _parse(text, now, default_time, policy)[0]


_LEAD_FILLER = re.compile(
    r"^(?:请你?|麻烦你?|帮我|给我|到时候?|的时候|时候|的时|时|的|在|于|要|记得|记住|别忘了|提醒我一下|提醒一下|提醒我|提醒|"
    r"叫我|喊我|通知我|告诉我|remind\s+me\s+(?:to|about|of)|remind\s+me|please|to|about|at|on|[\s,，:：、])+",
    re.IGNORECASE,
)
_TRAIL_FILLER = re.compile(
    r"(?:请|的时候|时候|的时|在|于|的|提醒我一下|提醒一下|提醒我|叫我|喊我|通知我|吧|哦|啊|呀|哈|"
    r"remind\s+me|please|at|on|by|[\s,，.。!！~、])+$",
    re.IGNORECASE,
)


def _clean_subject(text: str) -> str:
    """Drop words that only address the bot (提醒我, 的时候, remind me to) from both ends of the subject."""
    previous = None
    while previous != text:
        previous = text
        text = _LEAD_FILLER.sub("", text)
        text = _TRAIL_FILLER.sub("", text)
    return text.strip()


def split_reminder(
    text: str, now: datetime, *, default_time: time = time(9, 0), policy: Policy | None = None
) -> TimeParse:
    """``"12月20日上午9点提醒我去会计之星选课"`` → when 2026-12-20 09:00, rest ``"去会计之星选课"``.

    The time expression may stand anywhere; a leading ``/remind`` command and fillers are removed.
    """
    body = strip_command(text or "")
    parsed, span = _parse(body, now, default_time, policy)
    if parsed.reason == "empty":
        return parsed
    left, right = (body[: span[0]], body[span[1]:]) if span else (body, "")
    left, right = _clean_subject(left), _clean_subject(right)
    rest = _clean_subject(_join(left, right))
    return TimeParse(parsed.when, parsed.reason, rest, parsed.matched)


# ---------------------------------------------------------------------------------------------- dates alone

# The date forms a command argument may carry (/add's study date, /f2f's course end). Not "12.5", which is a
# credit figure there, and nothing relative to the future.
_DATE_SPECS = frozenset({"cn_date", "iso_date", "md_date", "cn_day", "en_month_day", "en_day_month", "en_day",
                         "festival"})


@dataclass(frozen=True)
class DateRead:
    """A date found in command arguments: ``day`` (or ``reason`` why not) and the text around it."""

    day: date | None
    reason: str | None
    rest: str
    matched: str


def read_past_date(text: str, today: date) -> DateRead | None:
    """The first date phrase in ``text`` that must already have happened, or ``None`` when there is none.

    The same grammar as reminders (one date reader for the whole bot) with the opposite rolling rule: a
    month and day without a year mean the most recent such day (``12月30日`` on 2027-01-05 is 2026-12-30).
    A date still to come is ``reason="future"``; 2月30日 is ``"impossible_date"``.
    """
    s = normalise(text)
    for tok in tokens(s):
        if tok.name not in _DATE_SPECS or tok.parts.date is None or tok.parts.clock or tok.parts.exact:
            continue
        matched = text[tok.start:tok.end].strip()
        rest = _cut(text, tok.start, tok.end)
        now = datetime.combine(today, time(12, 0), SHANGHAI)
        ctx = _Ctx(now=now, policy=None, ahead=lambda d: False, explicit_time=False, past=True)
        try:
            day = tok.parts.date.resolve(ctx)
        except Fail as fail:
            return DateRead(None, fail.reason, rest, matched)
        if day > today:
            return DateRead(day, "future", rest, matched)
        return DateRead(day, None, rest, matched)
    return None


# ---------------------------------------------------------------------------------------------- a day in a question

# Words right after a day that move what is meant to the days after it ("12月31日之后还能学吗", "元旦后"), and
# before it ("过了元旦"). "前" keeps the day: "12月31日前学完" is the notice's own "须在12月31日前完成".
_AFTER_DAY = re.compile(r"\s*(?:的)?(?:之后|以后|过后|往后|后|後)|\s*(?:晚上|夜里)?\s*\d*\s*点?\s*(?:以后|之后|后)")
_BEFORE_DAY = re.compile(r"(?:过了|after)\s*$")


# Days a question names to set against a window. Not weekdays or weekends ("周末能学吗" asks whether one may study
# on weekends, not about next Saturday), nor 年底 and policy anchors ("截止"): those are the deadline itself, which
# the answer computes.
_CALENDAR_DAYS = (AbsDate, Festival, DayOffset, MonthDay)


@dataclass(frozen=True)
class NamedDay:
    """A calendar day a question names ("我6月5号才补的", "元旦后", "on December 31") and where it stands."""

    day: date
    matched: str
    after: bool  # the question means the days after it ("元旦后", "过了12月31日")


def read_day(text: str, today: date, *, past: bool = False, year: int | None = None) -> NamedDay | None:
    """The first day a question names, or ``None``: the same grammar as reminders, read as a question reads it.

    A yearless day ("6月5号", "元旦") is the next such day, or with ``past`` the latest one gone (a thing done:
    "我6月5号补的"), or with ``year`` that year's (a makeup date lies in the makeup window's year). Policy
    anchors ("截止") and weekdays are not read (see ``_CALENDAR_DAYS``). Impossible days are ``None``.
    """
    s = normalise(text)
    now = datetime.combine(today, time(0, 0), SHANGHAI)
    for tok in tokens(s):
        spec = tok.parts.date
        if not isinstance(spec, _CALENDAR_DAYS):
            continue
        if year is not None and isinstance(spec, AbsDate | Festival) and spec.year is None \
                and spec.year_off is None:
            spec = replace(spec, year=year)
        ctx = _Ctx(now=now, policy=None, ahead=lambda d: True, explicit_time=False, past=past)
        try:
            day = spec.resolve(ctx)
        except Fail:
            return None
        after = bool(_AFTER_DAY.match(s, tok.end) or _BEFORE_DAY.search(s, 0, tok.start))
        return NamedDay(day, text[tok.start:tok.end].strip(), after)
    return None
