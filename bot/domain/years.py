"""Which policy year is it? Decided for a moment, never fixed at start-up.

A Shanxi notice sets one year's dates; the national rule (财会〔2018〕10号 第十二条) holds every year. So a day
is in one of two phases:

* ``in_year`` – the newest policy issued by that day still runs (2026-11-28: the 2026 policy, 34 days left);
* ``between`` – its deadline has passed and no newer notice is loaded yet (typically January to March).
  The finished year is final; credits earned now belong to the calendar year and are judged by the
  national rule until the province publishes its arrangements.

A newer policy counts from the day its notice was issued (``documents.notice.issued``), so dropping next
year's file in early changes nothing until that day, and nothing needs a restart at midnight on 31 December.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from knowledge.policy import Policy

__all__ = ["Phase", "YearState", "year_state"]

Phase = Literal["in_year", "between"]


@dataclass(frozen=True, slots=True)
class YearState:
    today: date
    policy: Policy  # the newest policy issued by ``today`` (in force, or the last one that was)
    phase: Phase

    @property
    def between(self) -> bool:
        return self.phase == "between"

    @property
    def record_year(self) -> int:
        """The year credits earned today count for (national rule: valid for the year they are earned)."""
        return self.today.year if self.between else self.policy.year

    @property
    def recordable_years(self) -> tuple[int, ...]:
        years = set(self.policy.credits.recordable_years) | {self.record_year}
        return tuple(sorted(y for y in years if y <= self.today.year))

    @property
    def days_left(self) -> int:
        """Days to the policy deadline, today and the deadline day both counted; 0 once it has passed."""
        return max(0, (self.policy.deadline - self.today).days + 1)


def year_state(policies: Sequence[Policy], today: date) -> YearState:
    """The phase of ``today`` given the loaded ``policies`` (any order; at least one)."""
    if not policies:
        raise ValueError("no policy loaded")
    issued = [p for p in policies if p.documents.notice.issued <= today]
    # Before any notice of ours was issued (a test standing in 2025), the oldest policy is the one ahead.
    policy = max(issued, key=lambda p: p.year) if issued else min(policies, key=lambda p: p.year)
    phase: Phase = "between" if today > policy.deadline else "in_year"
    return YearState(today, policy, phase)


def recording_policy(state: YearState) -> Policy:
    """The policy with the years one may record *today*: between years that adds the calendar year.

    Credit parsing and the 90/60 check read thresholds and recordable years from a policy; between years the
    thresholds are the national rule's (the same 90/60 Shanxi applies), the year is today's.
    """
    years = state.recordable_years
    if years == state.policy.credits.recordable_years:
        return state.policy
    credits = state.policy.credits.model_copy(update={"recordable_years": years})
    return state.policy.model_copy(update={"credits": credits})
