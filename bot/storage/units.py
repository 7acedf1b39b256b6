"""Units, their contacts, members and contact applications.

Every query that acts for a contact is scoped by the contact's own ``unit_id`` in SQL (``WHERE unit_id = ?``),
so even a bug in a handler cannot make a contact remove or read a member of another unit.
Approving an application is one transaction that re-checks it is still pending, so two admins pressing
批准 at once approve it once.

Consent belongs to a person: a member's ``share`` is recorded with the contact it was given to
(``shared_with``), and a member counts as sharing only while that same person holds the unit. Every way a
contact leaves goes through :meth:`UnitRepository.end_contact`, which withdraws those consents and rotates
the invite code in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

import aiosqlite

from bot.domain.units import Actor, new_invite_code
from bot.storage.db import Database

LeftHow = Literal["forget", "stepped_down", "handed_over", "removed"]


@dataclass(frozen=True, slots=True)
class Unit:
    id: int
    name: str
    contact_id: int | None
    invite_code: str
    left_at: int | None = None  # when the last contact left (Unix seconds)
    left_how: str | None = None  # how they left (LeftHow)
    handover_to: int | None = None  # a member asked to take over, until they accept


@dataclass(frozen=True, slots=True)
class UnitHistory:
    """What an admin needs before approving someone for a unit name."""

    exists: bool
    members: int = 0
    left_at: int | None = None
    left_how: str | None = None
    left_name: str | None = None  # never kept when the contact erased their data


@dataclass(frozen=True, slots=True)
class Member:
    user_id: int
    unit_id: int
    share: bool  # shares with the unit's *current* contact (consent given to someone else does not count)
    display_name: str
    joined_at: int


@dataclass(frozen=True, slots=True)
class Application:
    id: int
    user_id: int
    unit_name: str
    applicant: str
    status: str


Decision = Literal["approved", "rejected", "not_pending", "name_taken", "already_contact", "missing"]
JoinResult = Literal["joined", "switched", "already", "own_unit", "unknown_code"]


def _unit(row: aiosqlite.Row) -> Unit:
    return Unit(row["id"], row["name"], row["contact_id"], row["invite_code"], row["left_at"], row["left_how"],
                row["handover_to"])


def _application(row: aiosqlite.Row) -> Application:
    return Application(row["id"], row["user_id"], row["unit_name"], row["applicant"], row["status"])


def _member(row: aiosqlite.Row) -> Member:
    return Member(row["user_id"], row["unit_id"], bool(row["visible"]), row["display_name"], row["joined_at"])


# A member shares only with the person they agreed to share with, and only while that person holds the unit.
_MEMBERS = (
    "SELECT m.*, (m.share = 1 AND m.shared_with IS NOT NULL AND m.shared_with IS u.contact_id) AS visible "
    "FROM unit_members m JOIN units u ON u.id = m.unit_id"
)


class UnitRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    # ------------------------------------------------------------------ roles
    async def actor(self, user_id: int, is_admin: bool) -> Actor:
        """The user's roles as the database says now; built on every privileged update."""
        contact = await self.db.fetchone("SELECT id FROM units WHERE contact_id = ?", (user_id,))
        member = await self.db.fetchone("SELECT unit_id FROM unit_members WHERE user_id = ?", (user_id,))
        return Actor(
            user_id, is_admin, contact["id"] if contact else None, member["unit_id"] if member else None
        )

    # ------------------------------------------------------------------ units
    async def get(self, unit_id: int) -> Unit | None:
        row = await self.db.fetchone("SELECT * FROM units WHERE id = ?", (unit_id,))
        return _unit(row) if row else None

    async def by_code(self, code: str) -> Unit | None:
        row = await self.db.fetchone("SELECT * FROM units WHERE invite_code = ?", (code,))
        return _unit(row) if row else None

    async def rotate_code(self, unit_id: int) -> str:
        """A fresh code; the old one stops working with this commit."""
        code = new_invite_code()
        async with self.db.transaction() as conn:
            await conn.execute("UPDATE units SET invite_code = ? WHERE id = ?", (code, unit_id))
        return code

    # ------------------------------------------------------------------ applications
    async def pending_application(self, user_id: int) -> Application | None:
        row = await self.db.fetchone(
            "SELECT * FROM unit_applications WHERE user_id = ? AND status = 'pending' "
            "ORDER BY id DESC LIMIT 1",
            (user_id,),
        )
        return _application(row) if row else None

    async def get_application(self, app_id: int) -> Application | None:
        row = await self.db.fetchone("SELECT * FROM unit_applications WHERE id = ?", (app_id,))
        return _application(row) if row else None

    async def pending_applications(self, limit: int = 20) -> list[Application]:
        """Oldest first: the admins' to-do list (an admin who missed the first message can still act)."""
        rows = await self.db.fetchall(
            "SELECT * FROM unit_applications WHERE status = 'pending' ORDER BY id LIMIT ?", (limit,)
        )
        return [_application(r) for r in rows]

    async def history(self, name: str) -> UnitHistory:
        """Whether a unit of this name exists, how many members it has and how its last contact left."""
        row = await self.db.fetchone(
            "SELECT u.left_at, u.left_how, u.left_name, "
            "(SELECT COUNT(*) FROM unit_members m WHERE m.unit_id = u.id) AS n "
            "FROM units u WHERE u.name = ?",
            (name,),
        )
        if row is None:
            return UnitHistory(False)
        return UnitHistory(True, int(row["n"]), row["left_at"], row["left_how"], row["left_name"] or None)

    async def name_has_contact(self, name: str) -> bool:
        row = await self.db.fetchone("SELECT 1 FROM units WHERE name = ? AND contact_id IS NOT NULL", (name,))
        return row is not None

    async def apply(self, user_id: int, unit_name: str, applicant: str, now: datetime) -> int:
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                "INSERT INTO unit_applications (user_id, unit_name, applicant, created_at) "
                "VALUES (?, ?, ?, ?)",
                (user_id, unit_name, applicant[:64], int(now.timestamp())),
            )
            return int(cur.lastrowid or 0)

    async def decide(
        self, app_id: int, approve: bool, admin_id: int, now: datetime
    ) -> tuple[Decision, Unit | None]:
        """Approve (create the unit, or take over one whose contact left) or reject, exactly once."""
        ts = int(now.timestamp())
        async with self.db.transaction() as conn:
            async with conn.execute("SELECT * FROM unit_applications WHERE id = ?", (app_id,)) as cur:
                app = await cur.fetchone()
            if app is None:
                return "missing", None
            if app["status"] != "pending":
                return "not_pending", None
            if not approve:
                await conn.execute(
                    "UPDATE unit_applications SET status = 'rejected', decided_at = ?, decided_by = ? "
                    "WHERE id = ?",
                    (ts, admin_id, app_id),
                )
                return "rejected", None
            async with conn.execute("SELECT 1 FROM units WHERE contact_id = ?", (app["user_id"],)) as cur:
                if await cur.fetchone():
                    return "already_contact", None
            async with conn.execute("SELECT * FROM units WHERE name = ?", (app["unit_name"],)) as cur:
                existing = await cur.fetchone()
            if existing is not None and existing["contact_id"] is not None:
                return "name_taken", None
            if existing is None:
                cur2 = await conn.execute(
                    "INSERT INTO units (name, contact_id, contact_name, invite_code, created_at) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (app["unit_name"], app["user_id"], app["applicant"], new_invite_code(), ts),
                )
                unit_id = int(cur2.lastrowid or 0)
            else:
                unit_id = int(existing["id"])
                await conn.execute(
                    "UPDATE units SET contact_id = ?, contact_name = ?, invite_code = ?, handover_to = NULL "
                    "WHERE id = ?",
                    (app["user_id"], app["applicant"], new_invite_code(), unit_id),
                )
                await _withdraw_consents(conn, unit_id)
            # A contact does not also sit in their own unit as a member.
            await conn.execute(
                "DELETE FROM unit_members WHERE user_id = ? AND unit_id = ?", (app["user_id"], unit_id)
            )
            await conn.execute(
                "UPDATE unit_applications SET status = 'approved', decided_at = ?, decided_by = ? "
                "WHERE id = ?",
                (ts, admin_id, app_id),
            )
            async with conn.execute("SELECT * FROM units WHERE id = ?", (unit_id,)) as cur:
                row = await cur.fetchone()
        return "approved", _unit(row) if row else None

    # ------------------------------------------------------------------ members
    async def end_contact(self, unit_id: int, how: LeftHow, now: datetime) -> list[int]:
        """The contact's role ends: consents given to them are withdrawn and the invite code rotated, at once.

        Returns the members to tell. The unit and its members stay; an admin may approve someone else later,
        who then sees nothing until each member agrees again.
        """
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE units SET contact_id = NULL, invite_code = ?, left_at = ?, left_how = ?, handover_to = NULL, "
                "left_name = CASE WHEN ? = 'forget' THEN NULL ELSE contact_name END, contact_name = '' WHERE id = ?",
                (new_invite_code(), int(now.timestamp()), how, how, unit_id),
            )
            await _withdraw_consents(conn, unit_id)
            async with conn.execute(
                "SELECT user_id FROM unit_members WHERE unit_id = ? ORDER BY joined_at, user_id", (unit_id,)
            ) as cur:
                return [int(r[0]) for r in await cur.fetchall()]

    async def offer_handover(self, unit_id: int, member_id: int) -> bool:
        """Ask ``member_id`` (a member of this very unit) to take over; nothing moves until they accept."""
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                "UPDATE units SET handover_to = ? WHERE id = ? AND contact_id IS NOT NULL "
                "AND EXISTS (SELECT 1 FROM unit_members WHERE user_id = ? AND unit_id = ?)",
                (member_id, unit_id, member_id, unit_id),
            )
            return cur.rowcount > 0

    async def cancel_handover(self, unit_id: int) -> bool:
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                "UPDATE units SET handover_to = NULL WHERE id = ? AND handover_to IS NOT NULL", (unit_id,)
            )
            return cur.rowcount > 0

    async def accept_handover(self, unit_id: int, member_id: int, now: datetime) -> tuple[int | None, list[int]]:
        """The offered member takes the role: (previous contact, members to tell), or (None, []) if stale.

        One transaction: the offer must still stand, the member must still be in the unit and not manage
        another one. Consents given to the previous contact are withdrawn; the invite code changes.
        """
        async with self.db.transaction() as conn:
            async with conn.execute(
                "SELECT u.contact_id, m.display_name FROM units u "
                "JOIN unit_members m ON m.unit_id = u.id AND m.user_id = ? "
                "WHERE u.id = ? AND u.handover_to = ? AND u.contact_id IS NOT NULL "
                "AND NOT EXISTS (SELECT 1 FROM units o WHERE o.contact_id = ?)",
                (member_id, unit_id, member_id, member_id),
            ) as cur:
                row = await cur.fetchone()
            if row is None:
                return None, []
            previous = int(row[0])
            await conn.execute("DELETE FROM unit_members WHERE user_id = ?", (member_id,))
            await conn.execute(
                "UPDATE units SET contact_id = ?, invite_code = ?, left_at = ?, left_how = 'handed_over', "
                "left_name = contact_name, contact_name = ?, handover_to = NULL WHERE id = ?",
                (member_id, new_invite_code(), int(now.timestamp()), row["display_name"], unit_id),
            )
            await _withdraw_consents(conn, unit_id)
            async with conn.execute(
                "SELECT user_id FROM unit_members WHERE unit_id = ? ORDER BY joined_at, user_id", (unit_id,)
            ) as cur:
                members = [int(r[0]) for r in await cur.fetchall()]
        return previous, members

    async def with_contacts(self) -> list[Unit]:
        """Units that have a contact now, by name (the admins' list for removing one)."""
        rows = await self.db.fetchall("SELECT * FROM units WHERE contact_id IS NOT NULL ORDER BY name")
        return [_unit(r) for r in rows]

    async def membership(self, user_id: int) -> Member | None:
        row = await self.db.fetchone(f"{_MEMBERS} WHERE m.user_id = ?", (user_id,))
        return _member(row) if row else None

    async def join(
        self, user_id: int, code: str, display_name: str, now: datetime
    ) -> tuple[JoinResult, Unit | None]:
        """Join the unit behind ``code``; sharing starts switched off (the member opts in)."""
        async with self.db.transaction() as conn:
            async with conn.execute("SELECT * FROM units WHERE invite_code = ?", (code,)) as cur:
                row = await cur.fetchone()
            if row is None:
                return "unknown_code", None
            unit = _unit(row)
            if unit.contact_id == user_id:
                return "own_unit", unit
            async with conn.execute("SELECT unit_id FROM unit_members WHERE user_id = ?", (user_id,)) as cur:
                current = await cur.fetchone()
            if current is not None and current["unit_id"] == unit.id:
                return "already", unit
            await conn.execute(
                "INSERT INTO unit_members (user_id, unit_id, share, display_name, joined_at) "
                "VALUES (?, ?, 0, ?, ?) "
                "ON CONFLICT(user_id) DO UPDATE SET unit_id = excluded.unit_id, share = 0, shared_with = NULL, "
                "display_name = excluded.display_name, joined_at = excluded.joined_at",
                (user_id, unit.id, display_name[:64], int(now.timestamp())),
            )
        return ("switched" if current is not None else "joined"), unit

    async def set_share(self, user_id: int, share: bool) -> bool:
        """Share with the unit's contact *as of now* (or stop). False when there is no contact to share with."""
        async with self.db.transaction() as conn:
            if not share:
                cur = await conn.execute(
                    "UPDATE unit_members SET share = 0, shared_with = NULL WHERE user_id = ?", (user_id,)
                )
                return cur.rowcount > 0
            cur = await conn.execute(
                "UPDATE unit_members SET share = 1, shared_with = "
                "(SELECT contact_id FROM units WHERE units.id = unit_members.unit_id) "
                "WHERE user_id = ? AND (SELECT contact_id FROM units WHERE units.id = unit_members.unit_id) "
                "IS NOT NULL",
                (user_id,),
            )
            return cur.rowcount > 0

    async def leave(self, user_id: int) -> bool:
        async with self.db.transaction() as conn:
            cur = await conn.execute("DELETE FROM unit_members WHERE user_id = ?", (user_id,))
            return cur.rowcount > 0

    async def remove_member(self, unit_id: int, user_id: int) -> bool:
        """Only ever within ``unit_id``: a member of another unit is left untouched."""
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                "DELETE FROM unit_members WHERE unit_id = ? AND user_id = ?", (unit_id, user_id)
            )
            return cur.rowcount > 0

    async def members(self, unit_id: int) -> list[Member]:
        rows = await self.db.fetchall(f"{_MEMBERS} WHERE m.unit_id = ? ORDER BY m.joined_at, m.user_id", (unit_id,))
        return [_member(r) for r in rows]


async def _withdraw_consents(conn: aiosqlite.Connection, unit_id: int) -> None:
    await conn.execute("UPDATE unit_members SET share = 0, shared_with = NULL WHERE unit_id = ?", (unit_id,))

