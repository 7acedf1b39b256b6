"""The knowledge base: the notices, verified reference facts, curated FAQ, and the search over them.

Nothing here imports ``telegram``; ``bot.answers.qa`` turns a :class:`SearchResult` into a ``Reply``.
"""

from knowledge.base import Hit, KnowledgeBase, SearchResult, Topic
from knowledge.models import FaqEntry, Section

__all__ = ["FaqEntry", "Hit", "KnowledgeBase", "SearchResult", "Section", "Topic"]
