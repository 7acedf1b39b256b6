"""Broadcast drafts, history, and the outbox: one row per recipient with its delivery state.

SQLite is the source of truth, so a restart loses nothing:

* a draft (``awaiting_text`` → ``preview``) lives here, not in ``user_data``, so a 发送 button pressed after
  a restart still works, and a stale one (already sent or cancelled) is recognised and refused;
* queueing is one transaction that re-checks the draft's state, the one-running-broadcast rule and the daily
  limit, and expands the recipients with one ``INSERT … SELECT`` (``UNIQUE (broadcast_id, user_id)``: nobody
  is queued twice);
* delivery claims a row ``pending → sending`` in its own transaction *before* the request and records
  ``sent | blocked | failed`` right after; a row found in ``sending`` at start-up is the in-flight message
  whose fate is unknown, and it is sent again (the documented at-most-one repeat per recipient).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

import aiosqlite

from bot.storage.db import Database

QueueResult = Literal["queued", "not_draft", "running", "daily_limit", "no_recipients"]


@dataclass(frozen=True, slots=True)
class Broadcast:
    id: int
    sender_id: int
    scope: str
    unit_id: int | None
    text: str | None
    status: str
    created_at: int
    queued_at: int | None
    finished_at: int | None
    progress_chat_id: int | None
    progress_message_id: int | None


@dataclass(frozen=True, slots=True)
class Counts:
    pending: int = 0
    sending: int = 0
    sent: int = 0
    blocked: int = 0
    failed: int = 0
    unsure: int = 0  # among ``sent``: an outcome was unknown once, so the recipient may have it twice

    @property
    def total(self) -> int:
        return self.pending + self.sending + self.sent + self.blocked + self.failed

    @property
    def done(self) -> int:
        return self.sent + self.blocked + self.failed

    @property
    def finished(self) -> bool:
        return self.pending == 0 and self.sending == 0


@dataclass(frozen=True, slots=True)
class Claimed:
    row_id: int
    broadcast_id: int
    user_id: int
    text: str
    attempts: int
    scope: str = "all"  # 'unit' | 'all': who sent it, for the label the recipient sees
    unit_name: str = ""
    language: str | None = None  # the recipient's
    unsure: bool = False  # an earlier attempt's outcome was unknown: this is the one retry it gets


def _broadcast(row: aiosqlite.Row) -> Broadcast:
    return Broadcast(
        row["id"],
        row["sender_id"],
        row["scope"],
        row["unit_id"],
        row["text"],
        row["status"],
        row["created_at"],
        row["queued_at"],
        row["finished_at"],
        row["progress_chat_id"],
        row["progress_message_id"],
    )


_RECIPIENTS = {
    # Members of the sender's unit only (the unit id comes from the draft, which was checked on the server).
    "unit": "SELECT m.user_id AS uid FROM unit_members m JOIN users u ON u.id = m.user_id "
    "WHERE m.unit_id = :unit AND u.active = 1 AND m.user_id != :sender",
    # Every user who has not blocked the bot.
    "all": "SELECT u.id AS uid FROM users u WHERE u.active = 1 AND u.id != :sender",
}


class BroadcastRepository:
    def __init__(self, db: Database) -> None:
        self.db = db
        # Who may have a draft awaiting its text. Every private text asks; almost nobody has one, so a
        # sender not in this set is answered from memory. Loaded once, added to by open_draft (the only way
        # a draft begins), trimmed when the database says there is none: always a superset of the truth.
        self._drafting: set[int] | None = None
        # A crowd's first texts all arrive before the set is loaded: one of them loads it, the rest wait for
        # that instead of each reading the table (a hundred reads in a row held the last answer back ~0.2 s).
        self._drafting_loaded = asyncio.Lock()

    # ------------------------------------------------------------------ drafts
    async def open_draft(self, sender_id: int, scope: str, unit_id: int | None, now: datetime) -> int:
        """A new draft awaiting its text; any earlier unsent draft of the sender is cancelled."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE broadcasts SET status = 'cancelled' WHERE sender_id = ? "
                "AND status IN ('awaiting_text', 'preview')",
                (sender_id,),
            )
            cur = await conn.execute(
                "INSERT INTO broadcasts (sender_id, scope, unit_id, status, created_at) "
                "VALUES (?, ?, ?, 'awaiting_text', ?)",
                (sender_id, scope, unit_id, int(now.timestamp())),
            )
            draft_id = int(cur.lastrowid or 0)
        if self._drafting is not None:
            self._drafting.add(sender_id)
        return draft_id

    async def awaiting_text(self, sender_id: int) -> Broadcast | None:
        if sender_id not in await self._drafters():
            return None
        row = await self.db.fetchone(
            "SELECT * FROM broadcasts WHERE sender_id = ? AND status = 'awaiting_text' "
            "ORDER BY id DESC LIMIT 1",
            (sender_id,),
        )
        if row is None:
            (await self._drafters()).discard(sender_id)
            return None
        return _broadcast(row)

    async def _drafters(self) -> set[int]:
        if self._drafting is None:
            async with self._drafting_loaded:
                if self._drafting is None:
                    rows = await self.db.fetchall(
                        "SELECT DISTINCT sender_id FROM broadcasts WHERE status = 'awaiting_text'"
                    )
                    self._drafting = {int(r[0]) for r in rows}
        return self._drafting

    async def set_text(self, draft_id: int, text: str) -> bool:
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                "UPDATE broadcasts SET text = ?, status = 'preview' "
                "WHERE id = ? AND status = 'awaiting_text'",
                (text, draft_id),
            )
            return cur.rowcount > 0

    async def cancel(self, draft_id: int) -> bool:
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                "UPDATE broadcasts SET status = 'cancelled' "
                "WHERE id = ? AND status IN ('awaiting_text', 'preview')",
                (draft_id,),
            )
            return cur.rowcount > 0

    async def cancel_drafts(self, sender_id: int) -> int:
        """/cancel: every unsent draft of ``sender_id`` (awaiting its text or showing its preview)."""
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                "UPDATE broadcasts SET status = 'cancelled' "
                "WHERE sender_id = ? AND status IN ('awaiting_text', 'preview')",
                (sender_id,),
            )
            return cur.rowcount

    async def get(self, broadcast_id: int) -> Broadcast | None:
        row = await self.db.fetchone("SELECT * FROM broadcasts WHERE id = ?", (broadcast_id,))
        return _broadcast(row) if row else None

    async def count_recipients(self, scope: str, unit_id: int | None, sender_id: int) -> int:
        row = await self.db.fetchone(
            f"SELECT COUNT(*) FROM ({_RECIPIENTS[scope]})", {"unit": unit_id, "sender": sender_id}
        )  # type: ignore[arg-type]
        return int(row[0]) if row else 0

    async def running(self, sender_id: int) -> Broadcast | None:
        row = await self.db.fetchone(
            "SELECT * FROM broadcasts WHERE sender_id = ? AND status = 'queued' LIMIT 1", (sender_id,)
        )
        return _broadcast(row) if row else None

    async def queued_since(self, sender_id: int, since: int) -> int:
        row = await self.db.fetchone(
            "SELECT COUNT(*) FROM broadcasts WHERE sender_id = ? AND queued_at >= ?", (sender_id, since)
        )
        return int(row[0]) if row else 0

    async def queue(
        self,
        draft_id: int,
        now: datetime,
        *,
        since: int,
        daily_limit: int | None,
        progress_chat_id: int,
        progress_message_id: int,
    ) -> tuple[QueueResult, int]:
        """Turn a previewed draft into outbox rows, all or nothing. Returns (result, number of recipients)."""
        ts = int(now.timestamp())
        async with self.db.transaction() as conn:
            async with conn.execute("SELECT * FROM broadcasts WHERE id = ?", (draft_id,)) as cur:
                row = await cur.fetchone()
            if row is None or row["status"] != "preview":
                return "not_draft", 0
            draft = _broadcast(row)
            async with conn.execute(
                "SELECT 1 FROM broadcasts WHERE sender_id = ? AND status = 'queued'", (draft.sender_id,)
            ) as cur:
                if await cur.fetchone():
                    return "running", 0
            if daily_limit is not None:
                async with conn.execute(
                    "SELECT COUNT(*) FROM broadcasts WHERE sender_id = ? AND queued_at >= ?",
                    (draft.sender_id, since),
                ) as cur:
                    count_row = await cur.fetchone()
                if count_row is not None and int(count_row[0]) >= daily_limit:
                    return "daily_limit", 0
            cur2 = await conn.execute(
                f"INSERT OR IGNORE INTO outbox (broadcast_id, user_id, updated_at) "
                f"SELECT :bc, r.uid, :ts FROM ({_RECIPIENTS[draft.scope]}) AS r",
                {"bc": draft_id, "ts": ts, "unit": draft.unit_id, "sender": draft.sender_id},
            )
            n = cur2.rowcount
            if n <= 0:
                return "no_recipients", 0
            await conn.execute(
                "UPDATE broadcasts SET status = 'queued', queued_at = ?, progress_chat_id = ?, "
                "progress_message_id = ? WHERE id = ?",
                (ts, progress_chat_id, progress_message_id, draft_id),
            )
        return "queued", n

    async def history(self, sender_id: int, limit: int = 10) -> list[tuple[Broadcast, Counts]]:
        rows = await self.db.fetchall(
            "SELECT * FROM broadcasts WHERE sender_id = ? AND status IN ('queued', 'done') "
            "ORDER BY id DESC LIMIT ?",
            (sender_id, limit),
        )
        return [(_broadcast(r), await self.counts(r["id"])) for r in rows]

    # ------------------------------------------------------------------ delivery
    async def reset_inflight(self) -> int:
        """Rows left in 'sending' by a crash: their message may or may not have gone out. Each is an unknown
        outcome: sent again once (marked ``unsure``), or, if it already was the retry of one, ended as sent."""
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                "UPDATE outbox SET state = CASE WHEN unsure THEN 'sent' ELSE 'pending' END, unsure = 1, "
                "error = CASE WHEN unsure THEN 'unconfirmed: crash' ELSE error END WHERE state = 'sending'")
            return cur.rowcount

    async def claim_next(self, now_ts: int, busy_chats: Sequence[int]) -> Claimed | None:
        """The oldest due row whose chat is not busy, moved to 'sending' in the same transaction."""
        marks = ",".join("?" * len(busy_chats))
        skip = f"AND o.user_id NOT IN ({marks}) " if busy_chats else ""
        async with self.db.transaction() as conn:
            async with conn.execute(
                "SELECT o.id, o.broadcast_id, o.user_id, o.attempts, o.unsure, b.text, b.scope, "
                "COALESCE(u.name, '') AS unit_name, r.language FROM outbox o "
                "JOIN broadcasts b ON b.id = o.broadcast_id "
                "LEFT JOIN units u ON u.id = b.unit_id LEFT JOIN users r ON r.id = o.user_id "
                f"WHERE o.state = 'pending' AND o.not_before <= ? {skip}ORDER BY o.id LIMIT 1",
                (now_ts, *busy_chats),
            ) as cur:
                row = await cur.fetchone()
            if row is None:
                return None
            await conn.execute(
                "UPDATE outbox SET state = 'sending', attempts = attempts + 1, updated_at = ? WHERE id = ?",
                (now_ts, row["id"]),
            )
        return Claimed(row["id"], row["broadcast_id"], row["user_id"], row["text"] or "", row["attempts"] + 1,
                       row["scope"], row["unit_name"], row["language"], bool(row["unsure"]))

    async def finish_row(self, row_id: int, state: str, now_ts: int, error: str | None = None, *,
                         unsure: bool = False) -> None:
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE outbox SET state = ?, updated_at = ?, error = ?, unsure = MAX(unsure, ?) WHERE id = ?",
                (state, now_ts, error, int(unsure), row_id),
            )

    async def park(self, row_id: int, until_ts: int, now_ts: int, error: str, *, unsure: bool = False) -> None:
        """Back to 'pending', not claimed before ``until_ts`` (after a RetryAfter or a failure worth retrying);
        ``unsure`` when the failed attempt may have been delivered."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE outbox SET state = 'pending', not_before = ?, updated_at = ?, error = ?, "
                "unsure = MAX(unsure, ?) WHERE id = ?",
                (until_ts, now_ts, error, int(unsure), row_id),
            )

    async def counts(self, broadcast_id: int) -> Counts:
        rows = await self.db.fetchall(
            "SELECT state, COUNT(*) AS n, SUM(unsure) AS unsure FROM outbox WHERE broadcast_id = ? "
            "GROUP BY state", (broadcast_id,)
        )
        found = {r["state"]: int(r["n"]) for r in rows}
        unsure = sum(int(r["unsure"] or 0) for r in rows if r["state"] == "sent")
        return Counts(**found, unsure=unsure)

    async def active(self) -> list[Broadcast]:
        rows = await self.db.fetchall("SELECT * FROM broadcasts WHERE status = 'queued' ORDER BY id")
        return [_broadcast(r) for r in rows]

    async def mark_done(self, broadcast_id: int, now_ts: int) -> bool:
        """'queued' → 'done' once nothing is pending or in flight; True only for the call that did it."""
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                "UPDATE broadcasts SET status = 'done', finished_at = ? WHERE id = ? AND status = 'queued' "
                "AND NOT EXISTS (SELECT 1 FROM outbox "
                "WHERE broadcast_id = ? AND state IN ('pending', 'sending'))",
                (now_ts, broadcast_id, broadcast_id),
            )
            return cur.rowcount > 0

    async def activity(self, since_ts: int) -> tuple[int, int, int]:
        """(broadcasts being sent now, broadcasts finished since ``since_ts``, messages still to send)."""
        row = await self.db.fetchone(
            "SELECT (SELECT COUNT(*) FROM broadcasts WHERE status = 'queued'),"
            " (SELECT COUNT(*) FROM broadcasts WHERE status = 'done' AND finished_at >= ?),"
            " (SELECT COUNT(*) FROM outbox WHERE state IN ('pending', 'sending'))",
            (since_ts,),
        )
        return (int(row[0]), int(row[1]), int(row[2])) if row else (0, 0, 0)
