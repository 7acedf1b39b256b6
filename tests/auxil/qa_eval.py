"""Grading the question answering by topic, on sets written apart from the index and on unseen phrasings.

A case names the topics that may answer it; a reply is right when its first answered topic is one of them
(and every ``also`` topic is answered too, for a message holding several questions) and it contains the
case's facts. A reply that answers confidently with another topic is *confidently wrong*, which is worse
than "not sure": both rates are reported. A close call answered with both of two short answers (a *pair*,
``extra["pair"]``) is right when either is the case's topic and confidently wrong when neither is. A *hedge*
(``extra["hedged"]``: three or more close, the reply opens by saying it is not sure, answers the likeliest and
names the next ones in short form) is right when any topic it shows is the case's; when none is, it is a
*hedged miss*: an unsure reply like "not sure" with buttons, not a confident one, counted apart so the line
shows it. The lines say how many right answers were pairs and hedges.

An expected topic that has since been merged into another entry (the entry ``replaces`` it) is satisfied by
that entry: cases name the question's topic, not the FAQ's current layout.

The k-fold part holds out every k-th phrasing of every FAQ entry, rebuilds the index without them and asks
them: the score on phrasings the index has never seen.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from bot.answers.reply import Reply
from knowledge import KnowledgeBase
from knowledge.base import HEDGE_SHOWN
from knowledge.loader import shipped_aliases

EVAL_DIR = Path(__file__).resolve().parents[1] / "eval"
# Each graded set's line, printed after the whole run (tests/conftest.py) so that CI reports both the sets and
# the unseen-phrasing folds whatever pytest captures.
REPORT: list[str] = []
# Sets and their roles: "tuning" may guide phrasings and thresholds; the others never do.
SETS = {"qa_eval.toml": "tuning", "qa_holdout.toml": "held-out", "real_questions.toml": "real (dev)",
        "qa_blind.toml": "held-out", "qa_blind2.toml": "held-out (blind)",
        "qa_blind3.toml": "dev (blind until 10:45)", "qa_blind4.toml": "held-out (blind)",
        "qa_blind5.toml": "held-out (blind)", "qa_blind6.toml": "held-out (blind)",
        "qa_blind7.toml": "held-out (blind)",
        "realpage_dev.toml": "dev", "realpage_holdout.toml": "held-out (blind)",
        "realpage2_dev.toml": "dev", "realpage2_holdout.toml": "held-out (blind)",
        "qa_multi.toml": "dev", "qa_multi2.toml": "dev", "qa_multi_holdout.toml": "held-out",
        "multi3_dev.toml": "dev", "multi3_holdout.toml": "held-out",
        "english_dev.toml": "dev", "english_holdout.toml": "held-out",
        "english2_dev.toml": "dev", "english2_holdout.toml": "held-out",
        "unsettled_dev.toml": "dev", "unsettled_holdout.toml": "held-out",
        "scope_dev.toml": "dev", "scope_holdout.toml": "held-out",
        "verdicts2_dev.toml": "dev", "verdicts2_holdout.toml": "held-out"}


# Readings computed from the question rather than taken from one FAQ entry.
COMPUTED = {"conversion", "statement", "personal"}


@dataclass(frozen=True)
class Case:
    q: str
    lang: str = "zh"
    topics: tuple[str, ...] = ()
    also: tuple[str, ...] = ()
    facts: tuple[str, ...] = ()
    expect: str = "answer"  # answer | not_found | decline (anything but a confident answer)
    # Topics a part may be answered with without being wrong, and whether any other topic answered, or one
    # topic answered twice, makes the reply confidently wrong (sets of several questions in one message).
    may: tuple[str, ...] = ()
    strict: bool = False
    # The verdict a yes/no question's reply must open with ("Yes"/"No", "是"/"不"…), empty when none is asked for.
    opens: str = ""


def load_cases(path: Path) -> list[Case]:
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    strict = bool(data.get("strict", False))
    return [Case(c["q"], c.get("lang", "zh"), tuple(c.get("topics", ())), tuple(c.get("also", ())),
                 tuple(c.get("facts", ())), c.get("expect", "answer"), tuple(c.get("may", ())), strict,
                 c.get("opens", ""))
            for c in data["case"]]


@cache
def _aliases() -> dict[str, str]:
    return shipped_aliases()


def live_id(topic: str) -> str:
    """The entry that answers ``topic`` now: itself, or the entry it was merged into."""
    return _aliases().get(topic, topic)


def reply_topics(reply: Reply) -> list[str]:
    """The topics a reply answers, in order ("statement"/"conversion"/"personal" for the credit readings)."""
    if reply.kind not in ("answer", "credits"):
        return []
    topics = reply.extra.get("topics")
    if isinstance(topics, list):
        return [str(t) for t in topics]
    topic = reply.extra.get("topic")
    return [str(topic)] if topic else []


@dataclass(frozen=True)
class Outcome:
    case: Case
    correct: bool
    confident_wrong: bool
    detail: str
    # A hedge (which says it is unsure) that shows no expected topic: wrong, but not confidently.
    hedged_miss: bool = False


def opens_with(text: str, verdict: str) -> bool:
    """Whether ``text`` opens with ``verdict`` as a word of its own: "No." and "No:" do, "Not …" and "Normally" do
    not."""
    return re.match(re.escape(verdict) + r"(?![A-Za-z])", text.strip(), re.IGNORECASE) is not None


def grade(case: Case, reply: Reply) -> Outcome:
    got = reply_topics(reply)
    answered = reply.kind in ("answer", "credits")
    if case.expect == "not_found":
        ok = reply.kind == "not_found"
        return Outcome(case, ok, answered, f"{reply.kind} {got}")
    if case.expect == "decline":
        return Outcome(case, not answered, answered, f"{reply.kind} {got}")
    if not answered or not got:
        return Outcome(case, False, False, f"{reply.kind} (score {reply.score})")
    # A reply to several questions lists each answered part's topics (a close call's two, a hedged part's three).
    whole = bool(reply.extra.get("pair") or reply.extra.get("hedged"))
    parts = reply.extra.get("parts") or [{"topics": got, "pair": whole}]
    close = ("hedge" if reply.extra.get("hedged") or parts[0].get("hedged") else "pair" if parts[0]["pair"]
             else "")
    expected = {live_id(t) for t in case.topics}
    live = [live_id(t) for t in got]
    hedged = close == "hedge"
    if live[0] not in expected and not (close and {live_id(t) for t in parts[0]["topics"]} & expected):
        return Outcome(case, False, not hedged, f"answered {got} (score {reply.score})", hedged_miss=hedged)
    # An `also` of "a|b": that part is answered by either topic.
    missing_topics = [t for t in case.also if not {live_id(x) for x in t.split("|")} & set(live)]
    if case.strict:
        allowed = expected | {live_id(x) for t in (*case.also, *case.may) for x in t.split("|")}
        # Each part by its answer; a close call by whichever of its two (a hedged part: three) the case allows.
        answered = [next((t for t in ids if t in allowed), ids[0]) if p["pair"] or p.get("hedged") else ids[0]
                    for p in parts for ids in [[live_id(t) for t in p["topics"]]]]
        stray = [p for p, t in zip(parts, answered, strict=True) if t not in allowed]
        # A computed reading ("conversion") answers different questions under one id: only entries count twice.
        entries = [t for t in answered if t not in COMPUTED]
        if stray or len(set(entries)) < len(entries):
            # A part answered in compact form says it is unsure: showing other topics there is a hedged miss.
            unsure = bool(stray) and all(p.get("hedged") for p in stray) and len(set(entries)) == len(entries)
            return Outcome(case, False, not unsure, f"answered {got}: {'other topics' if stray else 'one topic twice'}",
                           hedged_miss=unsure)
    missing_facts = [f for f in case.facts if f not in reply.text]
    if case.opens and not opens_with(reply.text, case.opens):
        missing_facts.append(f"opening {case.opens!r}")
    if missing_topics or missing_facts:
        return Outcome(case, False, False, f"answered {got} without {missing_topics + missing_facts}")
    return Outcome(case, True, False, close)


@dataclass
class Score:
    name: str
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.outcomes)

    @property
    def accuracy(self) -> float:
        return sum(o.correct for o in self.outcomes) / max(1, self.total)

    @property
    def confident_wrong(self) -> float:
        return sum(o.confident_wrong for o in self.outcomes) / max(1, self.total)

    @property
    def hedged_misses(self) -> int:
        return sum(o.hedged_miss for o in self.outcomes)

    def line(self) -> str:
        right = sum(o.correct for o in self.outcomes)
        wrong = sum(o.confident_wrong for o in self.outcomes)
        pairs = sum(o.correct and o.detail == "pair" for o in self.outcomes)
        hedges = sum(o.correct and o.detail == "hedge" for o in self.outcomes)
        return (f"{self.name}: {right}/{self.total} = {self.accuracy:.1%} correct ({pairs} of them as a pair, "
                f"{hedges} hedged), "
                f"confident-wrong {wrong} = {self.confident_wrong:.1%}, hedged misses {self.hedged_misses}")

    def failures(self) -> list[str]:
        return [f"  {'WRONG' if o.confident_wrong else 'hedge' if o.hedged_miss else 'miss '} {o.case.q!r}: {o.detail}"
                for o in self.outcomes if not o.correct]


def run_set(respond: Callable[[str, str], Reply], name: str) -> Score:
    score = Score(f"{name} ({SETS.get(name, 'set')})")
    for case in load_cases(EVAL_DIR / name):
        score.outcomes.append(grade(case, respond(case.q, case.lang)))
    return score


def kfold(kb: KnowledgeBase, folds: int = 5, build: Callable[[KnowledgeBase, int, int], KnowledgeBase] | None = None,
          ) -> Score:
    """Ask every phrasing of every entry with the index rebuilt without that fold of phrasings.

    Graded on the search result itself (verdict and best topic): the phrasings are single questions.
    """
    build = build or (lambda base, k, n: base.without_phrasings(lambda i: i % n == k))
    score = Score(f"{folds}-fold unseen FAQ phrasings")
    for k in range(folds):
        held = build(kb, k, folds)
        for topic in kb.topics:
            for i, question in enumerate(topic.entry.phrasings):
                if i % folds != k:
                    continue
                result = held.search(question)
                best = result.best.topic.id if result.best else None
                case = Case(question, topics=(topic.id,))
                if result.pair or result.hedged:
                    close, shown = ("pair", 2) if result.pair else ("hedge", HEDGE_SHOWN)
                    ids = [h.topic.id for h in result.hits[:shown]]
                    ok = topic.id in ids
                    hedged_miss = not ok and close == "hedge"
                    score.outcomes.append(Outcome(case, ok, not ok and not hedged_miss,
                                                  close if ok else f"{close} {ids}", hedged_miss=hedged_miss))
                    continue
                answered = result.verdict == "answer"
                ok = answered and best == topic.id
                score.outcomes.append(Outcome(case, ok, answered and not ok,
                                              f"{result.verdict} {best} ({result.confidence})"))
    return score

