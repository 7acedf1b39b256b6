"""Units, their contacts, members and contact applications.

Every query that acts for a contact is scoped by the contact's own ``unit_id`` in SQL (``WHERE unit_id = ?``),
so even a bug in a handler cannot make a contact remove or read a member of another unit.
Approving an application is one transaction that re-checks it is still pending, so two admins pressing
批准 at once approve it once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

import aiosqlite

from bot.domain.units import Actor, new_invite_code
from bot.storage.db import Database


@dataclass(frozen=True, slots=True)
class Unit:
    id: int
    name: str
    contact_id: int | None
    invite_code: str


@dataclass(frozen=True, slots=True)
class Member:
    user_id: int
    unit_id: int
    share: bool
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
    return Unit(row["id"], row["name"], row["contact_id"], row["invite_code"])


def _member(row: aiosqlite.Row) -> Member:
    return Member(row["user_id"], row["unit_id"], bool(row["share"]), row["display_name"], row["joined_at"])


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
        return (
            Application(row["id"], row["user_id"], row["unit_name"], row["applicant"], row["status"])
            if row
            else None
        )

    async def get_application(self, app_id: int) -> Application | None:
        row = await self.db.fetchone("SELECT * FROM unit_applications WHERE id = ?", (app_id,))
        return (
            Application(row["id"], row["user_id"], row["unit_name"], row["applicant"], row["status"])
            if row
            else None
        )

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
                    "INSERT INTO units (name, contact_id, invite_code, created_at) VALUES (?, ?, ?, ?)",
                    (app["unit_name"], app["user_id"], new_invite_code(), ts),
                )
                unit_id = int(cur2.lastrowid or 0)
            else:
                unit_id = int(existing["id"])
                await conn.execute(
                    "UPDATE units SET contact_id = ?, invite_code = ? WHERE id = ?",
                    (app["user_id"], new_invite_code(), unit_id),
                )
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
    async def membership(self, user_id: int) -> Member | None:
        row = await self.db.fetchone("SELECT * FROM unit_members WHERE user_id = ?", (user_id,))
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
                "ON CONFLICT(user_id) DO UPDATE SET unit_id = excluded.unit_id, share = 0, "
                "display_name = excluded.display_name, joined_at = excluded.joined_at",
                (user_id, unit.id, display_name[:64], int(now.timestamp())),
            )
        return ("switched" if current is not None else "joined"), unit

    async def set_share(self, user_id: int, share: bool) -> bool:
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                "UPDATE unit_members SET share = ? WHERE user_id = ?", (int(share), user_id)
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
        rows = await self.db.fetchall(
            "SELECT * FROM unit_members WHERE unit_id = ? ORDER BY joined_at, user_id", (unit_id,)
        )
        return [_member(r) for r in rows]

