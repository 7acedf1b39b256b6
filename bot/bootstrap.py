"""Assembles ``Services`` from settings: policy, catalogs, knowledge index, responder, database.

Everything slow (jieba, the search index) happens here, once, before the first update arrives.
"""

from __future__ import annotations

from functools import lru_cache

from bot.answers import qa
from bot.answers.credit_answers import CreditAnswers
from bot.answers.i18n import translator
from bot.answers.personal import PersonalAnswers
from bot.answers.responder import Responder
from bot.domain.clock import Clock, SystemClock
from bot.infra.config import Settings
from bot.services import Services
from bot.storage import Database
from knowledge import KnowledgeBase
from knowledge.policy import Policy, policy_for


def build_responder(policy: Policy, kb: KnowledgeBase, clock: Clock) -> Responder:
    """Most specific reading first: a conversion question, then a statement of one's credits, then Q&A."""
    t = translator()
    credit_answers = CreditAnswers(policy, t, clock)
    personal = PersonalAnswers(kb, policy, t, clock)
    return Responder(
        interpreters=[credit_answers.conversion, credit_answers.statement, personal.answer],
        fallback=lambda text, lang: qa.answer(kb, text, lang, t),
        t=t,
    )


@lru_cache(maxsize=2)
def _knowledge_base(policy: Policy) -> KnowledgeBase:
    """The index is built once per process (tests build many Applications over the same data)."""
    return KnowledgeBase.load(policy)


def build_services(settings: Settings, *, clock: Clock | None = None, policy: Policy | None = None) -> Services:
    policy = policy or policy_for()
    clock = clock or SystemClock(settings.tz)
    kb = _knowledge_base(policy)
    return Services(
        settings=settings,
        clock=clock,
        policy=policy,
        t=translator(),
        db=Database(settings.database_path),
        responder=build_responder(policy, kb, clock),
        kb=kb,
    )
