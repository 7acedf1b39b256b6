"""The year's policy as validated data.

Every threshold and date the bot states is read from ``knowledge/policies/<year>.toml`` through
these models, so a new year's notice is a data change. Validation catches a mistyped file at start-up
rather than in a user's answer.
"""

from __future__ import annotations

import tomllib
from datetime import date
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, model_validator

POLICY_DIR = Path(__file__).resolve().parent / "policies"


class Category(StrEnum):
    """The two kinds of credit of subject the notice names (第二条)."""

    PROFESSIONAL = "专业"
    PUBLIC = "公需"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Document(_Frozen):
    doc_no: str
    title: str


class Documents(_Frozen):
    notice: Document
    forward: Document


class CreditRule(_Frozen):
    min_total: int
    min_professional: int
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
        """Flat names for message templates: ``{min_total}``, ``{deadline}``, ``{makeup_start}`` …

        Computed once per policy (reminder dispatch formats thousands of messages a pass); a copy is returned
        so a caller adding names cannot change what the next caller sees.
        """
        return dict(_format_args(self))


def _cn(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@lru_cache(maxsize=8)
def _format_args(policy: Policy) -> dict[str, object]:
    """Keyed on the (frozen, hashable) policy's values, so a modified copy gets its own names."""
    p = policy
    return {
        "year": p.year,
        "min_total": p.credits.min_total,
        "min_professional": p.credits.min_professional,
        "min_other": p.credits.min_public_implied,
        "deadline": _cn(p.deadline),
        "deadline_iso": p.deadline.isoformat(),
        "study_start": _cn(p.study_period.start),
        "study_start_iso": p.study_period.start.isoformat(),
        "online_start": _cn(p.online_study.start),
        "online_start_iso": p.online_study.start.isoformat(),
        "online_end": _cn(p.online_study.end),
        "online_end_iso": p.online_study.end.isoformat(),
        "makeup_start": _cn(p.makeup.start),
        "makeup_start_iso": p.makeup.start.isoformat(),
        "makeup_end": _cn(p.makeup.end),
        "makeup_end_iso": p.makeup.end.isoformat(),
        "makeup_years": "、".join(str(y) for y in p.makeup.years),
        "makeup_years_en": " and ".join(str(y) for y in p.makeup.years),
        "report_days": p.face_to_face.report_within_working_days,
        "plan_due": f"{p.institutions.plan_due_month}月{p.institutions.plan_due_day}日",
        "plan_due_en": date(2000, p.institutions.plan_due_month, p.institutions.plan_due_day)
        .strftime("%d %B").lstrip("0"),
        "notice_no": p.documents.notice.doc_no,
        "forward_no": p.documents.forward.doc_no,
        "national_name": p.platforms.national.name,
        "national_url": p.platforms.national.url,
        "kjzx_name": p.platforms.kjzx.name,
        "kjzx_url": p.platforms.kjzx.url,
    }


def load_policy(path: Path) -> Policy:
    with path.open("rb") as fh:
        return Policy.model_validate(tomllib.load(fh))


@lru_cache(maxsize=4)
def policy_for(year: int = 2026) -> Policy:
    """The shipped policy of ``year`` (cached: the file is read once per process)."""
    return load_policy(POLICY_DIR / f"{year}.toml")
