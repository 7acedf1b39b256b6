"""Telling a user whether the claim they repeat is right ("听说只要60学分就够了" → "不对。通知规定每年不少于90学分。…").

A rumour repeated to be checked wants its verdict first, then the rule with its clause and citation. The verdict
comes from what can be checked, in this order, and only for a reply on one topic (a hedge is a guess):

1. a yearly credit figure the claim states, against the policy's figure that the answering entry states
   (``{min_total}``, ``{min_professional}`` in its answer): another figure is wrong, and the right one is said;
   a split ("公需30专业60就够了") is right when it meets both the professional and the total minimum;
2. a closing or opening day, against the policy date the entry states for that event (``{deadline}``,
   ``{makeup_end}``, ``{online_start}`` …);
3. otherwise the entry's own yes/no machinery (its fixed verdict, or its nearest verdict-bearing phrasings), on the
   claim as stated: a negated claim ("外省学的山西不认") is settled in its positive form and turned round.

Anything else gets no verdict: a wrong "对" or "不对" is worse than none.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date

from bot.answers.i18n import Translator
from bot.answers.qa import names_other_number, opens_with_verdict
from bot.answers.reply import Reply
from bot.parsing.claims import Claim, ClaimedDate, read_claim
from bot.parsing.credit_parse import claimed_split
from knowledge import KnowledgeBase, Topic
from knowledge.base import YesNo
from knowledge.loader import format_args
from knowledge.policy import Policy

# The policy figure an entry states for a claimed requirement, by what the claim's figure is of.
_CREDIT_FACTS = {"total": "min_total", "professional": "min_professional"}
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
# A negation of the claimed verb ("山西不认", "不能算", "don't count"): settled in the positive, then turned round.
_NEGATION_ZH = re.compile(r"[不没](?=认|承认|能|可以|用|需要|要|算|会|行|准|让|计|记|有效)")
_NEGATION_EN = re.compile(r"\b(?:(do|does|is|are|can|will|would|could|should)(?: not|n't)|(can)not|won't|not)\b",
                          re.IGNORECASE)
_DATE_WORDS = re.compile(r"\d{1,2}\s*[月日号]")


class ClaimCheck:
    """Puts 对/不对 (Yes/No) before the reply to a claim, from the policy's facts and the entries' verdicts."""

    def __init__(self, kb: Callable[[], KnowledgeBase], policy: Callable[[], Policy], t: Translator) -> None:
        self._kb, self._policy, self._t = kb, policy, t

    def statement(self, text: str) -> str | None:
        """The claim ``text`` repeats, as the answer path should read it ("学分可以留到明年用"), or ``None``."""
        claim = read_claim(text)
        return None if claim is None else claim.statement

    def correct(self, text: str, lang: str, reply: Reply) -> Reply:
        """``reply`` with the claim's verdict first when ``text`` is a claim that can be checked on the reply's
        topic; ``reply`` unchanged otherwise."""
        claim = read_claim(text)
        topic = self._topic(reply)
        if claim is None or topic is None or opens_with_verdict(reply.text):
            return reply
        line = self._verdict(claim, topic, lang)
        return reply if line is None else replace(reply, text=f"{line}{'' if lang == 'zh' else ' '}{reply.text}")

    def _topic(self, reply: Reply) -> Topic | None:
        """The one entry the reply answers (a pair's leader too: it is answered in full); not a hedge, a computed
        credit reading or a question back."""
        if reply.kind != "answer" or reply.extra.get("hedged"):
            return None
        topics = reply.extra.get("topics") or [reply.extra.get("topic")]
        return self._kb().topic(str(topics[0])) if topics and topics[0] else None

    def _verdict(self, claim: Claim, topic: Topic, lang: str) -> str | None:
        facts = format_args(self._policy())
        stated = set(_PLACEHOLDER.findall(topic.entry.answer_zh))
        # A split ("公需30专业60就够") meets the rule or not, whichever entry answers.
        split = claimed_split(claim.statement)
        if split is not None:
            professional, total = split
            if professional < facts["min_professional"]:
                return self._t(lang, "claim.wrong_fact",
                               fact=self._t(lang, "claim.fact.professional", n=facts["min_professional"]))
            if total < facts["min_total"]:
                return self._t(lang, "claim.wrong_fact", fact=self._t(lang, "claim.fact.total", n=facts["min_total"]))
            return self._t(lang, "claim.right")
        if claim.credits is not None:
            kind, figure = claim.credits
            name = _CREDIT_FACTS[kind]
            if name not in stated:
                return None
            if figure == facts[name]:
                return self._t(lang, "claim.right")
            return self._t(lang, "claim.wrong_fact",
                           fact=self._t(lang, f"claim.fact.{kind}", n=facts[name]))
        if claim.date is not None:
            return self._date_verdict(claim.date, stated, facts, lang)
        if claim.other_figure or claim.opinion:
            return None
        verdict = ((self._makeup_years(claim, stated) if claim.makeup_years else None)
                   or self._settle(claim.statement, topic))
        return None if verdict is None else self._t(lang, "claim.right" if verdict == "yes" else "claim.wrong")

    def _date_verdict(self, claimed: ClaimedDate, stated: set[str], facts: dict[str, object],
                      lang: str) -> str | None:
        """The claimed closing/opening day against the one policy date the entry states for that event."""
        suffix = "_end" if claimed.event == "closes" else "_start"
        names = [n for n in stated if f"{n}_iso" in facts
                 and (n.endswith(suffix) or (claimed.event == "closes" and n == "deadline"))]
        if len(names) != 1:
            return None
        day = date.fromisoformat(str(facts[f"{names[0]}_iso"]))
        right = claimed.month == day.month and (
            (claimed.day is None and not claimed.month_end) or claimed.day == day.day
            or (claimed.month_end and day.day == calendar.monthrange(day.year, day.month)[1]))
        if right:
            return self._t(lang, "claim.right")
        shown = facts[names[0] if lang == "zh" else f"{names[0]}_en"]
        return self._t(lang, "claim.wrong_fact", fact=self._t(lang, f"claim.fact.{claimed.event}", date=shown))

    def _makeup_years(self, claim: Claim, stated: set[str]) -> YesNo | None:
        """Whether the years the claim says can be made up are the policy's makeup years (an entry stating
        ``{makeup_years}`` only); a negated claim ("2024年的不能补了") turned round; mixed years unsettled."""
        policy = self._policy()
        if "makeup_years" not in stated or policy.makeup is None:
            return None
        inside = {year in policy.makeup.years for year in claim.makeup_years}
        negations = len(_NEGATION_ZH.findall(claim.statement)) + len(_NEGATION_EN.findall(claim.statement))
        if len(inside) != 1 or negations > 1:
            return None
        return "yes" if (inside == {True}) != bool(negations) else "no"

    def _settle(self, statement: str, topic: Topic) -> YesNo | None:
        """The entry's verdict on the claim as stated. A negated claim is settled in its positive form and turned
        round, by the entry's phrasings only: a fixed verdict answers the entry's own question, whose negation
        may be a different matter. A figure the answer does not state (a date aside) leaves it unsettled."""
        if names_other_number(_DATE_WORDS.sub("", statement), topic.answer("zh") + topic.answer("en")):
            return None
        negation = _NEGATION_ZH if re.search(r"[\u4e00-\u9fff]", statement) else _NEGATION_EN
        negations = len(negation.findall(statement))
        if negations > 1:
            return None
        if not negations:
            return topic.verdict(statement)
        if topic.entry.yes_no in ("yes", "no") or topic.verdicts is None:
            return None
        positive = negation.sub(lambda m: next((g for g in m.groups() if g), ""), statement)
        settled = topic.verdicts.settle(positive)
        return None if settled is None else ("no" if settled == "yes" else "yes")
