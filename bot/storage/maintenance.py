"""File-level operations on the SQLite database for operators: heartbeat age, online backup, integrity check.

These run in a separate process (``accbot health``, ``accbot db …``) while the bot may be running, so they
use the standard library's synchronous ``sqlite3`` on their own connection, never the bot's, and never
create or migrate a database: a missing file is reported, not made.

Why SQLite's backup API (``Connection.backup``) and not a file copy: the bot keeps the database in WAL mode,
so the newest commits may live only in ``-wal``; copying the main file alone (or copying it mid-checkpoint)
gives an old or torn database. The backup API copies a consistent snapshot page by page, through SQLite's
own locking, and in WAL mode readers do not block the bot's writers.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from bot.storage.heartbeat import DISPATCHER


class DatabaseMissing(Exception):
    """There is no database file at the configured path."""


def _connect_existing(path: Path, *, read_only: bool = True) -> sqlite3.Connection:
    if not path.is_file():
        raise DatabaseMissing(f"no database at {path}")
    mode = "ro" if read_only else "rw"
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode={mode}", uri=True, timeout=5.0)
    conn.execute("PRAGMA busy_timeout=5000")
    return conn


def heartbeat_at(path: Path, name: str = DISPATCHER) -> int | None:
    """Unix seconds of the last heartbeat, or None when the bot never wrote one (or predates the table)."""
    with closing(_connect_existing(path)) as conn:
        try:
            row = conn.execute("SELECT beat_at FROM heartbeat WHERE name = ?", (name,)).fetchone()
        except sqlite3.OperationalError as exc:
            if "no such table" in str(exc):
                return None
            raise
    return int(row[0]) if row else None


@dataclass(frozen=True, slots=True)
class CheckResult:
    integrity: list[str]  # ["ok"] when sound
    foreign_keys: list[tuple[str, int, str]]  # (table, rowid, referenced table) per violation

    @property
    def ok(self) -> bool:
        return self.integrity == ["ok"] and not self.foreign_keys


def check(path: Path) -> CheckResult:
    """``PRAGMA integrity_check`` and ``PRAGMA foreign_key_check`` on the file at ``path``."""
    with closing(_connect_existing(path)) as conn:
        return _check(conn)


def _check(conn: sqlite3.Connection) -> CheckResult:
    integrity = [str(r[0]) for r in conn.execute("PRAGMA integrity_check")]
    fks = [(str(r[0]), int(r[1] or 0), str(r[2])) for r in conn.execute("PRAGMA foreign_key_check")]
    return CheckResult(integrity, fks)


def backup(source: Path, target: Path) -> CheckResult:
    """Copy ``source`` to ``target`` with the online backup API, then check the copy.

    The copy is written next to the target and renamed into place only when complete and sound, so a
    failed or interrupted backup never leaves a half-written file under the target's name. An existing
    target is refused rather than overwritten."""
    if target.exists():
        raise FileExistsError(f"{target} already exists")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        with closing(_connect_existing(source)) as src, closing(sqlite3.connect(partial)) as dst:
            src.backup(dst)  # all pages in one step: one consistent snapshot
            dst.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file
            result = _check(dst)
        if result.ok:
            partial.replace(target)
        return result
    finally:
        partial.unlink(missing_ok=True)
