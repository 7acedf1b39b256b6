"""The one owner of the SQLite connections.

aiosqlite runs each connection on a worker thread; statements from concurrent tasks would otherwise
interleave inside each other's transactions, so every unit of work takes a connection under a lock.
Writes (``transaction``, committed or rolled back as a whole) use one connection; queries (``read``) use a
second one, so in WAL mode a write that waits for a lock held by another process never stalls readers.

When SQLite cannot write (locked by another process past the busy timeout, disk full, I/O error) the caller
gets :class:`StorageUnavailable`, and for a short while after that further writes fail at once instead of
each waiting out the busy timeout in turn: one user's stuck write never queues everybody else's. Nothing is
retried here; the database recovers by itself once the lock or the space is back.
Instants are stored as integer Unix seconds; the domain converts them to Asia/Shanghai.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path

import aiosqlite

log = logging.getLogger(__name__)


def _migrations() -> list[tuple[int, str, str]]:
    """(number, name, sql) of every shipped migration, in order."""
    found = []
    for entry in resources.files("bot.storage.migrations").iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:3].isdigit():
            found.append((int(name[:3]), name, entry.read_text(encoding="utf-8")))
    found.sort()
    numbers = [n for n, _, _ in found]
    if numbers != list(range(1, len(numbers) + 1)):
        raise RuntimeError(f"migrations must be numbered 1..n without gaps, found {numbers}")
    return found


class StorageUnavailable(Exception):
    """SQLite could not do the work now (locked elsewhere, disk full, I/O error); it may work later."""


class Database:
    def __init__(self, path: Path | str, *, busy_timeout_ms: int = 5000, cool_down: float = 2.0) -> None:
        self.path = Path(path)
        self.busy_timeout_ms = busy_timeout_ms
        self.cool_down = cool_down  # seconds after a failed write during which writes fail at once
        self._conn: aiosqlite.Connection | None = None
        self._reader: aiosqlite.Connection | None = None
        self._lock = asyncio.Lock()
        self._read_lock = asyncio.Lock()
        self._failing_until = 0.0

    async def _connect(self) -> aiosqlite.Connection:
        conn = await aiosqlite.connect(self.path, isolation_level=None)
        conn.row_factory = aiosqlite.Row
        await conn.execute(f"PRAGMA busy_timeout={int(self.busy_timeout_ms)}")
        await conn.execute("PRAGMA foreign_keys=ON")
        await conn.execute("PRAGMA synchronous=NORMAL")
        return conn

    async def open(self) -> None:
        if self._conn is not None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = await self._connect()
        await self._conn.execute("PRAGMA journal_mode=WAL")
        await self._migrate()
        self._reader = await self._connect()

    async def close(self) -> None:
        for conn in (self._reader, self._conn):
            if conn is not None:
                await conn.close()
        self._conn = self._reader = None

    @property
    def conn(self) -> aiosqlite.Connection:
        if self._conn is None:
            raise RuntimeError("database is not open")
        return self._conn

    async def _migrate(self) -> None:
        async with self.conn.execute("PRAGMA user_version") as cur:
            row = await cur.fetchone()
        current = int(row[0]) if row else 0
        for number, name, sql in _migrations():
            if number <= current:
                continue
            log.info("applying migration %s", name)
            try:
                await self.conn.execute("BEGIN IMMEDIATE")
                for statement in _split_sql(sql):
                    await self.conn.execute(statement)
                await self.conn.execute(f"PRAGMA user_version = {number:d}")
                await self.conn.execute("COMMIT")
            except BaseException:
                await self.conn.execute("ROLLBACK")
                raise

    @asynccontextmanager
    async def read(self) -> AsyncIterator[aiosqlite.Connection]:
        async with self._read_lock:
            try:
                yield self._reader or self.conn
            except sqlite3.OperationalError as exc:
                raise StorageUnavailable(str(exc)) from exc

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """All statements inside commit together or not at all; :class:`StorageUnavailable` if SQLite can't."""
        if time.monotonic() < self._failing_until:
            raise StorageUnavailable("the database failed a moment ago")
        async with self._lock:
            conn = self.conn
            try:
                await conn.execute("BEGIN IMMEDIATE")
                try:
                    yield conn
                    await conn.execute("COMMIT")
                except BaseException:
                    if conn.in_transaction:
                        await conn.execute("ROLLBACK")
                    raise
            except sqlite3.OperationalError as exc:  # locked, full, disk I/O: the caller may try again later
                self._failing_until = time.monotonic() + self.cool_down
                raise StorageUnavailable(str(exc)) from exc

    async def fetchone(self, sql: str, params: tuple[object, ...] = ()) -> aiosqlite.Row | None:
        async with self.read() as conn, conn.execute(sql, params) as cur:
            return await cur.fetchone()

    async def fetchall(self, sql: str, params: tuple[object, ...] = ()) -> list[aiosqlite.Row]:
        async with self.read() as conn, conn.execute(sql, params) as cur:
            return list(await cur.fetchall())


def _split_sql(script: str) -> list[str]:
    """Statements of a migration file (they contain no semicolons inside literals or triggers)."""
    lines = [ln for ln in script.splitlines() if not ln.strip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]
