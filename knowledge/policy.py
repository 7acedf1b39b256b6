"""The year's policy as validated data.

Every threshold and date the bot states is read from ``knowledge/policies/<year>.toml`` through
these models, so a new year's notice is a data change. Validation catches a mistyped file at start-up
rather than in a user's answer.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from datetime import date
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

KNOWLEDGE_DIR = Path(__file__).resolve().parent
POLICY_DIR = KNOWLEDGE_DIR / "policies"


class Category(StrEnum):
    """The two kinds of credit of subject the notice names (第二条)."""

    PROFESSIONAL = "专业"
    PUBLIC = "公需"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Document(_Frozen):
    doc_no: str
    title: str
    issued: date  # a newer policy takes over from its notice's issue day (bot.domain.years)


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
    """A makeup (补学) window for earlier years. Optional: the 2026 notice opens one, a later one may not."""

    years: tuple[int, ...] = Field(min_length=1)


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
    """Days before each policy date on which the bot reminds; 0 is the day itself."""

    deadline_days_before: tuple[int, ...]
    makeup_close_days_before: tuple[int, ...] = ()
    # The notice fixes the plan-submission day but not when to remind; a week ahead and on the day.
    plan_due_days_before: tuple[int, ...] = (7, 0)
    # After a face-to-face course: this many calendar days before the report is due, and on the day.
    f2f_days_before: tuple[int, ...] = (3, 0)


class Policy(_Frozen):
    year: int
    timezone: str
    documents: Documents
    credits: CreditRule
    study_period: Window
    online_study: Window
    makeup: Makeup | None = None
    face_to_face: FaceToFace
    institutions: Institutions
    platforms: Platforms
    reminders: ReminderOffsets

    @model_validator(mode="after")
    def _dates_in_year(self) -> Policy:
        if self.study_period.end.year != self.year:
            raise ValueError("study_period.end must fall in the policy year")
        if self.documents.notice.issued.year != self.year:
            raise ValueError("documents.notice.issued must fall in the policy year")
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
        **_makeup_args(p.makeup),
    }


def _makeup_args(m: Makeup | None) -> dict[str, object]:
    """Without a makeup window the names are absent, so a template that needs them fails validation."""
    if m is None:
        return {}
    return {
        "makeup_start": _cn(m.start),
        "makeup_start_iso": m.start.isoformat(),
        "makeup_end": _cn(m.end),
        "makeup_end_iso": m.end.isoformat(),
        "makeup_years": "、".join(str(y) for y in m.years),
        "makeup_years_en": " and ".join(str(y) for y in m.years),
    }


def load_policy(path: Path) -> Policy:
    with path.open("rb") as fh:
        return Policy.model_validate(tomllib.load(fh))


def policy_files(roots: Iterable[Path]) -> dict[int, Path]:
    """``<root>/policies/<year>.toml`` under each knowledge root; a later root overrides an earlier one."""
    found: dict[int, Path] = {}
    for root in roots:
        for path in sorted((root / "policies").glob("*.toml")):
            if path.stem.isdigit():
                found[int(path.stem)] = path
    return found


def load_policies(roots: Iterable[Path] = (KNOWLEDGE_DIR,)) -> tuple[Policy, ...]:
    """Every policy under ``roots``, oldest year first; a file whose name and ``year`` disagree is refused."""
    out = []
    for year, path in sorted(policy_files(roots).items()):
        policy = load_policy(path)
        if policy.year != year:
            raise ValueError(f"{path}: year = {policy.year} in a file named {year}.toml")
        out.append(policy)
    return tuple(out)


@lru_cache(maxsize=4)
def policy_for(year: int = 2026) -> Policy:
    """The shipped policy of ``year`` (cached: the file is read once per process)."""
    return load_policy(POLICY_DIR / f"{year}.toml")


class PolicyLibrary:
    """The policies under a set of knowledge roots, re-read when a file appears or changes.

    Why re-read: the next notice arrives mid-year; an admin drops ``policies/2027.toml`` (and its documents
    and FAQ wording) into a root and the running bot picks it up on the next request, no restart. A scan is a
    directory listing and a few ``stat`` calls; the files are parsed only when that signature changes.
    """

    def __init__(self, roots: Iterable[Path] = (KNOWLEDGE_DIR,)) -> None:
        self.roots = tuple(roots)
        self._signature: tuple[tuple[str, int], ...] | None = None
        self._policies: tuple[Policy, ...] = ()

    def _scan(self) -> tuple[tuple[str, int], ...]:
        files = policy_files(self.roots).values()
        return tuple(sorted((str(p), p.stat().st_mtime_ns) for p in files))

    @property
    def policies(self) -> tuple[Policy, ...]:
        signature = self._scan()
        if signature != self._signature:
            self._policies = load_policies(self.roots)
            self._signature = signature
        return self._policies


class NationalRule(_Frozen):
    """财会〔2018〕10号 第十二条: the credit rule that holds every year, nationwide, whatever a province adds.

    The bot falls back on it between years (after a deadline, before the next provincial notice): it says how
    many credits a year needs, not when Shanxi's platforms open.
    """

    doc_no: str
    article: str
    source: str  # section id of the verbatim article in documents/reference.toml
    quote: str
    min_total: int
    professional_share_num: int
    professional_share_den: int

    @property
    def min_professional(self) -> int:
        """"专业科目一般不少于总学分的三分之二" of 90 is 60 (rounded up: a share is a minimum)."""
        num = self.min_total * self.professional_share_num
        return -(-num // self.professional_share_den)

    @property
    def citation(self) -> str:
        return f"{self.doc_no} {self.article}"


@lru_cache(maxsize=1)
def national_rule(path: Path = KNOWLEDGE_DIR / "national.toml") -> NationalRule:
    with path.open("rb") as fh:
        return NationalRule.model_validate(tomllib.load(fh))


class FixedPolicies(PolicyLibrary):
    """A library of given policies (tests that pin one year's rules, benchmarks)."""

    def __init__(self, *policies: Policy) -> None:
        super().__init__(())
        self._policies = tuple(sorted(policies, key=lambda p: p.year))

    @property
    def policies(self) -> tuple[Policy, ...]:
        return self._policies
