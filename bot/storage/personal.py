"""Everything stored about one person, found generically so new features are covered without edits here.

A table holds personal data when it has a ``user_id`` column (or is ``users`` itself). ``/mydata`` lists
those rows; ``/forget`` deletes them in one transaction (foreign keys cascade as well).
"""

from __future__ import annotations

from bot.storage.db import Database

Rows = list[dict[str, object]]


class PersonalData:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def _tables(self) -> list[str]:
        names = [r["name"] for r in await self.db.fetchall(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        personal = []
        for name in names:
            columns = {r["name"] for r in await self.db.fetchall(
                "SELECT name FROM pragma_table_info(?)", (name,))}
            if "user_id" in columns:
                personal.append(name)
        return personal

    async def export(self, user_id: int) -> dict[str, Rows]:
        found: dict[str, Rows] = {}
        user = await self.db.fetchall("SELECT * FROM users WHERE id = ?", (user_id,))
        if user:
            found["users"] = [dict(r) for r in user]
        for table in await self._tables():
            # table names come from sqlite_master, never from user input
            rows = await self.db.fetchall(f'SELECT * FROM "{table}" WHERE user_id = ?', (user_id,))
            if rows:
                found[table] = [dict(r) for r in rows]
        return found

    async def forget(self, user_id: int) -> None:
        tables = await self._tables()
        async with self.db.transaction() as conn:
            for table in tables:
                await conn.execute(f'DELETE FROM "{table}" WHERE user_id = ?', (user_id,))
            await conn.execute("DELETE FROM users WHERE id = ?", (user_id,))
