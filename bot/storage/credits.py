"""Credit records (profiles live in :mod:`bot.storage.profiles`).

Credits are stored exactly, as integer tenths (``tenths`` = credits × 10; 7.5 is 75): the limits allow one
decimal place, and sums of integers never drift.

Totals are derived, never stored twice: per year and category, the newest 'set' row (a total the user
stated) plus every 'course' row after it. Each command writes one batch in one transaction, and undo
removes the newest batch, which restores exactly the state before that command.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from bot.domain.credits import Category, YearTotals
from bot.storage.db import Database

_DB_CATEGORY = {Category.PROFESSIONAL: "professional", Category.PUBLIC: "public"}
_CATEGORY = {v: k for k, v in _DB_CATEGORY.items()}


@dataclass(frozen=True, slots=True)
class CreditEntry:
    id: int
    year: int
    category: Category
    kind: str  # 'set' | 'course'
    credits: Decimal
    title: str
    studied_on: date | None
    batch: int


def _tenths(value: Decimal) -> int:
    """Exact: the validator allows at most one decimal place, so this never rounds a valid figure."""
    tenths = value * 10
    if tenths != tenths.to_integral_value():
        raise ValueError(f"{value} has more than one decimal place")
    return int(tenths)


def _credits(tenths: int) -> Decimal:
    return Decimal(tenths) / 10


def _entry(r: object) -> CreditEntry:
    row = dict(r)  # type: ignore[call-overload]
    return CreditEntry(id=row["id"], year=row["year"], category=_CATEGORY[row["category"]], kind=row["kind"],
                       credits=_credits(row["tenths"]), title=row["title"],
                       studied_on=date.fromisoformat(row["studied_on"]) if row["studied_on"] else None,
                       batch=row["batch"])


class CreditRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def set_totals(self, user_id: int, totals: YearTotals, now: datetime) -> None:
        """The user's stated totals for a year replace what was recorded before (undoable)."""
        await self.set_categories(user_id, totals.year, {Category.PROFESSIONAL: totals.professional,
                                                         Category.PUBLIC: totals.public}, now)

    async def set_categories(self, user_id: int, year: int, figures: dict[Category, Decimal],
                             now: datetime) -> None:
        """Stated figures for some categories of a year, in one batch; other categories keep theirs."""
        await self._write(user_id, year, "set", list(figures.items()), "", None, now)

    async def categories_with_courses(self, user_id: int, year: int) -> set[Category]:
        """Categories of ``year`` whose figure includes /add courses (recorded after its newest stated total):
        stating a new total for them would replace those courses."""
        rows = await self.db.fetchall(
            "SELECT DISTINCT c.category FROM credit_entries c WHERE c.user_id = ? AND c.year = ? "
            "AND c.kind = 'course' AND c.id > COALESCE((SELECT MAX(s.id) FROM credit_entries s "
            "WHERE s.user_id = c.user_id AND s.year = c.year AND s.category = c.category AND s.kind = 'set'), 0)",
            (user_id, year),
        )
        return {_CATEGORY[r["category"]] for r in rows}

    async def add_course(self, user_id: int, year: int, category: Category, credits: Decimal, title: str,
                         studied_on: date | None, now: datetime) -> None:
        await self._write(user_id, year, "course", [(category, credits)], title, studied_on, now)

    async def _write(self, user_id: int, year: int, kind: str, rows: list[tuple[Category, Decimal]],
                     title: str, studied_on: date | None, now: datetime) -> None:
        ts = int(now.timestamp())
        async with self.db.transaction() as conn:
            async with conn.execute(
                "SELECT COALESCE(MAX(batch), 0) + 1 FROM credit_entries WHERE user_id = ?", (user_id,)
            ) as cur:
                row = await cur.fetchone()
            batch = int(row[0]) if row else 1
            await conn.executemany(
                "INSERT INTO credit_entries (user_id, year, category, kind, tenths, title, studied_on, "
                "batch, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(user_id, year, _DB_CATEGORY[c], kind, _tenths(v), title,
                  studied_on.isoformat() if studied_on else None, batch, ts) for c, v in rows],
            )

    async def entries(self, user_id: int, year: int | None = None, limit: int = 50) -> list[CreditEntry]:
        """Newest first."""
        sql = "SELECT * FROM credit_entries WHERE user_id = ?"
        params: tuple[object, ...] = (user_id,)
        if year is not None:
            sql += " AND year = ?"
            params += (year,)
        rows = await self.db.fetchall(sql + " ORDER BY id DESC LIMIT ?", (*params, limit))
        return [_entry(r) for r in rows]

    async def undo_last(self, user_id: int) -> list[CreditEntry]:
        """Remove the newest batch; returns what was removed (empty when there was nothing)."""
        async with self.db.transaction() as conn:
            async with conn.execute(
                "SELECT MAX(batch) FROM credit_entries WHERE user_id = ?", (user_id,)
            ) as cur:
                row = await cur.fetchone()
            if row is None or row[0] is None:
                return []
            batch = int(row[0])
            async with conn.execute(
                "SELECT * FROM credit_entries WHERE user_id = ? AND batch = ?", (user_id, batch)
            ) as cur:
                removed = list(await cur.fetchall())
            await conn.execute("DELETE FROM credit_entries WHERE user_id = ? AND batch = ?", (user_id, batch))
        return [_entry(r) for r in removed]

    async def totals_by_year(self, user_id: int) -> dict[int, YearTotals]:
        return (await self.totals_for_users([user_id])).get(user_id, {})

    async def totals_for_users(self, user_ids: Iterable[int]) -> dict[int, dict[int, YearTotals]]:
        """Totals of many users in few queries (the reminder dispatcher assesses thousands a pass)."""
        ids = sorted(set(user_ids))
        out: dict[int, dict[int, YearTotals]] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            marks = ",".join("?" for _ in chunk)
            rows = await self.db.fetchall(
                "SELECT user_id, year, category, kind, tenths FROM credit_entries "
                f"WHERE user_id IN ({marks}) ORDER BY user_id, id",
                tuple(chunk),
            )
            out.update(_fold(rows))
        return out


def _fold(rows: Iterable[Any]) -> dict[int, dict[int, YearTotals]]:
    """The one rule for totals: per user, year and category, the newest 'set' replaces, later 'course' rows add."""
    sums: dict[tuple[int, int, str], int] = {}
    for r in rows:
        key = (r["user_id"], r["year"], r["category"])
        sums[key] = r["tenths"] if r["kind"] == "set" else sums.get(key, 0) + r["tenths"]
    out: dict[int, dict[int, YearTotals]] = {}
    for uid, year, _ in sorted(sums):
        per = out.setdefault(uid, {})
        if year not in per:
            per[year] = YearTotals(year, _credits(sums.get((uid, year, "professional"), 0)),
                                   _credits(sums.get((uid, year, "public"), 0)))
    return out
