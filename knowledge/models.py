"""Validated shapes of the knowledge data files.

The FAQ and the documents are TOML edited by people; pydantic catches a missing field or an over-long
button label when the bot starts instead of when a user presses the button.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

# "faq:" + id must fit Telegram's 64-byte callback_data.
ENTRY_ID_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,40}$"


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Section(_Strict):
    """One citable piece of a document: the unit a quote comes from."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str
    citation: str
    text: str


class DocumentFile(_Strict):
    """A document: its number (文号), title and issue date. Reference collections spanning several years
    (the national rule, the Shanxi measurement rules) carry no date; a year's notices do. ``year``: the
    policy year a provincial notice belongs to; ``None`` for national rules that hold every year."""

    doc_no: str
    title: str
    issued: date | None = None
    year: int | None = None
    section: list[Section] = Field(min_length=1)


class FaqEntry(_Strict):
    """A curated question with many phrasings and a short answer template.

    ``answer_zh``/``answer_en`` are ``str.format`` templates over the policy's format args, so no date or
    threshold is typed into the data. ``quote`` must be a verbatim substring of the first source.
    """

    id: str = Field(pattern=ENTRY_ID_PATTERN)
    title_zh: str = Field(min_length=1, max_length=20)
    title_en: str = Field(min_length=1, max_length=40)
    questions: list[str]  # with the verdict-bearing ones below, at least five phrasings
    keywords: dict[str, float] = Field(default_factory=dict)
    answer_zh: str
    answer_en: str
    sources: list[str] = Field(min_length=1)
    quote: str = Field(min_length=4)
    menu: int | None = Field(default=None, ge=1)  # position in the FAQ menu; unlisted when None
    # The verdict a yes/no question about this entry gets first (是/否, Yes/No); "none" when the notice does
    # not settle it, None when the entry is not a yes/no matter.
    yes_no: Literal["yes", "no", "none"] | None = None
    # Words that ask the entry's question the other way round, so they turn a fixed ``yes_no`` over: "学分每年
    # 清零吗" asks whether credits lapse, which the no-carry-over rule answers 是, where "能结转吗" gets 否.
    yes_no_reversed_by: list[str] = Field(default_factory=list)
    # Yes/no phrasings whose answer the notice settles, for an entry whose verdict depends on which yes/no question
    # is asked ("公需课学多了能顶专业课吗": no; "全部学专业课可以吗": yes). They are phrasings like ``questions``
    # (indexed, held out in the folds); a yes/no question landing on the entry gets the verdict of the nearest of
    # them when they are near enough and agree (knowledge/base.py: VerdictPhrasings), else none.
    questions_yes: list[str] = Field(default_factory=list)
    questions_no: list[str] = Field(default_factory=list)
    # Ids of entries merged into this one (two questions people could not tell apart, one richer answer). An
    # old id keeps working wherever it was handed out: lookups, eval cases, buttons already sent to users
    # (``faq:<old>``, ``fb:+:<old>``) and the misses log all reach this entry.
    replaces: list[Annotated[str, Field(pattern=ENTRY_ID_PATTERN)]] = Field(default_factory=list)

    @model_validator(mode="after")
    def _distinct(self) -> FaqEntry:
        phrasings = self.phrasings
        if len(phrasings) < 5:
            raise ValueError("fewer than five phrasings")
        if len({q.strip() for q in phrasings}) != len(phrasings):
            raise ValueError("duplicate phrasing")
        if self.yes_no_reversed_by and self.yes_no not in ("yes", "no"):
            raise ValueError("yes_no_reversed_by without a fixed yes_no: there is no verdict to turn over")
        if self.yes_no in ("yes", "no") and self.verdict_phrasings:
            raise ValueError("a fixed yes_no and verdict phrasings: the fixed verdict would answer every question")
        return self

    @property
    def phrasings(self) -> list[str]:
        """Every phrasing of the entry: the plain ones, then those that carry a verdict."""
        return [*self.questions, *self.questions_yes, *self.questions_no]

    @property
    def verdict_phrasings(self) -> list[tuple[str, Literal["yes", "no"]]]:
        return [(q, "yes") for q in self.questions_yes] + [(q, "no") for q in self.questions_no]

    def without_phrasings(self, drop: Callable[[int], bool]) -> FaqEntry:
        """This entry with the phrasings whose position in :attr:`phrasings` ``drop`` selects left out."""
        n, m = len(self.questions), len(self.questions_yes)
        keep = [not drop(i) for i in range(len(self.phrasings))]
        return self.model_copy(update={
            "questions": [q for q, k in zip(self.questions, keep[:n], strict=True) if k],
            "questions_yes": [q for q, k in zip(self.questions_yes, keep[n:n + m], strict=True) if k],
            "questions_no": [q for q, k in zip(self.questions_no, keep[n + m:], strict=True) if k],
        })


class FaqFile(_Strict):
    """A FAQ file. Without ``year`` its entries are shared by every year (the wording a year needs comes from
    its policy through placeholders); with ``year`` they are that year's wording and replace shared entries of
    the same id in that year only. A year's entry may quote only that year's documents or year-less ones."""

    year: int | None = None
    entry: list[FaqEntry] = Field(min_length=1)


class SynonymFile(_Strict):
    """Canonical term → variants; ``relative_years`` maps an offset from the policy year to variants."""

    terms: dict[str, list[str]]
    relative_years: dict[str, list[str]] = Field(default_factory=dict)
