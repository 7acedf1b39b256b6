"""Numbers as accountants type them: ``40``, ``４０``, ``7.5``, ``四十``, ``两``, ``七点五``, ``半``.

Credits are exact quantities (halves are common: a 1.5-credit course), so everything is a ``Decimal``;
floats would print ``7.499999``. Parsing is strict on purpose: ``四十五点`` or ``4o`` is a typo the user
should fix, not a number we should guess, because a wrong figure silently changes a compliance answer.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import lru_cache

import cn2an

__all__ = ["CN_NUMERAL_CHARS", "EN_NUMBERS", "fmt_number", "normalize_text", "parse_count", "parse_number"]

# English number words, the one table for the bot (credit questions, time expressions).
EN_NUMBERS: dict[str, int] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
}

# Characters that may make up a Chinese numeral (after normalisation 两→二, 〇→零).
CN_NUMERAL_CHARS = "零〇一二两三四五六七八九十百千廿点"

_ARABIC = re.compile(r"^[+-]?(?:\d+(?:\.\d+)?|\.\d+)$")
_CHINESE = re.compile(rf"^负?[{CN_NUMERAL_CHARS}]+$")
# Units that may trail a figure without changing it: "7.5分", "90学分", "30个学分", "40 credits".
_TRAILING_UNIT = re.compile(r"\s*(?:个)?\s*(?:学分|分|credits?|pts?)$", re.IGNORECASE)
_MAX_DIGITS = 9  # anything longer is not a credit figure, and cn2an accepts 万/亿 we never need


def normalize_text(text: str) -> str:
    """NFKC-fold full-width characters (``４０`` → ``40``, ``：`` → ``:``) and trim whitespace."""
    return unicodedata.normalize("NFKC", text).strip()


def _chinese(body: str) -> Decimal | None:
    negative = body.startswith("负")
    digits = body[1:] if negative else body
    # cn2an's strict mode rejects 两 and 〇; they are ordinary in speech ("两科", "二〇").
    digits = digits.replace("两", "二").replace("〇", "零")
    if digits.startswith("点") or digits.endswith("点"):
        return None
    try:
        value = cn2an.cn2an(digits, "strict")
    except (ValueError, KeyError, IndexError):
        return None
    result = Decimal(str(value))
    return -result if negative else result


def parse_number(s: str) -> Decimal | None:
    """Parse one figure; ``None`` if it is not unambiguously a number.

    Accepts Arabic (``40``, ``7.5``, ``-3``), full-width (``４０``), Chinese numerals (``四十``,
    ``一百二十``, ``七点五``, ``两``), ``半`` (0.5) and ``N半`` / ``N个半`` (N + 0.5), each optionally
    followed by ``分`` / ``学分`` / ``credits``. Negative numbers are returned as such so that callers can
    tell the user "credits cannot be negative" instead of "I did not understand".
    """
    if not s:
        return None
    text = normalize_text(s).replace(" ", "")
    text = _TRAILING_UNIT.sub("", text)
    if not text:
        return None
    if text == "半":
        return Decimal("0.5")
    if len(text) > 1 and text.endswith("半"):
        head = text[:-1]
        head = head[:-1] if head.endswith("个") else head
        base = parse_number(head)
        if base is None or base < 0 or base != base.to_integral_value():
            return None
        return base + Decimal("0.5")
    if _ARABIC.match(text):
        if len(text.lstrip("+-").replace(".", "")) > _MAX_DIGITS:
            return None
        try:
            return Decimal(text)
        except InvalidOperation:  # pragma: no cover - the regex admits only valid literals
            return None
    if _CHINESE.match(text):
        if "万" in text or "亿" in text:
            return None
        return _chinese(text)
    return None


@lru_cache(maxsize=4096)
def parse_count(s: str) -> int | None:
    """A whole number as written in a date or a duration: ``12``, ``十二``, ``两``, ``廿``, ``二〇二六``.

    Unlike :func:`parse_number` (a credit figure, strict), dates and durations are read the way people say
    them: cn2an's smart mode takes 两, 〇, 廿 and digit-by-digit years. Fractions are not counts.
    """
    if s.isdigit():
        return int(s)
    if s.lower() in EN_NUMBERS:
        return EN_NUMBERS[s.lower()]
    try:
        value = cn2an.cn2an(s, "smart")
    except (ValueError, KeyError, IndexError):
        return None
    return int(value) if float(value).is_integer() else None


def fmt_number(value: Decimal | int) -> str:
    """Display a figure without a trailing ``.0`` and without exponent: 90, 7.5, 100."""
    d = Decimal(value)
    if d == d.to_integral_value():
        return str(int(d))
    return format(d.normalize(), "f")
