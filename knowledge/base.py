"""The knowledge base: built once at start-up, then searched without any I/O.

Ranking blends three signals per FAQ entry, each in [0, 1]:

* the best cosine between the question and any single phrasing of the entry (a near-paraphrase of one
  curated question is the strongest evidence),
* BM25 of the question against the entry as a whole (all phrasings, titles and keywords), which rewards
  covering the entry's vocabulary even when no single phrasing is close,
* BM25 against the entry's first source section, so the notice's own wording also counts,

plus a small nudge for the kind of question asked (how many, when, where, …) as often as the entry's own
phrasings ask it. Words typed with a homophone are read as the domain word first (knowledge/text.py).

The blend is the confidence. A question is answered when the confidence clears a threshold and beats
the runner-up by a margin at any score (Rasa's ambiguity threshold), or when it is one of the entry's own
phrasings. A close call between two topics that lead the rest is marked as a pair (both answers are given);
other close calls and scores between the floor and the threshold offer the closest topics; below the floor
nothing is claimed.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Literal

from knowledge.index import BM25Index, CosineIndex, idf_table
from knowledge.loader import KNOWLEDGE_DIR, format_args, load_files
from knowledge.models import FaqEntry, Section
from knowledge.policy import Policy
from knowledge.text import BIGRAM_PREFIX, Analyzer, Homophones, Misspellings, clean, is_yes_no

Verdict = Literal["answer", "unsure", "not_found"]

# Chosen on the k-fold evaluation (top-1 on unseen phrasings 72.3%, against 68.8% for the earlier
# 0.55/0.35/0.10): the entry as a whole generalises better than the single nearest phrasing.
W_PHRASE = 0.20
W_ENTRY = 0.70
W_SECTION = 0.10
KEYWORD_REPEAT = 2.0  # a keyword of weight 1.0 counts like two phrasings using it
W_INTENT = 0.05
# Longer than any curated phrasing is, nearly: a message this long tells its asker's story around the question.
STORY_CHARS = 40
INTENT_CUES = {
    "amount": r"多少|几个|几分|几门|几天|几年|几学|多久|多长|how (many|much|long)",
    "time": r"什么时候|何时|啥时候|几号|哪天|几月|截止|截至|日期|期限|时间|when|date|deadline",
    "place": r"哪里|哪儿|在哪|哪个网|网址|网站|官网|地址|入口|链接|where|website|url|link",
    "who": r"谁|哪个部门|哪些人|什么人|哪个单位|who|whom",
    "how": r"怎么|如何|怎样|咋|步骤|流程|办法|how (do|to|can|should)|what should|what to do",
    "what": r"什么(?!时候)|哪些|是啥|what|which",
    "yesno": r"吗|能不能|可不可以|是不是|要不要|需不需要|算不算|认不认|有没有|行不行|用不用|是否|"
             r"^(can|do|does|is|are|must|will|should|may)\b",
    "why": r"为什么|为啥|why",
}
_INTENT_RE = {name: re.compile(rx, re.IGNORECASE) for name, rx in INTENT_CUES.items()}
_YEAR = re.compile(r"(?:19|20)\d\d")


def intents(text: str) -> frozenset[str]:
    """The kinds of question ``text`` asks (how many / when / where / who / how / what / yes-no / why)."""
    folded = clean(text).lower()
    return frozenset(name for name, rx in _INTENT_RE.items() if rx.search(folded))

# Calibrated on the k-fold evaluation (tests/auxil/qa_eval.py: each entry's phrasings held out in turn, so the
# questions are ones the index has never seen); never on the held-out sets. bench/ranker.py measures the ranking
# on the same folds, bench/calibrate.py the decision. A confident answer on the wrong topic misleads; a question
# back costs a tap.
ANSWER_THRESHOLD = 0.20  # confident enough to answer if the runner-up is far enough behind
# The lead over the runner-up a single answer needs, however high the score; a smaller lead makes a pair or a hedge
# (below), which still holds the leader. MARGIN and PAIR_GAP are chosen on the folds by bench/calibrate.py, which
# replays this decision (:func:`decide`) under other values and grades as the issue does: a single answer or pair
# on the wrong topic is confidently wrong; a hedge that misses says it is unsure. Of the single answers on the
# folds, those leading by 0.10–0.12 were wrong 15% of the time, 0.12–0.15 10%, 0.15 and more 1%; a logistic model
# over the search's other features (scores, the leader's phrase cosine, how much of the question its entry
# covers, length, language) found the wrong ones no better than the lead alone (ROC AUC 0.77 against 0.80
# at MARGIN 0.10; 0.75 against 0.67 at 0.14).
# Right / confidently wrong (single + pair) / single answers on the folds, 1642 phrasings (main 9a2d5c7):
#   MARGIN 0.10, PAIR_GAP 0.04 (at the start)  93.6% / 2.9% (27 + 20) / 73.4%
#   MARGIN 0.13, PAIR_GAP 0.05 (before)        94.1% / 1.9% (15 + 16) / 68.1%
#   MARGIN 0.12, PAIR_GAP 0.08                 94.3% / 1.3% (19 +  3) / 70.0%
#   MARGIN 0.13, PAIR_GAP 0.08 (shipped)       94.4% / 1.1% (15 +  3) / 68.1%
#   MARGIN 0.15, PAIR_GAP 0.10                 94.6% / 0.8% (11 +  2) / 64.4%, a quarter of replies hedged
# Chosen on four folds and scored on the fifth (nested: the most single answers with confident-wrong ≤ 1.2% on the
# four), the thresholds land on 0.11–0.13 / 0.08–0.10: 94.3% right, 1.3% confidently wrong out of fold (the
# thresholds before: 94.1% / 1.9%); chosen on all five, 0.13 / 0.08. The ceiling is under the 2% because
# sets written apart from the index run two to three times the folds' rate. What a stricter decision costs beyond
# the folds: a hedge gives no 是/否, so a yes/no question it hedges loses its verdict.
MARGIN = 0.13
# A close call between two topics that both lead the rest (the runner-up ahead of the third by PAIR_GAP) is a
# *pair*: the leader is answered in full (its 是/否 first) and the runner-up follows in short form with its citation
# and a button to its full answer (bot/answers/qa.py: render_pair). Any other close call is *hedged*: the reply
# says it is not sure which is meant, answers the leader (no 是/否: it is a guess), gives the next HEDGE_SHOWN - 1
# in short form with their citations and buttons to their full answers (render_hedge). It used to ask back, which
# answers nothing, though the asked topic was the leader in about half of those cases and among the three best in
# 78%; the question back's buttons were those same three topics, so a hedge that misses costs the user nothing
# the question back gave.
# Curve on the folds at landing (right / confidently wrong, a pair or hedge right only when it
# shows the asked topic; `bench/ranker.py` prints it all), at MARGIN 0.10:
#   PAIR_GAP 0.04, question back (the rule before hedges)  79.6% / 5.5%
#   PAIR_GAP 0.04, hedge of three                          89.3% / 7.8%   (of two: 87.4% / 9.7%)
#   PAIR_GAP 0.06 / 0.08 / 0.10, hedge of three            89.6 / 7.5, 90.0 / 7.1, 90.2 / 7.0
#   no pairs, every close call hedged                      90.4% / 6.7%, but 29% of replies hedged
# A pair whose third topic is within PAIR_GAP of the runner-up is hedged: on the folds, pairs are wrong 16 times at
# 0.05 and 3 at 0.08 (the third was often the asked topic, and a hedge shows it too), with more replies right. A
# hedged part of a message with several questions keeps its place among the parts (bot/answers/responder.py:
# _several), so hedging more of them no longer lets another part's answer lead.
PAIR_GAP = 0.08
HEDGE_SHOWN = 3
# The leader's score a hedge needs; below it the bot asks back. Every band of leader score from 0.20 held the asked
# topic in at least 70% of hedges, so a hedge needs no more than an answer (HEDGE_MIN 0.25: 88.2% / 7.4%, 0.30:
# 86.8% / 6.9%; a gate on the third's lead over the fourth of 0.02: 84.6% / 6.3%).
HEDGE_MIN = ANSWER_THRESHOLD
# A question that is (all but) one of an entry's curated phrasings is answered by that entry, however close its
# neighbours score: the curators have said which entry answers it ("会计人员信息采集怎么弄" scores 0.89 for
# info-collection, 0.85 for no-collection, which shares all its words).
CURATED = 0.95
FLOOR = 0.16  # below this the question is out of scope
# Share of the question's informative (IDF-weighted) words that the knowledge base knows at all. A
# question that is mostly about something else ("贵州茅台股票", "income tax return") can still hit one
# domain word; below this share it is out of scope whatever its score.
MIN_COVERAGE = 0.30
# A one-word question ("补学", "学分") names a subject, not a question: several topics fit it equally, so
# it is answered only when the best topic clearly dominates (runner-up below this share of the best).
SINGLE_TERM_RATIO = 0.80
BARE_TERM_CHARS = 6  # a message this short with a single content term is a bare subject
# Naming continuing education or its credits makes a word of another domain context ("没学完会影响报考吗").
_OURS = re.compile(r"继续教育|继教|学分|学时|会计之星|补学|面授|continuing education|further education|credit")
# Another profession's continuing education ("护士每年要多少学时", "CME credits for a nurse") is another regulator's
# business however much it says 继续教育 or 学时, unless the question names accounting, an accounting qualification or
# leaving accounting too ("医院的会计要学吗", "有会计证，现在改行当老师了，还要学吗").
_ACCOUNTING = re.compile(r"会计|财务|出纳|记账|做账|account|bookkeep|cashier|cpa|cicpa")
_ACCOUNTING_TERMS = frozenset({"会计", "会计工作", "会计专业技术资格", "不从事会计工作", "出纳", "初级", "中级", "高级",
                               "注册会计师", "代理记账"})
FOREIGN_THRESHOLD = 0.70  # a word of another domain (dict/out_of_scope.txt) needs a strong match to be answered


# A yes/no question gets the verdict of an entry's verdict-bearing phrasings (FaqEntry.questions_yes/_no) only when
# its nearest one is at least this close (cosine over IDF-weighted words and their order) and leads the nearest
# phrasing of another verdict (an unsettled one included) by VERDICT_LEAD: a wrong 是/否 is worse than none. Chosen on
# the entries' yes/no phrasings held out one at a time (bench/verdicts.py prints the grid): 0.55/0.10 gives 215 right,
# 7 wrong, 115 without a verdict of 337, against 229/11/97 at 0.45/0.10 and 211/5/121 at 0.55/0.15.
VERDICT_NEAR = 0.55
VERDICT_LEAD = 0.10
# Word order carries the direction of a yes/no question: "公需课能顶专业课吗" (no) and "专业课能顶公需课吗" share every
# word. Each ordered pair of content words is a feature too, at this share of the lighter word's weight.
ORDER_WEIGHT = 0.5
YesNo = Literal["yes", "no"]
# Words that turn a yes/no question's answer round while sharing the rest of its words: "是强制的吗" / "是自愿的吗",
# "必须参加面授吗" / "只参加面授行吗", "要自己申报吗" / "由机构报吗", "当年要学吗" / "第二年要学吗". The search folds
# some of them together (or drops them as stop-words); for verdicts each group is a feature of its own, weighted
# like a word the index has never seen (CUE_WEIGHT of it).
POLARITY_CUES = {
    "not": r"不|没|无|非|\b(?:no|not|without)\b|n't",
    "must": r"必须|一定|强制|必需|务必|\b(?:must|mandatory|compulsory|obligatory|required|have to)\b",
    "optional": r"自愿|自由|随意|可选|选择|\b(?:optional|voluntary|choose|choice)\b",
    "exempt": r"免(?!费)|豁免|\b(?:exempt\w*|skip|waive\w*)\b",
    "free": r"免费|\bfree\b",
    "only": r"只|仅|都是|全部|\b(?:only|all)\b",
    "less": r"以下|低于|少于|不足|不够|不到|\b(?:less|below|under|fewer|short of)\b",
    "self": r"自己|本人|个人|亲自|\b(?:myself|by myself|on my own)\b",
    "same-year": r"当年|今年|同年|当天|\b(?:this year|same year|year of|first year)\b",
    "later": r"以后|之后|次年|第二年|下一年|明年|\b(?:next year|following year|after)\b",
    # Which kind of credits is said first: "公需课能顶专业课吗" (不能) against "专业课能顶公需课吗" (能).
    "public-first": r"公需.*专业|\bpublic\b.*\bprofessional\b",
    "professional-first": r"专业.*公需|\bprofessional\b.*\bpublic\b",
    # A year the asker names ("去年入职，今年要学吗"): the verdict of "今年刚入职要学吗" is not theirs.
    "named-year": r"去年|前年|往年|早年|(?:19|20)\d\d|\b(?:last year|years? ago)\b",
}
_CUES = {name: re.compile(rx, re.IGNORECASE) for name, rx in POLARITY_CUES.items()}
CUE_WEIGHT = 0.6


class VerdictPhrasings:
    """An entry's yes/no phrasings with their verdict: "yes"/"no" for those whose answer the notice settles, "none"
    for the entry's other (plain) yes/no phrasings, which the curators left unsettled.

    They are turned into vectors on the first yes/no question that reaches the entry, not at start-up: analysing
    every verdict phrasing up front cost a third of a second of the bot's ready time."""

    __slots__ = ("_phrasings", "_postings", "_vectors", "vectorise")

    def __init__(self, phrasings: tuple[tuple[str, str], ...], vectorise: Callable[[str], dict[str, float]]) -> None:
        self._phrasings = phrasings
        self._vectors: tuple[tuple[dict[str, float], str], ...] | None = None
        self._postings: dict[str, list[tuple[int, float]]] = {}
        self.vectorise = vectorise

    @property
    def vectors(self) -> tuple[tuple[dict[str, float], str], ...]:
        """Each phrasing as a unit vector (:meth:`KnowledgeBase._verdict_vector`) with its verdict."""
        if self._vectors is None:
            self._vectors = tuple((self.vectorise(q), v) for q, v in self._phrasings)
            for n, (vector, _) in enumerate(self._vectors):  # term → the phrasings that have it
                for term, value in vector.items():
                    self._postings.setdefault(term, []).append((n, value))
        return self._vectors

    def nearest(self, question: str) -> tuple[dict[str, float], bool]:
        """The cosine of ``question`` to the nearest phrasing of each verdict ("yes", "no", "none"), and whether the
        nearest phrasing of all has the same polarity cues as the question (POLARITY_CUES)."""
        query = self.vectorise(question)
        vectors = self.vectors
        # Each phrasing's dot product with the question, its terms added in the question's order; a term the
        # phrasing lacks would add 0.0, so only the phrasings that have it are visited.
        scores: list[float] = [0.0] * len(vectors)
        for t, w in query.items():
            for n, value in self._postings.get(t, ()):
                scores[n] += w * value
        best = {"yes": 0.0, "no": 0.0, "none": 0.0}
        top, same_cues = 0.0, False
        for (vector, verdict), score in zip(vectors, scores, strict=True):
            best[verdict] = max(best[verdict], score)
            if score > top:
                top, same_cues = score, _cues_of(vector) == _cues_of(query)
        return best, same_cues

    def settle(self, question: str) -> YesNo | None:
        """The verdict of the nearest phrasings when they are near enough, lead every phrasing of another verdict
        (an unsettled one included) by VERDICT_LEAD, and the nearest is asked with the same polarity cues ("可以不
        参加吗" takes no verdict from "要参加吗", however close); ``None`` otherwise."""
        best, same_cues = self.nearest(question)
        verdict = max(best, key=lambda v: best[v])
        runner_up = max(score for v, score in best.items() if v != verdict)
        if (verdict == "none" or not same_cues or best[verdict] < VERDICT_NEAR
                or best[verdict] - runner_up < VERDICT_LEAD):
            return None
        return "yes" if verdict == "yes" else "no"


def _cues_of(vector: dict[str, float]) -> frozenset[str]:
    return frozenset(t for t in vector if t.startswith("!"))


@dataclass(frozen=True, slots=True)
class Topic:
    """A FAQ entry ready to show: answers already formatted with the policy, sources resolved."""

    entry: FaqEntry
    answers: dict[str, str]
    sources: tuple[Section, ...]
    verdicts: VerdictPhrasings | None = None  # set by KnowledgeBase for entries with verdict phrasings

    @property
    def id(self) -> str:
        return self.entry.id

    def verdict(self, question: str, backed: bool = False) -> YesNo | None:
        """是/否 for a yes/no ``question`` answered by this entry: the entry's fixed verdict, else the verdict of its
        nearest verdict-bearing phrasings when they settle it, else ``None``. ``backed``: the fixed verdict too only
        when one of the entry's own yes/no phrasings is near the question (for a close call, whose leader may be the
        wrong topic: "Is continuing education free?" must not get self-study's "No.")."""
        if self.entry.yes_no in ("yes", "no") and not backed:
            asked = clean(question).lower()
            if any(word in asked for word in self.entry.yes_no_reversed_by):
                return "no" if self.entry.yes_no == "yes" else "yes"
            return self.entry.yes_no  # type: ignore[return-value]
        return self.verdicts.settle(question) if self.verdicts is not None else None

    def title(self, lang: str) -> str:
        return self.entry.title_en if lang == "en" else self.entry.title_zh

    def answer(self, lang: str) -> str:
        return self.answers.get(lang) or self.answers["zh"]


@dataclass(frozen=True, slots=True)
class Hit:
    topic: Topic
    score: float


@dataclass(frozen=True, slots=True)
class SearchResult:
    hits: tuple[Hit, ...]
    confidence: float
    margin: float
    verdict: Verdict
    coverage: float = 1.0
    # With verdict "unsure": the two best hits are a close pair that are both given (see PAIR_GAP).
    pair: bool = False
    # With verdict "unsure": three or more topics are close; the best HEDGE_SHOWN are given, the leader first.
    hedged: bool = False
    # False when only single characters are left once the question words are set aside ("要学吗" → 学): the hits
    # are then no reading of the question at all.
    worded: bool = True

    @property
    def best(self) -> Hit | None:
        return self.hits[0] if self.hits else None


@dataclass(frozen=True, slots=True)
class Evidence:
    """A question's ranked hits and what else the answer decision needs to know about it."""

    hits: tuple[Hit, ...]
    coverage: float  # share of the question's words the FAQ knows (KnowledgeBase.coverage)
    phrase: float  # the leader's best single-phrasing cosine (CURATED)
    worded: bool  # a word is left once the question words are set aside
    single_term: bool  # a bare subject ("补学")
    foreign: bool  # names a word of another domain (dict/out_of_scope.txt)

    def score(self, rank: int) -> float:
        """The score of the hit at ``rank`` (0 = the leader), 0.0 past the last hit."""
        return self.hits[rank].score if len(self.hits) > rank else 0.0


def _word_in(term: str, text: str) -> bool:
    """``term`` in ``text``; an ASCII term as a whole word ("nurse" is not in "nursery")."""
    if not term.isascii():
        return term in text
    return re.search(rf"(?<![a-z]){re.escape(term)}s?(?![a-z])", text) is not None


def decide(evidence: Evidence, margin: float | None = None, pair_gap: float | None = None) -> SearchResult:
    """Answer / pair / hedge / unsure / not_found for ``evidence`` at the shipped thresholds, or at the ``margin``
    and ``pair_gap`` given (bench/calibrate.py draws its curve with them)."""
    margin = MARGIN if margin is None else margin
    pair_gap = PAIR_GAP if pair_gap is None else pair_gap
    hits, worded, single_term = evidence.hits, evidence.worded, evidence.single_term
    top, second, third = evidence.score(0), evidence.score(1), evidence.score(2)
    verdict: Verdict
    if evidence.coverage < MIN_COVERAGE or (evidence.foreign and top < FOREIGN_THRESHOLD):
        verdict = "not_found"
    elif single_term and top >= FLOOR and second > SINGLE_TERM_RATIO * top:
        verdict = "unsure"
    elif top >= ANSWER_THRESHOLD and (evidence.phrase >= CURATED or (top - second >= margin and worded)):
        verdict = "answer"
    elif top >= FLOOR:
        verdict = "unsure"
    else:
        verdict = "not_found"
    close = verdict == "unsure" and not single_term and worded and len(hits) > 1
    pair = close and top >= ANSWER_THRESHOLD and second - third >= pair_gap
    hedged = close and not pair and len(hits) > 2 and top >= HEDGE_MIN
    return SearchResult(hits, round(top, 4), round(top - second, 4), verdict, round(evidence.coverage, 4), pair,
                        hedged, worded)


class KnowledgeBase:
    """Documents + FAQ + the indexes over them. Build with :meth:`load`; :meth:`search` is pure CPU."""

    def __init__(
        self, topics: tuple[Topic, ...], sections: dict[str, Section], analyzer: Analyzer, year: int,
        out_of_scope: tuple[str, ...] = (), aliases: dict[str, str] | None = None,
    ) -> None:
        self.year = year
        self._out_of_scope = out_of_scope
        self._foreign = tuple(w for w in out_of_scope if not w.startswith(("?", "!")))
        self._foreign_unless_ours = tuple(w[1:] for w in out_of_scope if w.startswith("?"))
        self._other_professions = tuple(w[1:] for w in out_of_scope if w.startswith("!"))
        self._aliases = dict(aliases or {})
        self._sections = sections
        self._analyzer = analyzer

        entry_bags: list[Counter[str]] = []
        phrase_bags: list[Counter[str]] = []
        self._phrase_owner: list[int] = []
        for n, topic in enumerate(topics):
            entry = topic.entry
            texts = [*entry.phrasings, entry.title_zh, entry.title_en]
            bag: Counter[str] = Counter()
            for text in texts:
                feats = analyzer.features(text)
                if feats:
                    phrase_bags.append(feats)
                    self._phrase_owner.append(n)
                    bag.update(feats)
            for word, weight in entry.keywords.items():
                for feat, w in analyzer.features(word).items():
                    bag[feat] += w * weight * KEYWORD_REPEAT
            entry_bags.append(bag)

        # IDF over entries: a term is informative when it separates topics, whatever the phrasing count.
        idf, unseen = idf_table(entry_bags)
        self._idf, self._unseen_idf = idf, unseen
        # Typed with a homophone (学份, 会计之心): read as the domain word it sounds like (knowledge/text.py).
        self._homophones = Homophones(analyzer, analyzer.words() | {t for t in idf if not t.startswith(BIGRAM_PREFIX)})
        # Typed with an English slip (credts, yaer): read as the English word of the index it is one edit from.
        english = analyzer.english_words() | {t for t in idf if t.isascii() and t.isalpha()}
        self._spelling = Misspellings(english, english, analyzer.stem)
        topics = tuple(replace(t, verdicts=self._verdict_phrasings(t.entry)) for t in topics)
        self._topics = topics
        self._by_id = {t.id: t for t in topics}
        self._by_id |= {old: self._by_id[new] for old, new in self._aliases.items() if new in self._by_id}
        self._phrases = CosineIndex(phrase_bags, self._phrase_owner, idf, unseen)
        self._entries = BM25Index(entry_bags)
        # How often each entry's phrasings ask each kind of question (add-one smoothed).
        self._intent_share: list[dict[str, float]] = []
        for topic in topics:
            kinds = [intents(q) for q in topic.entry.phrasings]
            self._intent_share.append({name: (sum(name in k for k in kinds) + 0.5) / (len(kinds) + 1)
                                       for name in INTENT_CUES})
        self._nudges: dict[tuple[str, ...], list[float]] = {}
        self._section_ids = list(sections)
        self._section_index = BM25Index([analyzer.features(s.title + s.text) for s in sections.values()])
        self._search_memo = lru_cache(maxsize=512)(self._search)
        # A question's features and verdict vector, read by the search and again by the yes/no verdict (for each
        # topic it reaches): worked out once. Both are only read, never changed.
        self._query_memo = lru_cache(maxsize=512)(self._query)
        self._verdict_memo = lru_cache(maxsize=512)(self._verdict_vector)
        self._first_source = [self._section_ids.index(t.entry.sources[0]) for t in topics]

    @classmethod
    def load(cls, policy: Policy, roots: Path | Sequence[Path] = KNOWLEDGE_DIR) -> KnowledgeBase:
        """Read, validate and index everything under ``roots`` for ``policy``'s year."""
        files = load_files(policy, roots)
        args = format_args(policy)
        topics = tuple(
            Topic(
                entry=e,
                answers={"zh": e.answer_zh.format(**args).strip(), "en": e.answer_en.format(**args).strip()},
                sources=tuple(files.sections[s] for s in e.sources),
            )
            for e in files.entries
        )
        analyzer = Analyzer(files.userdict, files.synonyms, files.stopwords, files.fillers)
        return cls(topics, files.sections, analyzer, policy.year, files.out_of_scope, files.aliases)

    def without_phrasings(self, drop: Callable[[int], bool]) -> KnowledgeBase:
        """The same knowledge base with the phrasings whose position ``drop`` selects left out of every entry.

        The evaluation's folds use it to ask phrasings the index has never seen.
        """
        topics = tuple(replace(t, entry=t.entry.without_phrasings(drop)) for t in self._topics)
        return KnowledgeBase(topics, self._sections, self._analyzer, self.year, self._out_of_scope, self._aliases)

    # -- lookup ---------------------------------------------------------------------------------

    @property
    def topics(self) -> tuple[Topic, ...]:
        return self._topics

    def topic(self, entry_id: str) -> Topic | None:
        """The entry ``entry_id`` names: a live id, or the id of an entry since merged into another (``replaces``)."""
        return self._by_id.get(entry_id)

    def section(self, section_id: str) -> Section | None:
        return self._sections.get(section_id)

    @property
    def analyzer(self) -> Analyzer:
        return self._analyzer

    # -- search ---------------------------------------------------------------------------------

    def coverage(self, query: Counter[str]) -> float:
        """IDF-weighted share of the query's words (not bigrams) that occur anywhere in the FAQ."""
        total = known = 0.0
        for term, weight in query.items():
            if term.startswith(BIGRAM_PREFIX):
                continue
            idf = self._idf.get(term)
            total += weight * (idf if idf is not None else self._unseen_idf)
            known += weight * idf if idf is not None else 0.0
        return known / total if total else 0.0

    def scores(self, text: str) -> list[float]:
        """The blended confidence of every topic for ``text`` (index-aligned with :attr:`topics`)."""
        return self._scores(self._ranked_query(text), intents(text))[0]

    def _scores(self, query: Counter[str], kinds: frozenset[str] = frozenset()) -> tuple[list[float], list[float]]:
        """Blended scores per topic, and each topic's best single-phrasing cosine."""
        out = [0.0] * len(self._topics)
        if not query:
            return out, out
        best_phrase = self._phrases.best_by_group(query)
        entry = self._entries.scores(query)
        section = self._section_index.scores(query)
        entry_of, section_of = entry.get, section.get
        out = [W_PHRASE * phrase + W_ENTRY * entry_of(n, 0.0) + W_SECTION * section_of(first, 0.0)
               for n, (phrase, first) in enumerate(zip(best_phrase, self._first_source, strict=True))]
        if kinds and W_INTENT:
            nudges = self._intent_nudges(tuple(kinds))
            out = [s + nudge if s > 0 else s for s, nudge in zip(out, nudges, strict=True)]
        return out, best_phrase

    def _intent_nudges(self, kinds: tuple[str, ...]) -> list[float]:
        """Each topic's nudge for a question asking ``kinds``: how much more often than the average topic its
        phrasings ask them. A question asks one of a few dozen combinations, so each is worked out once."""
        nudges = self._nudges.get(kinds)
        if nudges is None:
            shares = [sum(share[k] for k in kinds) / len(kinds) for share in self._intent_share]
            mean = sum(shares) / len(shares)
            nudges = self._nudges[kinds] = [W_INTENT * (share - mean) for share in shares]
        return nudges

    def search(self, text: str, limit: int = 5) -> SearchResult:
        """Rank the FAQ topics for ``text`` and decide answer / unsure / not_found.

        The session's language does not change ranking: English words are mapped onto the Chinese canonical
        terms, so a question is understood whichever language it is asked in. Results are memoised (the
        index never changes after it is built, and one message is searched by more than one reader: the
        time answers, then the FAQ answer).
        """
        return self._search_memo(text, limit)

    def clear_memo(self) -> None:
        """Forget memoised results (benchmarks measure the search itself)."""
        self._search_memo.cache_clear()
        self._query_memo.cache_clear()
        self._verdict_memo.cache_clear()
        self._analyzer.clear_memo()

    def query(self, text: str) -> Counter[str]:
        """The search features of a question: the analyzer's, with homophone and English spelling slips read as the
        words they are slips of."""
        return Counter(self._query_memo(text))  # a copy: the memoised features are shared

    def _query(self, text: str) -> Counter[str]:
        bag = self._analyzer.features(text, self._homophones, self._spelling)
        if len(text) <= STORY_CHARS:
            return bag
        # In a message that tells a story ("我是大同市云州区一家私营企业的会计，…，请问去哪里开？") a character pair no
        # phrasing has cannot meet anything: counted as unseen it weighs the message down by the length of its
        # story, not by what it asks. Its unseen words still count (a long question off the subject stays low).
        return Counter({t: w for t, w in bag.items() if not t.startswith(BIGRAM_PREFIX) or t in self._idf})

    def _ranked_query(self, text: str) -> Counter[str]:
        """The features the ranking reads: :meth:`query`'s without a figure no phrasing has ("只要80学分",
        "一年要150学分"). A figure is a value the question states, not a word of its topic: unknown, it counted as an
        unseen word, which lowered the score and the coverage of a claim or a statement as if it were half understood
        ("we only need 80 credits a year" was hedged). Figures the index has (90, 60 …) and years (a year names
        what is asked about: "Can I make up credits of 2021?") still count, and the verdicts still read every figure
        (:meth:`_verdict_vector`: "每年80学分对吗" is not "每年90学分对吗")."""
        query = self._query_memo(text)
        unknown = [t for t in query if t.isdigit() and t not in self._idf and not _YEAR.fullmatch(t)]
        if not unknown:
            return query
        return Counter({t: w for t, w in query.items() if t not in unknown})

    def _verdict_phrasings(self, entry: FaqEntry) -> VerdictPhrasings | None:
        """The entry's yes/no phrasings, settled and unsettled (all settled by a fixed ``yes_no``), ready to match;
        ``None`` when none is settled."""
        fixed = entry.yes_no if entry.yes_no in ("yes", "no") else None
        if not entry.verdict_phrasings and fixed is None:
            return None
        plain = [(q, fixed or "none") for q in entry.questions if is_yes_no(q)]
        return VerdictPhrasings((*entry.verdict_phrasings, *plain), lambda text: self._verdict_memo(text))

    def _verdict_vector(self, text: str) -> dict[str, float]:
        """``text`` as a unit vector for matching verdict phrasings: IDF-weighted features plus ordered pairs of its
        content words (in the order they are written), so a question asked the other way round reads differently."""
        query = self._query_memo(text)
        vector = {t: w * self._idf.get(t, self._unseen_idf) for t, w in query.items()}
        content = [t for t, w in query.items() if w >= 1.0 and not t.startswith(BIGRAM_PREFIX)]
        for i, first in enumerate(content):
            for then in content[i + 1:]:
                vector[f"{first}>{then}"] = ORDER_WEIGHT * min(vector[first], vector[then])
        folded = re.sub(r"(.)[不没]\1", "", clean(text).lower())  # "能不能", "有没有" ask both ways: no cue
        for name, cue in _CUES.items():
            if cue.search(folded):
                vector[f"!{name}"] = CUE_WEIGHT * self._unseen_idf
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        return {t: v / norm for t, v in vector.items()}

    def _search(self, text: str, limit: int) -> SearchResult:
        return decide(self.evidence(text, limit))

    def evidence(self, text: str, limit: int = 5) -> Evidence:
        """What the answer decision reads for ``text``: the ranked hits and the facts about the question that
        the thresholds are applied to (:func:`decide`). bench/calibrate.py decides on it under other thresholds."""
        query = self._ranked_query(text)
        scores, phrase = self._scores(query, intents(text))
        order = sorted(range(len(scores)), key=lambda n: scores[n], reverse=True)
        hits = tuple(Hit(self._topics[n], round(scores[n], 4)) for n in order[:limit] if scores[n] > 0)
        # A bare term ("补学", "会计之星") names a subject, not a question: offer its topics. With any words
        # around it ("信息采集怎么弄", "how do I…") the asker has a question, and the best match answers it.
        bare = len(re.sub(r"\W", "", text)) <= BARE_TERM_CHARS
        single_term = bare and sum(1 for term in query if not term.startswith(BIGRAM_PREFIX)) <= 1
        # Only single characters left once the question words are set aside ("现在还能学吗" → 学): too little to
        # pick a topic from, however the scores fall.
        worded = any(w >= 1.0 for term, w in query.items() if not term.startswith(BIGRAM_PREFIX))
        cleaned = self._analyzer.strip_fillers(text)
        foreign = (any(term in cleaned for term in self._foreign)
                   or (any(term in cleaned for term in self._foreign_unless_ours) and not _OURS.search(cleaned))
                   or (any(_word_in(term, cleaned) for term in self._other_professions)
                       and not _ACCOUNTING.search(cleaned) and _ACCOUNTING_TERMS.isdisjoint(query)))
        return Evidence(hits, self.coverage(query), phrase[order[0]] if hits else 0.0, worded, single_term, foreign)
