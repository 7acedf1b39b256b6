"""Assembles ``Services`` from settings: policy, catalogs, knowledge index, responder, database.

Everything slow (jieba, the search index) happens here, once, before the first update arrives.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from bot.answers import qa
from bot.answers.claims import ClaimCheck
from bot.answers.credit_answers import CreditAnswers
from bot.answers.i18n import translator
from bot.answers.personal import PersonalAnswers
from bot.answers.reply import Reply
from bot.answers.responder import Responder
from bot.answers.time_answers import TimeAnswers
from bot.domain.clock import Clock, SystemClock
from bot.infra.config import Settings
from bot.parsing.questions import emphasise_asked
from bot.services import Services
from bot.services.years import Years
from bot.storage import Database
from knowledge import KnowledgeBase
from knowledge.loader import KNOWLEDGE_DIR
from knowledge.policy import FixedPolicies, Policy, PolicyLibrary


def build_responder(years: Years) -> Responder:
    """Most specific reading first: a conversion question, a statement of one's credits, a question about
    time (days left, windows, next year: computed from today's date), then the general Q&A."""
    t = translator()
    credit_answers = CreditAnswers(years.state, t)
    time_answers = TimeAnswers(years.state, years.kb, t)
    claims = ClaimCheck(years.kb, years.policy, t)

    def personal_answers() -> PersonalAnswers:
        return PersonalAnswers(years.kb(), years.policy(), t, years.clock)

    def personal(text: str, lang: str) -> Reply | None:
        return personal_answers().answer(text, lang)

    return Responder(
        # The time reading, like the FAQ, reads a long message's asked clause first (see ``emphasise_asked``).
        interpreters=[credit_answers.conversion, credit_answers.statement, personal,
                      lambda text, lang: time_answers.interpret(emphasise_asked(text), lang)],
        fallback=lambda text, lang: qa.answer(years.kb(), text, lang, t),
        brief=lambda ids, lang, lead: qa.brief(years.kb(), ids, lang, t, lead=lead),
        t=t,
        for_person=credit_answers.statement,
        preface=lambda text, lang: personal_answers().preface(text, lang),
        claim_statement=claims.statement,
        claim_verdict=claims.correct,
        cache_key=lambda: years.clock.now().replace(second=0, microsecond=0),
    )


@lru_cache(maxsize=8)
def _knowledge_base(policy: Policy, roots: tuple[Path, ...] = (KNOWLEDGE_DIR,)) -> KnowledgeBase:
    """The index is built once per process and year (tests build many Applications over the same data)."""
    return KnowledgeBase.load(policy, roots)


def build_services(settings: Settings, *, clock: Clock | None = None, policy: Policy | None = None) -> Services:
    """``policy`` pins one year (tests of a single year's rules); by default the year follows the clock."""
    clock = clock or SystemClock(settings.tz)
    roots = (KNOWLEDGE_DIR, *settings.knowledge_dirs)
    library = PolicyLibrary(roots) if policy is None else FixedPolicies(policy)
    years = Years(clock, library, lambda p: _knowledge_base(p, roots))
    # Build today's index now: built lazily, the first question would hold the event loop for seconds while
    # a crowd waits behind it. A later year's index is built once, on the first question of that year.
    years.kb()
    return Services(
        settings=settings,
        clock=clock,
        years=years,
        t=translator(),
        db=Database(settings.database_path),
        responder=build_responder(years),
    )
