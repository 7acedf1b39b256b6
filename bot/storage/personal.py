"""Everything stored about one person, found generically so new features are covered without edits here.

A row is about a person when one of ``PERSON_COLUMNS`` holds their id (or it is their ``users`` row).
``/mydata`` lists all such rows. ``/forget`` deletes the ``users`` row — foreign keys cascade to what is
theirs (and clear them from a unit they were the contact of) — and, in the same transaction, any
``user_id`` row of a table without such a key.
"""

from __future__ import annotations

from bot.storage.db import Database

Rows = list[dict[str, object]]
PERSON_COLUMNS = ("user_id", "sender_id", "contact_id")


class PersonalData:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def _tables(self) -> list[tuple[str, str]]:
        """(table, column) for every column in ``PERSON_COLUMNS``."""
        names = [r["name"] for r in await self.db.fetchall(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        personal = []
        for name in names:
            columns = {r["name"] for r in await self.db.fetchall(
                "SELECT name FROM pragma_table_info(?)", (name,))}
            personal += [(name, column) for column in PERSON_COLUMNS if column in columns]
        return personal

    async def export(self, user_id: int) -> dict[str, Rows]:
        found: dict[str, Rows] = {}
        user = await self.db.fetchall("SELECT * FROM users WHERE id = ?", (user_id,))
        if user:
            found["users"] = [dict(r) for r in user]
        for table, column in await self._tables():
            # names come from sqlite_master and PERSON_COLUMNS, never from user input
            rows = await self.db.fetchall(f'SELECT * FROM "{table}" WHERE "{column}" = ?', (user_id,))
            if rows:
                found.setdefault(table, []).extend(dict(r) for r in rows)
        return found

    async def forget(self, user_id: int) -> None:
        tables = await self._tables()
        async with self.db.transaction() as conn:
            await conn.execute("DELETE FROM users WHERE id = ?", (user_id,))
            for table, column in tables:
                if column == "user_id":
                    await conn.execute(f'DELETE FROM "{table}" WHERE user_id = ?', (user_id,))
