"""Free-text readings about credits, as ``Reply`` values: conversion questions and statements of one's credits.

These are responder interpreters, so ``accbot ask`` and the chat answer them identically. A statement is
assessed as stated (no profile: nothing is looked up); saving it is offered through a self-contained button
(``cs:<year>:<professional>:<public>``) that still works after a restart.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.answers.credits_view import render_assessment, render_conversion, render_error
from bot.answers.i18n import Translator
from bot.answers.reply import Button, Reply
from bot.domain.credits import YearTotals, assess
from bot.domain.years import YearState, recording_policy
from bot.parsing.conversions import match_conversion_question
from bot.parsing.credit_parse import ParseError, parse_statement
from bot.parsing.numbers import fmt_number

SAVE_PREFIX = "cs:"


def save_button_data(totals: YearTotals) -> str:
    return f"{SAVE_PREFIX}{totals.year}:{fmt_number(totals.professional)}:{fmt_number(totals.public)}"


@dataclass(frozen=True)
class CreditAnswers:
    """``state`` gives the year of *now* (a statement made on 2027-01-05 is about 2027 unless it says 2026)."""

    state: Callable[[], YearState]
    t: Translator

    def conversion(self, text: str, lang: str) -> Reply | None:
        query = match_conversion_question(text)
        if query is None:
            return None
        return Reply(render_conversion(query, lang, self.t), kind="credits", extra={"topics": ["conversion"]})

    def statement(self, text: str, lang: str) -> Reply | None:
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
        assessment = assess(policy, None, {totals.year: totals}, today, year=totals.year)
        text_out = render_assessment(assessment, lang, self.t) + "\n\n" + self.t(lang, "credits.offer_save")
        button = Button(self.t(lang, "credits.button.save"), save_button_data(totals))
        return Reply(text_out, buttons=((button,),), kind="credits", extra={"topics": ["statement"]})
