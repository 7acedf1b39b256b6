"""Profiles: qualification, its year, the year accounting work began, training-institution staff.

The one writer of the ``profiles`` table (the credit rule reads it, reminder settings flip the institution
flag); keeping every write here means a column added later is handled in one place.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import aiosqlite

from bot.domain.credits import Profile
from bot.storage.db import Database


def _profile(row: aiosqlite.Row) -> Profile:
    return Profile(qualification=row["qualification"], qualification_year=row["qualification_year"],
                   work_start_year=row["work_start_year"], is_institution=bool(row["is_institution"]))


class ProfileRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, user_id: int) -> Profile | None:
        row = await self.db.fetchone("SELECT * FROM profiles WHERE user_id = ?", (user_id,))
        return _profile(row) if row else None

    async def for_users(self, user_ids: Iterable[int]) -> dict[int, Profile]:
        """Profiles of many users in few queries (a unit's standing)."""
        ids = sorted(set(user_ids))
        out: dict[int, Profile] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i: i + 500]
            marks = ",".join("?" for _ in chunk)
            for row in await self.db.fetchall(f"SELECT * FROM profiles WHERE user_id IN ({marks})", tuple(chunk)):
                out[int(row["user_id"])] = _profile(row)
        return out

    async def set(self, user_id: int, profile: Profile, now: datetime) -> None:
        async with self.db.transaction() as conn:
            await conn.execute(
                "INSERT INTO profiles (user_id, qualification, qualification_year, work_start_year, "
                "is_institution, updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(user_id) DO UPDATE SET "
                "qualification = excluded.qualification, qualification_year = excluded.qualification_year, "
                "work_start_year = excluded.work_start_year, is_institution = excluded.is_institution, "
                "updated_at = excluded.updated_at",
                (user_id, profile.qualification, profile.qualification_year, profile.work_start_year,
                 int(profile.is_institution), int(now.timestamp())),
            )

    async def set_institution(self, user_id: int, flag: bool, now: datetime) -> None:
        """Only the training-institution flag (the row is created if missing)."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "INSERT INTO profiles (user_id, is_institution, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT(user_id) DO UPDATE SET is_institution = excluded.is_institution, "
                "updated_at = excluded.updated_at",
                (user_id, int(flag), int(now.timestamp())),
            )
