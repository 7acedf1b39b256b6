"""Applying a conversion rule: how many credits a quantity of one form of study is worth.

The forms themselves are data (``knowledge.conversions``); recognising a conversion question in free text is
``bot.parsing.conversions``. This module is the arithmetic between them: per-unit rates, roles, per-day caps.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from knowledge.conversions import ConversionForm, Role
from knowledge.policy import Category

__all__ = ["ConversionQuery", "convert"]


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
    if quantity is None and form.unit != "hour":
        quantity = Decimal(1)
    if quantity is None:
        return ConversionQuery(form, None, role, days, None, None, None, False, None, False)
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
    return ConversionQuery(form, quantity, role, days, counted, counted * rate, other, capped,
                           min_days, once)
