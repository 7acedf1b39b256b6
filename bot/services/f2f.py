"""Face-to-face courses (/f2f): record when a course ended; the report due date is computed when needed.

The notice gives institutions N working days after a course to report (``face_to_face`` in the policy). The
due date depends on holiday schedules that may be published after the course is recorded (2027's are not
yet), so only the end date is authoritative: each day the dispatcher asks :meth:`F2fService.plan_reminders`
which courses have a reminder today, recomputing every due date with the data known that day.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.domain.workdays import WorkdayResult, add_working_days
from bot.parsing.text import NAME_MAX
from bot.parsing.timeparse import read_past_date
from bot.storage.reminders import ReminderRepository
from knowledge.policy import Policy

MAX_TITLE = NAME_MAX  # course titles, as for /add: a longer one is refused with a message, never cut
MAX_AGE_DAYS = 366  # an end date older than a year is a typo, not a course still to report
LOOKBACK_DAYS = 60  # no working-day count of a notice reaches further than this


@dataclass(frozen=True, slots=True)
class F2fRecorded:
    title: str
    ended: date
    report: WorkdayResult
    days: int  # working days the policy allows
    due_passed: bool  # the due date is already behind us: said plainly, no reminders


class F2fService:
    def __init__(self, repo: ReminderRepository, policy: Callable[[], Policy]) -> None:
        self.repo = repo
        self.policy = policy

    def due(self, ended: date) -> WorkdayResult:
        return add_working_days(ended, self.policy().face_to_face.report_within_working_days)

    async def record(self, user_id: int, text: str, now: datetime) -> F2fRecorded | str:
        """Record ``/f2f`` arguments, or return why not: ``usage`` (no date), ``impossible_date`` (2月30日),
        ``future``, ``too_old`` (over a year ago: a typo, not a course still to report) or ``title_too_long``."""
        today = now.date()
        found = read_past_date(text, today)
        if found is not None and found.reason == "impossible_date":
            return "impossible_date"
        if found is None or found.day is None or (found.reason not in (None, "future")):
            return "usage"
        if found.reason == "future":
            return "future"
        if (today - found.day).days > MAX_AGE_DAYS:
            return "too_old"
        title = found.rest.strip()
        if len(title) > MAX_TITLE:
            return "title_too_long"
        report = self.due(found.day)
        await self.repo.add_f2f_course(user_id, title, found.day, report.due, report.approximate, now)
        await self.plan_reminders(today, now)
        days = self.policy().face_to_face.report_within_working_days
        return F2fRecorded(title, found.day, report, days, report.due < today)

    async def plan_reminders(self, today: date, now: datetime) -> int:
        """Report reminders (``f2f_days_before`` of the policy) of recent courses, their days computed with
        the holiday data known today; run daily, so a schedule published since moves them."""
        offsets = self.policy().reminders.f2f_days_before
        items = []
        for course_id, user_id, title, ended in await self.repo.f2f_courses_since(today - timedelta(LOOKBACK_DAYS)):
            due = self.due(ended).due
            items += [(course_id, user_id, title, f"f2f:{course_id}:{d}", due - timedelta(days=d))
                      for d in offsets if due - timedelta(days=d) >= today]
        return await self.repo.plan_f2f_reminders(items, now) if items else 0
