"""Telegram's faults, on the real Application: a 5xx storm, lost responses, a full disk.

Time is compressed: the engines run on the injected ManualClock, so a 30-second storm and the back-off
after it pass by advancing the clock, not by waiting. Delivery is checked as a user would see it: every
recipient has the message once, except where a response was lost — then at most twice, and counted.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.app import build_application, start_application, stop_application
from bot.bootstrap import build_services
from bot.domain.clock import ManualClock
from bot.engines.broadcast import Drainer
from bot.engines.delivery import SendBudget
from bot.engines.dispatch import Dispatcher
from bot.infra.aiohttp_request import AiohttpRequest
from bot.infra.botapi_double import BotApiDouble, DoubleRequest
from bot.infra.botapi_http import BotApiHttpServer
from bot.infra.config import Settings
from bot.services import Services
from bot.storage import StorageUnavailable
from handlers.broadcasts import DRAINER_KEY
from handlers.common import BUDGET_KEY
from handlers.reminders import DISPATCHER_KEY
from tests.auxil.harness import ADMIN_ID, ChatHarness, start_app
from tests.auxil.units import received, wait_until

CONTACT = 101
TEXT = "风暴中的通知"


@pytest.fixture
def fast_settings(tmp_path: Path) -> Settings:
    return Settings(  # type: ignore[call-arg]
        _env_file=None, database_path=tmp_path / "faults.sqlite3", admin_ids=frozenset({ADMIN_ID}),
        telegram_bot_token=None,
    )


@pytest.fixture
def svc(fast_settings: Settings, clock: ManualClock) -> Services:
    return build_services(fast_settings, clock=clock)


async def _seed(svc: Services, users: list[int]) -> int:
    """A unit whose contact queued a broadcast to ``users``, and one personal reminder each, due now."""
    now = svc.clock.now()
    ts = int(now.timestamp())
    for uid in [CONTACT, *users]:
        await svc.users.touch(uid, "zh", now)
    async with svc.db.transaction() as conn:
        await conn.execute("INSERT INTO units (id, name, contact_id, invite_code, created_at) "
                           "VALUES (1, 'U', ?, 'c', 0)", (CONTACT,))
        await conn.executemany("INSERT INTO unit_members (user_id, unit_id, joined_at) VALUES (?, 1, 0)",
                               [(u,) for u in users])
        await conn.executemany(
            "INSERT INTO reminders (user_id, kind, text, due_at, status, created_at) "
            "VALUES (?, 'personal', '交材料', ?, 'pending', ?)", [(u, ts, ts) for u in users])
    draft = await svc.broadcasts.open_draft(CONTACT, "unit", 1, now)
    await svc.broadcasts.set_text(draft, TEXT)
    result, count = await svc.broadcasts.queue(draft, now, since=0, daily_limit=None, progress_chat_id=CONTACT,
                                               progress_message_id=1)
    assert (result, count) == ("queued", len(users))
    return draft


async def _ride_out(app: Any, svc: Services, clock: ManualClock, done: Any, rounds: int = 200) -> None:
    """Advance the engines' clock in 10-second steps, running the dispatcher and waking the drainer."""
    drainer: Drainer = app.bot_data[DRAINER_KEY]
    dispatcher: Dispatcher = app.bot_data[DISPATCHER_KEY]
    for _ in range(rounds):
        await dispatcher.tick(wait=True)
        drainer.wake()
        await asyncio.sleep(0.05)
        if await done():
            return
        clock.advance(timedelta(seconds=10))
    raise AssertionError("not everything was delivered")


async def _all_settled(svc: Services, draft: int) -> bool:
    counts = await svc.broadcasts.counts(draft)
    pending = await svc.db.fetchone("SELECT COUNT(*) FROM reminders WHERE status IN ('pending', 'sending') "
                                    "AND kind = 'personal'")
    return counts.finished and pending is not None and pending[0] == 0


async def test_a_5xx_storm_loses_no_broadcast_and_no_reminder(
    svc: Services, clock: ManualClock, double: BotApiDouble
) -> None:
    users = list(range(5000, 5300))
    storm_ends = clock.now() + timedelta(seconds=30)
    calls = itertools.count()
    failed: list[int] = []

    def storm(method: str, params: dict[str, Any]) -> str | None:
        if method == "sendMessage" and clock.now() < storm_ends and next(calls) % 10 < 3:
            failed.append(int(params["chat_id"]))
            return "5xx"  # 30% of calls answered 502 for 30 seconds
        return None

    double.fault = storm
    app = build_application(svc, request=DoubleRequest(double))
    app.bot_data[BUDGET_KEY] = SendBudget(5000)  # compressed time: Telegram's 30/s would make this 10 s long
    await start_application(app)
    try:
        draft = await _seed(svc, users)
        await _ride_out(app, svc, clock, lambda: _all_settled(svc, draft))
        counts = await svc.broadcasts.counts(draft)
        assert (counts.sent, counts.failed, counts.unsure) == (300, 0, 0)
        assert all(received(double, u, TEXT) == 1 for u in users), "each recipient has the notice once"
        reminders = [sum("交材料" in m.text for m in double.chat(u)) for u in users]
        assert reminders == [1] * 300, "each due reminder arrived once"
        assert len(failed) > 50, "the storm did hit"
    finally:
        await stop_application(app)


@pytest.fixture
async def over_http(svc: Services, double: BotApiDouble) -> AsyncIterator[Any]:
    """The real Application over real HTTP on 127.0.0.1, with a read time-out short enough to lose answers."""
    async with BotApiHttpServer(double) as server:
        svc.settings.telegram_base_url = server.base_url
        request = AiohttpRequest(connection_pool_size=32, read_timeout=0.3)
        app = build_application(svc, request=request)
        await start_application(app)
        try:
            yield app
        finally:
            await stop_application(app)


async def test_lost_responses_are_sent_again_once_counted_and_never_marked_failed(
    svc: Services, clock: ManualClock, double: BotApiDouble, over_http: Any
) -> None:
    users = list(range(6000, 6020))
    unlucky = set(users[:5])
    lost: set[tuple[int, str]] = set()

    def fault(method: str, params: dict[str, Any]) -> str | None:
        key = (int(params.get("chat_id", 0) or 0), str(params.get("text", ""))[:3])
        if method == "sendMessage" and key[0] in unlucky and key not in lost:
            lost.add(key)  # Telegram delivers, but the answer never reaches the bot in time
            return "lost"
        return None

    double.fault, double.lost_delay = fault, 0.8
    draft = await _seed(svc, users)
    await _ride_out(over_http, svc, clock, lambda: _all_settled(svc, draft))
    counts = await svc.broadcasts.counts(draft)
    assert (counts.sent, counts.failed, counts.unsure) == (20, 0, 5)
    for u in users:
        assert received(double, u, TEXT) == (2 if u in unlucky else 1)
        assert sum("交材料" in m.text for m in double.chat(u)) == (2 if u in unlucky else 1)
    statuses = await svc.reminders.status_counts()
    assert statuses.get("failed", 0) == 0
    await wait_until(lambda: any("可能重复 5" in m.text for m in double.chat(CONTACT)))


async def test_a_full_disk_gives_one_apology_and_recovers(
    svc: Services, double: BotApiDouble, caplog: pytest.LogCaptureFixture
) -> None:
    svc.db.cool_down = 0.05
    chat = ChatHarness(await start_app(svc, double), double)
    try:
        await chat.send(7000, "/start")
        conn = svc.db.conn
        pages = await (await conn.execute("PRAGMA page_count")).fetchone()
        await conn.execute(f"PRAGMA max_page_count = {int(pages[0])}")
        next_id = itertools.count(10**9)
        for batch in (500, 1):  # append users until not one more fits: the last page is full
            while True:
                rows = [(next(next_id),) for _ in range(batch)]
                try:
                    async with svc.db.transaction() as tx:
                        await tx.executemany("INSERT INTO users (id, language, first_seen, last_seen) "
                                             "VALUES (?, 'zh', 0, 0)", rows)
                except StorageUnavailable as exc:
                    assert "full" in str(exc) or "moment ago" in str(exc)
                    await asyncio.sleep(0.06)
                    break
        await asyncio.sleep(0.1)
        with caplog.at_level(logging.INFO):
            for user in range(2 * 10**9, 2 * 10**9 + 3):  # new users: their rows would need a new page
                replies = await chat.send(user, "每年需要多少学分")
                assert len(replies) == 1 and "数据库" in replies[0].text
                await asyncio.sleep(0.06)
            known = await chat.send(7000, "每年需要多少学分")
        assert len(known) == 1 and "90" in known[0].text
        assert len([r for r in caplog.records if "database unavailable" in r.getMessage()]) == 1
        assert not [r for r in caplog.records if r.levelno >= logging.ERROR and r.exc_info]
        await conn.execute("PRAGMA max_page_count = 1073741823")  # space is back
        await asyncio.sleep(0.1)
        replies = await chat.send(2 * 10**9 + 5, "每年需要多少学分")
        assert len(replies) == 1 and "90" in replies[0].text
    finally:
        await stop_application(chat.app)
