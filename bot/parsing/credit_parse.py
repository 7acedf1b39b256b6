"""Reading credits from commands (``/credits``, ``/add``) and from free-text statements.

Three entry points, all pure (``today`` injected, thresholds from the :class:`~knowledge.policy.Policy`):

* :func:`parse_credit_args` — ``/credits [年份] 专业 40 公需 30`` (or ``总 95 专业 50``)
  → :class:`CreditArgs`;
* :func:`parse_add_args` — ``/add 专业 6 管理会计实务 [日期]``, ``/add 专业 面授 8学时 培训名``
  → :class:`AddArgs`;
* :func:`parse_statement` — "我专业课修了40分，公需30分，够吗" → :class:`CreditStatement`, but ``None`` for
  questions that merely mention credits ("需要90学分吗"), so the bot does not answer a question as if the
  user had reported their own figures.

Errors are values (:class:`ParseError`), not exceptions: each code has a message in ``credits.po`` that
tells the user what to type instead, and callers render them like any other answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from bot.domain.conversions import ConversionQuery, convert
from bot.domain.credits import Category, YearTotals
from bot.parsing.claims import HEARSAY
from bot.parsing.commands import strip_command
from bot.parsing.conversions import find_role, is_role_word
from bot.parsing.numbers import CN_NUMERAL_CHARS, fmt_number, normalize_text, parse_number
from bot.parsing.questions import asking_clause, is_question, speaks_of_shortfall
from bot.parsing.text import NAME_MAX, clean_input
from bot.parsing.timeparse import read_past_date
from knowledge.conversions import ConversionForm, form_by_id
from knowledge.policy import Policy

__all__ = [
    "ERROR_CODES",
    "AddArgs",
    "CreditArgs",
    "CreditStatement",
    "ParseError",
    "check_figure",
    "check_recording",
    "check_year_sum",
    "check_year_total",
    "parse_add_args",
    "parse_credit_args",
    "parse_statement",
]

ERROR_CODES: tuple[str, ...] = (
    "empty",                    # nothing after the command
    "negative",                 # a negative figure
    "zero",                     # /add of 0 credits
    "too_large_entry",          # one stated figure above credits.max_per_entry
    "too_large_year",           # a year's total above credits.max_per_year
    "too_large_year_sum",       # an /add that would take the year's total above credits.max_per_year
    "too_precise",              # more than one decimal place (credits are kept in tenths)
    "professional_above_total",  # 总 95 专业 120
    "public_above_total",       # 总 95 公需 120
    "inconsistent_total",       # 总 95 专业 50 公需 30 (50 + 30 ≠ 95)
    "professional_needed",      # /credits 总 95 — the professional share is needed
    "unknown_category",         # 体育 30
    "duplicate_category",       # 专业 40 专业 50
    "bad_year",                 # outside valid_year_min..max, or not a recordable year
    "bad_date",                 # 2026-02-30
    "future_date",              # a study date after today
    "bad_number",               # 专业 abc, 专业 四十五点
    "missing_number",           # 专业 (no figure)
    "unparseable",              # 30 40 — figures without categories
    "category_needed",          # /add 考试 1科 … — say 专业 or 公需
    "role_needed",              # /add 专业 论文 1篇 — first author or other author?
    "title_too_long",           # an /add course title over NAME_MAX characters
)


class ParseError:
    """Why input could not be used; ``params`` fill the message template ``credits.error.<code>``."""

    __slots__ = ("code", "params")

    def __init__(self, code: str, **params: object) -> None:
        if code not in ERROR_CODES:
            raise ValueError(f"unknown parse error code {code!r}")
        self.code = code
        self.params: dict[str, object] = params

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ParseError) and (self.code, self.params) == (other.code, other.params)

    __hash__ = None  # type: ignore[assignment]  # params are mutable

    def __repr__(self) -> str:
        return f"ParseError({self.code!r}, {self.params!r})"


BOTH = frozenset(Category)


def _named(pro: Decimal | None, pub: Decimal | None, total: Decimal | None) -> frozenset[Category]:
    """The categories a user's figures settle: both when a total is given, else those they mentioned."""
    if total is not None:
        return BOTH
    return frozenset(c for c, v in ((Category.PROFESSIONAL, pro), (Category.PUBLIC, pub)) if v is not None)


@dataclass(frozen=True, slots=True)
class CreditArgs:
    """``/credits`` arguments: a year's figures. Only the ``named`` categories are to be recorded: ``/credits
    专业 100`` keeps the public figure already recorded (here it reads as 0)."""

    year: int
    professional: Decimal
    public: Decimal
    named: frozenset[Category] = BOTH

    def figures(self) -> dict[Category, Decimal]:
        """The named categories and their figures (what recording this may change)."""
        values = {Category.PROFESSIONAL: self.professional, Category.PUBLIC: self.public}
        return {c: values[c] for c in Category if c in self.named}

    @property
    def total(self) -> Decimal:
        return self.professional + self.public

    def totals(self) -> YearTotals:
        return YearTotals(self.year, self.professional, self.public)


@dataclass(frozen=True, slots=True)
class AddArgs:
    """One ``/add`` entry. ``day`` is ``None`` only when the user gave a bare year (``/add 2025 …``)."""

    year: int
    day: date | None
    day_given: bool
    category: Category
    credits: Decimal
    title: str
    conversion: ConversionQuery | None  # set when the amount was 学时 / 科 / 天 / 篇 … not credits


@dataclass(frozen=True, slots=True)
class CreditStatement:
    """Credits the user says they have. Any figure may be missing; ``error`` if they do not add up."""

    year: int | None
    professional: Decimal | None
    public: Decimal | None
    total: Decimal | None
    error: ParseError | None = None

    @property
    def split_known(self) -> bool:
        """Enough to assess: the professional share is known or derivable."""
        return self.professional is not None or (self.public is not None and self.total is not None)

    def totals(self, default_year: int) -> YearTotals | None:
        """Resolved totals, or ``None`` when only a total is known (the professional share decides).

        A category the user did not mention counts as 0 when no total was given ("I have 60 professional").
        """
        if self.error is not None or not self.split_known:
            return None
        year = self.year or default_year
        if self.total is not None:
            if self.professional is not None:
                return YearTotals(year, self.professional, self.total - self.professional)
            assert self.public is not None
            return YearTotals(year, self.total - self.public, self.public)
        return YearTotals(year, self.professional or Decimal(0), self.public or Decimal(0))

    def figures(self, default_year: int) -> tuple[int, dict[Category, Decimal]] | None:
        """(year, the named categories' figures) to record, or ``None`` when nothing can be recorded."""
        totals = self.totals(default_year)
        if totals is None:
            return None
        named = _named(self.professional, self.public, self.total)
        values = {Category.PROFESSIONAL: totals.professional, Category.PUBLIC: totals.public}
        return totals.year, {c: values[c] for c in Category if c in named}


_ALL = r"(?:都是|全是|全部是|全都是|全为|都为|全部为|都属于|all(?: of them)?(?: are)?)\s*"
_ALL_PRO = re.compile(_ALL + r"(?:专业|professional)")
_ALL_PUB = re.compile(_ALL + r"(?:公需|公共|public|general)")
# The whole phrase ("全部是专业课", "都是专业科目", "all professional"): blanked before figures are bound, so the
# figure beside it reads as the total that the phrase then assigns to one category.
_ALL_PHRASE = re.compile(_ALL + r"(?:专业|公需|公共)(?:科目|课程|课|科|学分)?|"
                         + _ALL + r"(?:professional|public|general)(?: subjects?| courses?| credits?)?")

# --- vocabulary ------------------------------------------------------------------------------------

_PRO = ("专业科目", "专业课程", "专业课", "专业", "professional", "prof", "pro")
_PUB = ("公需科目", "公需课程", "公需课", "公需", "公共科目", "公共课", "public", "general", "pub")
_TOTAL = ("总学分", "总共", "一共", "总计", "合计", "加起来", "加一起", "加在一起", "合起来", "总", "共", "total",
          "overall", "sum")
_KIND: dict[str, str] = {**{w: "pro" for w in _PRO}, **{w: "pub" for w in _PUB},
                         **{w: "total" for w in _TOTAL}}
_CN_NUM_CLASS = f"[{CN_NUMERAL_CHARS}半]"


def _keyword_regex(words: tuple[str, ...]) -> str:
    parts = []
    for word in sorted(words, key=len, reverse=True):
        parts.append(rf"\b{word}\b" if word.isascii() else re.escape(word))
    return "|".join(parts)


_KEYWORD = _keyword_regex(tuple(_KIND))
_SEPARATORS = re.compile(r"[,，;；、:：=|+]|\band\b|以及|和")


def _strip_command(text: str) -> str:
    return strip_command(normalize_text(clean_input(text))).strip()


def _check_year(year: int, policy: Policy) -> ParseError | None:
    c = policy.credits
    if not c.valid_year_min <= year <= c.valid_year_max or year not in c.recordable_years:
        return ParseError("bad_year", year=year, years="、".join(str(y) for y in c.recordable_years),
                          years_en=", ".join(str(y) for y in c.recordable_years))
    return None


def check_figure(value: Decimal, policy: Policy) -> ParseError | None:
    """The one rule for any single figure a user states (a category, a total, one /add entry): a finite
    number, not negative, at most one decimal place, at most ``credits.max_per_entry``."""
    if not value.is_finite():
        return ParseError("bad_number", text=str(value), category="")
    if value < 0:
        return ParseError("negative", value=fmt_number(value))
    if value > policy.credits.max_per_entry:
        return ParseError("too_large_entry", value=fmt_number(value), max=policy.credits.max_per_entry)
    if (value * 10) != (value * 10).to_integral_value():
        return ParseError("too_precise", value=fmt_number(value))
    return None


def check_year_total(total: Decimal, policy: Policy) -> ParseError | None:
    """A year's figures together stay within ``credits.max_per_year``."""
    if total > policy.credits.max_per_year:
        return ParseError("too_large_year", value=fmt_number(total), max=policy.credits.max_per_year)
    return None


def check_year_sum(total: Decimal, year: int, policy: Policy) -> ParseError | None:
    """An /add would bring the year to ``total``: refuse past ``credits.max_per_year``, naming the sum."""
    if total > policy.credits.max_per_year:
        return ParseError("too_large_year_sum", value=fmt_number(total), max=policy.credits.max_per_year,
                          year=year)
    return None


def check_recording(year: int, figures: dict[Category, Decimal], policy: Policy) -> ParseError | None:
    """Figures about to be recorded for ``year`` (from a command, a statement or a button, which may be
    forged): a recordable year and each figure within the rule of :func:`check_figure`."""
    if (err := _check_year(year, policy)) is not None:
        return err
    for value in figures.values():
        if (err := check_figure(value, policy)) is not None:
            return err
    return None


def _resolve(pro: Decimal | None, pub: Decimal | None, total: Decimal | None,
             policy: Policy) -> tuple[Decimal, Decimal] | ParseError:
    """Professional and public from any two (or three consistent) of professional / public / total."""
    for value in (pro, pub, total):
        if value is not None and (err := check_figure(value, policy)):
            return err
    if total is not None:
        if pro is not None and pro > total:
            return ParseError("professional_above_total", professional=fmt_number(pro),
                              total=fmt_number(total))
        if pub is not None and pub > total:
            return ParseError("public_above_total", public=fmt_number(pub), total=fmt_number(total))
        if pro is not None and pub is not None:
            if pro + pub != total:
                return ParseError("inconsistent_total", professional=fmt_number(pro), public=fmt_number(pub),
                                  total=fmt_number(total), sum=fmt_number(pro + pub))
            return pro, pub
        if pro is not None:
            return pro, total - pro
        if pub is not None:
            return total - pub, pub
        return ParseError("professional_needed", total=fmt_number(total))
    pro = pro if pro is not None else Decimal(0)
    pub = pub if pub is not None else Decimal(0)
    if (err := check_year_total(pro + pub, policy)) is not None:
        return err
    return pro, pub


# --- /credits --------------------------------------------------------------------------------------

_ARG_TOKEN = re.compile(
    rf"(?P<year>(?<![\d.])\d{{4}}\s*年度?)"
    rf"|(?P<kw>{_KEYWORD})"
    rf"|(?P<num>[+-]?\d+(?:\.\d+)?(?:\s*(?:个)?\s*(?:学分|分|credits?))?"
    rf"|负?{_CN_NUM_CLASS}+(?:\s*(?:个)?\s*(?:学分|分))?)"
    rf"|(?P<word>[^\s\d{CN_NUMERAL_CHARS}]+)",
    re.IGNORECASE,
)


def _arg_tokens(text: str) -> list[tuple[str, str]]:
    body = _SEPARATORS.sub(" ", text.lower())
    tokens: list[tuple[str, str]] = []
    for match in _ARG_TOKEN.finditer(body):
        kind = match.lastgroup or "word"
        value = match.group(0).strip()
        if kind == "word" and not re.search(r"\w", value):
            continue  # stray punctuation such as "-" or "/"
        tokens.append((kind, value))
    return tokens


def _leading_year(tokens: list[tuple[str, str]]) -> tuple[int | None, list[tuple[str, str]]] | ParseError:
    """The year (``2025``, ``2025年``; a bare four-digit first figure counts) and the tokens after it."""
    if tokens[0][0] == "num" and re.fullmatch(r"\d{4}", tokens[0][1]) and 1900 <= int(tokens[0][1]) <= 2100:
        tokens = [("year", tokens[0][1]), *tokens[1:]]
    year: int | None = None
    rest: list[tuple[str, str]] = []
    for kind, value in tokens:
        if kind == "year":
            if year is not None:
                return ParseError("unparseable", text=value)
            year = int(re.sub(r"\D", "", value))
        else:
            rest.append((kind, value))
    return year, rest


def _paired_figures(rest: list[tuple[str, str]]) -> dict[str, Decimal] | ParseError:
    """Category–figure pairs (``专业 40``, or all figure-first: ``40 专业``) → figures by kind, each once."""
    figures: dict[str, Decimal] = {}
    number_first = rest[0][0] == "num"
    for i in range(0, len(rest), 2):
        first, second = rest[i], rest[i + 1] if i + 1 < len(rest) else None
        kw_tok, num_tok = (second, first) if number_first else (first, second)
        if kw_tok is None or kw_tok[0] != "kw":
            return _unpaired(kw_tok if kw_tok is not None else first, rest)
        kind = _KIND[kw_tok[1]]
        if num_tok is None or num_tok[0] == "kw":
            return ParseError("missing_number", category=kw_tok[1])
        value = parse_number(num_tok[1]) if num_tok[0] != "word" else None
        if value is None:
            return ParseError("bad_number", text=num_tok[1], category=kw_tok[1])
        if kind in figures:
            return ParseError("duplicate_category", category=kw_tok[1])
        figures[kind] = value
    return figures


def _unpaired(bad: tuple[str, str], rest: list[tuple[str, str]]) -> ParseError:
    """Where a category word was due: an unknown word, a lone figure without category, or a jumble."""
    if bad[0] == "word":
        return ParseError("unknown_category", word=bad[1])
    if bad[0] == "num" and sum(t[0] == "num" for t in rest) == 1 and not any(t[0] == "kw" for t in rest):
        return ParseError("category_needed", value=bad[1], context="credits")
    return ParseError("unparseable", text=" ".join(t[1] for t in rest))


def parse_credit_args(text: str, policy: Policy, *, default_year: int | None = None) -> CreditArgs | ParseError:
    """Parse ``/credits`` arguments: an optional year, then category–figure pairs in any order.

    Without a year the figures are for ``default_year`` (the year one records *now*; between years that is
    the calendar year, not the finished policy year), else the policy year.

    ``专业 40 公需 30`` · ``2025 专业 50 公需 30`` · ``公需30 专业40`` · ``professional 40 public 30`` ·
    ``总 95 专业 50`` (public = total − professional). Figure-first pairs (``40 专业 30 公需``) work too.
    """
    body = _strip_command(text)
    tokens = _arg_tokens(body)
    if not tokens:
        return ParseError("unparseable", text=body.strip()) if body.strip() else ParseError("empty")
    split = _leading_year(tokens)
    if isinstance(split, ParseError):
        return split
    year, rest = split
    if year is not None and (err := _check_year(year, policy)):
        return err
    if not rest:
        return ParseError("empty", year=year) if year is not None else ParseError("empty")
    figures = _paired_figures(rest)
    if isinstance(figures, ParseError):
        return figures
    resolved = _resolve(figures.get("pro"), figures.get("pub"), figures.get("total"), policy)
    if isinstance(resolved, ParseError):
        return resolved
    pro, pub = resolved
    return CreditArgs(year if year is not None else (default_year or policy.year), pro, pub,
                      _named(figures.get("pro"), figures.get("pub"), figures.get("total")))


# --- /add --------------------------------------------------------------------------------------------

_YEAR_ONLY = re.compile(r"^(\d{4})\s*年?度?$")
_UNIT_OF: dict[str, str] = {
    "学分": "credits", "分": "credits", "credits": "credits", "credit": "credits",
    "学时": "hour", "个学时": "hour", "课时": "hour", "个课时": "hour",
    "科": "subject", "门科": "subject", "天": "day", "日": "day", "篇": "paper",
    "本": "book", "部": "book", "项": "topic", "个课题": "topic", "门": "course",
    "hour": "hour", "hours": "hour", "classhours": "hour", "day": "day", "days": "day",
    "subject": "subject", "subjects": "subject", "paper": "paper", "papers": "paper",
}
_DEFAULT_FORM_FOR_UNIT = {"hour": "face_to_face", "subject": "exam", "day": "conference",
                          "paper": "paper", "book": "book", "topic": "research", "course": "degree_course"}
_UNIT_ALT = "|".join(sorted(map(re.escape, _UNIT_OF), key=len, reverse=True))
_AMOUNT = re.compile(rf"^(?P<num>[+-]?\d+(?:\.\d+)?|负?{_CN_NUM_CLASS}+)\s*(?P<unit>{_UNIT_ALT})?$",
                     re.IGNORECASE)
# Words that name a form when they stand alone before the amount (``/add 专业 面授 8 …``). Exact words,
# not patterns: a course title such as "考试辅导" must not turn 6 credits into 6 exam subjects.
_FORM_WORDS: dict[str, str] = {
    "面授": "face_to_face", "面授培训": "face_to_face", "现场培训": "face_to_face",
    "线下培训": "face_to_face", "face-to-face": "face_to_face", "f2f": "face_to_face",
    "协会培训": "association", "注协培训": "association", "行业协会培训": "association",
    "考试": "exam", "exam": "exam",
    "会议": "conference", "专业会议": "conference", "conference": "conference",
    "论文": "paper", "paper": "paper", "书": "book", "书籍": "book", "出版": "book", "book": "book",
    "课题": "research", "research": "research", "学历": "degree_course", "学位": "degree_course",
    "学历教育": "degree_course", "degree": "degree_course",
}


def _extract_date(body: str, today: date) -> tuple[str, date | None, ParseError | None]:
    """Remove a study date from ``body`` (the bot's one date reader); a study date must lie in the past."""
    found = read_past_date(body, today)
    if found is None:
        return body, None, None
    if found.reason == "future" and found.day is not None:
        return found.rest, None, ParseError("future_date", day=found.day.isoformat())
    if found.reason is not None or found.day is None:
        return found.rest, None, ParseError("bad_date", text=found.matched)
    return found.rest, found.day, None


_SPACED_UNIT = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)\s+(class hours|hours?|days?|subjects?|papers?|credits?)\b",
                          re.IGNORECASE)


def _split_attached(body: str) -> list[str]:
    """``专业6`` → ``专业 6``; ``公需3.5`` → ``公需 3.5`` so that tokens are whitespace-separated."""
    body = re.sub(rf"({'|'.join(map(re.escape, sorted(_PRO + _PUB, key=len, reverse=True)))})"
                  rf"(?=[\d+-]|{_CN_NUM_CLASS})", r"\1 ", body)
    # "8 hours" is one amount, as "8学时" is: the unit word must not start the title
    body = _SPACED_UNIT.sub(lambda m: m.group(1) + m.group(2).replace(" ", ""), body)
    return body.split()


def _check_entry(value: Decimal, policy: Policy) -> ParseError | None:
    if value == 0:
        return ParseError("zero")
    return check_figure(value, policy)


def _conversion_params(q: ConversionQuery) -> dict[str, object]:
    return {"form": q.form.id, "quantity": fmt_number(q.quantity or 0),
            "credits": fmt_number(q.credits or 0), "source": q.form.sources[0].citation}


def parse_add_args(text: str, policy: Policy, today: date) -> AddArgs | ParseError:
    """Parse ``/add``: ``[年份] 类别 [形式] 数量[单位] [名称…] [日期]`` in a forgiving order.

    The amount is credits unless it carries a form unit (``8学时``, ``1科``, ``2天``, ``1篇``) or a form
    word precedes it (``面授 8``); then it is converted with its cited rule. Converted credits have no
    category in any source, so the user must say 专业 or 公需 (``category_needed``, with the computed
    figure and source so the prompt can show it).
    """
    body = _strip_command(text)
    if not body:
        return ParseError("empty", context="add")
    body, day, err = _extract_date(body, today)
    if err is not None:
        return err
    day_given = day is not None
    tokens = _split_attached(body)
    parts = _AddParts(year=day.year if day else None)
    for token in tokens:
        if (err := _read_add_token(token, parts)) is not None:
            return err
    year = parts.year
    if year is None:
        year, day = today.year, today
    if (err := _check_year(year, policy)) is not None:
        return err
    if parts.amount is None:
        return ParseError("missing_number", category=parts.category.value if parts.category else "")
    converted = _credits_of(parts, parts.amount, body, tokens)
    if isinstance(converted, ParseError):
        return converted
    credits, conversion = converted
    if (err := _check_entry(credits, policy)) is not None:
        return err
    if parts.category is None:
        params: dict[str, object] = {"credits": fmt_number(credits)}
        if conversion is not None:
            params.update(_conversion_params(conversion))
        return ParseError("category_needed", context="add", **params)
    name = " ".join(parts.title)
    if len(name) > NAME_MAX:
        return ParseError("title_too_long", max=NAME_MAX, length=len(name))
    return AddArgs(year, day, day_given, parts.category, credits, name, conversion)


@dataclass(slots=True)
class _AddParts:
    """What the ``/add`` tokens said so far: the first of each kind wins, then the rest is the title."""

    year: int | None
    category: Category | None = None
    form: ConversionForm | None = None
    amount: tuple[Decimal, str | None] | None = None  # the figure and its unit word ("hour", "credits" …)
    days: Decimal | None = None
    title: list[str] = field(default_factory=list)

    def takes_days(self) -> bool:
        """A day count still counts for a per-day cap ("面授 16学时 2天")."""
        return self.form is not None and self.form.cap_per_day is not None and self.days is None


def _read_add_token(token: str, p: _AddParts) -> ParseError | None:
    """Take one ``/add`` token into ``p``, or say why it cannot be read."""
    low = token.lower()
    kind = _KIND.get(low)
    year_match = _YEAR_ONLY.match(token)
    amount_match = _AMOUNT.match(token)
    if p.title:  # past the title's first word only a day count for a capped form is still read
        if amount_match and p.amount is not None and p.takes_days() \
                and (amount_match.group("unit") or "") in ("天", "日"):
            p.days = parse_number(amount_match.group("num"))
        elif not is_role_word(token):
            p.title.append(token)
        return None
    if kind in ("pro", "pub") and p.category is None:
        p.category = Category.PROFESSIONAL if kind == "pro" else Category.PUBLIC
    elif year_match and p.amount is None and p.year is None:
        p.year = int(year_match.group(1))
    elif amount_match and p.amount is None:
        value = parse_number(amount_match.group("num"))
        if value is None:
            return ParseError("bad_number", text=token)
        unit_word = _UNIT_OF.get((amount_match.group("unit") or "").lower())
        if unit_word == "day" and p.takes_days():
            p.days = value  # "面授 2天 16学时": the day count comes first
        else:
            p.amount = (value, unit_word)
    elif amount_match and p.amount is not None and _UNIT_OF.get(amount_match.group("unit") or "") == "day":
        p.days = parse_number(amount_match.group("num"))
    elif is_role_word(token):
        return None
    elif p.amount is None and p.form is None and low in _FORM_WORDS:
        p.form = form_by_id(_FORM_WORDS[low])
    elif p.amount is None:
        if re.fullmatch(rf"[\d.+-]*{_CN_NUM_CLASS}*[\d.]*", token) and re.search(r"\d", token):
            return ParseError("bad_number", text=token)
        if p.category is None and p.form is None:
            return ParseError("unknown_category", word=token)
        return ParseError("missing_number", category=p.category.value if p.category else token)
    else:
        p.title.append(token)
    return None


def _credits_of(
    p: _AddParts, amount: tuple[Decimal, str | None], body: str, tokens: list[str]
) -> tuple[Decimal, ConversionQuery | None] | ParseError:
    """The entry's credits: the figure itself, or a form quantity converted with its cited rule.

    "24学分" is credits even after a form word; a form unit ("8学时") or a bare figure after a form word
    ("面授 8") is a quantity to convert.
    """
    value, unit = amount
    if value < 0:
        return ParseError("negative", value=fmt_number(value))
    if not ((unit is not None and unit != "credits") or (unit is None and p.form is not None)):
        return value, None
    form = p.form
    if unit is None:
        assert form is not None
        unit = form.unit
    if form is None:
        form = form_by_id(_DEFAULT_FORM_FOR_UNIT[unit])
    if form.unit != unit:
        return ParseError("unparseable", text=body)
    role = find_role(" ".join(tokens)) if form.has_roles else None
    if form.has_roles and role is None:
        return ParseError("role_needed", form=form.id, quantity=fmt_number(value))
    if value == 0:
        return ParseError("zero")
    conversion = convert(form, value, role, p.days)
    return conversion.credits or Decimal(0), conversion


# --- free-text statements ---------------------------------------------------------------------------

# English also names a year by putting it before its credits ("my 2025 credits are 60"): no figure is 2025 credits.
_YEAR_IN_TEXT = re.compile(r"(?<!\d)(\d{4})\s*年度?|\b(?:in|for)\s+(\d{4})\b|"
                           r"\b((?:19|20)\d{2})(?:'s)?(?=\s+(?:credits?|points?|cpe|cpd|ce|continuing)\b)")
# A minus sign counts only where it cannot be a range or date dash (修了-40分, not 12-20).
_NUM_IN_TEXT = re.compile(
    rf"(?P<a>(?:(?<![\dA-Za-z.])[-−])?(?<![\d.])\d+(?:\.\d+)?)(?![\d.])|(?P<c>负?{_CN_NUM_CLASS}+)")
# Not numbers at all, yet typed where a figure belongs ("专业课修了NaN分"): refused, never read as 0.
_NOT_A_NUMBER = re.compile(r"(?<![a-z])(?:nan|inf(?:inity)?)(?![a-z])|∞")
# "公需课一分没学", "专业课一个学分都没有": not one credit, i.e. none (read as 1 it would contradict the total).
_NOT_ONE = re.compile(r"(?<![\d.零一二两三四五六七八九十百])[一1](?=\s*(?:个\s*)?学?分\s*(?:都|也|还)?\s*(?:没|未))")
# What someone else said ("网上有人说公需30专业60", "主管说要学30分公需"): the figures of that clause are hearsay, not
# the sender's own credits; it is blanked out before the figures are read (the rest may still state theirs).
_HEARSAY_CLAUSE = re.compile(rf"(?:{HEARSAY.pattern})[^,，。;；!！?？\n]*", re.IGNORECASE)
_UNIT_AFTER = re.compile(r"^\s*(?:个\s*)?(?:学分|分|credits?|points?)")
_NOT_CREDIT_AFTER = re.compile(
    r"^\s*(?:个(?!\s*学分)|学时|课时|小时|分钟|天|科|篇|本|门|项|年|月|日|号|%|岁|块|元|"
    r"hours?|days?|subjects?|years?)")
# A numeral in words followed by 分 is a figure only when 分 ends it ("公需三十分，…"); "十分感谢", "十分着急" use
# 十分 as "very".
_CN_ALLOWED_AFTER = re.compile(
    r"^(?:\s|$|[,，。.;；!！?？、)）]|个?\s*学分|分(?=\s|$|[,，。.;；!！?？、)）]|专业|公需|总|其中|了|吧|啊|呢|够|吗|的|"
    r"还|都|也|和|及|加|\+|and\b|&)|专业|公需|总|其中|了|吧|啊|呢|够|吗|and\b|&)")
# Words that make the next figure a requirement or a conversion, not the user's own credits.
_NEED_BEFORE = re.compile(
    r"(?:需要|要|得|应该|应|必须|至少|不少于|最少|最低|满|规定|要求|达到|够|差|缺|少|抵|算|折算|折合|换|给|值|一年|每年|"
    r"need|required?|must|should|minimum|at least|short|missing|worth)\s*$")
# A figure followed by "each" / "per" is a rate ("90 credits for each certificate", "10 credits per day"), not
# the sender's own credits.
_REQUIREMENT_AFTER = re.compile(
    r"^\s*(?:个)?\s*(?:学分|分|credits?|points?)?\s*(?:的)?\s*(?:要求|规定|标准|门槛|上限|下限|限制|"
    r"以上|就够|就行|就可以|才够|才行|required|requirement|needed|minimum|(?:for )?each\b|per\b|apiece\b)")
_FILLER_FORWARD = re.compile(
    r"^(?:\s|课|科目|课程|的|学分|已经|已|修了|修完|修|学了|拿了|拿到|有了|有|是|了|一共|共|"
    r"总共|只有|才|目前|现在|达到了|都|我|:|：|=|has|have|is|are|of|credits?|i)*$")
_FILLER_BACKWARD = re.compile(r"^(?:\s|个|学分|分|的|credits?|of|in)*$")
_CUE = re.compile(
    r"我|本人|已|修了|修完|学了|学完|拿了|拿到|得了|获得|取得|完成|刷了|攒了|有了|只有|才有|共有|"
    r"目前|现在有|\bi have\b|\bi've\b|\bive\b|\bi got\b|\bi earned\b|\bi completed\b|\bi did\b|"
    r"\bi only have\b|\bi (?:studied|finished|took|passed)\b|\bdone\b|\bcompleted\b|\bearned\b|\bmy\b|\bso far\b|"
    r"\bi'm at\b")
_HYPOTHETICAL = re.compile(r"如果|假如|假设|要是|比如|例如|\bif\b|\bsuppose\b|\bsay i\b")
# The figures are context for another question: whether extra credits carry over to another year. That is
# the carry-over rule's question (a policy answer), not a request to assess this year's figures.
_CARRY_QUESTION = re.compile(r"结转|留到|留给|转到|挪到|顺延|(?:算|用|计|抵)(?:到|进|入|在)?(?:明年|下一?年|以后)|"
                             r"(?:明年|下一?年度?)(?:用|算|抵|顶)|carr(?:y|ied) (?:over|forward)|roll(?:ed)? over|"
                             r"(?:count|use|transfer)\w* (?:\w+ ){0,3}(?:for|to|towards|into) next year")
_BARE_LEFTOVER = re.compile(r"^(?:\s|[,，。.;；!！?？、]|课|科目|课程|的|学分|分|个|和|还有|credits?|and|"
                            r"够吗|够不够|够了吗|行吗|可以吗|达标了吗|达标吗|合格吗|ok\??|enough\??)*$")


# What the question of a statement asks: whether the figures suffice, or what is still missing.
_ASKS_SUFFICIENCY = re.compile(r"够|达标|合格|差|缺|满足|符合|要求|完成|学完|学得完|来得及|赶得上|满了|过关|"
                               r"行吗|行不行|可以吗|可以了吗|可以不|中不中|白学|算完事|"
                               r"还要|还需|还得|多少|几|算不算|\b(?:enough|sufficient|short|meet|met|missing|more|need|"
                               r"requirements?|complete|pass|fine|good|ok)\b", re.IGNORECASE)


# Where credits are shown: "全国平台上还是零学分", "会计之星显示0学分" report credits that have not arrived (the
# credits-sync question), not a total of nothing earned to assess.
_SHOWN_ON = re.compile(r"平台|会计之星|系统|显示|查不到|查询|没到账|没有到账|同步|platform|kjzx|system|show")


# "…，怎么办": what to do about what the message says; about the figures when it says they fall short.
_WHAT_NOW = re.compile(r"^(?:那|那么|现在|这)?(?:该|应该)?(?:怎么办|咋办|怎么弄|咋整|怎么处理|如何处理)(?:呢|啊|呀)?$")


def _asks_other(text: str) -> bool:
    """The message asks something other than whether the figures suffice ("在会计之星上学完了90学分，但是全国平台上
    查不到学分，这是怎么回事？", "已经学完90学分了，证书在哪里打印呢"): the figures are context for that question.
    "学分88分，差2分，怎么办" asks what to do about falling short: the figures' own question."""
    _, asked = asking_clause(text)
    if _WHAT_NOW.match(asked.strip()) and speaks_of_shortfall(text):
        return False
    return is_question(asked) and not _ASKS_SUFFICIENCY.search(asked)


@dataclass(slots=True)
class _Num:
    start: int
    end: int
    value: Decimal
    unit: bool
    requirement: bool
    bound: bool = False


def _find_numbers(text: str) -> list[_Num]:
    found: list[_Num] = []
    for match in _NUM_IN_TEXT.finditer(text):
        after = text[match.end():]
        if _NOT_CREDIT_AFTER.match(after):
            continue
        if match.group("c") is not None and not _CN_ALLOWED_AFTER.match(after):
            continue  # 一共 / 十分感谢: numeral characters inside words
        value = parse_number(match.group(0))
        if value is None:
            continue
        before = text[max(0, match.start() - 8): match.start()]
        requirement = bool(_NEED_BEFORE.search(before) or _REQUIREMENT_AFTER.match(after))
        found.append(_Num(match.start(), match.end(), value, bool(_UNIT_AFTER.match(after)), requirement))
    return found


# "我是2023年拿的初级，今年学了80学分…": a year followed by what happened in it is the asker's story (when they
# qualified or began work), not the year the credits are for.
_STORY_YEAR = re.compile(r"\s*(?:的|就|才|刚|刚刚)?\s*(?:拿|考|取得|获得|通过|评|开始|入职|参加工作|从事|毕业|"
                         r"初级|中级|高级|会计证|证|资格|职称|年底|年初)")


def _take_year(folded: str) -> tuple[int | None, str]:
    """The year the statement names ("2025年", "in 2025"), blanked out so its digits are no figure; years of the
    asker's story are blanked too but name no year."""
    year: int | None = None
    for match in _YEAR_IN_TEXT.finditer(folded):
        blank = " " * (match.end() - match.start())
        folded = folded[: match.start()] + blank + folded[match.end():]
        if year is None and not _STORY_YEAR.match(folded, match.end()):
            year = int(match.group(1) or match.group(2) or match.group(3))
    return year, folded


def _bind_figures(folded: str, numbers: list[_Num]) -> dict[str, Decimal] | None:
    """Which figure belongs to which category word: the figure after a keyword first ("专业60"), then the one
    before it ("60 professional"), then one loose figure in credits as the total ("95学分"). ``None`` when a
    category is named twice or figures are left over ambiguously."""
    keywords = [(m.start(), m.end(), _KIND[m.group(0)]) for m in re.finditer(_KEYWORD, folded)
                if m.group(0) not in ("pro", "prof", "pub", "sum", "共")]
    figures: dict[str, Decimal] = {}
    pending: list[tuple[int, int, str]] = []
    for start, end, kind in keywords:
        following = next((n for n in numbers if n.start >= end), None)
        if (following is not None and not following.bound and not following.requirement
                and _FILLER_FORWARD.match(folded[end:following.start])
                and not any(end <= k[0] < following.start for k in keywords)):
            if kind in figures:
                return None
            following.bound = True
            figures[kind] = following.value
        else:
            pending.append((start, end, kind))
    for start, _end, kind in pending:
        preceding = next((n for n in reversed(numbers) if n.end <= start), None)
        if (preceding is not None and not preceding.bound and not preceding.requirement
                and _FILLER_BACKWARD.match(folded[preceding.end:start])):
            if kind in figures:
                return None
            preceding.bound = True
            figures[kind] = preceding.value
    loose = [n for n in numbers if not n.bound and not n.requirement and n.unit]
    named = sum(v for k, v in figures.items() if k != "total")
    if loose and "total" in figures and sum(n.value for n in loose) + named == figures["total"]:
        # "面授算了30学分，网上公需20、专业36，加起来86分": the total of itemised credits, one of no named kind.
        return {"total": figures["total"]}
    if loose:
        if len(loose) > 1 or "total" in figures:
            return None
        loose[0].bound = True
        figures["total"] = loose[0].value
    return figures


def _reads_as_report(folded: str, numbers: list[_Num], figures: dict[str, Decimal]) -> bool:
    """A possessive or completion cue (我, 已经, I have …), or nothing but category–figure pairs."""
    if _CUE.search(folded):
        return True
    leftover = folded
    for n in sorted((n for n in numbers if n.bound), key=lambda n: n.start, reverse=True):
        leftover = leftover[: n.start] + " " + leftover[n.end:]
    leftover = re.sub(_KEYWORD, " ", leftover)
    if not _BARE_LEFTOVER.match(leftover):
        return False
    return "pro" in figures or "pub" in figures  # a lone "95学分" is a topic, not a report


def claimed_split(text: str) -> tuple[Decimal, Decimal] | None:
    """(professional, total) of a split that someone claims is enough ("专业课60分公需课30分就够了", "60
    professional and 30 public"): the figures bound to their categories as in a statement, without the cue
    that makes them the sender's own. ``None`` unless the professional figure and the public or total one are
    named."""
    _, folded = _take_year(normalize_text(text).lower())
    # A claimed split is a requirement ("…就够了"): its figures are bound whatever words follow them.
    numbers = [replace(n, requirement=False) for n in _find_numbers(folded)]
    figures = _bind_figures(folded, numbers) if numbers else None
    if not figures or "pro" not in figures or not {"pub", "total"} & figures.keys():
        return None
    return figures["pro"], figures.get("total", figures["pro"] + figures.get("pub", Decimal(0)))


def parse_statement(text: str, policy: Policy) -> CreditStatement | None:
    """Recognise a user *stating* their own credits; ``None`` for anything else, questions included.

    A statement needs figures bound to categories (``专业60``, ``60 professional``, ``总95``) or a figure
    in credits ("95学分"), plus either a possessive/completion cue (我 / 已经 / 修了 / I have …) or nothing
    but category–figure pairs ("专业60 公需30 够吗"). Figures introduced by requirement words (需要, 至少,
    要求, need …) are not the user's and are ignored, so "需要90学分吗" is not a statement; nor are the figures of
    what someone said ("有人说公需30专业60"): a claim is checked as a claim (bot.parsing.claims), while "主管说要
    60分，我专业学了50，公需40" still states the sender's own.
    """
    folded = _NOT_ONE.sub("0", normalize_text(text).lower())
    folded = _HEARSAY_CLAUSE.sub(lambda m: " " * len(m.group(0)), folded)
    if not folded or _HYPOTHETICAL.search(folded) or _CARRY_QUESTION.search(folded) or _asks_other(folded):
        return None
    year, folded = _take_year(folded)
    junk = _NOT_A_NUMBER.search(folded)
    if junk is not None and re.search(_KEYWORD, folded):
        return CreditStatement(year, None, None, None, ParseError("bad_number", text=junk.group(0), category=""))
    one_category = _ALL_PHRASE.search(folded) is not None
    binding = _ALL_PHRASE.sub(lambda m: " " * len(m.group(0)), folded) if one_category else folded
    numbers = _find_numbers(binding)
    if not numbers:
        return None
    figures = _bind_figures(binding, numbers)
    # "全部是专业课，共95分" reports a total and where it all came from: a statement without a 我/已经 cue.
    if not figures or not (_reads_as_report(binding, numbers, figures) or (one_category and "total" in figures)):
        return None
    if not any(figures.values()) and _SHOWN_ON.search(binding):
        return None
    pro, pub, total = figures.get("pro"), figures.get("pub"), figures.get("total")
    if total is not None and pro is None and pub is None:  # "100分都是专业课": the whole total is one category
        if _ALL_PRO.search(folded):
            pro = total
        elif _ALL_PUB.search(folded):
            pub = total
    error: ParseError | None = None
    if year is not None:
        error = _check_year(year, policy)
    if error is None:
        resolved = _resolve(pro, pub, total, policy)
        if isinstance(resolved, ParseError) and resolved.code != "professional_needed":
            error = resolved
    return CreditStatement(year, pro, pub, total, error)

