"""Units (单位): who may do what, as pure functions over ids and roles.

Every privileged handler — commands and callback buttons alike — builds an :class:`Actor` from the database
on each update and asks :func:`may` before acting. Nothing trusts what the client sends: callback data only
names *which* object the user wants to act on, never *whether* they may. Keeping the rules here, free of
Telegram and storage, lets the role matrix be tested as a table.

Roles:

* **admin** — a finance-bureau user listed in ``ADMIN_IDS``: decides applications, broadcasts to everyone,
  sees the usage figures (/stats).
* **contact** — approved by an admin, manages exactly one unit: invites, lists and removes its members,
  rotates its invite code, sees its summary, broadcasts to its members (never beyond them).
* **member** — joined one unit with its invite code; may leave it and choose whether to share credits.
* **outsider** — anyone else; may apply to become a contact and join a unit with a code.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.domain.clock import day_start

INVITE_BYTES = 12  # secrets.token_urlsafe(12): 96 random bits (the issue asks for at least 64)
INVITE_RE = re.compile(r"^[A-Za-z0-9_-]{16}$")
JOIN_PREFIX = "join_"
UNIT_NAME_MAX = 60
BROADCAST_TEXT_MAX = 4096  # Telegram's limit for one message


class Role(StrEnum):
    ADMIN = "admin"
    CONTACT = "contact"
    MEMBER = "member"
    OUTSIDER = "outsider"


class Action(StrEnum):
    APPLY = "apply"  # /unit apply 名称
    DECIDE_APPLICATION = "decide"  # ua:ok / ua:no buttons
    JOIN = "join"  # /join CODE, deep link
    LEAVE = "leave"  # um:leave, /unit leave
    SHARE = "share"  # share:y / share:n
    LIST_MEMBERS = "list_members"  # um:list, /unit members
    REMOVE_MEMBER = "remove_member"  # um:rm:<member>
    ROTATE_INVITE = "rotate_invite"  # um:rot, /unit rotate
    STEP_DOWN = "step_down"  # um:quit, um:ho (hand over to a member), /unit stepdown | handover
    UNIT_VIEW = "unit_view"  # the contact's summary in /unit
    BROADCAST = "broadcast"  # /broadcast, bc:send, bc:cancel
    VIEW_STATS = "stats"  # /stats


@dataclass(frozen=True, slots=True)
class Actor:
    """What the server knows about the user behind an update (read fresh from the database each time)."""

    user_id: int
    is_admin: bool = False
    contact_unit_id: int | None = None  # the unit this user manages
    member_unit_id: int | None = None  # the unit this user belongs to

    @property
    def roles(self) -> frozenset[Role]:
        roles = set()
        if self.is_admin:
            roles.add(Role.ADMIN)
        if self.contact_unit_id is not None:
            roles.add(Role.CONTACT)
        if self.member_unit_id is not None:
            roles.add(Role.MEMBER)
        return frozenset(roles or {Role.OUTSIDER})


BroadcastScope = str  # 'all' | 'unit'


def broadcast_scope(actor: Actor) -> tuple[BroadcastScope, int | None] | None:
    """Whom ``actor`` may broadcast to: admins everyone, contacts their own unit, others nobody.

    An admin who is also a contact broadcasts as an admin (to everyone): the wider reach includes the unit.
    """
    if actor.is_admin:
        return "all", None
    if actor.contact_unit_id is not None:
        return "unit", actor.contact_unit_id
    return None


def may(actor: Actor, action: Action, *, unit_id: int | None = None) -> bool:
    """Whether ``actor`` may perform ``action``; ``unit_id`` is the unit the action touches, when any.

    For unit-scoped actions the unit must be the actor's own: a contact can never reach another unit,
    whatever id a forged button carries.
    """
    match action:
        case Action.APPLY:
            return actor.contact_unit_id is None
        case Action.DECIDE_APPLICATION | Action.VIEW_STATS:
            return actor.is_admin
        case Action.JOIN:
            return True
        case Action.LEAVE | Action.SHARE:
            return actor.member_unit_id is not None and (unit_id is None or unit_id == actor.member_unit_id)
        case (Action.LIST_MEMBERS | Action.REMOVE_MEMBER | Action.ROTATE_INVITE | Action.UNIT_VIEW
              | Action.STEP_DOWN):
            return actor.contact_unit_id is not None and (unit_id is None or unit_id == actor.contact_unit_id)
        case Action.BROADCAST:
            scope = broadcast_scope(actor)
            if scope is None:
                return False
            return scope[0] == "all" or unit_id is None or unit_id == scope[1]
    return False  # pragma: no cover - every Action is matched above


def may_use_draft(actor: Actor, sender_id: int, scope: str, unit_id: int | None) -> bool:
    """A broadcast draft is usable only by its author, and only while they still hold the role it needs.

    A contact who lost the role, or an admin removed from ``ADMIN_IDS``, cannot send a draft they wrote
    before; a forged ``bc:send:<id>`` of someone else's draft is refused.
    """
    if actor.user_id != sender_id:
        return False
    if scope == "all":
        return actor.is_admin
    return actor.contact_unit_id is not None and actor.contact_unit_id == unit_id


def daily_limit_applies(actor: Actor) -> bool:
    """The per-day broadcast limit is a limit *per contact*; admins are trusted to pace themselves."""
    return not actor.is_admin


def new_invite_code() -> str:
    """96 random bits, URL-safe, so it fits a ``t.me/<bot>?start=join_<code>`` deep link (≤ 64 chars)."""
    return secrets.token_urlsafe(INVITE_BYTES)


def is_valid_invite_code(code: str) -> bool:
    """Shape check before touching the database; a wrong shape is just an unknown code."""
    return bool(INVITE_RE.fullmatch(code))


def invite_link(bot_username: str, code: str) -> str:
    return f"https://t.me/{bot_username}?start={JOIN_PREFIX}{code}"


def clean_unit_name(raw: str) -> str | None:
    """A unit name as typed: whitespace collapsed, 2–60 characters, no control characters; else ``None``."""
    name = " ".join(raw.split())
    if not 2 <= len(name) <= UNIT_NAME_MAX:
        return None
    if any(ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0 for ch in name):
        return None
    return name


def today_began(now: datetime) -> int:
    """Unix seconds of the local midnight that began ``now``'s day (the daily limit's window)."""
    return int(day_start(now.date(), now.tzinfo).timestamp())  # type: ignore[arg-type]


class MemberStanding(StrEnum):
    MET = "met"
    SHORT = "short"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class MemberStatus:
    """One member as the contact may see them: the standing only if they chose to share."""

    user_id: int
    name: str
    shared: bool
    standing: MemberStanding
    total: str = ""
    professional: str = ""
    missing: str = ""


@dataclass(frozen=True, slots=True)
class UnitSummary:
    met: int
    short: int
    unknown: int
    shared: tuple[MemberStatus, ...]

    @property
    def total(self) -> int:
        return self.met + self.short + self.unknown


def summarize(statuses: Iterable[MemberStatus]) -> UnitSummary:
    """Counts for the contact. A member who did not agree to share counts as *unknown*, never as met or
    short: otherwise the counts of a small unit would reveal exactly what that member chose to keep private.
    """
    met = short = unknown = 0
    shared: list[MemberStatus] = []
    for s in statuses:
        if not s.shared:
            unknown += 1
            continue
        shared.append(s)
        if s.standing is MemberStanding.MET:
            met += 1
        elif s.standing is MemberStanding.SHORT:
            short += 1
        else:
            unknown += 1
    return UnitSummary(met, short, unknown, tuple(shared))
