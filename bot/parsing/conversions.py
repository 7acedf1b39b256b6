"""Recognising "how many credits is X worth" in free text (Chinese or English) and computing the answer."""

from __future__ import annotations

import re
from decimal import Decimal

from bot.domain.conversions import ConversionQuery, convert
from bot.parsing.numbers import CN_NUMERAL_CHARS, EN_NUMBERS, normalize_text, parse_number
from bot.parsing.questions import asking_clause
from knowledge.conversions import ConversionForm, Role, forms

__all__ = ["find_form", "find_quantity", "find_role", "is_role_word", "match_conversion_question"]


# --- recognising a conversion in free text ---------------------------------------------------------

_NUM = rf"(?:\d+(?:\.\d+)?|[{CN_NUMERAL_CHARS}]+半?|半|a|an|one|two|three|four|five|six|seven|eight|nine|ten)"
_UNIT_WORDS: dict[str, str] = {
    "subject": r"科|门科目|subjects?",
    "day": r"天|日|days?",
    "course": r"门|courses?",
    "topic": r"项|个课题|topics?|projects?",
    "paper": r"篇|papers?|articles?",
    "book": r"本|部|books?",
    "hour": r"个?学时|个?课时|(?:class |training )?hours?",
}
# Author roles, written once: the Chinese words for each, the English phrases a question uses, and the short
# English words ``/add`` takes as a token of their own (``/add 专业 论文 1篇 first 题目``).
_CN_FIRST = r"第一作者|独立|独著|独自|主持人|主持|负责人"
_CN_OTHER = r"其他作者|其它作者|第[二三四五]作者|参与人|参与者|参与|合著者"
_ROLE_FIRST = re.compile(rf"{_CN_FIRST}|first author|sole|\blead\b|principal")
_ROLE_OTHER = re.compile(rf"{_CN_OTHER}|other authors?|co-?authors?|participants?|\bmember\b")
_ROLE_TOKEN = re.compile(rf"(?:{_CN_FIRST}|{_CN_OTHER}|first|other|co-?authors?)", re.IGNORECASE)
# Asking about the credit value (not registration, dates or where to click).
_CREDIT_CUE = re.compile(r"多少学分|几个?学分|学分(?:是)?多少|学分怎么算|算.{0,2}学分|抵.{0,6}学分|顶.{0,6}学分|"
                         r"换成?.{0,8}学分|折.{0,4}学分|折算|折合|能抵|抵扣|抵免|抵多少|抵几|算多少|算几|给多少|换多少|能算|"
                         r"算不算|计多少|how many credits|credits? (?:is|are|do|does)|worth|count for|counts for|"
                         r"count towards?")
_OFF_TOPIC = re.compile(r"登记|查询|怎么查|哪里查|报名|入口|上报|在哪|哪里|什么时候|何时|截止|多久|"
                        r"register|when|where|deadline")


# An exam or course test not passed (or a course's own test): no form's credits apply.
_FAILED = re.compile(r"不及格|没及格|通不过|没通过|未通过|没过|没考过|挂了|挂科|课后|failed|did not pass|didn't pass")
# "要学多少学分", "需要修几个学分": how many credits one must earn, which no form converts.
_ASKS_REQUIREMENT = re.compile(r"(?:要|需要|得|应该|应当|必须)(?:学|修|完成|拿|取得|达到)?(?:多少|几个?)学分|"
                               r"how many credits (?:do|does|must|should) (?:i|we|you|one) (?:need|have to)")
_CONVERTS = re.compile(r"抵|折|顶|换|算|worth|count|convert")
# What is left of an asked clause once its credit cue and the words every such question has are set aside.
_ASKED_FILLER = re.compile(r"请问|那么?|这个|这|能|可以|可不可以|能不能|继续教育|学分|多少|几个?|吗|呢|啊|么|的|了|"
                           r"还|也|都|是|个|我|您|会|给|按|[\s,，?？。!！]")


def _subject_left(asked: str) -> bool:
    """Whether the asked clause names a subject of its own ("自学能算学分吗": 自学), so a form named only in the
    context is not what it asks about; "能抵多少学分" names none and leans on its context."""
    return bool(re.search(r"[\u4e00-\u9fff]{2,}|[a-z]{3,}", _ASKED_FILLER.sub("", _CREDIT_CUE.sub("", asked))))


def _number(token: str) -> Decimal | None:
    word = token.strip().lower()
    if word in EN_NUMBERS:
        return Decimal(EN_NUMBERS[word])
    return parse_number(word)


def find_form(text: str, candidates: tuple[ConversionForm, ...] | None = None) -> ConversionForm | None:
    """The first form (file order) whose patterns occur in ``text`` (already normalised or not)."""
    folded = normalize_text(text).lower()
    for form in candidates if candidates is not None else forms():
        if form.matches(folded):
            return form
    return None


def find_quantity(text: str, unit: str) -> Decimal | None:
    """The number directly before ``unit``'s word (``8个学时``, ``两天``, ``一篇``, ``2 papers``)."""
    folded = normalize_text(text).lower()
    match = re.search(rf"({_NUM})\s*(?:{_UNIT_WORDS[unit]})", folded)
    if match is None and unit == "subject":
        # "passing a CPA exam subject": an article, then words, then the unit.
        match = re.search(rf"\b({_NUM})\b[a-z ]{{0,20}}\bsubjects?\b", folded)
    return None if match is None else _number(match.group(1))


def find_role(text: str) -> Role | None:
    """First author / sole / topic leader vs. other authors / participants, if stated."""
    folded = normalize_text(text).lower()
    if _ROLE_OTHER.search(folded):
        return "other"
    if _ROLE_FIRST.search(folded):
        return "first"
    return None


def is_role_word(token: str) -> bool:
    """Whether a whole token only names an author role (``第一作者``, ``first``), so it is not a title word."""
    return _ROLE_TOKEN.fullmatch(token) is not None


def match_conversion_question(text: str) -> ConversionQuery | None:
    """Recognise "how many credits is X worth" and compute the answer; ``None`` for anything else.

    Needs both a form ("考过一科", "面授", "论文" …) and a credit-value cue ("多少学分", "能抵", "算多少",
    "how many credits"); questions about registration, dates or places are left to other handlers.
    """
    folded = normalize_text(text).lower()
    if not _CREDIT_CUE.search(folded) or _OFF_TOPIC.search(folded):
        return None
    if _FAILED.search(folded):
        return None  # "课后考试一直通不过，学分算不算": nothing passed, nothing to convert
    context, asked = asking_clause(folded)
    if _ASKS_REQUIREMENT.search(asked) and not _CONVERTS.search(asked):
        return None  # "我2019年考过中级，…，今年继续教育要学多少学分": the yearly requirement, not an exam's worth
    if context and find_form(asked) is None and _subject_left(asked):
        return None  # "平时自学了很多会计书籍，自学能算继续教育学分吗": the books are context, 自学 is asked about
    form = find_form(folded)
    if form is None:
        return None
    quantity = find_quantity(folded, form.unit)
    if quantity is not None and quantity <= 0:
        return None
    days = find_quantity(folded, "day") if form.cap_per_day is not None else None
    role = find_role(folded) if form.has_roles else None
    return convert(form, quantity, role, days)
