"""The conversion table: other forms of study (exams, conferences, papers, face-to-face hours …) as data.

The figures live in ``conversions.toml`` beside this module, each with the clause it comes from, because users
ask "考过一科中级能抵多少学分" and the bot must answer with the figure *and* where it comes from. No
verified source says whether such credits are 公需 or 专业, so forms carry ``category = None`` and the
view says exactly that (regulations C6) rather than guessing. Applying a form is ``bot.domain.conversions``.
"""

from __future__ import annotations

import re
import tomllib
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, field_validator

from knowledge.policy import Category

CONVERSIONS_PATH = Path(__file__).resolve().parent / "conversions.toml"

Unit = Literal["subject", "day", "course", "topic", "paper", "book", "hour"]
Role = Literal["first", "other"]

class SourceRef(BaseModel):
    """One clause a figure rests on, with what is not verified about it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    citation: str
    url: str
    quote: str
    caveat: str = ""
    caveat_en: str = ""


class ConversionForm(BaseModel):
    """One form of study and its conversion rule."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    unit: Unit
    per_unit: Decimal
    per_unit_other: Decimal | None = None
    cap_per_day: Decimal | None = None
    once_per_year: bool = False
    shanxi_verified: bool
    category: Category | None = None
    patterns: tuple[str, ...]
    sources: tuple[SourceRef, ...]

    @field_validator("patterns")
    @classmethod
    def _compiles(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for pattern in value:
            re.compile(pattern)
        return value

    @field_validator("sources")
    @classmethod
    def _cited(cls, value: tuple[SourceRef, ...]) -> tuple[SourceRef, ...]:
        if not value:
            raise ValueError("every conversion needs at least one source")
        return value

    @property
    def has_roles(self) -> bool:
        """The source gives a different figure to other authors / participants."""
        return self.per_unit_other is not None

    def matches(self, text: str) -> bool:
        return any(re.search(p, text) for p in self.patterns)


class _File(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    form: tuple[ConversionForm, ...]


def load_conversions(path: Path = CONVERSIONS_PATH) -> tuple[ConversionForm, ...]:
    """Read and validate the conversions file; ids must be unique."""
    with path.open("rb") as fh:
        parsed = _File.model_validate(tomllib.load(fh))
    ids = [f.id for f in parsed.form]
    if len(ids) != len(set(ids)):
        raise ValueError("duplicate conversion id")
    return parsed.form


@lru_cache(maxsize=1)
def forms() -> tuple[ConversionForm, ...]:
    """The shipped conversions (read once per process)."""
    return load_conversions()


def form_by_id(form_id: str) -> ConversionForm:
    for form in forms():
        if form.id == form_id:
            return form
    raise KeyError(form_id)
