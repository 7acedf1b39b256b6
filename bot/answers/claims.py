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
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date

from bot.answers.i18n import Translator
from bot.answers.qa import names_other_number, opens_with_verdict, verdict_first
from bot.answers.reply import Reply
from bot.parsing.claims import (
    Claim,
    ClaimedDate,
    claimed_credit_figures,
    claimed_requirement,
    read_asked_figure,
    read_claim,
)
from bot.parsing.conversions import match_conversion_question
from bot.parsing.credit_parse import claimed_split
from bot.parsing.numbers import fmt_number
from knowledge import KnowledgeBase, Topic
from knowledge.base import YesNo
from knowledge.loader import format_args
from knowledge.policy import Policy
from knowledge.text import is_yes_no

# The policy figure an entry states for a claimed requirement, by what the claim's figure is of.
_CREDIT_FACTS = {"total": "min_total", "professional": "min_professional"}
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
# A negation of the claimed verb ("山西不认", "不能算", "don't count"): settled in the positive, then turned round.
_NEGATION_ZH = re.compile(r"[不没](?=认|承认|能|可以|用|需要|要|算|会|行|准|让|计|记|有效)")
_NEGATION_EN = re.compile(r"\b(?:(do|does|is|are|can|will|would|could|should)(?: not|n't)|(can)not|won't|not)\b",
                          re.IGNORECASE)
_DATE_WORDS = re.compile(r"\d{1,2}\s*[月日号]")
# The personal reading's own verdict ("需要。", "不需要。", "Yes.", "No."), which a claim's 对/不对 replaces.
_LEADING_VERDICT = re.compile(r"^(?:不?需要|yes|no)[。.]\s*", re.IGNORECASE)


def _negations(statement: str) -> int:
    """How many times ``statement`` negates its verb, in either language."""
    return len(_NEGATION_ZH.findall(statement)) + len(_NEGATION_EN.findall(statement))


def _settled_alike(verdicts: Iterable[YesNo | None]) -> YesNo | None:
    """A hedge's verdict: one that at least two of its readings settle alike and none otherwise (a hedge is a
    guess, so one reading alone does not settle it)."""
    settled = [v for v in verdicts if v is not None]
    return settled[0] if len(settled) >= 2 and len(set(settled)) == 1 else None


def _first(line: str, reply: Reply, lang: str) -> Reply:
    """``reply`` with ``line`` (a verdict) in front."""
    return replace(reply, text=f"{line}{'' if lang == 'zh' else ' '}{reply.text}")


class ClaimCheck:
    """Puts 对/不对 (Yes/No) before the reply to a claim, from the policy's facts and the entries' verdicts."""

    def __init__(self, kb: Callable[[], KnowledgeBase], policy: Callable[[], Policy], t: Translator) -> None:
        self._kb, self._policy, self._t = kb, policy, t

    def statement(self, text: str) -> str | None:
        """The claim ``text`` repeats, as the answer path should read it ("学分可以留到明年用"), or ``None``."""
        claim = read_claim(text)
        return None if claim is None else claim.statement

    def correct(self, text: str, lang: str, reply: Reply) -> Reply:
        """``reply`` with its verdict first: for a claim, 对/不对 (Yes/No) when it can be checked on what the reply
        shows; for a yes/no question answered by another path than the FAQ's own rendering (a time answer, a hedge
        whose readings agree) or naming a figure or a day ("每年是不是要学够120学分"), 是/否 (Yes/No). ``reply``
        unchanged otherwise."""
        claim = read_claim(text)
        if claim is not None:
            return self._checked(claim, lang, reply)
        if reply.extra.get("topics") == ["conversion"] and is_yes_no(text) and not opens_with_verdict(reply.text):
            # "一天会议能折20学分吗": the figure asked about against the computed one (the same figure opens with 能)
            line = self._conversion(text, lang, asked=True)
            return reply if line is None else _first(line, reply, lang)
        if reply.kind != "answer" or opens_with_verdict(reply.text) or not is_yes_no(text):
            return reply
        topics, hedged = self._shown(reply)
        if not topics:
            return reply
        asked = read_asked_figure(text)
        if asked is not None:
            line = self._figures(asked, topics, lang, asked=True)
            if line is not None:
                return _first(line, reply, lang)
        if not (hedged or reply.extra.get("computed")):
            return reply  # the FAQ rendering settled a single answer or a pair's leader already (or found none)
        return replace(reply, text=verdict_first(reply.text, text, lang, self._t,
                                                 lambda q: self._agreed(q, topics, hedged)))

    def _checked(self, claim: Claim, lang: str, reply: Reply) -> Reply:
        """The claim's verdict before ``reply``, the answer to the claim read as a statement."""
        ids = [str(t) for t in reply.extra.get("topics") or [reply.extra.get("topic")] if t]
        if "personal" in ids and isinstance(reply.extra.get("required"), bool):
            # "我同事说今年刚拿证的今年也要学满90学分": the start-year rule for that person settles it; the reply's own
            # 需要/不需要 gives way to 对/不对 (the person's years follow it).
            says = claimed_requirement(claim.statement)
            if says is None:
                return reply
            line = self._t(lang, "claim.right" if says == reply.extra["required"] else "claim.wrong")
            return _first(line, replace(reply, text=_LEADING_VERDICT.sub("", reply.text, count=1)), lang)
        if opens_with_verdict(reply.text):
            return reply
        if ids == ["conversion"]:
            line = self._conversion(claim.statement, lang)
        else:
            topics, hedged = self._shown(reply)
            line = self._verdict(claim, topics, hedged, lang) if topics else None
        return reply if line is None else _first(line, reply, lang)

    def _shown(self, reply: Reply) -> tuple[list[Topic], bool]:
        """The entries the reply answers: one, a pair's leader (answered in full; the runner-up is a short
        alternative), or a hedge's shown readings (and ``True``); none for a computed credit reading or a question
        back."""
        if reply.kind != "answer":
            return [], False
        ids = reply.extra.get("topics") or [reply.extra.get("topic")]
        hedged = bool(reply.extra.get("hedged"))
        topics = [t for t in (self._kb().topic(str(i)) for i in ids if i) if t is not None]
        return (topics if hedged else topics[:1]), hedged

    def _agreed(self, question: str, topics: list[Topic], hedged: bool) -> YesNo | None:
        """The verdict of the one entry answered; for a hedge, one its readings settle alike (each by its own yes/no
        phrasings, as a pair's leader)."""
        if not hedged:
            return topics[0].verdict(question)
        return _settled_alike(t.verdict(question, backed=True) for t in topics)

    def _conversion(self, statement: str, lang: str, asked: bool = False) -> str | None:
        """A claim about what a form converts to ("考过一科中级能顶90学分", "一天会议能折20学分") against the computed
        figure; with no figure and no number at all ("考过中级能抵学分"), a form the rules convert counts (a negated
        claim does not). ``asked``: a yes/no question naming a figure ("一天会议能折20学分吗"), which gets 否 and the
        computed figure when it names another (its 能 for the right figure comes with the conversion reply)."""
        query = match_conversion_question(statement)
        if query is None:
            return None
        figures = claimed_credit_figures(statement)
        negations = _negations(statement)
        if not figures:
            if asked or re.search(r"\d", statement) or negations > 1:
                return None
            return self._t(lang, "claim.wrong" if negations else "claim.right")
        if len(figures) != 1 or negations or query.credits is None or query.credits_other is not None:
            return None
        if figures[0] == query.credits:
            return None if asked else self._t(lang, "claim.right")
        wrong = "claim.asked_wrong_fact" if asked else "claim.wrong_fact"
        return self._t(lang, wrong, fact=self._t(lang, "claim.fact.converts", n=fmt_number(query.credits)))

    def _figures(self, claim: Claim, topics: list[Topic], lang: str, asked: bool = False) -> str | None:
        """The verdict on the figures and days a claim states, from the policy's own: a split or a yearly credit
        figure against the minimums (when a shown entry states that minimum), a day against the one policy date
        the shown entries state for that event. ``asked``: a yes/no question's wording (是/否, Yes/No)."""
        facts = format_args(self._policy())
        stated = set().union(*(_PLACEHOLDER.findall(t.entry.answer_zh) for t in topics))
        right, wrong = ("qa.yes", "claim.asked_wrong_fact") if asked else ("claim.right", "claim.wrong_fact")
        # A split ("公需30专业60就够") meets the rule or not, whichever entry answers.
        split = None if asked else claimed_split(claim.statement)
        if split is not None:
            professional, total = split
            if professional < facts["min_professional"]:
                return self._t(lang, wrong, fact=self._t(lang, "claim.fact.professional", n=facts["min_professional"]))
            if total < facts["min_total"]:
                return self._t(lang, wrong, fact=self._t(lang, "claim.fact.total", n=facts["min_total"]))
            return self._t(lang, right)
        if claim.credits is not None:
            kind, figure = claim.credits
            name = _CREDIT_FACTS[kind]
            if name not in stated:
                return None
            if figure == facts[name]:
                return self._t(lang, right)
            return self._t(lang, wrong, fact=self._t(lang, f"claim.fact.{kind}", n=facts[name]))
        if claim.date is not None:
            return self._date_verdict(claim.date, topics, facts, lang, right, wrong)
        if claim.hours_required and "min_total" in stated:  # the notice counts credits: 90学分, not hours
            return self._t(lang, wrong, fact=self._t(lang, "claim.fact.total", n=facts["min_total"]))
        return None

    def _verdict(self, claim: Claim, topics: list[Topic], hedged: bool, lang: str) -> str | None:
        if (claim.credits is not None or claim.date is not None or claim.hours_required
                or claimed_split(claim.statement) is not None):
            return self._figures(claim, topics, lang)
        if claim.other_figure or claim.opinion:
            return None
        stated = set().union(*(_PLACEHOLDER.findall(t.entry.answer_zh) for t in topics))
        verdict = ((self._makeup_years(claim, stated) if claim.makeup_years else None)
                   or self._agreed_claim(claim.statement, topics, hedged))
        return None if verdict is None else self._t(lang, "claim.right" if verdict == "yes" else "claim.wrong")

    def _agreed_claim(self, statement: str, topics: list[Topic], hedged: bool) -> YesNo | None:
        """:meth:`_settle` by the one entry answered, or by a hedge's readings settled alike."""
        if not hedged:
            return self._settle(statement, topics[0])
        return _settled_alike(self._settle(statement, t) for t in topics)

    def _date_verdict(self, claimed: ClaimedDate, topics: list[Topic], facts: dict[str, object], lang: str,
                      right: str, wrong: str) -> str | None:
        """The claimed closing/opening day against the policy date the shown entries state for that event (each
        entry one such date, and all the same day)."""
        suffix = "_end" if claimed.event == "closes" else "_start"
        found: set[str] = set()
        for topic in topics:
            names = [n for n in set(_PLACEHOLDER.findall(topic.entry.answer_zh)) if f"{n}_iso" in facts
                     and (n.endswith(suffix) or (claimed.event == "closes" and n == "deadline"))]
            if len(names) > 1:
                return None
            found.update(names)
        days = {str(facts[f"{n}_iso"]) for n in found}
        if len(days) != 1:
            return None
        name = sorted(found)[0]
        day = date.fromisoformat(days.pop())
        if claimed.month == day.month and (
                (claimed.day is None and not claimed.month_end) or claimed.day == day.day
                or (claimed.month_end and day.day == calendar.monthrange(day.year, day.month)[1])):
            return self._t(lang, right)
        shown = facts[name if lang == "zh" else f"{name}_en"]
        return self._t(lang, wrong, fact=self._t(lang, f"claim.fact.{claimed.event}", date=shown))

    def _makeup_years(self, claim: Claim, stated: set[str]) -> YesNo | None:
        """Whether the years the claim says can be made up are the policy's makeup years (an entry stating
        ``{makeup_years}`` only); a negated claim ("2024年的不能补了") turned round; mixed years unsettled."""
        policy = self._policy()
        if "makeup_years" not in stated or policy.makeup is None:
            return None
        inside = {year in policy.makeup.years for year in claim.makeup_years}
        negations = _negations(claim.statement)
        if len(inside) != 1 or negations > 1:
            return None
        return "yes" if (inside == {True}) != bool(negations) else "no"

    def _settle(self, statement: str, topic: Topic) -> YesNo | None:
        """The entry's verdict on the claim as stated. A negated claim is settled in its positive form and turned
        round, by the entry's phrasings only (an entry's fixed verdict labels its own yes/no phrasings, which must be
        near the positive form): the fixed verdict alone answers the entry's own question, whose negation may be a
        different matter ("没考证的做会计不用参加" is settled by "没有证做会计要学吗", yes, turned round). A figure
        the answer does not state (a date aside) leaves it unsettled."""
        if names_other_number(_DATE_WORDS.sub("", statement), topic.answer("zh") + topic.answer("en")):
            return None
        negation = _NEGATION_ZH if re.search(r"[\u4e00-\u9fff]", statement) else _NEGATION_EN
        negations = len(negation.findall(statement))
        if negations > 1:
            return None
        if not negations:
            return topic.verdict(statement)
        if topic.verdicts is None:
            return None
        positive = negation.sub(lambda m: next((g for g in m.groups() if g), ""), statement)
        settled = topic.verdicts.settle(positive)
        return None if settled is None else ("no" if settled == "yes" else "yes")
