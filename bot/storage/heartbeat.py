"""The heartbeat row: written by the running bot, read by ``accbot health`` in another process."""

from __future__ import annotations

import os

from bot.storage.db import Database

DISPATCHER = "dispatcher"


class Heartbeat:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def beat(self, now_ts: int, name: str = DISPATCHER) -> None:
        async with self.db.transaction() as conn:
            await conn.execute(
                "INSERT INTO heartbeat (name, beat_at, pid) VALUES (?, ?, ?)"
                " ON CONFLICT (name) DO UPDATE SET beat_at = excluded.beat_at, pid = excluded.pid",
                (name, now_ts, os.getpid()),
            )
