"""Recording credits so that figures never change silently.

Every write of a user's figures — ``/credits``, a statement's 💾 button, its confirmation button, ``/add`` — goes
through :class:`CreditRecorder`, which checks the one set of limits (:func:`bot.parsing.credit_parse.check_recording`)
and plans the change before anything is written:

* ``/credits`` and statements write only the categories the user named; the other category keeps its figure;
* a change that lowers a recorded figure, or replaces courses recorded with ``/add``, is a :class:`Change` whose
  ``needs_confirmation`` is true: the caller shows before → after and writes only after the user confirms;
* the confirmation carries the newest batch it was computed against (``stamp``), so a confirmation pressed after
  something else changed is stale instead of applying figures computed from an old state.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from bot.domain.credits import Category, YearTotals
from bot.parsing.credit_parse import AddArgs, ParseError, check_recording, check_year_sum, check_year_total
from bot.storage.credits import CreditRepository
from knowledge.policy import Policy


@dataclass(frozen=True, slots=True)
class Change:
    """What setting ``figures`` would do to a year: before and after, and why it needs a yes first."""

    user_id: int
    figures: dict[Category, Decimal]  # only the categories the user named
    before: YearTotals
    after: YearTotals
    lowered: tuple[Category, ...]  # named categories whose figure would go down
    replaced_courses: tuple[Category, ...]  # named categories with /add courses the new figure would replace
    stamp: int  # the newest batch when planned (0: nothing recorded)

    @property
    def year(self) -> int:
        return self.after.year

    @property
    def needs_confirmation(self) -> bool:
        return bool(self.lowered or self.replaced_courses)


class CreditRecorder:
    def __init__(self, credits: CreditRepository) -> None:
        self.credits = credits

    async def plan(self, user_id: int, year: int, figures: dict[Category, Decimal],
                   policy: Policy) -> Change | ParseError:
        """The change that setting the named ``figures`` for ``year`` would make, or why it is refused.

        ``policy`` is the one for recording *now* (between years it admits the new calendar year)."""
        if (error := check_recording(year, figures, policy)) is not None:
            return error
        before = (await self.credits.totals_by_year(user_id)).get(year, YearTotals(year))
        after = before.with_figures(figures)
        if (error := check_year_total(after.total, policy)) is not None:
            return error
        courses = await self.credits.categories_with_courses(user_id, year)
        lowered = tuple(c for c in figures if after.value(c) < before.value(c))
        replaced = tuple(c for c in figures if c in courses)
        return Change(user_id, dict(figures), before, after, lowered, replaced, await self.stamp(user_id))

    async def stamp(self, user_id: int) -> int:
        newest = await self.credits.entries(user_id, limit=1)
        return newest[0].batch if newest else 0

    async def apply(self, change: Change, now: datetime) -> None:
        """Write the named figures (one batch, undoable)."""
        await self.credits.set_categories(change.user_id, change.year, change.figures, now)

    async def add_course(self, user_id: int, course: AddArgs, policy: Policy, now: datetime) -> ParseError | None:
        """Add one course unless it would take the year past the yearly limit."""
        current = (await self.credits.totals_by_year(user_id)).get(course.year, YearTotals(course.year))
        if (error := check_year_sum(current.total + course.credits, course.year, policy)) is not None:
            return error
        await self.credits.add_course(user_id, course.year, course.category, course.credits, course.title,
                                      course.day if course.day_given else None, now)
        return None
