"""Other forms of study (exams, conferences, papers, face-to-face hours …) converted to credits.

The figures are data (``knowledge/conversions.toml``), each with the clause it comes from, because users
ask "考过一科中级能抵多少学分" and the bot must answer with the figure *and* where it comes from. No
verified source says whether such credits are 公需 or 专业, so forms carry ``category = None`` and the
view says exactly that (regulations C6) rather than guessing.
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, field_validator

from bot.credits import Category
from bot.numbers import CN_NUMERAL_CHARS, normalize_text, parse_number

__all__ = [
    "CONVERSIONS_PATH",
    "ConversionForm",
    "ConversionQuery",
    "Role",
    "SourceRef",
    "Unit",
    "convert",
    "find_form",
    "find_quantity",
    "find_role",
    "forms",
    "load_conversions",
    "match_conversion_question",
]

CONVERSIONS_PATH = Path(__file__).resolve().parent.parent / "knowledge" / "conversions.toml"

Unit = Literal["subject", "day", "course", "topic", "paper", "book", "hour"]
Role = Literal["first", "other"]


class SourceRef(BaseModel):
    """One clause a figure rests on, with what is not verified about it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    citation: str
    url: str
    quote: str
    caveat: str = ""
    caveat_en: str = ""


class ConversionForm(BaseModel):
    """One form of study and its conversion rule."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    unit: Unit
    per_unit: Decimal
    per_unit_other: Decimal | None = None
    cap_per_day: Decimal | None = None
    once_per_year: bool = False
    shanxi_verified: bool
    category: Category | None = None
    patterns: tuple[str, ...]
    sources: tuple[SourceRef, ...]

    @field_validator("patterns")
    @classmethod
    def _compiles(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for pattern in value:
            re.compile(pattern)
        return value

    @field_validator("sources")
    @classmethod
    def _cited(cls, value: tuple[SourceRef, ...]) -> tuple[SourceRef, ...]:
        if not value:
            raise ValueError("every conversion needs at least one source")
        return value

    @property
    def has_roles(self) -> bool:
        """The source gives a different figure to other authors / participants."""
        return self.per_unit_other is not None

    def matches(self, text: str) -> bool:
        return any(re.search(p, text) for p in self.patterns)


class _File(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    form: tuple[ConversionForm, ...]


def load_conversions(path: Path = CONVERSIONS_PATH) -> tuple[ConversionForm, ...]:
    """Read and validate the conversions file; ids must be unique."""
    with path.open("rb") as fh:
        parsed = _File.model_validate(tomllib.load(fh))
    ids = [f.id for f in parsed.form]
    if len(ids) != len(set(ids)):
        raise ValueError("duplicate conversion id")
    return parsed.form


@lru_cache(maxsize=1)
def forms() -> tuple[ConversionForm, ...]:
    """The shipped conversions (read once per process)."""
    return load_conversions()


def form_by_id(form_id: str) -> ConversionForm:
    for form in forms():
        if form.id == form_id:
            return form
    raise KeyError(form_id)


@dataclass(frozen=True, slots=True)
class ConversionQuery:
    """A computed conversion: how many credits ``quantity`` units of ``form`` are worth.

    ``credits`` is for ``role`` (or for the sole / first author / topic leader when the role is not
    known; ``credits_other`` then holds the other participants' figure). ``quantity`` is ``None`` when
    the user gave no amount for a per-hour form; then only the rate can be stated and ``credits`` is None.
    ``capped``: a per-day cap cut the hours (``counted_quantity`` < ``quantity``). ``min_days``: hours
    beyond one day's cap with no day count given — they only count in full over at least this many days.
    ``once``: the source grants the figure once a year, so several courses do not multiply it.
    """

    form: ConversionForm
    quantity: Decimal | None
    quantity_given: bool
    role: Role | None
    days: Decimal | None
    counted_quantity: Decimal | None
    credits: Decimal | None
    credits_other: Decimal | None
    capped: bool
    min_days: int | None
    once: bool

    @property
    def category(self) -> Category | None:
        """Always ``None`` today: no source assigns these credits to 公需 or 专业."""
        return self.form.category

    @property
    def one_day_max(self) -> Decimal | None:
        """Credits a single day can give under the cap (30 for 面授)."""
        return None if self.form.cap_per_day is None else self.form.cap_per_day * self.form.per_unit


def convert(form: ConversionForm, quantity: Decimal | None, role: Role | None = None,
            days: Decimal | None = None) -> ConversionQuery:
    """Apply ``form``'s rule. Per-unit forms without a stated quantity count one unit (a paper)."""
    given = quantity is not None
    if quantity is None and form.unit != "hour":
        quantity = Decimal(1)
    if quantity is None:
        return ConversionQuery(form, None, False, role, days, None, None, None, False, None, False)
    counted = quantity
    capped = False
    min_days: int | None = None
    once = False
    if form.cap_per_day is not None:
        if days is not None:
            limit = form.cap_per_day * days
            if counted > limit:
                counted, capped = limit, True
        elif counted > form.cap_per_day:
            min_days = math.ceil(counted / form.cap_per_day)
    if form.once_per_year and counted > 1:
        counted, once = Decimal(1), True
    rate = form.per_unit_other if role == "other" and form.per_unit_other is not None else form.per_unit
    other = counted * form.per_unit_other if role is None and form.per_unit_other is not None else None
    return ConversionQuery(form, quantity, given, role, days, counted, counted * rate, other, capped,
                           min_days, once)


# --- recognising a conversion in free text ---------------------------------------------------------

_NUM = rf"(?:\d+(?:\.\d+)?|[{CN_NUMERAL_CHARS}]+半?|半|a|an|one|two|three|four|five|six|seven|eight|nine|ten)"
_EN_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
             "seven": 7, "eight": 8, "nine": 9, "ten": 10}
_UNIT_WORDS: dict[str, str] = {
    "subject": r"科|门科目|subjects?",
    "day": r"天|日|days?",
    "course": r"门|courses?",
    "topic": r"项|个课题|topics?|projects?",
    "paper": r"篇|papers?|articles?",
    "book": r"本|部|books?",
    "hour": r"个?学时|个?课时|(?:class |training )?hours?",
}
_ROLE_FIRST = re.compile(r"第一作者|独立|独著|独自|主持人|主持|负责人|first author|sole|\blead\b|principal")
_ROLE_OTHER = re.compile(r"其他作者|其它作者|第[二三四五]作者|参与人|参与者|参与|合著者|other authors?|"
                         r"co-?authors?|participants?|\bmember\b")
# Asking about the credit value (not registration, dates or where to click).
_CREDIT_CUE = re.compile(r"学分|折算|折合|能抵|抵多少|抵几|算多少|算几|给多少|换多少|能算|算不算|计多少|"
                         r"credits?|worth|count for|counts for")
_OFF_TOPIC = re.compile(r"登记|查询|怎么查|哪里查|报名|入口|上报|在哪|哪里|什么时候|何时|截止|多久|"
                        r"register|when|where|deadline")


def _number(token: str) -> Decimal | None:
    word = token.strip().lower()
    if word in _EN_WORDS:
        return Decimal(_EN_WORDS[word])
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


def match_conversion_question(text: str) -> ConversionQuery | None:
    """Recognise "how many credits is X worth" and compute the answer; ``None`` for anything else.

    Needs both a form ("考过一科", "面授", "论文" …) and a credit-value cue ("多少学分", "能抵", "算多少",
    "how many credits"); questions about registration, dates or places are left to other handlers.
    """
    folded = normalize_text(text).lower()
    if not _CREDIT_CUE.search(folded) or _OFF_TOPIC.search(folded):
        return None
    form = find_form(folded)
    if form is None:
        return None
    quantity = find_quantity(folded, form.unit)
    if quantity is not None and quantity <= 0:
        return None
    days = find_quantity(folded, "day") if form.cap_per_day is not None else None
    role = find_role(folded) if form.has_roles else None
    return convert(form, quantity, role, days)
