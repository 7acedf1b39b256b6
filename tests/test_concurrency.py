"""A crowd through Telegram's latency: chats run concurrently, one chat's updates in order, floods dropped."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from datetime import timedelta
from typing import Any

import pytest
from telegram import Update

from bot.infra.botapi_double import BotApiDouble
from bot.services import Services
from handlers.common import BUDGET_KEY
from tests.auxil.harness import ChatHarness


async def _queue(chat: ChatHarness, data: dict[str, Any]) -> None:
    """Hand an update to the Application the way polling does, so it goes through the update processor."""
    await chat.app.update_queue.put(Update.de_json(data, chat.app.bot))


async def _until(condition, limit: float = 20.0) -> None:  # type: ignore[no-untyped-def]
    """Wait for the bot to get there (a bound, not a measurement)."""
    for _ in range(int(limit / 0.01)):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the bot did not get there in time")


async def test_chats_are_answered_concurrently_and_each_chat_in_order(
    chat: ChatHarness, double: BotApiDouble
) -> None:
    double.latency = 0.02
    users = range(500, 520)
    for user in users:
        for text in ("/help", "/lang", "/start"):
            await _queue(chat, double.message_update(user, text))
    await _until(lambda: all(len(double.chat(u)) >= 3 for u in users))
    assert double.most_in_flight > 1  # different chats at once
    assert double.most_in_flight_per_chat == 1  # never two calls for one chat at once
    help_text, lang_text = chat.texts(500)[0], chat.texts(500)[1]
    for user in users:  # each chat answered in the order it asked
        texts = chat.texts(user)
        assert texts[0] == help_text and texts[1] == lang_text and "/help" in texts[2]


async def test_a_flood_gets_one_slow_down_notice_and_others_are_still_answered(
    chat: ChatHarness, double: BotApiDouble
) -> None:
    double.latency = 0.2  # the first answer is still on its way while the other 39 arrive
    for _ in range(40):
        await _queue(chat, double.message_update(700, "每年需要多少学分"))
    for user in range(701, 706):
        await _queue(chat, double.message_update(user, "每年需要多少学分"))
    await _until(lambda: all(double.chat(u) for u in range(701, 706)))
    await _until(lambda: len(double.chat(700)) >= 12)
    await asyncio.sleep(0.5)  # nothing more is on its way for the flooder
    flooder = chat.texts(700)
    notices = [t for t in flooder if "慢一点" in t]
    assert len(notices) == 1
    assert len(flooder) == 12  # the one in hand and the 10 queued behind it answered, one notice; 29 dropped
    processor = chat.app.update_processor
    assert processor.dropped == 29  # type: ignore[attr-defined]


async def test_someone_who_waits_for_each_answer_is_never_throttled(chat: ChatHarness, double: BotApiDouble) -> None:
    for n in range(1, 31):  # each sent as soon as the last is answered: a quick typist, or a scripted scenario
        await _queue(chat, double.message_update(710, "每年需要多少学分"))
        await _until(lambda n=n: len(double.chat(710)) >= n)  # type: ignore[misc]
    texts = chat.texts(710)
    assert len(texts) == 30 and not any("慢一点" in t for t in texts)


async def test_a_known_user_is_recorded_once_within_minutes(chat: ChatHarness, services: Services, clock) -> None:  # type: ignore[no-untyped-def]
    await chat.send(800, "/start")
    first = await services.users.get(800)
    assert first is not None
    clock.advance(timedelta(minutes=2))
    await chat.send(800, "/help")
    assert (await services.users.get(800)).last_seen == first.last_seen  # type: ignore[union-attr]
    clock.advance(timedelta(minutes=4))
    await chat.send(800, "/help")
    assert (await services.users.get(800)).last_seen > first.last_seen  # type: ignore[union-attr]


@pytest.fixture
def locked_db(services: Services):  # type: ignore[no-untyped-def]
    """Another process holds the database: BEGIN EXCLUSIVE on a second connection (requested before ``chat``,
    so the bot opens its database with the short busy timeout set here)."""
    services.db.busy_timeout_ms = 100
    services.db.cool_down = 0.05
    holder = sqlite3.connect(services.db.path, isolation_level=None, timeout=0.1)

    class Lock:
        def hold(self) -> None:
            holder.execute("BEGIN EXCLUSIVE")

        def release(self) -> None:
            holder.execute("COMMIT")

    yield Lock()
    if holder.in_transaction:
        holder.execute("COMMIT")
    holder.close()


async def test_a_locked_database_gives_one_apology_and_spares_known_users(
    locked_db, chat: ChatHarness, double: BotApiDouble, caplog  # type: ignore[no-untyped-def]
) -> None:
    await chat.send(900, "/start")
    locked_db.hold()
    with caplog.at_level(logging.INFO):
        for i in range(5):
            replies = await chat.send(901 + i, "每年需要多少学分")  # new users: their row cannot be written
            assert len(replies) == 1 and "数据库" in replies[0].text
        known = await chat.send(900, "每年需要多少学分")  # a known user's question needs no write
    assert len(known) == 1 and "90" in known[0].text
    lines = [r for r in caplog.records if "database unavailable" in r.getMessage()]
    assert len(lines) == 1 and not any(r.exc_info for r in lines)  # once a minute, no traceback
    locked_db.release()
    await asyncio.sleep(0.1)  # past the database's cool-down after a failed write (shortened here)
    replies = await chat.send(950, "每年需要多少学分")
    assert len(replies) == 1 and "90" in replies[0].text  # recovered by itself


async def test_the_same_question_within_a_minute_is_answered_alike_and_the_next_minute_afresh(
    services: Services, clock
) -> None:  # type: ignore[no-untyped-def]
    responder = services.responder
    first = responder.respond("每年需要多少学分", "zh")
    assert responder.respond("每年需要多少学分", "zh") is first  # served from memory
    clock.advance(timedelta(minutes=1))
    again = responder.respond("每年需要多少学分", "zh")
    assert again is not first and again.text == first.text  # made afresh for the new minute


async def test_a_reply_that_meets_retry_after_is_sent_after_the_wait(
    chat: ChatHarness, double: BotApiDouble
) -> None:
    double.retry_after[960] = 1  # Telegram: too many requests, retry after 1 s (served once)
    replies = await chat.send(960, "每年需要多少学分")
    assert len(replies) == 1 and "90" in replies[0].text  # not dropped: sent again after the wait
    sends = [p for m, p in double.calls if m == "sendMessage" and int(p["chat_id"]) == 960]
    assert len(sends) == 2  # the refused call and the one after the wait
    budget = chat.app.bot_data[BUDGET_KEY]
    await asyncio.sleep(0.1)
    assert budget.paused is False  # the pause it put on broadcasts ends with the wait
