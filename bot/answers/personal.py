""""我2019年考过中级，今年还要学吗": a question that carries the asker's own facts is answered by the start-year
rule applied to that person (notice 第一条), not by the general clause.

A responder interpreter, so the chat and ``accbot ask`` answer alike. Nothing is stored: the facts are read
from the question only.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.answers.i18n import Translator
from bot.answers.qa import render_topic
from bot.answers.reply import Reply, Source
from bot.domain.clock import Clock
from bot.domain.credits import Profile, required_for_year
from bot.parsing.questions import (
    asks_after_passing,
    asks_required_amount,
    asks_same_year,
    in_other_situation,
    personal_facts,
    stated_facts,
)
from knowledge import KnowledgeBase
from knowledge.policy import Policy
from knowledge.text import clean

RULE_TOPIC = "start-year"  # also the rule for someone who passed an exam, when the question gives no year


@dataclass(frozen=True)
class PersonalAnswers:
    kb: KnowledgeBase
    policy: Policy
    t: Translator
    clock: Clock

    def answer(self, text: str, lang: str) -> Reply | None:
        facts = personal_facts(text, self.clock.now().year)
        topic = self.kb.topic(RULE_TOPIC)
        if facts is None and asks_after_passing(text):
            # "考过中级还要继续教育吗": not the exam's credit conversion the words also match, but whether (and
            # from when) continuing education applies after passing.
            # Yes/no first: needed from the year after qualifying, not in the year of passing itself.
            if topic is None:
                return None
            verdict = self.t(lang, "qa.personal.passed_same_year" if asks_same_year(text) else "qa.personal.passed")
            return render_topic(topic, lang, self.t, question=text, verdict=verdict)
        amount = False
        if facts is None and asks_required_amount(text):  # "我2020年拿的初级证，今年要学多少学分"
            facts = stated_facts(text, self.clock.now().year)
            amount = True
        if facts is None or topic is None:
            return None
        profile = Profile(qualification_year=facts.qualification_year, work_start_year=facts.work_start_year)
        required, _, start = required_for_year(profile, facts.asked_year)
        if required is None or start is None:
            return None
        event = facts.qualification_year or facts.work_start_year
        trigger = self.t(lang, "qa.personal.qualified" if facts.qualification_year else "qa.personal.worked")
        key = ("qa.personal.amount" if amount else "qa.personal.required") if required else "qa.personal.not_yet"
        verdict = self.t(lang, key,
                         event_year=event, trigger=trigger, start=start, asked=facts.asked_year,
                         min_total=self.policy.credits.min_total,
                         min_professional=self.policy.credits.min_professional)
        first = topic.sources[0]
        body = self.t(lang, "qa.answer", answer=verdict, quote=topic.entry.quote, citation=first.citation)
        return Reply(body, sources=tuple(Source(s.id, s.title, s.citation) for s in topic.sources),
                     # Whether this person must take part in the year asked: a claim about them is checked by it.
                     kind="answer", extra={"topics": ["personal", RULE_TOPIC], "required": bool(required)})

    def preface(self, text: str, lang: str) -> str | None:
        """"我今年刚考过初级，请问去哪里报名？": the answer is where to register, but by the asker's own facts they need
        not take part until next year, which bears on whatever they asked; one short line for it. Nothing when
        the facts make them required this year (the asked answer stands alone) or the message states none."""
        this_year = self.clock.now().year
        if in_other_situation(clean(text).lower()):  # a retiree's or leaver's year is not a start of work
            return None
        facts = stated_facts(text, this_year)
        if facts is None or facts.asked_year != this_year:  # "2024年的学分一直是0，找谁": no verdict for 2024
            return None
        profile = Profile(qualification_year=facts.qualification_year, work_start_year=facts.work_start_year)
        required, _, start = required_for_year(profile, facts.asked_year)
        if required is None or required or start is None:
            return None
        trigger = self.t(lang, "qa.personal.qualified" if facts.qualification_year else "qa.personal.worked")
        return self.t(lang, "qa.personal.preface_not_yet", event_year=facts.qualification_year or facts.work_start_year,
                      trigger=trigger, start=start, asked=facts.asked_year)
