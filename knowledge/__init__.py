"""The knowledge base: the notices, verified reference facts, curated FAQ, and the search over them.

What belongs here: the year's data (``policies/<year>.toml`` read through :mod:`knowledge.policy`, the
conversion table in :mod:`knowledge.conversions`, documents, FAQ, dictionaries) and the search engine.
Nothing here imports ``bot``, ``handlers`` or ``telegram``; ``bot.answers.qa`` turns a :class:`SearchResult`
into a ``Reply``.
"""

from knowledge.base import Hit, KnowledgeBase, SearchResult, Topic
from knowledge.models import FaqEntry, Section

__all__ = ["FaqEntry", "Hit", "KnowledgeBase", "SearchResult", "Section", "Topic"]
