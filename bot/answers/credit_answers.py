"""Free-text readings about credits, as ``Reply`` values: conversion questions and statements of one's credits.

These are responder interpreters, so ``accbot ask`` and the chat answer them identically. In the chat the
handler passes the :class:`Person` behind the message — their saved profile and recorded figures — so a
statement is assessed with the profile, and a category the user did not mention keeps its recorded figure.
Saving is offered through a self-contained button (``cs:<year>:<professional>:<public>``, ``-`` for a category
the user did not name) that still works after a restart; a figure that fails the one validator is refused with
the rule it broke and nothing is offered to save.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from bot.answers.credits_view import render_assessment, render_conversion, render_error
from bot.answers.i18n import Translator
from bot.answers.qa import verdict_first
from bot.answers.reply import Button, Reply
from bot.domain.credits import Category, Profile, YearTotals, assess
from bot.domain.years import YearState, recording_policy
from bot.parsing.conversions import match_conversion_question
from bot.parsing.credit_parse import ParseError, parse_statement
from bot.parsing.numbers import fmt_number

SAVE_PREFIX = "cs:"


CONFIRM_PREFIX = "cc:"
_ORDER = (Category.PROFESSIONAL, Category.PUBLIC)


def _encode(figures: dict[Category, Decimal]) -> str:
    return ":".join(fmt_number(figures[c]) if c in figures else "-" for c in _ORDER)


def save_button_data(year: int, figures: dict[Category, Decimal]) -> str:
    """``cs:<year>:<professional|->:<public|->``: the named figures of a statement, to save on a tap."""
    return f"{SAVE_PREFIX}{year}:{_encode(figures)}"


def confirm_button_data(stamp: int, year: int, figures: dict[Category, Decimal]) -> str:
    """``cc:<stamp>:<year>:<professional|->:<public|->``: confirm a change planned when ``stamp`` was newest."""
    return f"{CONFIRM_PREFIX}{stamp}:{year}:{_encode(figures)}"


def decode_figures(fields: list[str]) -> tuple[int, dict[Category, Decimal]] | None:
    """``[year, professional|-, public|-]`` → (year, named figures); ``None`` when malformed. The values are
    only read here; whether they may be recorded is the validator's decision (buttons can be forged)."""
    if len(fields) != 3 or not fields[0].isdigit():
        return None
    figures: dict[Category, Decimal] = {}
    for category, raw in zip(_ORDER, fields[1:], strict=True):
        if raw == "-":
            continue
        try:
            figures[category] = Decimal(raw)
        except InvalidOperation:
            return None
    return (int(fields[0]), figures) if figures else None


@dataclass(frozen=True)
class Person:
    """Who sent a statement: their saved profile and recorded figures (empty for ``accbot ask``)."""

    profile: Profile | None = None
    recorded: dict[int, YearTotals] = field(default_factory=dict)
    profile_hint: bool = True  # say "set your profile" (the chat says it once per user)


@dataclass(frozen=True)
class CreditAnswers:
    """``state`` gives the year of *now* (a statement made on 2027-01-05 is about 2027 unless it says 2026)."""

    state: Callable[[], YearState]
    t: Translator

    def conversion(self, text: str, lang: str) -> Reply | None:
        query = match_conversion_question(text)
        if query is None:
            return None
        # Asked yes/no ("考过中级一科能抵学分吗", "Does CPA institute training count?"): a form the rules convert
        # counts, so 能/算 (Yes) comes first, unless the question names a figure the rule does not give.
        body = verdict_first(render_conversion(query, lang, self.t), text, lang, self.t, lambda _: "yes")
        return Reply(body, kind="credits", extra={"topics": ["conversion"]})

    def statement(self, text: str, lang: str, person: Person | None = None) -> Reply | None:
        person = person or Person()
        state = self.state()
        policy, today = recording_policy(state), state.today
        stated = parse_statement(text, policy)
        if stated is None:
            return None
        if stated.error is not None:
            return Reply(render_error(stated.error, lang, self.t), kind="error")
        totals = stated.totals(state.record_year)
        if totals is None:  # only a total: enough to say what is missing overall, not the professional part
            total = stated.total or 0
            minimum = policy.credits.min_total
            if total < minimum:
                text_out = self.t(lang, "credits.partial_total", total=fmt_number(total), min_total=minimum,
                                  missing=fmt_number(minimum - total),
                                  min_professional=policy.credits.min_professional)
                return Reply(text_out, kind="credits", extra={"topics": ["statement"]})
            error = ParseError("professional_needed", total=fmt_number(total))
            return Reply(render_error(error, lang, self.t), kind="error")
        resolved = stated.figures(state.record_year)
        assert resolved is not None
        year, figures = resolved
        records = {**person.recorded, year: person.recorded.get(year, YearTotals(year)).with_figures(figures)}
        assessment = assess(policy, person.profile, records, today, year=year)
        text_out = render_assessment(assessment, lang, self.t, profile_hint=person.profile_hint)
        text_out += "\n\n" + self.t(lang, "credits.offer_save")
        button = Button(self.t(lang, "credits.button.save"), save_button_data(year, figures))
        return Reply(text_out, buttons=((button,),), kind="credits", extra={"topics": ["statement"]})
