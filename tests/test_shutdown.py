"""Clean shutdown of a real `accbot run` process: SIGTERM in the middle of a burst of questions and in the middle
of a broadcast loses nothing, sends nothing twice, and a restarted bot answers no update a second time.

Telegram is the Bot API double over HTTP with a latency on every call, so at the signal answers and broadcast
messages are genuinely in flight; the double keeps Telegram's getUpdates contract (an update stays unconfirmed,
and is served again, until a later call's offset passes it), so a bot that exits without acknowledging what it
handled would answer those updates again after the restart.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections import Counter
from contextlib import closing
from pathlib import Path
from typing import Any

from bot.domain.clock import SystemClock
from bot.infra.botapi_double import BotApiDouble, SentMessage
from bot.infra.botapi_http import BotApiHttpServer
from bot.storage.db import Database
from bot.storage.outbox import BroadcastRepository
from tests.auxil.live import LiveBot, bot_env, wait_until

QUESTION = "每年需要多少学分"
NOTICE = "【通知】请于12月31日前完成2026年继续教育学习。"
SENDER = 1


async def _ready(double: BotApiDouble, user: int) -> None:
    """The bot is up and polling once it has answered ``user``'s /start."""
    await double.updates.put(double.message_update(user, "/start"))
    await wait_until(lambda: bool(double.chat(user)), 60, f"the bot to answer /start from {user}")


def _wal_left(db: Path) -> bool:
    """SQLite removes the -wal file when the last connection closes cleanly."""
    return Path(f"{db}-wal").exists()


async def test_sigterm_during_a_burst_of_questions(tmp_path: Path) -> None:
    db = tmp_path / "burst.sqlite3"
    double = BotApiDouble()
    users = list(range(20001, 20031))
    async with BotApiHttpServer(double, latency=0.1) as server:
        env = bot_env(db, server.base_url)
        async with LiveBot(env, tmp_path, "first") as bot:
            await _ready(double, 10)
            for user in users:
                await double.updates.put(double.message_update(user, QUESTION))
            burst_last_id = double.message_update(1, "x")["update_id"] - 1
            await wait_until(double.updates.empty, 10, "the bot to fetch the burst")
            answered_at_signal = sum(1 for u in users if double.chat(u))
            assert await bot.terminate() == 0, bot.output()
        assert answered_at_signal < len(users), "the signal must arrive while the burst is still being answered"
        replies = Counter(m.chat_id for m in double.messages.values() if m.chat_id in users)
        assert replies == Counter({u: 1 for u in users}), "every fetched question answered once before exit"
        assert double.confirmed_offset > burst_last_id, "the handled updates were acknowledged before exit"
        assert not _wal_left(db), "the database was closed cleanly"

        async with LiveBot(env, tmp_path, "second") as bot:
            await _ready(double, 11)
            assert await bot.terminate() == 0, bot.output()
    replies = Counter(m.chat_id for m in double.messages.values() if m.chat_id in users)
    assert replies == Counter({u: 1 for u in users}), "no update was answered again after the restart"


async def _seed_broadcast(db: Path, recipients: list[int]) -> None:
    database = Database(db)
    await database.open()
    now = SystemClock().now()
    ts = int(now.timestamp())
    async with database.transaction() as conn:
        await conn.executemany("INSERT INTO users (id, language, first_seen, last_seen) VALUES (?, 'zh', ?, ?)",
                               [(uid, ts, ts) for uid in [SENDER, *recipients]])
    repo = BroadcastRepository(database)
    draft = await repo.open_draft(SENDER, "all", None, now)
    await repo.set_text(draft, NOTICE)
    result, count = await repo.queue(draft, now, since=0, daily_limit=None, progress_chat_id=SENDER,
                                     progress_message_id=1)
    assert (result, count) == ("queued", len(recipients))
    await database.close()


async def test_sigterm_during_a_broadcast(tmp_path: Path) -> None:
    db = tmp_path / "broadcast.sqlite3"
    recipients = list(range(30001, 30081))
    await _seed_broadcast(db, recipients)
    delivered: list[int] = []

    def record(kind: str, payload: SentMessage | dict[str, Any]) -> None:
        if kind == "message" and isinstance(payload, SentMessage) and NOTICE in payload.text:
            delivered.append(payload.chat_id)

    double = BotApiDouble(on_event=record)
    async with BotApiHttpServer(double, latency=0.3) as server:
        env = bot_env(db, server.base_url, BROADCAST_RATE="20", ADMIN_IDS=str(SENDER))
        async with LiveBot(env, tmp_path, "first") as bot:
            await wait_until(lambda: len(delivered) >= 15, 60, "the broadcast to be under way")
            assert await bot.terminate() == 0, bot.output()
        first_run = list(delivered)
        assert 15 <= len(first_run) < len(recipients), "the signal must fall in the middle of the broadcast"
        assert not _wal_left(db), "the database was closed cleanly"
        with closing(sqlite3.connect(db)) as conn:
            states = dict(conn.execute("SELECT state, COUNT(*) FROM outbox GROUP BY state").fetchall())
        assert states.get("sending", 0) == 0, "no message was left in flight: each one finished and was recorded"
        assert states.get("sent", 0) == len(first_run) == len(set(first_run))

        async with LiveBot(env, tmp_path, "second") as bot:
            await wait_until(lambda: len(set(delivered)) >= len(recipients), 60, "the broadcast to finish")
            await asyncio.sleep(1.0)  # a repeat, if any, would arrive now
            assert await bot.terminate() == 0, bot.output()
    assert Counter(delivered) == Counter({r: 1 for r in recipients}), "everyone got the notice exactly once"
