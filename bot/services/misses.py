"""What the bot missed, grouped so the FAQ can learn from it: the same question asked in different widths,
scripts or with polite fillers is one line, with how often it was asked and what the search now ranks first
(a line whose best topic is now answered confidently shows the FAQ has caught up)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from bot.storage.unanswered import UnansweredLog
from knowledge import KnowledgeBase


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
    for entry in await log.since(since):  # already one row per wording, with its count
        key = kb.analyzer.strip_fillers(entry.text).strip(" ?？!！。.,，")
        if not key:
            continue
        counts[key] += entry.count
        kinds.setdefault(key, set()).add(entry.kind)
    out: list[Miss] = []
    for key, count in counts.most_common(limit):
        result = kb.search(key)
        out.append(Miss(key, count, tuple(sorted(kinds[key])), result.best.topic.id if result.best else None,
                        result.verdict))
    return out
