"""What the bot missed, grouped so the FAQ can learn from it: the same question asked in different widths,
scripts or with polite fillers is one line, with how often it was asked and what the search now ranks first
(a line whose best topic is now answered confidently shows the FAQ has caught up)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from bot.storage.unanswered import UnansweredLog
from knowledge import KnowledgeBase

# A 👎 whose question was no longer in memory (after a restart) is logged as its topic alone: "[start-year]".
_TOPIC_ONLY = re.compile(r"\[([a-z0-9][a-z0-9_-]{0,40})\]")


@dataclass(frozen=True, slots=True)
class Miss:
    text: str  # the normalised question (cleaned, fillers dropped)
    count: int
    kinds: tuple[str, ...]  # not_found / unsure, as logged
    best_topic: str | None
    verdict_now: str


async def misses(log: UnansweredLog, kb: KnowledgeBase, since: datetime, limit: int | None = None) -> list[Miss]:
    """Logged misses since ``since``, grouped by normalised text, most asked first."""
    counts: Counter[str] = Counter()
    kinds: dict[str, set[str]] = {}
    named: dict[str, str] = {}  # "[topic]" line → the topic, under its current id (an old, merged id included)
    for entry in await log.since(since):  # already one row per wording, with its count
        match = _TOPIC_ONLY.fullmatch(entry.text)
        topic = kb.topic(match.group(1)) if match else None
        if topic is not None:
            key = f"[{topic.id}]"
            named[key] = topic.id
        else:
            key = kb.analyzer.strip_fillers(entry.text).strip(" ?？!！。.,，")
        if not key:
            continue
        counts[key] += entry.count
        kinds.setdefault(key, set()).add(entry.kind)
    out: list[Miss] = []
    for key, count in counts.most_common(limit):
        if key in named:  # no question to search again: the answered topic is what was marked down
            out.append(Miss(key, count, tuple(sorted(kinds[key])), named[key], "answer"))
            continue
        result = kb.search(key)
        out.append(Miss(key, count, tuple(sorted(kinds[key])), result.best.topic.id if result.best else None,
                        result.verdict))
    return out
