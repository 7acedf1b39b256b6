"""Turns one free-text message into a ``Reply``, the same way for the chat and for ``accbot ask``.

Interpreters are tried in order; the first that recognises the text answers. More specific readings
(a statement of one's own credits, a conversion question) come before the general question answering,
which always answers (possibly "not found"). Nothing here stores anything: saving is offered through
buttons that the chat handlers act on.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from bot.answers.credit_answers import Person
from bot.answers.i18n import Translator, text_language
from bot.answers.qa import opens_with_verdict
from bot.answers.reply import Button, Reply
from bot.parsing.questions import (
    MAX_PARTS,
    OUR_MATTER,
    earlier_matter,
    emphasise_asked,
    follow_up_focus,
    is_thin,
    names_our_matter,
    speaks_of_shortfall,
    split_questions,
    with_previous,
    without_item_marker,
)

Interpreter = Callable[[str, str], Reply | None]

MAX_TEXT_CHARS = 600
# A follow-up ("那专业课呢") is read with the chat's last answered question if that came within this many minutes;
# a conversation picked up later starts afresh. The chat keeps that one question in memory only.
FOLLOW_UP_MINUTES = 30


@dataclass
class Responder:
    interpreters: Sequence[Interpreter]
    fallback: Callable[[str, str], Reply]
    t: Translator
    # A statement of one's own credits read with what the chat knows of the sender (profile, records).
    for_person: Callable[[str, str, Person], Reply | None] | None = None
    # A short line on the asker's own situation, put before the answer to what they asked when it bears on it
    # ("我今年刚考过初级，去哪里报名？": from next year on, then where to register).
    preface: Callable[[str, str], str | None] | None = None
    # Answers are a function of the text, the language and the moment (days left, open windows), so within
    # one minute the same question gets the same reply. In a crowd most people ask the same few questions:
    # a reply made once a minute and served from memory keeps the CPU per answer near a bare echo bot's.
    # A claim repeated to be checked ("听说只要60学分就够了", "I heard …, right?"): ``claim_statement`` gives the
    # claim as the answer path should read it, without its hearsay frame; ``claim_verdict`` puts 对/不对 (Yes/No)
    # before the reply when the claim can be checked (bot.answers.claims); for any other message it puts 是/否 (Yes/No)
    # before a yes/no question's reply that the FAQ rendering could not settle alone (a time answer, a hedge whose
    # readings agree, a figure or day asked about).
    claim_statement: Callable[[str], str | None] | None = None
    claim_verdict: Callable[[str, str, Reply], Reply] | None = None
    # One part of several that is a close call among three or more topics, or unsure, in compact form:
    # (topic ids, lang, lead) → the likeliest in short form with the others named (``lead``), or the topics named.
    brief: Callable[[list[str], str, bool], Reply | None] | None = None
    cache_key: Callable[[], object] | None = None  # the current minute, from the injected clock
    cache_size: int = 2048
    _cache: dict[tuple[str, str, object], Reply] = field(default_factory=dict, init=False, repr=False)

    def respond_to(self, text: str, lang: str, person: Person) -> Reply:
        """As :meth:`respond`, but a statement of the sender's credits is assessed with their saved profile and
        recorded figures (``accbot ask`` has no sender and uses :meth:`respond`)."""
        text = text.strip()
        if self.for_person is not None and text and len(text) <= MAX_TEXT_CHARS:
            reply = self.for_person(text, text_language(text) or lang, person)
            if reply is not None:
                return reply
        return self.respond(text, lang)

    def respond_after(self, text: str, lang: str, previous: str | None) -> tuple[Reply, str]:
        """Answer ``text`` in a conversation whose last answered question was ``previous``; also the question the
        reply answers, to remember for the next message.

        A follow-up ("那专业课呢", "what about public courses?", "那明年呢") is read with the previous question
        ("专业课要多少学分") when that changes a word of the previous question, or when the follow-up alone is not
        answered with confidence; the reply then opens with the question it answers, so a wrong reading shows.
        """
        alone = self.respond(text, lang)
        focus = follow_up_focus(text) if previous else None
        if focus is None or previous is None:
            return alone, text
        question, swapped = with_previous(previous, focus)
        if not swapped and _confident(alone):
            return alone, text
        combined = self.respond(question, lang)
        if not _confident(combined) and (_confident(alone) or combined.kind not in ("answer", "credits")):
            return alone, text
        lang = text_language(question) or lang
        note = self.t(lang, "qa.follow_up", question=question)
        return replace(combined, text=f"{note}\n\n{combined.text}"), question

    def respond(self, text: str, lang: str) -> Reply:
        """Answer in the language the text is written in; ``lang`` (the user's) when that is unclear."""
        if self.cache_key is None:
            return self._respond(text, lang)
        key = (text.strip(), lang, self.cache_key())
        reply = self._cache.get(key)
        if reply is None:
            reply = self._respond(text, lang)
            if len(self._cache) >= self.cache_size:
                self._cache.clear()  # cheap, and a new minute's replies are made afresh anyway
            self._cache[key] = reply
        return reply

    def _respond(self, text: str, lang: str) -> Reply:
        text = text.strip()
        lang = text_language(text) or lang
        if not text:
            return Reply(self.t(lang, "text.empty"), kind="error")
        if len(text) > MAX_TEXT_CHARS:
            return Reply(self.t(lang, "text.too_long", limit=MAX_TEXT_CHARS), kind="error")
        parts = split_questions(text)
        if len(parts) > 1:
            combined = self._several(parts, lang)
            # Sure of a part (one answered in full): the parts.
            if combined is not None and any(not p.get("hedged") for p in combined.extra["parts"]):  # type: ignore[attr-defined]
                return combined
            whole = self._one(text, lang)
            # Sure of no part: the message read as one; if that answers nothing either, each part in compact form.
            if combined is not None and whole.kind not in ("answer", "credits"):
                return combined
            return whole
        return self._one(without_item_marker(text), lang)

    def _one(self, text: str, lang: str, ranked: str | None = None, *, preface: bool = True,
             claim: bool = True) -> Reply:
        """``ranked``: the text the FAQ ranking reads instead of ``text`` (by default ``text`` with its asked
        clause counted twice when the rest tells the asker's story, :func:`emphasise_asked`). ``preface``: put
        the line on the asker's own situation first, if there is one (not when that situation is an earlier
        part's, which already has it). ``claim``: a claim ("听说只要60学分就够了") is answered as the statement it
        repeats, its verdict first (not again for that statement)."""
        claimed = self.claim_statement(text) if self.claim_statement is not None and claim else None
        if claimed is not None and self.claim_verdict is not None:
            # Read without its frame: "同事说", "网上说" would pull the ranking towards colleagues and websites.
            reply = self._one(claimed, lang, preface=preface, claim=False)
            if "statement" in reply.extra.get("topics", ()):
                # "有人说公需30专业60": the figures are a claimed rule, not the sender's credits to assess.
                reply = self.fallback(emphasise_asked(claimed), lang)
            return self.claim_verdict(text, lang, reply)
        reply = next((r for r in (interpret(text, lang) for interpret in self.interpreters) if r is not None), None)
        if reply is None:
            reply = self.fallback(ranked or emphasise_asked(text), lang)
        if claim and self.claim_verdict is not None:
            # A yes/no question answered by a time reading or a hedge, or naming a figure: its 是/否 (Yes/No) first.
            reply = self.claim_verdict(text, lang, reply)
        # Not before the personal verdict itself, nor before a credit reading (kind "credits").
        if (not preface or self.preface is None or reply.kind != "answer"
                or "personal" in reply.extra.get("topics", ())):
            return reply
        line = self.preface(text, lang)
        if not line:
            return reply
        if opens_with_verdict(reply.text) and "\n\n" in reply.text:
            # "Yes, it converts …" answers the yes/no question asked: the verdict stays first, the asker's own
            # situation follows it.
            answer, rest = reply.text.split("\n\n", 1)
            return replace(reply, text=f"{answer}\n\n{line}\n\n{rest}")
        return replace(reply, text=f"{line}\n\n{reply.text}")

    def _several(self, parts: list[str], lang: str) -> Reply | None:
        """One reply to the first :data:`MAX_PARTS` parts, each decided on its own and then put together in the
        order they were asked: a part it is sure of answered in full with its own citation (each topic once), a
        close call among three or more topics or an unsure reading in compact form (:attr:`brief`); a part that
        finds nothing is said so in a line after them. More parts than that are listed, to be sent again.
        ``None`` when it is sure of no part and has nothing compact to offer either. When it is sure of no part,
        the caller prefers the message read as a whole, if that answers (its ``extra["parts"]`` are all hedged).

        The asked order holds whichever parts are sure: a first part left in compact form still comes first, so
        the reply never opens with the answer to another part (the thresholds that decide between a full answer
        and a compact one then change how a part is answered, not which part the reply leads with)."""
        asked, rest = parts[:MAX_PARTS], parts[MAX_PARTS:]
        decided: list[tuple[str, Reply, bool]] = []  # (part, reply, answered in full), in the asked order
        seen: set[str] = set()
        ours = any(names_our_matter(p) for p in parts)
        for i, part in enumerate(asked):
            reply, note = self._one(part, lang), None
            if reply.kind == "not_found" and ours and not names_our_matter(part):
                # "…一直没有参加继续教育…1.还能补学吗？2.会不会影响我明年报考中级？": the message is about continuing
                # education, so a part naming another domain's word (报考) is asked about it too.
                reply = self._one(f"{OUR_MATTER},{part}", lang)
            if i:
                reply, note = self._in_context(part, asked[:i], reply, lang, seen)
            key = _key(reply)
            if key is None or (reply.extra.get("pair") and key not in seen and set(_topics(reply)[1:]) & seen):
                # A close call whose other reading was answered for an earlier part is left with one guess.
                decided.append((part, reply, False))
            elif key not in seen:  # "如何交费？费用多少？": one topic, answered once
                seen.add(key)
                decided.append((part, replace(reply, text=f"{note}\n{reply.text}") if note else reply, True))
        # A close call whose likeliest reading another part answers in full, or an earlier close call leads with
        # too, is a repeat ("…？How?", "报名一定要交钱吗，有没有免费的"): left out, wherever that other part stands.
        leaders, kept = set(seen), []
        for part, reply, full in decided:
            if not full and reply.extra.get("hedged"):
                if _topics(reply)[0] in leaders:
                    continue
                leaders.add(_topics(reply)[0])
            kept.append((part, reply, full))
        decided = kept
        if any("statement" in _topics(reply) for _, reply, full in decided if full):
            # "学分不够怎么办？今年才学了50分…": a part about falling short, left open, is the stated figures' question.
            decided = [d for d in decided if d[2] or not speaks_of_shortfall(d[0])]
        sure = [reply for _, reply, full in decided if full]
        # Topics answered in full for any part are left out of the compact ones, whichever part comes first.
        compact = {i: self._brief(reply, lang, seen) for i, (_, reply, full) in enumerate(decided) if not full}
        if not sure and not any(compact.values()):
            return None
        graded: list[dict[str, object]] = []  # each answered part's topics (a close call's two or three)
        blocks: list[str] = []
        lines: list[str] = []  # parts that answer nothing, after those that do
        buttons: list[tuple[Button, ...]] = []
        open_parts: list[tuple[str, str]] = []  # (part, how it was left), for the curators' list of misses
        for i, (part, reply, full) in enumerate(decided):
            if full:
                graded.append({"topics": _topics(reply), "pair": bool(reply.extra.get("pair"))})
                blocks.append(reply.text)
                buttons.extend(reply.buttons)
                continue
            brief = compact[i]
            open_parts.append((part, "hedged" if brief is not None and brief.kind == "answer" else reply.kind))
            if brief is None:
                line = "qa.part_not_found" if reply.kind == "not_found" else "qa.part_unsure"
                lines.append(self.t(lang, line, part=part))
                continue
            blocks.append(f"{self.t(lang, 'qa.part_about', part=part)}{brief.text}")
            buttons.extend(brief.buttons)
            if brief.kind == "answer":
                graded.append({"topics": _topics(brief), "pair": False, "hedged": True})
        blocks.extend(lines)
        if rest:
            quoted = self.t(lang, "qa.list_sep").join(self.t(lang, "qa.part_quoted", part=p) for p in rest)
            blocks.append(self.t(lang, "qa.part_rest", count=len(parts), shown=len(asked), rest=quoted))
        return Reply(
            text="\n\n".join(blocks),
            buttons=tuple(dict.fromkeys(buttons)),  # a topic offered by two parts gets one button
            sources=tuple(dict.fromkeys(s for r in sure for s in r.sources)),
            score=min((r.score for r in sure if r.score is not None), default=None),
            kind=("answer" if any(r.kind == "answer" for r in sure) or graded else "credits" if sure else "unsure"),
            extra={"topics": [t for p in graded for t in p["topics"]], "parts": graded, "open_parts": open_parts},
        )

    def _brief(self, reply: Reply, lang: str, seen: set[str]) -> Reply | None:
        """A part not answered on one topic, compact: a close call's likeliest in short form and the others named,
        or an unsure reading's topics named; topics already answered for other parts left out. ``None`` for
        nothing to offer (not found, or an unsure reading whose words point nowhere)."""
        if self.brief is None:
            return None
        if reply.kind == "answer" and (reply.extra.get("hedged") or reply.extra.get("pair")):
            ids, lead = _topics(reply), True
        elif reply.kind == "unsure" and reply.extra.get("worded"):
            ids, lead = [str(x) for x in reply.extra.get("candidates", ())], False  # type: ignore[attr-defined]
        else:
            return None
        ids = [i for i in ids if i not in seen]
        return self.brief(ids, lang, lead) if ids else None

    def _in_context(self, part: str, earlier: list[str], alone: Reply, lang: str,
                    seen: set[str]) -> tuple[Reply, str | None]:
        """``part`` read with the matter of the parts before it, when that reading is better than ``alone``; with
        the line that says how it was read (``None`` for the part's own reading).

        A later part often leans on an earlier one for its subject ("面授培训在哪里报名？学分怎么登记？",
        "会计之星网址是多少？怎么缴费？"), as a follow-up leans on the chat's last question. The earlier matter is
        put before the part and the ranking counts the part twice, so the context only tips a part that its
        own words leave open. The reading is taken when it answers a part not answered alone, or answered
        only by chance because it names almost nothing (a close call's two answers will do, as for a
        follow-up), or when it confidently moves a part answered alone to a topic not yet answered. It is not
        taken when the earlier matter alone would give the same topic: then the context speaks, not the part
        ("多学的学分能结转吗？外省学的山西认吗？" stays nationwide).
        """
        # Own words; a part that names almost nothing ("How many?") is answered by chance.
        own = _key(alone) is not None and not is_thin(part)
        focus = follow_up_focus(part)
        if focus is not None:  # "专业课要多少学分？公需课呢？": the question before, with the word it changes
            question, swapped = with_previous(earlier[-1], focus)
            read = self._one(question, lang, preface=False) if swapped else alone
            key = _key(read)
            if swapped and key is not None and (not own or (_confident(read) and key != _key(alone))):
                return read, self.t(text_language(question) or lang, "qa.follow_up", question=question)
        matter = earlier_matter(earlier)
        if not matter:
            return alone, None
        # The matter first, as one would say it ("面授培训报名,学分怎么登记?"); the part stays the asked clause.
        text = f"{matter},{part}"
        read = self._one(text, lang, ranked=emphasise_asked(text, always=True), preface=False)
        key = _key(read)
        if key is None and _key(alone) is None and read.extra.get("hedged"):
            # Open either way ("学分怎么查询？多久能更新？"): the close call among the earlier matter's topics, unless
            # that one's likeliest reading is an earlier part's, already answered, and the part has close readings
            # of its own ("高级会计师还要继续教育吗？要多少学分？": credits-total, professional-min, … alone; senior
            # with the earlier matter): then it is the part's own close call, not a repeat.
            if _topics(read)[0] in seen and alone.extra.get("hedged"):
                return alone, None
            return read, None
        if key is None or (own and (not _confident(read) or key in seen or key == _key(alone))):
            return alone, None
        if key in {_key(r) for r in (self._one(matter, lang), self.fallback(matter, lang)) if _confident(r)}:
            # The earlier matter alone settles on this topic: the context speaks, not the part. A part that names
            # almost nothing of its own ("在哪里改？", "一般要多久？") then asks about that same matter, already
            # answered: it is left out as a repeat. A part with words of its own keeps its own reading.
            return (read, None) if key in seen and is_thin(part) else (alone, None)
        return read, self.t(lang, "qa.part_in_context", part=part, earlier="".join(earlier))


def _topics(reply: Reply) -> list[str]:
    return [str(x) for x in reply.extra.get("topics", [reply.extra.get("topic")]) if x]


def _key(reply: Reply) -> str | None:
    """What a part's answer is, for answering each once: its topic, or the text of a computed reading (two
    conversions share the id "conversion" but answer different things); ``None`` when it answers nothing."""
    topics = _topics(reply)
    if reply.kind not in ("answer", "credits") or not topics or reply.extra.get("hedged"):
        return None  # a hedge (three readings of one part) would swamp the other parts' answers
    return topics[0] if reply.kind == "answer" else reply.text


def _confident(reply: Reply) -> bool:
    """An answer on one topic (not a close call between two or more, not a question back)."""
    return reply.kind in ("answer", "credits") and not reply.extra.get("pair") and not reply.extra.get("hedged")
