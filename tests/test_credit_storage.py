"""Credits are stored exactly: a database from before migration 007 (REAL credits) is converted to tenths."""

from __future__ import annotations

import sqlite3
from decimal import Decimal
from importlib import resources
from pathlib import Path

from bot.storage.credits import CreditRepository
from bot.storage.db import Database


def _old_database(path: Path) -> None:
    """The schema as it was just before ``007_credit_tenths.sql``, with REAL credits in it."""
    scripts = sorted(e for e in resources.files("bot.storage.migrations").iterdir() if e.name.endswith(".sql"))
    with sqlite3.connect(path) as db:
        for script in scripts:
            if int(script.name[:3]) >= 7:
                break
            db.executescript(script.read_text(encoding="utf-8"))
        db.execute("INSERT INTO users (id, first_seen, last_seen) VALUES (1, 0, 0)")
        rows = [(1, 2026, "professional", "set", 7.5, 1), (1, 2026, "professional", "course", 0.1, 2),
                (1, 2026, "public", "course", 0.2, 3), (1, 2026, "public", "course", 0.30000000000000004, 4)]
        db.executemany("INSERT INTO credit_entries (user_id, year, category, kind, credits, batch, created_at) "
                       "VALUES (?, ?, ?, ?, ?, ?, 0)", rows)
        db.execute("PRAGMA user_version = 6")


async def test_real_credits_become_exact_tenths(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    _old_database(path)
    db = Database(path)
    await db.open()
    try:
        totals = (await CreditRepository(db).totals_by_year(1))[2026]
        assert totals.professional == Decimal("7.6") and totals.public == Decimal("0.5")
        row = await db.fetchone("SELECT tenths FROM credit_entries WHERE batch = 4")
        assert row is not None and row["tenths"] == 3
    finally:
        await db.close()
