"""Users: who has talked to the bot, in which language, and whether Telegram still lets us reach them."""

from __future__ import annotations

import asyncio
from datetime import datetime

from pydantic import BaseModel

from bot.storage.db import Database


class UserRecord(BaseModel):
    id: int
    language: str
    language_chosen: bool
    first_seen: int
    last_seen: int
    active: bool


def _record(row: object) -> UserRecord:
    return UserRecord.model_validate(dict(row))  # type: ignore[call-overload]


_UPSERT_VISIT = (
    "INSERT INTO users (id, language, first_seen, last_seen) VALUES (?, ?, ?, ?) "
    "ON CONFLICT(id) DO UPDATE SET last_seen = excluded.last_seen, active = 1, "
    "language = CASE WHEN users.language_chosen THEN users.language ELSE excluded.language END"
)


class UserRepository:
    """Users' rows, with the rows of recent visitors kept in memory.

    Every update passes the gate, which records the visit. Writing each time made every message a write
    transaction; now a visit is written when the user is new, when Telegram's language hint would change
    their language, or when ``last_seen`` is older than ``refresh_seconds``. Every other write through this
    repository drops the user's cached row, so the cache never hides a change.
    """

    def __init__(self, db: Database, *, refresh_seconds: int = 300, max_cached: int = 50_000) -> None:
        self.db = db
        self.refresh_seconds = refresh_seconds
        self.max_cached = max_cached
        self._seen: dict[int, UserRecord] = {}
        self._visits: list[tuple[int, str, int, asyncio.Future[UserRecord]]] = []
        self._writer: asyncio.Task[None] | None = None

    async def touch(self, user_id: int, hinted_language: str, now: datetime) -> UserRecord:
        """Record a visit; Telegram's language hint applies until the user picks one with /lang."""
        ts = int(now.timestamp())
        cached = self._seen.get(user_id)
        if (cached is not None and cached.active and 0 <= ts - cached.last_seen < self.refresh_seconds
                and (cached.language_chosen or cached.language == hinted_language)):
            return cached
        record = await self._write_visit(user_id, hinted_language, ts)
        if len(self._seen) >= self.max_cached:
            self._seen.clear()  # cheap and rare: the next visit of each user writes once more
        self._seen[user_id] = record
        return record

    def drop_cached(self, user_id: int) -> None:
        """The user's rows changed elsewhere (``/forget``): the next visit writes again."""
        self._seen.pop(user_id, None)

    async def _write_visit(self, user_id: int, hinted_language: str, ts: int) -> UserRecord:
        """Queue the visit for the next batch and wait until it is written (or failed)."""
        future: asyncio.Future[UserRecord] = asyncio.get_running_loop().create_future()
        self._visits.append((user_id, hinted_language, ts, future))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write_visits())
        return await future

    async def _write_visits(self) -> None:
        """Write queued visits, many per transaction: a crowd of new users arrives in one getUpdates batch,
        and one transaction for all of them replaces one each (which kept the last waiting for all others)."""
        await asyncio.sleep(0)  # the rest of this burst queues up first
        while self._visits:
            batch, self._visits = self._visits[:500], self._visits[500:]
            try:
                async with self.db.transaction() as conn:
                    await conn.executemany(_UPSERT_VISIT, [(uid, lang, ts, ts) for uid, lang, ts, _ in batch])
                    ids = sorted({uid for uid, *_ in batch})
                    async with conn.execute(
                        f"SELECT * FROM users WHERE id IN ({','.join('?' * len(ids))})", ids
                    ) as cur:
                        rows = {r["id"]: _record(r) for r in await cur.fetchall()}
            except Exception as exc:  # StorageUnavailable and the like: each waiting update decides
                for *_, future in batch:
                    if not future.done():
                        future.set_exception(exc)
                continue
            for uid, *_, future in batch:
                if not future.done():
                    future.set_result(rows[uid])

    async def get(self, user_id: int) -> UserRecord | None:
        row = await self.db.fetchone("SELECT * FROM users WHERE id = ?", (user_id,))
        return _record(row) if row else None

    async def set_language(self, user_id: int, language: str) -> None:
        self._seen.pop(user_id, None)
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE users SET language = ?, language_chosen = 1 WHERE id = ?", (language, user_id)
            )

    async def first_profile_hint(self, user_id: int) -> bool:
        """True the first time it is asked for this user (then the "set your profile" hint is shown), else False."""
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                "UPDATE users SET profile_hint_shown = 1 WHERE id = ? AND profile_hint_shown = 0", (user_id,)
            )
            return cur.rowcount > 0

    async def mark_inactive(self, user_id: int) -> None:
        self._seen.pop(user_id, None)
        async with self.db.transaction() as conn:
            await conn.execute("UPDATE users SET active = 0 WHERE id = ?", (user_id,))

    async def delete(self, user_id: int) -> None:
        self._seen.pop(user_id, None)
        async with self.db.transaction() as conn:
            await conn.execute("DELETE FROM users WHERE id = ?", (user_id,))

    async def usage(self, since: datetime) -> tuple[int, int, int]:
        """(all users, seen since ``since``, blocked the bot) for the admins' report."""
        row = await self.db.fetchone(
            "SELECT COUNT(*), COALESCE(SUM(last_seen >= ?), 0), COALESCE(SUM(active = 0), 0) FROM users",
            (int(since.timestamp()),),
        )
        return (int(row[0]), int(row[1]), int(row[2])) if row else (0, 0, 0)
