"""Unit use cases: a unit's standing for its contact, and every way a contact's role ends.

Consent belongs to a person. :meth:`UnitService.contact_leaves` is the one road out of the contact role
(``/forget``, stepping down, handing over, removal by an admin): the repository withdraws every sharing
consent given to that contact and rotates the invite code in one transaction, and the caller gets the members
to tell. A member's figures are computed only if they share with the contact who holds the unit *now*.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bot.domain.credits import assess
from bot.domain.units import MemberStanding, MemberStatus, UnitSummary, summarize
from bot.parsing.numbers import fmt_number
from bot.storage.credits import CreditRepository
from bot.storage.profiles import ProfileRepository
from bot.storage.units import LeftHow, Unit, UnitRepository
from knowledge.policy import Policy


@dataclass(frozen=True, slots=True)
class ContactLeft:
    """A contact's role ended: which unit, and the members who must be told their sharing was withdrawn."""

    unit: Unit
    members: tuple[int, ...]


class UnitService:
    def __init__(self, units: UnitRepository, credits: CreditRepository, profiles: ProfileRepository,
                 policy: Policy) -> None:
        self.units = units
        self.credits = credits
        self.profiles = profiles
        self.policy = policy

    async def member_statuses(self, unit_id: int, today: date) -> list[MemberStatus]:
        """Each member's standing for the policy year, in three queries however large the unit.

        Figures are read only for members who share with the current contact; the others are *unknown*.
        """
        members = await self.units.members(unit_id)
        sharing = [m.user_id for m in members if m.share]
        totals = await self.credits.totals_for_users(sharing)
        profiles = await self.profiles.for_users(sharing)
        out: list[MemberStatus] = []
        for m in members:
            if not m.share:
                out.append(MemberStatus(m.user_id, m.display_name, False, MemberStanding.UNKNOWN))
                continue
            a = assess(self.policy, profiles.get(m.user_id), totals.get(m.user_id, {}), today)
            standing = MemberStanding.MET if a.met else MemberStanding.SHORT
            if not a.has_record:
                standing = MemberStanding.UNKNOWN
            out.append(MemberStatus(m.user_id, m.display_name, True, standing, fmt_number(a.total),
                                    fmt_number(a.professional), fmt_number(a.min_additional)))
        return out

    async def summary(self, unit_id: int, today: date) -> UnitSummary:
        return summarize(await self.member_statuses(unit_id, today))

    async def contact_leaves(self, user_id: int, how: LeftHow, now: datetime) -> ContactLeft | None:
        """End ``user_id``'s contact role, if they hold one; ``None`` when they manage no unit."""
        actor = await self.units.actor(user_id, False)
        if actor.contact_unit_id is None:
            return None
        unit = await self.units.get(actor.contact_unit_id)
        assert unit is not None
        members = await self.units.end_contact(unit.id, how, now)
        return ContactLeft(unit, tuple(members))

    async def accept_handover(self, unit_id: int, member_id: int, now: datetime) -> tuple[int, ContactLeft] | None:
        """The offered member takes over: (previous contact, the unit and the members to tell), or ``None``."""
        previous, members = await self.units.accept_handover(unit_id, member_id, now)
        unit = await self.units.get(unit_id)
        if previous is None or unit is None:
            return None
        return previous, ContactLeft(unit, tuple(members))
