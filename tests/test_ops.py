"""The operator's commands against a running bot: `accbot health`, `accbot db backup`, `accbot db check` and
`accbot stats`, plus the failures each must report (stale heartbeat, foreign-key damage, an existing target)."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from datetime import timedelta
from pathlib import Path

from bot.app import build_application, start_application, stop_application
from bot.infra.botapi_double import BotApiDouble, DoubleRequest
from bot.infra.botapi_http import BotApiHttpServer
from bot.infra.config import Settings
from bot.ops.commands import health
from bot.services import Services
from bot.storage import Database, maintenance
from handlers.reminders import DISPATCHER_KEY
from tests.auxil.live import LiveBot, accbot, bot_env, wait_until

ADMIN = 9100


async def test_health_backup_check_and_stats_beside_a_running_bot(tmp_path: Path) -> None:
    db = tmp_path / "live.sqlite3"
    double = BotApiDouble()
    async with BotApiHttpServer(double) as server:
        env = bot_env(db, server.base_url, DISPATCH_INTERVAL_SECONDS="1", ADMIN_IDS=str(ADMIN))
        status, line = await accbot(env, tmp_path, "health")
        assert status == 1 and line.strip() == f"unhealthy: no database at {db}"

        async with LiveBot(env, tmp_path) as bot:
            status, line = await _health_until(env, tmp_path, 0)  # the first dispatcher pass writes the heartbeat
            assert len(line.strip().splitlines()) == 1 and line.startswith("healthy: heartbeat"), bot.output()

            await double.updates.put(double.message_update(4242, "今天天气怎么样"))  # one unanswered question
            await wait_until(lambda: bool(double.chat(4242)), 20, "the answer to the question")
            await double.updates.put(double.message_update(ADMIN, "/stats"))
            await wait_until(lambda: bool(double.chat(ADMIN)), 20, "the /stats report")
            in_chat = double.chat(ADMIN)[0].text
            status, printed = await accbot(env, tmp_path, "stats")
            assert status == 0 and printed.strip() == in_chat.strip(), "accbot stats prints what /stats shows"
            assert "用户总数 2" in in_chat and "今天天气怎么样" in in_chat and "群发" in in_chat and "提醒" in in_chat

            status, line = await accbot(env, tmp_path, "db", "backup", f"{tmp_path / 'backups'}/")
            assert status == 0, line
            [copy] = (tmp_path / "backups").glob("accbot-*.sqlite3")
            assert line.strip().startswith(f"backup written: {copy}") and "integrity ok" in line
            with sqlite3.connect(copy) as conn:  # a self-contained file with what the bot had committed
                assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
                assert {r[0] for r in conn.execute("SELECT id FROM users")} == {4242, ADMIN}

            status, line = await accbot(env, tmp_path, "db", "check")
            assert status == 0 and line.strip() == f"database {db}: integrity ok, no foreign-key violations"
            assert await bot.terminate() == 0, bot.output()

        status, line = await _health_until(env, tmp_path, 1)  # stopped: the heartbeat goes stale after 3 s
        assert line.startswith("unhealthy: last heartbeat") and "limit 3 s" in line


async def _health_until(env: dict[str, str], cwd: Path, wanted: int, timeout: float = 60.0) -> tuple[int, str]:
    deadline = time.monotonic() + timeout
    while True:
        status, line = await accbot(env, cwd, "health")
        if status == wanted or time.monotonic() > deadline:
            return status, line
        await asyncio.sleep(0.3)


async def test_the_dispatcher_job_keeps_the_heartbeat_that_health_reads(services: Services,
                                                                        settings: Settings) -> None:
    app = build_application(services, request=DoubleRequest(BotApiDouble()))
    await start_application(app)
    try:
        await app.bot_data[DISPATCHER_KEY].tick(wait=True)
        beat = services.clock.now().timestamp()
        interval = settings.dispatch_interval_seconds
        assert health(settings, beat + interval)[0]
        services.clock.advance(timedelta(seconds=3 * interval))  # type: ignore[attr-defined]
        ok, line = health(settings, services.clock.now().timestamp())
        assert not ok and line.startswith("unhealthy: last heartbeat 15 s ago (limit 15 s)")
        await app.bot_data[DISPATCHER_KEY].tick(wait=True)  # the next pass makes it fresh again
        assert health(settings, services.clock.now().timestamp())[0]
    finally:
        await stop_application(app)


async def test_backup_copies_commits_still_in_the_wal_and_never_overwrites(tmp_path: Path) -> None:
    live = Database(tmp_path / "bot.sqlite3")
    await live.open()  # the bot's own connection stays open: its commits sit in -wal, not in the main file
    try:
        async with live.transaction() as conn:
            await conn.executemany("INSERT INTO users (id, language, first_seen, last_seen) VALUES (?, 'zh', 0, 0)",
                                   [(i,) for i in range(1, 501)])
        target = tmp_path / "copy.sqlite3"
        assert maintenance.backup(live.path, target).ok
        with sqlite3.connect(target) as conn:
            assert conn.execute("SELECT COUNT(*) FROM users").fetchone()[0] == 500
        try:
            maintenance.backup(live.path, target)
        except FileExistsError:
            pass
        else:
            raise AssertionError("an existing backup was overwritten")
    finally:
        await live.close()


async def test_db_check_reports_a_broken_reference(tmp_path: Path) -> None:
    db = Database(tmp_path / "broken.sqlite3")
    await db.open()
    await db.close()
    with sqlite3.connect(db.path) as conn:  # damage the way a manual edit without foreign keys would
        conn.execute("INSERT INTO reminders (user_id, kind, due_at, status, created_at) "
                     "VALUES (31337, 'personal', 0, 'pending', 0)")
    env = bot_env(db.path)
    status, line = await accbot(env, tmp_path, "db", "check")
    assert status == 1
    assert line.strip() == f"database {db.path} has problems: reminders row 1 points to a missing users row"
