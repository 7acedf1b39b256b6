"""Operator commands: ``accbot health``, ``accbot db backup PATH``, ``accbot db check``, ``accbot stats``.

They run beside a live bot (another process on the same SQLite file) and print one line for a supervisor or
a person on the server; the exit status says whether all is well (0) or not (1). A wrong setting is the
CLI's usual one line and exit status 2.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sqlite3
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from bot.infra.config import Settings
from bot.infra.logsetup import configure_logging
from bot.storage import maintenance

SettingsLoader = Callable[[], Settings]

# A heartbeat older than this many dispatch intervals means the job queue is not running.
STALE_AFTER_INTERVALS = 3


def health(settings: Settings, now_ts: float) -> tuple[bool, str]:
    """(healthy?, the one line to print). Healthy: the database opens and the dispatcher's heartbeat is fresh."""
    path = settings.database_path
    limit = STALE_AFTER_INTERVALS * settings.dispatch_interval_seconds
    try:
        beat = maintenance.heartbeat_at(path)
    except maintenance.DatabaseMissing as exc:
        return False, f"unhealthy: {exc}"
    except sqlite3.Error as exc:
        return False, f"unhealthy: database {path} cannot be read ({exc})"
    if beat is None:
        return False, f"unhealthy: no heartbeat in {path} yet (is `accbot run` running?)"
    age = now_ts - beat
    if age >= limit:
        return False, f"unhealthy: last heartbeat {age:.0f} s ago (limit {limit:g} s) in {path}"
    return True, f"healthy: heartbeat {max(age, 0):.0f} s ago (limit {limit:g} s), database {path}"


def _cmd_health(args: argparse.Namespace) -> int:
    ok, line = health(args.load_settings(), time.time())
    print(line)
    return 0 if ok else 1


def _describe(result: maintenance.CheckResult) -> str:
    if result.ok:
        return "integrity ok, no foreign-key violations"
    problems = [] if result.integrity == ["ok"] else result.integrity[:10]
    problems += [f"{table} row {rowid} points to a missing {parent} row"
                 for table, rowid, parent in result.foreign_keys[:10]]
    return "; ".join(problems)


def _cmd_db_check(args: argparse.Namespace) -> int:
    path = args.load_settings().database_path
    try:
        result = maintenance.check(path)
    except (maintenance.DatabaseMissing, sqlite3.Error) as exc:
        print(f"database check failed: {exc}")
        return 1
    verdict = "" if result.ok else " has problems"
    print(f"database {path}{verdict}: {_describe(result)}")
    return 0 if result.ok else 1


def _cmd_db_backup(args: argparse.Namespace) -> int:
    source = args.load_settings().database_path
    target = Path(args.path)
    if target.is_dir() or args.path.endswith(("/", os.sep)):
        target = target / f"accbot-{datetime.now():%Y%m%d-%H%M%S}.sqlite3"
    try:
        result = maintenance.backup(source, target)
    except (maintenance.DatabaseMissing, FileExistsError, OSError, sqlite3.Error) as exc:
        print(f"backup failed: {exc}")
        return 1
    if not result.ok:
        print(f"backup failed: the copy did not check out ({_describe(result)}); nothing written")
        return 1
    print(f"backup written: {target} ({target.stat().st_size // 1024} KiB, {_describe(result)})")
    return 0


def _cmd_stats(args: argparse.Namespace) -> int:
    settings = args.load_settings()
    configure_logging("WARNING", settings.token)
    if not settings.database_path.is_file():
        print(f"no database at {settings.database_path}")
        return 1
    from bot.answers.usage_view import render_usage
    from bot.bootstrap import build_services
    from bot.services.usage import usage_report

    async def report() -> str:
        svc = build_services(settings)
        await svc.db.open()
        try:
            return render_usage(await usage_report(svc, svc.clock.now()), svc.t, args.lang or
                                settings.default_language)
        finally:
            await svc.db.close()

    print(asyncio.run(report()))
    return 0


def add_ops_commands(sub: argparse._SubParsersAction, load_settings: SettingsLoader) -> None:  # type: ignore[type-arg]
    """Register the operator commands on the ``accbot`` parser."""
    health_p = sub.add_parser("health", help="exit 0 when the running bot's heartbeat is fresh and the database opens")
    health_p.set_defaults(func=_cmd_health, load_settings=load_settings)

    db = sub.add_parser("db", help="database maintenance: backup, check")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    backup = db_sub.add_parser("backup", help="online copy of the database (safe while the bot runs)")
    backup.add_argument("path", help="the copy's file name, or a directory (existing, or ending in /) for a dated copy")
    backup.set_defaults(func=_cmd_db_backup, load_settings=load_settings)
    check = db_sub.add_parser("check", help="integrity and foreign-key check")
    check.set_defaults(func=_cmd_db_check, load_settings=load_settings)

    stats = sub.add_parser("stats", help="what /stats shows: users, broadcasts, reminders, unanswered questions")
    stats.add_argument("--lang", choices=["zh", "en"])
    stats.set_defaults(func=_cmd_stats, load_settings=load_settings)
