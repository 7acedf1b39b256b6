"""Questions the bot could not answer: what people ask, never who asked.

One row per distinct wording after normalisation (invisible characters dropped, full-width folded,
Traditional written as Simplified, case folded, spaces collapsed, trailing punctuation dropped), with a count
and the first and last time it was asked. No user id and no per-ask time are kept, so a row cannot be tied
to a person, and a flood of one question is one row. The table is capped at ``cap`` rows: the wordings
asked least recently go first; a wording not asked again for ``KEEP_DAYS`` is dropped. Answers marked 👎 are
logged here too (kind ``down``), so ``accbot kb misses`` and /misses show both.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from aiosqlite import Row

from bot.storage.db import Database
from knowledge.text import clean

TEXT_MAX = 500
_TRAILING = " \n?？!！.。,，;；~～…"


def normalise_question(text: str) -> str:
    """The wording that two asks of the same question share."""
    return clean(text).casefold().rstrip(_TRAILING)[:TEXT_MAX]


@dataclass(frozen=True, slots=True)
class Unanswered:
    text: str
    language: str
    kind: str
    count: int
    first_seen: int
    last_seen: int


class UnansweredLog:
    KEEP_DAYS = 90

    def __init__(self, db: Database, *, cap: int = 2000) -> None:
        self.db = db
        self.cap = cap

    async def add(self, text: str, language: str, kind: str, now: datetime) -> None:
        wording = normalise_question(text)
        if not wording:
            return
        ts = int(now.timestamp())
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                "INSERT INTO unanswered_questions (text, language, kind, count, first_seen, last_seen) "
                "VALUES (?, ?, ?, 1, ?, ?) ON CONFLICT (text, language) DO UPDATE SET "
                "count = count + 1, kind = excluded.kind, last_seen = excluded.last_seen "
                "RETURNING count",
                (wording, language, kind, ts, ts),
            )
            row = await cur.fetchone()
            await cur.close()
            await conn.execute("DELETE FROM unanswered_questions WHERE last_seen < ?",
                               (int((now - timedelta(days=self.KEEP_DAYS)).timestamp()),))
            if row is not None and row[0] == 1:  # a new wording: keep the table within its cap
                await conn.execute(
                    "DELETE FROM unanswered_questions WHERE id IN (SELECT id FROM unanswered_questions "
                    "ORDER BY last_seen DESC, id DESC LIMIT -1 OFFSET ?)",
                    (self.cap,),
                )

    async def count_since(self, since: datetime) -> int:
        """Distinct wordings asked (again) since ``since``."""
        row = await self.db.fetchone("SELECT COUNT(*) FROM unanswered_questions WHERE last_seen >= ?",
                                     (int(since.timestamp()),))
        return int(row[0]) if row else 0

    async def since(self, since: datetime) -> list[Unanswered]:
        """Every wording asked (again) since ``since``, most asked first."""
        rows = await self.db.fetchall(
            "SELECT text, language, kind, count, first_seen, last_seen FROM unanswered_questions "
            "WHERE last_seen >= ? ORDER BY count DESC, last_seen DESC", (int(since.timestamp()),))
        return [_entry(r) for r in rows]

    async def recent(self, limit: int = 20) -> list[tuple[str, str]]:
        """(kind, wording) of the most recently asked, newest first."""
        return [(e.kind, e.text) for e in await self.entries(limit, order="recent")]

    async def entries(self, limit: int = 50, *, order: str = "count") -> list[Unanswered]:
        """The wordings asked most often (``order="count"``) or most recently (``"recent"``)."""
        by = "count DESC, last_seen DESC" if order == "count" else "last_seen DESC, id DESC"
        rows = await self.db.fetchall(
            "SELECT text, language, kind, count, first_seen, last_seen FROM unanswered_questions "
            f"ORDER BY {by} LIMIT ?",  # ``by`` is one of two constants above
            (limit,),
        )
        return [_entry(r) for r in rows]


def _entry(r: Row) -> Unanswered:
    return Unanswered(r["text"], r["language"], r["kind"], int(r["count"]), int(r["first_seen"]),
                      int(r["last_seen"]))
