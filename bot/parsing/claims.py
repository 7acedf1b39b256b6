"""Reading a claim a user repeats to have it checked ("听说今年只要修60学分就够了", "同事说学分可以留到明年用，
是真的吗", "I heard only 60 credits are needed this year, right?").

A claim is told by its frame, not its matter: a hearsay lead (听说, 有人说, 同事说, 网上说, 据说, I heard, someone
said, is it true that) or a check-me tail (是真的吗, 对吗, 是不是, right?, is that true?). What is left is the
claimed statement, which the answer path reads like a question, and from which the figures and dates it asserts
are taken, each with what it is a figure of (the yearly total, the professional part, a deadline, a window's
opening). Pure functions over cleaned text; whether the claim is right is decided in ``bot.answers.claims``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from knowledge.text import WH_EN, WH_ZH, clean, is_yes_no

_LEAD_ZH = re.compile(
    r"^(?:我|之前|以前|刚|刚才|最近)?(?:也)?(?:听说|听(?:人|别人|同事|朋友|群里|领导|老师)(?:说|讲)|据说|据传|传言(?:说)?|"
    r"(?:群里|网上|朋友圈|单位|公司)?(?:有人|别人|同事|朋友|领导|老师|大家|人家|机构|群里|网上)(?:都|也)?(?:在)?"
    r"(?:说|讲|传|告诉我)|"
    r"(?:在)?(?:网上|群里|朋友圈)(?:看到|看见)(?:有人说|说)?|(?:看|看到|看见)(?:(?:网上|群里|朋友圈)(?:有人|别人)?|有人|别人)说)"
    r"(?:了)?[,，:：\s]*")
# Who said it, as English names a source: "my friend", "our finance manager", "a colleague of mine", "the trainer",
# "people in my WeChat group", "a website".
_SOURCE_EN = (r"(?:(?:a|an|my|our|the|one|some|other)\s+)?(?:[a-z'-]+\s+){0,2}?"
              r"(?:colleagues?|co-?workers?|friends?|boss|manager|teachers?|leaders?|supervisors?|classmates?|directors?|"
              r"accountants?|cfo|hr|trainers?|instructors?|people|persons?|guys?|someone|somebody|everyone|everybody|"
              r"they|group|website|site|article|post|agency)"
              # "someone in my WeChat group", "a guy from the training centre", "people at work"
              r"(?:\s+(?:of mine|online|here|(?:in|from|at|on)\s+(?:[a-z'-]+\s+){0,3}?[a-z'-]+))?")
# Someone else's words anywhere in a message ("…要多少分？我看网上有人说公需30专业60"): figures inside are what was
# said, not the sender's own credits (bot.parsing.credit_parse blanks that clause before reading the figures).
HEARSAY = re.compile(r"听说|听人说|听别人说|据说|据传|传言|"
                     r"(?:有人|别人|同事|朋友|领导|主管|科长|老师|大家|人家|机构|网上|群里)"
                     r"(?:都|也)?(?:在)?(?:说|讲|传)|\bi(?:'ve| have)? heard\b|\bi was told\b|"
                     rf"\b{_SOURCE_EN}\s+(?:said|says?|told me)\b", re.IGNORECASE)
_LEAD_EN = re.compile(
    r"^(?:i(?:'ve| have)? (?:heard|read|seen)(?: (?:online|somewhere|on the internet|on wechat|in a group))?|"
    r"i was told|i saw (?:online|on the internet|on wechat|in a group|somewhere)|word is|rumou?r (?:is|has it)|"
    rf"apparently|{_SOURCE_EN}\s+(?:said|says?|told me|tells me|mentioned|claims?|claimed|reckons?|thinks?)|"
    r"is it true|is this true|is that true)(?: that)?[,:\s]+", re.IGNORECASE)
_TAIL_ZH = re.compile(r"[,，\s]*(?:这|这个|这话)?(?:是真的吗|真的吗|是不是真的|是真是假|真的假的|对吗|对不对|对么|"
                      r"是这样吗|是吗|是不是|靠谱吗|准吗|有没有这(?:个|种|样的)?(?:规定|要求|说法)|"
                      r"有这(?:个|种|样的)?(?:规定|要求|说法)吗)[?？!！。.\s]*$")
_TAIL_EN = re.compile(r"[,\s]+(?:right|true|correct|really|is (?:that|it|this) (?:true|right|correct|so|the case)|"
                      r"am i right|true or (?:not|false)|isn't it|aren't they)\s*[?.!]*\s*$", re.IGNORECASE)
# "难道学分还能结转到明年？": the rhetorical question doubts the claim it states.
_DOUBT_ZH = re.compile(r"^难道(?:说)?")
_END = re.compile(r"[?？!！。.\s]+$")

# A claimed credit figure ("60学分", "72分", "only 60 credits") and what it is a figure of.
_CREDITS = re.compile(r"(?<!\d)(\d{1,3})\s*(?:个)?\s*"
                      r"(?:(?:of\s+)?(?:the\s+)?(?:professional|public|specialized|general)?\s*)"
                      r"(?:学分|分(?!钟|之)|credits?\b|points?\b)", re.IGNORECASE)
_HOURS = re.compile(r"\d+\s*(?:个)?\s*(?:学时|课时|小时|hours?\b)", re.IGNORECASE)
_PROFESSIONAL = re.compile(r"专业|professional|specialized|specialised", re.IGNORECASE)
_PUBLIC = re.compile(r"公需|public|general", re.IGNORECASE)
# The figure is what one must reach in a year, not what someone earned or an activity converts to.
_REQUIRED = re.compile(r"每年|今年|一年|全年|总共|总|只要|只需|就够|就行|就可以|够|修满|学满|学够|要学|要修|需要|至少|"
                       r"不少于|必须|\brequired\b|\bneeded\b|\bneed\b|\bmust\b|at least|a year|per year|each year|"
                       r"every year|this year|\bonly\b|最少|最低|起码|\bminimum\b", re.IGNORECASE)
_NOT_A_REQUIREMENT = re.compile(r"学了|修了|已经|有了|拿了|考过|考试|考中|论文|课题|会议|面授|学历|抵|折|换算|"
                                r"\bearned\b|\bgot\b|\bhave\b|\bexam\b|\bpaper\b|\bconference\b|convert|worth",
                                re.IGNORECASE)

_MONTHS_EN = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
              "november", "december")
_DATE_ZH = re.compile(r"(?<!\d)(\d{1,2})\s*月\s*(?:(\d{1,2})\s*[日号]|(底|末))?")
# Months as written, abbreviations too ("30 Nov", "Dec. 31", "sept 1"); a name is a whole word ("jun" is not "junior").
_MONTH_EN = r"\b(?:" + "|".join(_MONTHS_EN) + r"|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\b\.?"
_DATE_EN = re.compile(r"(?:(?P<end>end of)\s+)?(?P<month>" + _MONTH_EN + r")(?:\s+(?P<day>\d{1,2})\b)?|"
                      r"(?P<day2>\d{1,2})\s+(?P<month2>" + _MONTH_EN + r")|"
                      r"(?P<year_end>\bend of (?:the |this )?year\b|\byear[- ]end\b)", re.IGNORECASE)
# What the claimed date is said to be: a closing day or an opening day (a month with 以后/还能 is neither).
_CLOSES = re.compile(r"截止|截至|结束|关闭|为止|之前|以前|前完成|到期|deadline|\bclos(?:es?|ing)\b|\bends?\b|"
                     r"until|\bdue\b|\bby\b|\bbefore\b", re.IGNORECASE)
_OPENS = re.compile(r"开始|开放|开通|起|\bopens?\b|\bstarts?\b|\bbegins?\b", re.IGNORECASE)
_STILL = re.compile(r"以后|之后|还能|还可以|还|after|still|later", re.IGNORECASE)

# A judgment ("交费很贵", "课很难", "it's expensive"): the notice settles rules, not opinions.
_OPINION = re.compile(r"[很太挺真超特别非常好]?(?:贵|便宜|难|麻烦|简单|容易|坑|水|没用|有用|划算)(?!道)|"
                      r"\b(?:expensive|cheap|difficult|easy|hard|useless|a waste|a scam)\b", re.IGNORECASE)
# A year whose credits the claim says can (or cannot) be made up ("2023年的也能补学", "make up 2026 credits").
_MAKEUP = re.compile(r"补学|补修|补|(?:make|made|making) (?:it |them )?up|makeup|make-up|supplement", re.IGNORECASE)
_YEAR = re.compile(r"(?<!\d)(20\d{2})(?!\d)")

Event = Literal["closes", "opens"]


@dataclass(frozen=True, slots=True)
class ClaimedDate:
    month: int
    day: int | None  # None: the month only ("6月"), or its end when ``month_end``
    month_end: bool
    event: Event


@dataclass(frozen=True, slots=True)
class Claim:
    """A claim to check: the statement as claimed, its figures and dates, and whether it is put as doubted."""

    statement: str
    # (what it is a figure of: "total" | "professional", the figure); only when the claim states exactly one.
    credits: tuple[str, int] | None
    date: ClaimedDate | None
    # The claim names a credit figure it does not pin to a yearly requirement (several, a conversion, earned).
    other_figure: bool = False
    opinion: bool = False
    # The years whose credits the claim says can be made up (empty: it names none, or is not about makeup).
    makeup_years: tuple[int, ...] = ()
    # The yearly requirement claimed in class hours ("今年要学满90学时"): the notice counts credits, not hours.
    hours_required: bool = False


def read_claim(text: str) -> Claim | None:
    """The claim ``text`` repeats to be checked, or ``None`` when the text is not framed as a claim (a plain
    question, "每年要多少学分", is answered as it is)."""
    body = clean(text).strip()
    statement = _TAIL_EN.sub("", _LEAD_EN.sub("", body)) if not re.search(r"[\u4e00-\u9fff]", body) else \
        _TAIL_ZH.sub("", _DOUBT_ZH.sub("", _LEAD_ZH.sub("", body)))
    statement = _END.sub("", statement).strip(" ,，:：")
    # Still a question once the frame is gone ("网上看到能补学，怎么操作", "领导说要学，我也要学吗"): the
    # hearsay is context for what is asked, which is answered as asked.
    if (statement == _END.sub("", body) or len(statement) < 4 or is_yes_no(statement)
            or WH_ZH.search(statement) or WH_EN.search(RELATIVE_EN.sub("", statement))):
        return None
    credits = _credits(statement)
    return Claim(statement=statement, credits=credits, date=_date(statement), hours_required=_hours_required(statement),
                 other_figure=credits is None and bool(_CREDITS.search(statement)),
                 opinion=bool(_OPINION.search(statement)),
                 makeup_years=tuple(sorted({int(y) for y in _YEAR.findall(statement)}))
                 if _MAKEUP.search(statement) else ())


# "people who qualified this year …", "anyone who …": a relative clause, not a question.
RELATIVE_EN = re.compile(r"\b(?:people|those|anyone|anybody|someone|everyone|accountants?|staff|persons?|one)\s+"
                          r"(?:who|that|which)\b", re.IGNORECASE)
# A yes/no question's own particles ("…吗", "是不是…", "…对吗"): what is left is the rule it asks to have confirmed.
_ASKED_ZH = re.compile(r"是不是|是否|对不对|对吗|(?:吗|么|嘛|呢)[?？!！。.\s]*$")


def read_asked_figure(text: str) -> Claim | None:
    """A yes/no question that names a yearly credit figure or a closing/opening day in its asked clause ("每年是不是
    要学够120学分", "Do I have to finish my 2026 credits before December 31?"), as the claim it asks to have
    confirmed; ``None`` for any other question. A figure in a clause before the asked one is the asker's context
    ("今年专业课学够60分了，还要学公需课吗"), not what is asked."""
    body = clean(text).strip()
    if not is_yes_no(body):
        return None
    asked = re.split(r"[,，;；]", body)[-1]
    statement = _ASKED_ZH.sub("", asked).strip() if re.search(r"[\u4e00-\u9fff]", asked) else asked
    credits, day = _credits(statement), _date(statement)
    if credits is None and day is None:
        return None
    return Claim(statement=statement, credits=credits, date=day)


def claimed_credit_figures(statement: str) -> list[int]:
    """The credit figures a statement names ("能折20学分" → [20]); hours and days are not credits."""
    return [int(n) for n in _CREDITS.findall(statement)]


# Whether a claim says someone must study, or need not ("今年刚拿证的今年也要学满90学分", "去年拿证的今年就要开始学了",
# "考过中级的当年不用学", "people who qualified this year don't need CE this year").
_MUST = re.compile(r"(?:不用|不需要|不必|无需|用不着|没必要|要|需要|得|必须)(?:再|开始|继续|参加)?"
                   r"(?:学|参加|修|继续教育)|免修|免学|\b(?:need|needs|must|have to|has to|required|exempt)\b",
                   re.IGNORECASE)
_NOT_MUST = re.compile(r"不用|不需要|不必|无需|用不着|没必要|免修|免学|\bexempt\b|\bno need\b|"
                       r"\bnot (?:need|required)\b|(?:don't|doesn't|do not|does not|needn't) (?:need|have to)",
                       re.IGNORECASE)


def claimed_requirement(statement: str) -> bool | None:
    """``True`` when the claim says someone must take part, ``False`` when it says they need not, ``None`` when it
    says neither (or both)."""
    if not _MUST.search(statement):
        return None
    return not _NOT_MUST.search(statement)


def _credits(statement: str) -> tuple[str, int] | None:
    """The one yearly credit requirement the claim states ("只要60学分就够": total 60; "专业课只要30分": professional
    30), or ``None``: no figure, several, hours, a public-subject figure (the notice sets none), or a figure that
    is not a requirement (credits earned, a conversion)."""
    figures = _CREDITS.findall(statement)
    if len(figures) != 1 or _HOURS.search(statement) or _NOT_A_REQUIREMENT.search(statement):
        return None
    professional, public = bool(_PROFESSIONAL.search(statement)), bool(_PUBLIC.search(statement))
    if public or not _REQUIRED.search(statement):
        return None
    return ("professional" if professional else "total", int(figures[0]))


_YEARLY = re.compile(r"每年|今年|一年|全年|年度|\b(?:a|per|each|every|this) year\b|\byearly\b|\bannual", re.IGNORECASE)
_DAILY = re.compile(r"每天|一天|每日|当天|\b(?:a|per|each|every) day\b|\bdaily\b", re.IGNORECASE)


def _hours_required(statement: str) -> bool:
    """Whether the claim gives the yearly requirement in class hours ("今年要学满90学时", "90 hours a year")."""
    return bool(_HOURS.search(statement) and not _CREDITS.search(statement) and _YEARLY.search(statement)
                and _REQUIRED.search(statement) and not _DAILY.search(statement)
                and not _NOT_A_REQUIREMENT.search(statement))


def _date(statement: str) -> ClaimedDate | None:
    """The one day (or month) the claim says something closes or opens on; ``None`` for none, several, or a
    month named with 以后/还能 ("6月以后还能补": that is a claim about whether, not when)."""
    found: list[tuple[int, int | None, bool]] = []
    for m in _DATE_ZH.finditer(statement):
        found.append((int(m.group(1)), int(m.group(2)) if m.group(2) else None, bool(m.group(3))))
    for m in _DATE_EN.finditer(statement):
        if m.group("year_end"):  # "until the end of the year": the last day of December
            found.append((12, None, True))
            continue
        month = (m.group("month") or m.group("month2")).lower()[:3]
        day = m.group("day") or m.group("day2")
        found.append(([name[:3] for name in _MONTHS_EN].index(month) + 1, int(day) if day else None,
                      bool(m.group("end"))))
    if len(found) != 1 or not 1 <= found[0][0] <= 12:
        return None
    closes, opens = bool(_CLOSES.search(statement)), bool(_OPENS.search(statement))
    if closes == opens or (_STILL.search(statement) and not closes):
        return None
    month, day, month_end = found[0]
    return ClaimedDate(month, day, month_end, "closes" if closes else "opens")
