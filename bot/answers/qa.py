"""Answering a free-text question from the knowledge base.

The search decides *whether* the bot may answer (confidence threshold + margin over the runner-up);
this module decides *how* the result reads: a confident hit is a short direct answer followed by the
verbatim clause and its citation, a close call gives the likelier answers (a pair of two, or a hedge that says
it is not sure and shows three), a bare term offers the closest topics as buttons, and an out-of-scope question
gets an honest "not found" with what the bot can answer.
All fixed wording comes from ``locale/*/LC_MESSAGES/qa.po``; answers themselves live in the FAQ data.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from bot.answers.i18n import Translator
from bot.answers.reply import Button, Reply, Source
from bot.parsing.questions import is_greeting, is_thanks, is_yes_no
from knowledge import KnowledgeBase, Topic
from knowledge.base import ANSWER_THRESHOLD, HEDGE_SHOWN
from knowledge.text import clean

TOPIC_PREFIX = "faq:"
FEEDBACK_PREFIX = "fb:"
SUGGESTIONS = 3





def _sources(topic: Topic) -> tuple[Source, ...]:
    return tuple(Source(id=s.id, title=s.title, citation=s.citation) for s in topic.sources)


# An answer that already opens with its verdict ("不能。", "需要。", "No.") gets no extra 是/否 in front.
_VERDICT_OPENING = re.compile(r"^(?:yes|no)\b|^不?(?:是|要|需要|可以|能|用|会|算|认可|对)[。，,：:]|"
                              r"^(?:否|没有)[。，,]", re.IGNORECASE)


def opens_with_verdict(text: str) -> bool:
    """Whether ``text`` already opens with a verdict ("不能。", "对。", "No."): no second one goes in front."""
    return bool(_VERDICT_OPENING.match(text))


# "不是强制的吧", "不用学吗", "isn't it …": a bare 是/否 would answer the negation, not the matter. Only a negated
# verb counts: in "没有证做会计要学吗" the 没有 is the asker's situation and the question is plain.
_NEGATED = re.compile(r"(不|没|无|免)(用|要|需|必|能|可|是|算|会|得|准|让)|\bnot\b|n't|\bno need\b", re.IGNORECASE)


_NUMBER = re.compile(r"\d+")
# The verb a Chinese yes/no question is asked with, and the word its answer repeats (要 → 需要: "不要" means "don't").
_MODAL = re.compile(r"可以|能|需要|必须|要(?!求)|(?<![协讨学大开年例晚工社机体])会(?!议)|算|认")
_MODAL_WORD = {"要": "需要", "必须": "需要", "认": "认可", "可": "可以", "需": "需要", "用": "需要"}
# "有没有", "能不能", "可不可以", "需不需要", "算不算": the verb the asker offers both ways is the one to answer with.
_A_NOT_A = re.compile(r"(有|能|可|需|要|算|是|会|用|认)[不没]\1")


def names_other_number(question: str, answer: str) -> bool:
    """"课题负责人是24学分吗": the question asks about a figure the answer does not state, so the entry's fixed
    verdict (research counts: yes) would confirm the wrong figure."""
    asked = re.split(r"[,，;；]", clean(question))[-1]  # "今年学了150学分，多的能算到明年吗": 150 is context
    stated = {int(n) for n in _NUMBER.findall(answer)}  # whole figures: the 20 of "2018" is not 20学分
    return any(int(n) not in stated for n in _NUMBER.findall(asked) if not 1990 <= int(n) <= 2099)


def _negated(question: str) -> bool:
    """Whether the asked clause is negated ("不用学吗"); an A-not-A question ("能不能", "有没有") is not."""
    asked = re.split(r"[,，;；]", clean(question))[-1]
    return bool(_NEGATED.search(re.sub(r"(.)[不没]\1", "", asked)))


def _asked_verb(question: str) -> str | None:
    """The verb a Chinese yes/no question is asked with, as its answer repeats it: an A-not-A form first ("有没有上限"
    → 有, "可不可以" → 可以, "需不需要" → 需要), else the first modal ("能结转吗" → 能, "要打印吗" → 需要; "参加研讨会
    能折学分不" → 能, not the 会 of 研讨会 or 机会)."""
    asked = clean(question).replace("会计", "")
    a_not_a = _A_NOT_A.search(asked)
    if a_not_a is not None:
        return _MODAL_WORD.get(a_not_a.group(1), a_not_a.group(1))
    modal = _MODAL.search(asked)
    return None if modal is None else _MODAL_WORD.get(modal.group(0), modal.group(0))


def verdict_first(text: str, question: str | None, lang: str, t: Translator,
                  settle: Callable[[str], str | None]) -> str:
    """``text`` with 是/否 (Yes/No) first, in the question's own verb, when ``question`` asks for one and ``settle``
    gives it a verdict ("yes" / "no"; ``None``: not settled). Not for a negated question ("不用学吗": a bare 否 would
    answer the negation), nor one naming a figure the answer does not state, nor an answer that already opens
    with its verdict."""
    if (question is None or opens_with_verdict(text) or not is_yes_no(question)
            or _negated(question) or names_other_number(question, text)):
        return text
    verdict = settle(question)
    if verdict is None:
        return text
    word = _asked_verb(question)
    if word is not None:  # "能结转吗" → "不能。", "需要打印吗" → "不需要。"
        return f"{t(lang, 'qa.' + verdict + '_as', word=word)}{'' if lang == 'zh' else ' '}{text}"
    return f"{t(lang, 'qa.' + verdict)}{'' if lang == 'zh' else ' '}{text}"


def _with_verdict(topic: Topic, lang: str, t: Translator, question: str | None, backed: bool = False) -> str:
    """The answer, with 是/否 (Yes/No) first when the question asks for one and the entry settles it (its fixed
    verdict, or the verdict of its yes/no phrasings nearest the question; ``backed``: see Topic.verdict)."""
    return verdict_first(topic.answer(lang), question, lang, t, lambda q: topic.verdict(q, backed=backed))


def render_topic(topic: Topic, lang: str, t: Translator, score: float | None = None,
                 question: str | None = None, verdict: str | None = None, backed: bool = False) -> Reply:
    """The full answer for ``topic``: direct answer (yes/no first when asked), the quoted clause, its citation.

    ``verdict``: a 是/否 the caller has settled for this asker ("需要。" for someone who passed an exam), put first
    instead of the entry's own. ``backed``: the entry's fixed 是/否 only when a yes/no phrasing of it is near."""
    first = topic.sources[0]
    answer = (f"{verdict}{'' if lang == 'zh' else ' '}{topic.answer(lang)}" if verdict
              else _with_verdict(topic, lang, t, question, backed))
    text = t(lang, "qa.answer", answer=answer, quote=topic.entry.quote, citation=first.citation)
    return Reply(
        text=text,
        sources=_sources(topic),
        score=score,
        kind="answer",
        extra={"topic": topic.id},
    )


# The runner-up of a pair is given in short form: whole sentences up to this many characters (at least the first
# sentence). The full answer, with the notice's own words, is one tap away.
PAIR_CHARS = {"zh": 160, "en": 400}
_SENTENCE_END = re.compile(r"(?<=[。！？；])|(?<=[.!?;])\s+(?=[A-Z0-9(“\"])")
# What a short form must not lose, whatever the cut: the answer's first figure (90 学分, 12月31日, 2024年), and its
# first word that the notice does not settle the matter (the honest part of "passwords: the notice has no rule").
_KEY_FACTS = (re.compile(r"\d"),
              re.compile(r"通知没有|没有规定|没有说明|未规定|not cover|does not (?:say|set|cover|settle|specify)"
                         r"|sets no|says nothing", re.IGNORECASE))


def short_form(text: str, lang: str, budget: int | None = None) -> str:
    """``text`` cut after the last whole sentence within ``budget`` characters (:data:`PAIR_CHARS` by default;
    never inside a sentence), keeping the first sentence with each key fact (:data:`_KEY_FACTS`) even past the
    budget: an answer's number or date, or that the notice does not say, is what the asker came for."""
    budget = budget or PAIR_CHARS.get(lang, PAIR_CHARS["en"])
    if len(text) <= budget:
        return text
    sentences = [s for s in _SENTENCE_END.split(text) if s]
    kept: set[int] = set()
    for n, sentence in enumerate(sentences):
        if kept and sum(len(sentences[k]) for k in kept) + len(sentence) > budget:
            break
        kept.add(n)
    for key in _KEY_FACTS:
        kept.update(next(([n] for n, sentence in enumerate(sentences) if key.search(sentence)), []))
    chosen = [sentences[n].strip() for n in sorted(kept)]  # in the answer's order, each sentence whole
    return " ".join(chosen) if lang == "en" else "".join(chosen)


def render_pair(first: Topic, second: Topic, lang: str, t: Translator, question: str, score: float) -> Reply:
    """A close call between two topics: the leader's answer in full (its verdict first, its clause, its
    citation), then the runner-up in short form as "if you meant B: …" with its citation, and a button to B's
    full answer. The leader is the likelier reading; the runner-up costs two lines instead of a question back
    that answers nothing. The runner-up gets no 是/否: a verdict on the question read as the other topic would
    contradict the first answer as often as not; the leader gets its fixed one only when one of its own yes/no
    phrasings is near the question (a close call may be a mis-read)."""
    lead = render_topic(first, lang, t, score=score, question=question, backed=True)
    text, buttons = _alternatives([second], lang, t, PAIR_CHARS)
    return Reply(
        text=f"{lead.text}\n\n{text}",
        buttons=buttons,
        sources=tuple(dict.fromkeys((*lead.sources, *_sources(second)))),
        score=score,
        kind="answer",
        extra={"topics": [first.id, second.id], "pair": True},
    )


def _alternatives(others: list[Topic], lang: str, t: Translator,
                  budgets: dict[str, int]) -> tuple[str, tuple[tuple[Button, ...], ...]]:
    """The other readings of a close call: each as "if you meant B: …" in short form with its citation, and a
    button to its full answer."""
    lines = [t(lang, "qa.pair.also", title=tp.title(lang), citation=tp.sources[0].citation,
               answer=short_form(tp.answer(lang), lang, budgets.get(lang, budgets["en"]))) for tp in others]
    return "\n\n".join(lines), _full_buttons(others, lang, t)


# A hedge's alternatives are shorter than a pair's runner-up: two of them follow the leader's full answer, and the
# whole reply should still read on a phone (the sentence with the answer's first figure is kept whatever the cut).
HEDGE_CHARS = {"zh": 100, "en": 250}


def render_hedge(topics: list[Topic], lang: str, t: Translator, score: float) -> Reply:
    """A close call among three or more topics: it says plainly that it is not sure which is meant, answers the
    likeliest (its clause and citation, no 是/否: it is a guess), gives the next ones in short form as "if you
    meant B: …" with their citations, and a button to each one's full answer. A question back naming the same
    topics answered nothing, though the asked topic was the leader about half the time and among the three
    about four times in five (bench/ranker.py)."""
    first, *others = topics
    lead = render_topic(first, lang, t, score=score)
    alternatives, buttons = _alternatives(others, lang, t, HEDGE_CHARS)
    intro = t(lang, "qa.hedge", title=first.title(lang))
    return Reply(
        text="\n\n".join((intro, lead.text, alternatives)),
        buttons=buttons,
        sources=tuple(dict.fromkeys(s for tp in topics for s in _sources(tp))),
        score=score,
        kind="answer",
        extra={"topics": [tp.id for tp in topics], "hedged": True},
    )


def brief(kb: KnowledgeBase, ids: list[str], lang: str, t: Translator, *, lead: bool) -> Reply | None:
    """A close call or an unsure reading as one part of a message with several questions, compact: with
    ``lead`` (a hedge) the likeliest topic in short form with its citation and the others named, else the topics
    it may be named; a button to each one's full answer. ``None`` when none of ``ids`` is known."""
    topics = [tp for tp in (kb.topic(i) for i in ids) if tp is not None]
    if not topics:
        return None
    buttons = _full_buttons(topics, lang, t)
    if not lead:
        return Reply(t(lang, "qa.unsure_brief", titles=_named(topics, lang, t)), buttons=buttons, kind="unsure")
    first, *others = topics
    short = short_form(first.answer(lang), lang, HEDGE_CHARS.get(lang, HEDGE_CHARS["en"]))
    text = t(lang, "qa.hedge_brief" if others else "qa.guess_brief", title=first.title(lang),
             answer=re.sub(r"[；;，,]$", "。" if lang == "zh" else ".", short),
             citation=first.sources[0].citation, others=_named(others, lang, t))
    return Reply(text, buttons=buttons, sources=tuple(dict.fromkeys(s for tp in topics for s in _sources(tp))),
                 kind="answer", extra={"topics": [tp.id for tp in topics], "hedged": True})


def _named(topics: list[Topic], lang: str, t: Translator) -> str:
    """「A」、「B」 (“A”, “B”): topics named in a sentence."""
    return t(lang, "qa.list_sep").join(t(lang, "qa.title_quoted", title=tp.title(lang)) for tp in topics)


def _full_buttons(topics: list[Topic], lang: str, t: Translator) -> tuple[tuple[Button, ...], ...]:
    return tuple((Button(t(lang, "qa.pair.full", title=tp.title(lang)), f"{TOPIC_PREFIX}{tp.id}"),)
                 for tp in topics)


def with_feedback(reply: Reply, topic_id: str, lang: str, t: Translator) -> Reply:
    """``reply`` with a 👍/👎 row under it (callback ``fb:+:<topic>`` / ``fb:-:<topic>``)."""
    row = (Button(t(lang, "qa.feedback.up"), f"{FEEDBACK_PREFIX}+:{topic_id}"),
           Button(t(lang, "qa.feedback.down"), f"{FEEDBACK_PREFIX}-:{topic_id}"))
    return replace(reply, buttons=(*reply.buttons, row))


def parse_feedback(data: str) -> tuple[bool, str] | None:
    """(helpful, topic id) from a feedback button's data; ``None`` for anything malformed (data can be forged)."""
    match = re.fullmatch(r"fb:([+-]):([a-z0-9][a-z0-9_-]{0,40})", data)
    return None if match is None else (match.group(1) == "+", match.group(2))


def _topic_buttons(topics: list[Topic], lang: str) -> tuple[tuple[Button, ...], ...]:
    """One topic per row: titles are short but Chinese labels side by side get cut off on phones."""
    return tuple((Button(label=tp.title(lang), data=f"{TOPIC_PREFIX}{tp.id}"),) for tp in topics)


def _default_topics(kb: KnowledgeBase) -> list[Topic]:
    """Fallback suggestions when the search has fewer than three candidates: the most asked topics."""
    wanted = ("credits-total", "who-must", "deadline", "online-steps", "check-credits")
    return [tp for tp in (kb.topic(i) for i in wanted) if tp is not None]


def _suggestions(kb: KnowledgeBase, ranked: list[Topic]) -> list[Topic]:
    out: list[Topic] = []
    for tp in [*ranked, *_default_topics(kb), *kb.topics]:
        if tp not in out:
            out.append(tp)
        if len(out) == SUGGESTIONS:
            break
    return out


def answer(kb: KnowledgeBase, text: str, lang: str, t: Translator) -> Reply:
    """Answer ``text`` in ``lang`` ("zh" | "en"); never raises on odd input (empty, emoji, very long)."""
    if not text or not text.strip() or is_greeting(text):
        return Reply(text=t(lang, "qa.greeting", year=kb.year), kind="not_found", score=0.0)
    if is_thanks(text):
        return Reply(text=t(lang, "qa.thanks"), kind="not_found", score=0.0)
    result = kb.search(text)
    if result.verdict == "answer" and result.best is not None:
        return render_topic(result.best.topic, lang, t, score=result.confidence, question=text)
    if result.verdict == "unsure" and result.pair:
        return render_pair(result.hits[0].topic, result.hits[1].topic, lang, t, text, result.confidence)
    if result.verdict == "unsure" and result.hedged:
        return render_hedge([h.topic for h in result.hits[:HEDGE_SHOWN]], lang, t, result.confidence)
    if result.verdict == "unsure":
        # "要学吗" names nothing: its hits are noise, so the most asked topics are offered instead.
        ranked = [h.topic for h in result.hits] if result.worded else []
        topics = _suggestions(kb, ranked)
        close = bool(ranked) and len(result.hits) > 1 and result.hits[1].score >= ANSWER_THRESHOLD
        return Reply(
            text=(t(lang, "qa.unsure_between", first=topics[0].title(lang), second=topics[1].title(lang))
                  if close else t(lang, "qa.unsure")),
            buttons=_topic_buttons(topics, lang),
            score=result.confidence,
            kind="unsure",
            # "worded": the candidates come from the question's words, not the most asked topics.
            extra={"candidates": [tp.id for tp in topics], "worded": bool(ranked)},
        )
    return Reply(text=t(lang, "qa.not_found", year=kb.year), score=result.confidence, kind="not_found")


def answer_topic(kb: KnowledgeBase, entry_id: str, lang: str, t: Translator) -> Reply | None:
    """The answer for a pressed topic button; ``None`` for an unknown or stale id (data changed since)."""
    if entry_id.startswith(TOPIC_PREFIX):
        entry_id = entry_id[len(TOPIC_PREFIX):]
    topic = kb.topic(entry_id)
    if topic is None:
        return None
    return render_topic(topic, lang, t, score=None)


def topics_menu(kb: KnowledgeBase, lang: str, t: Translator) -> Reply:
    """The FAQ menu: the most asked topics (``menu`` order in the FAQ data), one button each."""
    listed = sorted((tp for tp in kb.topics if tp.entry.menu is not None), key=lambda tp: tp.entry.menu or 0)
    buttons = tuple((Button(tp.title(lang), f"{TOPIC_PREFIX}{tp.id}"),) for tp in listed)
    return Reply(t(lang, "qa.menu"), buttons=buttons, kind="info")
