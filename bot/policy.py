"""The year's policy as validated data.

Every threshold and date the bot states is read from ``knowledge/policies/<year>.toml`` through
these models, so a new year's notice is a data change. Validation catches a mistyped file at start-up
rather than in a user's answer.
"""

from __future__ import annotations

import tomllib
from datetime import date
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, model_validator

POLICY_DIR = Path(__file__).resolve().parent.parent / "knowledge" / "policies"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Document(_Frozen):
    doc_no: str
    title: str
    issued: date


class Documents(_Frozen):
    notice: Document
    forward: Document


class CreditRule(_Frozen):
    min_total: int
    min_professional: int
    carry_over: bool
    recordable_years: tuple[int, ...]
    valid_year_min: int
    valid_year_max: int
    max_per_entry: int
    max_per_year: int

    @model_validator(mode="after")
    def _consistent(self) -> CreditRule:
        if not 0 < self.min_professional <= self.min_total:
            raise ValueError("min_professional must be within (0, min_total]")
        if self.valid_year_min > self.valid_year_max:
            raise ValueError("valid_year_min must not exceed valid_year_max")
        return self

    @property
    def min_public_implied(self) -> int:
        """Credits beyond the professional minimum that may come from any category."""
        return self.min_total - self.min_professional


class Window(_Frozen):
    start: date
    end: date

    @model_validator(mode="after")
    def _ordered(self) -> Window:
        if self.start > self.end:
            raise ValueError("window start is after its end")
        return self

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


class Makeup(Window):
    years: tuple[int, ...]


class FaceToFace(_Frozen):
    report_within_working_days: int


class Institutions(_Frozen):
    plan_due_month: int
    plan_due_day: int


class Platform(_Frozen):
    name: str
    url: str


class Platforms(_Frozen):
    national: Platform
    kjzx: Platform


class ReminderOffsets(_Frozen):
    deadline_days_before: tuple[int, ...]
    makeup_close_days_before: tuple[int, ...]


class Policy(_Frozen):
    year: int
    timezone: str
    documents: Documents
    credits: CreditRule
    study_period: Window
    online_study: Window
    makeup: Makeup
    face_to_face: FaceToFace
    institutions: Institutions
    platforms: Platforms
    reminders: ReminderOffsets

    @model_validator(mode="after")
    def _dates_in_year(self) -> Policy:
        if self.study_period.end.year != self.year:
            raise ValueError("study_period.end must fall in the policy year")
        if not (self.study_period.start <= self.online_study.start and
                self.online_study.end <= self.study_period.end):
            raise ValueError("online_study must lie within study_period")
        return self

    @property
    def deadline(self) -> date:
        return self.study_period.end

    @property
    def plan_due(self) -> date:
        return date(self.year, self.institutions.plan_due_month, self.institutions.plan_due_day)

    def as_format_args(self) -> dict[str, object]:
        """Flat names for message templates: ``{min_total}``, ``{deadline}``, ``{makeup_start}`` …"""
        def d(day: date) -> str:
            return f"{day.year}年{day.month}月{day.day}日"

        def iso(day: date) -> str:
            return day.isoformat()

        return {
            "year": self.year,
            "min_total": self.credits.min_total,
            "min_professional": self.credits.min_professional,
            "min_other": self.credits.min_public_implied,
            "deadline": d(self.deadline),
            "deadline_iso": iso(self.deadline),
            "study_start": d(self.study_period.start),
            "study_start_iso": iso(self.study_period.start),
            "online_start": d(self.online_study.start),
            "online_start_iso": iso(self.online_study.start),
            "online_end": d(self.online_study.end),
            "online_end_iso": iso(self.online_study.end),
            "makeup_start": d(self.makeup.start),
            "makeup_start_iso": iso(self.makeup.start),
            "makeup_end": d(self.makeup.end),
            "makeup_end_iso": iso(self.makeup.end),
            "makeup_years": "、".join(str(y) for y in self.makeup.years),
            "makeup_years_en": " and ".join(str(y) for y in self.makeup.years),
            "report_days": self.face_to_face.report_within_working_days,
            "plan_due": f"{self.institutions.plan_due_month}月{self.institutions.plan_due_day}日",
            "plan_due_en": date(2000, self.institutions.plan_due_month,
                                self.institutions.plan_due_day).strftime("%d %B").lstrip("0"),
            "notice_no": self.documents.notice.doc_no,
            "forward_no": self.documents.forward.doc_no,
            "national_name": self.platforms.national.name,
            "national_url": self.platforms.national.url,
            "kjzx_name": self.platforms.kjzx.name,
            "kjzx_url": self.platforms.kjzx.url,
        }


def load_policy(path: Path) -> Policy:
    with path.open("rb") as fh:
        return Policy.model_validate(tomllib.load(fh))


@lru_cache(maxsize=4)
def policy_for(year: int = 2026) -> Policy:
    """The shipped policy of ``year`` (cached: the file is read once per process)."""
    return load_policy(POLICY_DIR / f"{year}.toml")
