"""Restarts and the drain's pacing: stop mid-broadcast and start again on the same database — every member
gets the broadcast exactly once; a crash that leaves one message in flight repeats at most that one; the
drain keeps to one message per second per chat and pauses for RetryAfter; a stale 发送 button still works after a
restart. Pacing runs on the drainer's injected clock (tests/auxil/faketime.py), never the wall clock."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from telegram import Update

from bot.bootstrap import build_services
from bot.domain.clock import ManualClock
from bot.engines.broadcast import Drainer
from bot.engines.delivery import Buttons, RateLimited
from bot.infra.botapi_double import BotApiDouble
from bot.infra.config import Settings
from bot.services import Services
from tests.auxil.faketime import FakeTime
from tests.auxil.harness import ChatHarness
from tests.auxil.units import (
    CONTACT,
    become_contact,
    received,
    start_app,
    stop_app,
    wait_until,
)

MEMBERS = list(range(1000, 1012))
TEXT = "重启也不重复的通知"


async def _world_with_members(chat: ChatHarness) -> None:
    code = await become_contact(chat, CONTACT, "太原某公司")
    for m in MEMBERS:
        await chat.send(m, f"/join {code}")


async def test_restart_mid_broadcast_delivers_each_member_exactly_once(
    unit_settings: Settings, clock: ManualClock
) -> None:
    settings = unit_settings.model_copy(update={"broadcast_rate": 8})
    double = BotApiDouble()
    svc = build_services(settings, clock=clock)
    app = await start_app(svc, double)
    chat = ChatHarness(app, double)
    await _world_with_members(chat)
    await chat.send(CONTACT, "/broadcast")
    await chat.send(CONTACT, TEXT)
    await chat.press(CONTACT, "发送")
    await wait_until(lambda: sum(received(double, m, TEXT) for m in MEMBERS) >= 4)
    await stop_app(app)
    delivered_before = sum(received(double, m, TEXT) for m in MEMBERS)
    assert 4 <= delivered_before < len(MEMBERS), "stopped in the middle"

    svc2 = build_services(settings, clock=clock)  # a new process: new services, same database file
    app2 = await start_app(svc2, double)
    chat2 = ChatHarness(app2, double)
    try:
        await wait_until(lambda: all(received(double, m, TEXT) >= 1 for m in MEMBERS))
        await wait_until(lambda: any(t.startswith("✅") for t in chat2.texts(CONTACT)))
    finally:
        await stop_app(app2)
    assert [received(double, m, TEXT) for m in MEMBERS] == [1] * len(MEMBERS)
    report = next(t for t in chat2.texts(CONTACT) if t.startswith("✅"))
    assert f"已送达 {len(MEMBERS)}" in report


async def test_stale_send_button_still_works_after_a_restart(
    unit_settings: Settings, clock: ManualClock
) -> None:
    double = BotApiDouble()
    app = await start_app(build_services(unit_settings, clock=clock), double)
    chat = ChatHarness(app, double)
    await _world_with_members(chat)
    await chat.send(CONTACT, "/broadcast")
    await chat.send(CONTACT, TEXT)
    await stop_app(app)
    app2 = await start_app(build_services(unit_settings, clock=clock), double)
    chat2 = ChatHarness(app2, double)
    try:
        await chat2.press(CONTACT, "发送")
        await wait_until(lambda: all(received(double, m, TEXT) == 1 for m in MEMBERS))
        await chat2.press(CONTACT, data=chat2.find_button(CONTACT, "取消")[1])
    finally:
        await stop_app(app2)


async def test_a_draft_open_before_a_restart_takes_its_text_from_within_a_crowd(
    unit_settings: Settings, clock: ManualClock
) -> None:
    """After a restart the first texts arrive all at once: the contact's is still their draft's text (shown as
    the preview, not answered as a question) and everybody else's question is answered, once each."""
    double = BotApiDouble()
    app = await start_app(build_services(unit_settings, clock=clock), double)
    chat = ChatHarness(app, double)
    await _world_with_members(chat)
    await chat.send(CONTACT, "/broadcast")
    await stop_app(app)
    app2 = await start_app(build_services(unit_settings, clock=clock), double)
    crowd = list(range(7000, 7040))
    try:
        updates = [double.message_update(u, "每年需要多少学分") for u in crowd[:20]]
        updates += [double.message_update(CONTACT, TEXT)]
        updates += [double.message_update(u, "每年需要多少学分") for u in crowd[20:]]
        for data in updates:
            await app2.update_queue.put(Update.de_json(data, app2.bot))
        await wait_until(lambda: all(double.chat(u) for u in crowd) and TEXT in double.last(CONTACT).text)
    finally:
        await stop_app(app2)
    assert all(len(double.chat(u)) == 1 and "90" in double.chat(u)[0].text for u in crowd)
    preview = double.last(CONTACT)
    assert any("发送" in label for label, _ in preview.buttons), "the contact sees the preview with 发送"


async def _queued(svc: Services, n: int) -> None:
    """``n`` recipients queued directly in the outbox (no chat needed for the drainer's own tests)."""
    await svc.db.open()
    now = svc.clock.now()
    for uid in [CONTACT, *range(5000, 5000 + n)]:
        await svc.users.touch(uid, "zh", now)
    async with svc.db.transaction() as conn:
        await conn.execute(
            "INSERT INTO units (id, name, contact_id, invite_code, created_at) VALUES (1, 'U', ?, 'c', 0)",
            (CONTACT,),
        )
        await conn.executemany(
            "INSERT INTO unit_members (user_id, unit_id, joined_at) VALUES (?, 1, 0)",
            [(u,) for u in range(5000, 5000 + n)],
        )
    draft = await svc.broadcasts.open_draft(CONTACT, "unit", 1, now)
    await svc.broadcasts.set_text(draft, "hi")
    result, count = await svc.broadcasts.queue(
        draft, now, since=0, daily_limit=None, progress_chat_id=CONTACT, progress_message_id=1
    )
    assert (result, count) == ("queued", n)


async def test_a_crash_repeats_at_most_the_in_flight_message(
    unit_settings: Settings, clock: ManualClock
) -> None:
    svc = build_services(unit_settings, clock=clock)
    await _queued(svc, 6)
    got: list[int] = []
    crash = asyncio.Event()

    async def send_then_crash(chat: int, text: str, buttons: Buttons = ()) -> None:
        got.append(chat)
        if len(got) == 3:
            crash.set()
            await asyncio.sleep(3600)  # the process dies while this request is in flight

    first = Drainer(
        svc.broadcasts,
        send_then_crash,
        rate=1000,
        now_ts=lambda: int(clock.now().timestamp()),
        max_in_flight=1,
    )
    await first.start()
    await asyncio.wait_for(crash.wait(), 5)
    assert first._task is not None
    first._task.cancel()  # a kill: no graceful stop, the third row stays in 'sending'
    for t in list(first._sends):
        t.cancel()
    await asyncio.sleep(0)

    async def send(chat: int, text: str, buttons: Buttons = ()) -> None:
        got.append(chat)

    second = Drainer(svc.broadcasts, send, rate=1000, now_ts=lambda: int(clock.now().timestamp()))
    await second.start()
    await wait_until(lambda: len(set(got)) == 6)
    await second.stop()
    repeats = [c for c in set(got) if got.count(c) > 1]
    assert len(repeats) == 1 and got.count(repeats[0]) == 2, "only the one in-flight message repeats"
    await svc.db.close()


async def test_one_message_per_second_per_chat(unit_settings: Settings, clock: ManualClock) -> None:
    """Two broadcasts to the same chat: the second message waits a second on the drainer's clock."""
    svc = build_services(unit_settings, clock=clock)
    await _queued(svc, 3)
    fake = FakeTime()
    stamps: list[tuple[int, float]] = []

    async def send(chat: int, text: str, buttons: Buttons = ()) -> None:
        stamps.append((chat, fake.now))

    async with svc.db.transaction() as conn:
        await conn.execute(
            "INSERT INTO broadcasts (id, sender_id, scope, status, text, created_at) "
            "VALUES (100, ?, 'all', 'queued', 'x', 0)", (CONTACT,)
        )
        await conn.execute("INSERT INTO outbox (broadcast_id, user_id, updated_at) VALUES (100, 5000, 0)")
    drainer = Drainer(svc.broadcasts, send, rate=1000, now_ts=lambda: int(clock.now().timestamp()),
                      monotonic=fake.monotonic, sleep=fake.sleep)
    await drainer.start()
    await wait_until(lambda: len(stamps) == 4)
    await drainer.stop()
    to_5000 = [t for chat, t in stamps if chat == 5000]
    assert len(to_5000) == 2 and to_5000[1] - to_5000[0] >= 1.0
    others = [t for chat, t in stamps if chat != 5000]
    assert max(others) < 1.0, "other chats did not wait for the busy one"
    await svc.db.close()


async def test_retry_after_pauses_the_whole_drain_for_exactly_that_long(
    unit_settings: Settings, clock: ManualClock
) -> None:
    svc = build_services(unit_settings, clock=clock)
    await _queued(svc, 5)
    fake = FakeTime()
    sent: list[int] = []
    told = False
    drainer: Drainer

    async def send(chat: int, text: str, buttons: Buttons = ()) -> None:
        nonlocal told
        assert not drainer.pacer.paused, "nothing is sent while Telegram's RetryAfter lasts"
        if not told:
            told = True
            raise RateLimited(7)
        sent.append(chat)

    drainer = Drainer(svc.broadcasts, send, rate=1000, now_ts=lambda: int(clock.now().timestamp()),
                      max_in_flight=1, monotonic=fake.monotonic, sleep=fake.sleep)
    await drainer.start()
    await wait_until(lambda: len(sent) == 4)
    assert 7 in fake.sleeps, "the pause lasted what Telegram asked"
    assert 5000 not in sent, "the throttled row is parked until its time"
    clock.advance(timedelta(seconds=8))
    drainer.wake()
    await wait_until(lambda: len(sent) == 5, timeout=3)
    await drainer.stop()
    await svc.db.close()
