"""Holiday schedules as data: ``knowledge/holidays/<year>.toml``, for years chinesecalendar does not cover.

The State Council publishes each year's 放假安排 late in the year before; an admin adds the file then, and
every working-day count (face-to-face report due dates) follows without a release.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, model_validator

HOLIDAY_DIR = Path(__file__).resolve().parent / "holidays"


class HolidayYear(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    year: int
    source: str
    holidays: frozenset[date]
    workdays: frozenset[date] = frozenset()

    @model_validator(mode="after")
    def _in_year(self) -> HolidayYear:
        for day in self.holidays | self.workdays:
            if day.year != self.year:
                raise ValueError(f"{day} is not in {self.year}")
        if self.holidays & self.workdays:
            raise ValueError("a day cannot be both a holiday and a workday")
        return self


@lru_cache(maxsize=16)
def holiday_year(year: int, roots: tuple[Path, ...] = (HOLIDAY_DIR,)) -> HolidayYear | None:
    """The schedule of ``year`` if an admin has added it (the last root that has one wins)."""
    found: HolidayYear | None = None
    for root in roots:
        path = root / f"{year}.toml"
        if path.is_file():
            with path.open("rb") as fh:
                found = HolidayYear.model_validate(tomllib.load(fh))
    return found


def known_years(roots: Iterable[Path] = (HOLIDAY_DIR,)) -> list[int]:
    return sorted({int(p.stem) for r in roots for p in Path(r).glob("*.toml") if p.stem.isdigit()})
