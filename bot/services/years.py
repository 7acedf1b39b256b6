"""The year as a service: the clock, the policy library and one knowledge base per policy year.

Every request asks this object which policy applies *now*; nothing caches a year at start-up.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from bot.domain.clock import Clock
from bot.domain.years import YearState, year_state
from knowledge import KnowledgeBase
from knowledge.policy import Policy, PolicyLibrary


class Years:
    def __init__(self, clock: Clock, library: PolicyLibrary,
                 kb_loader: Callable[[Policy], KnowledgeBase]) -> None:
        self.clock = clock
        self.library = library
        self._kb_loader = kb_loader
        self._kbs: dict[Policy, KnowledgeBase] = {}
        self._looked: tuple[datetime, tuple[Policy, ...]] | None = None
        self._last: tuple[Policy, KnowledgeBase] | None = None
        self._state: tuple[tuple[Policy, ...], date, YearState] | None = None

    def _policies(self, now: datetime) -> tuple[Policy, ...]:
        """The library as of this minute. One answer asks for the year a dozen times; the folders are looked at
        (a listing and a few ``stat`` calls) once a minute of the clock, which is soon enough for a new notice."""
        minute = now.replace(second=0, microsecond=0)
        if self._looked is None or self._looked[0] != minute:
            self._looked = (minute, self.library.policies)
        return self._looked[1]

    def state(self, now: datetime | None = None) -> YearState:
        now = (now or self.clock.now()).astimezone(self.clock.tz)
        policies, today = self._policies(now), now.date()
        last = self._state
        if last is None or last[0] is not policies or last[1] != today:
            # One answer asks a dozen times, within the same day and the same minute's look at the library.
            last = self._state = (policies, today, year_state(policies, today))
        return last[2]

    def policy(self, now: datetime | None = None) -> Policy:
        return self.state(now).policy

    def kb(self, policy: Policy | None = None) -> KnowledgeBase:
        """The knowledge base of ``policy``'s year (default: today's), built once per policy."""
        policy = policy or self.policy()
        last = self._last
        if last is not None and last[0] is policy:  # one answer asks a dozen times; hashing a policy (a deep
            return last[1]  # pydantic model) for the dict costs more than the answer's own arithmetic
        kb = self._kbs.get(policy)
        if kb is None:
            kb = self._kbs[policy] = self._kb_loader(policy)
        self._last = (policy, kb)
        return kb
