"""The dispatcher against a real SQLite file and an injected ``send``: what each user receives, and when.

Time moves with the ManualClock; nothing sleeps.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime, timedelta

import pytest

from bot.answers.reply import Button
from bot.domain.clock import SHANGHAI, ManualClock
from bot.domain.credits import YearTotals
from bot.engines.delivery import Blocked, RateLimited
from bot.engines.dispatch import Dispatcher
from bot.services import Services

A, B, C = 101, 102, 103


class Outbox:
    """An injected ``send`` that records messages and can fail for chosen chats."""

    def __init__(self) -> None:
        self.sent: list[tuple[int, str, tuple[tuple[Button, ...], ...]]] = []
        self.blocked: set[int] = set()
        self.rate_limit_once: dict[int, float] = {}

    async def __call__(self, chat_id: int, text: str, buttons: tuple[tuple[Button, ...], ...]) -> None:
        if chat_id in self.blocked:
            raise Blocked("blocked")
        if chat_id in self.rate_limit_once:
            raise RateLimited(self.rate_limit_once.pop(chat_id))
        self.sent.append((chat_id, text, buttons))

    def to(self, chat_id: int) -> list[str]:
        return [text for c, text, _ in self.sent if c == chat_id]


@pytest.fixture
async def svc(services: Services) -> AsyncIterator[Services]:
    await services.db.open()
    try:
        yield services
    finally:
        await services.db.close()


async def subscribe(svc: Services, *users: int, remind_at: int | None = None) -> None:
    for uid in users:
        await svc.users.touch(uid, "zh", svc.clock.now())
        await svc.reminders.update_settings(uid, svc.clock.now(), enabled=True, remind_at=remind_at)


def at(clock: ManualClock, *args: int) -> datetime:
    when = datetime(*args, tzinfo=SHANGHAI)  # type: ignore[misc]
    clock.set(when)
    return when


async def test_deadline_reminder_carries_each_users_own_shortfall_and_skips_the_done(
    svc: Services, clock: ManualClock
) -> None:
    outbox = Outbox()
    await subscribe(svc, A, B, C)
    now = clock.now()
    await svc.credits.set_totals(A, YearTotals(2026, 40, 10), now)  # short: 40 more, 20 professional
    await svc.credits.set_totals(B, YearTotals(2026, 70, 30), now)  # met
    dispatcher = Dispatcher(svc, outbox)
    await dispatcher.tick()  # registers the campaigns on 27 Nov
    at(clock, 2026, 12, 1, 8, 59)
    await dispatcher.tick()
    assert outbox.sent == []  # expanded at midnight, due at each user's 09:00
    at(clock, 2026, 12, 1, 9, 0)
    await dispatcher.tick()
    [a_text] = outbox.to(A)
    assert "还剩31天（含今天）" in a_text and "2026年12月31日" in a_text  # counted as /credits counts
    assert "还差至少40学分" in a_text and "专业科目至少20" in a_text
    assert outbox.to(B) == []  # met: not bothered
    [c_text] = outbox.to(C)
    assert "还没有记录2026年的学分" in c_text  # unknown gets the requirement instead
    clock.advance(timedelta(minutes=5))
    await dispatcher.tick()
    assert len(outbox.sent) == 2  # nothing twice


async def test_makeup_window_reminders_only_for_recorded_or_unknown_gaps(
    svc: Services, clock: ManualClock
) -> None:
    outbox = Outbox()
    at(clock, 2026, 3, 31, 12, 0)
    await subscribe(svc, A, B, C)
    now = clock.now()
    await svc.credits.set_totals(A, YearTotals(2024, 60, 30), now)
    await svc.credits.set_totals(A, YearTotals(2025, 60, 30), now)  # nothing to make up
    await svc.credits.set_totals(B, YearTotals(2024, 60, 30), now)
    await svc.credits.set_totals(B, YearTotals(2025, 20, 0), now)  # 2025 gap
    await svc.credits.set_totals(C, YearTotals(2026, 90, 0), now)  # met 2026 (pro short), 2024/25 unknown
    dispatcher = Dispatcher(svc, outbox)
    await dispatcher.tick()
    at(clock, 2026, 4, 1, 9, 0)
    await dispatcher.tick()
    assert not any("补学" in text for text in outbox.to(A))
    assert any("补学从今天" in text and "2025" in text for text in outbox.to(B))
    assert any("补学从今天" in text for text in outbox.to(C))
    assert any("网络继续教育从今天" in text for text in outbox.to(A))  # online study opens for everyone short


async def test_quiet_hours_hold_a_built_in_reminder_until_they_end(svc: Services, clock: ManualClock) -> None:
    outbox = Outbox()
    await subscribe(svc, A, remind_at=23 * 60)  # prefers 23:00, quiet 22:00–08:00 by default
    dispatcher = Dispatcher(svc, outbox)
    await dispatcher.tick()
    at(clock, 2026, 12, 1, 23, 0)
    stats = await dispatcher.tick()
    assert stats.deferred == 1 and outbox.sent == []
    at(clock, 2026, 12, 2, 7, 59)
    await dispatcher.tick()
    assert outbox.sent == []
    at(clock, 2026, 12, 2, 8, 0)
    await dispatcher.tick()
    assert len(outbox.to(A)) == 1 and "30天" in outbox.to(A)[0]


async def test_personal_reminder_fires_at_the_confirmed_time_even_in_quiet_hours(
    svc: Services, clock: ManualClock
) -> None:
    outbox = Outbox()
    await subscribe(svc, A)
    due = datetime(2026, 11, 27, 23, 0, tzinfo=SHANGHAI)
    rid = await svc.reminders.create(A, "personal", "吃药", due, clock.now(), status="pending")
    dispatcher = Dispatcher(svc, outbox)
    at(clock, 2026, 11, 27, 23, 0)
    await dispatcher.tick()
    [(chat, text, buttons)] = outbox.sent
    assert chat == A and "吃药" in text
    datas = [b.data for row in buttons for b in row]
    assert f"rm:done:{rid}" in datas and f"rm:snooze:{rid}:tm" in datas


async def test_downtime_within_grace_delivers_late_beyond_it_summarizes_once(
    svc: Services, clock: ManualClock
) -> None:
    outbox = Outbox()
    await subscribe(svc, A)
    now = clock.now()
    await svc.reminders.create(A, "personal", "早的", now + timedelta(hours=1), now, status="pending")
    await svc.reminders.create(A, "personal", "晚的", now + timedelta(hours=20), now, status="pending")
    clock.advance(timedelta(hours=22))  # the bot was down: one is 21 h late, the other 2 h
    dispatcher = Dispatcher(svc, outbox)
    await dispatcher.tick()
    texts = outbox.to(A)
    assert any("晚的" in t and "提醒" in t for t in texts)  # within 12 h grace: delivered late
    [summary] = [t for t in texts if "没能按时送达" in t]
    assert "早的" in summary and "1条" in summary
    for _ in range(3):
        clock.advance(timedelta(minutes=10))
        await dispatcher.tick()
        await Dispatcher(svc, outbox).tick()  # even another start
    assert len(outbox.to(A)) == 2


async def test_forbidden_marks_the_user_inactive_and_stops(svc: Services, clock: ManualClock) -> None:
    outbox = Outbox()
    await subscribe(svc, A, B)
    now = clock.now()
    for i in range(3):
        await svc.reminders.create(
            A, "personal", f"A{i}", now + timedelta(minutes=1 + i), now, status="pending"
        )
    await svc.reminders.create(B, "personal", "B0", now + timedelta(minutes=1), now, status="pending")
    outbox.blocked.add(A)
    dispatcher = Dispatcher(svc, outbox)
    clock.advance(timedelta(minutes=1))
    stats = await dispatcher.tick()
    assert stats.blocked == 1
    user = await svc.users.get(A)
    assert user is not None and not user.active
    clock.advance(timedelta(minutes=5))
    await dispatcher.tick()
    assert outbox.to(B) == ["⏰ 提醒：B0"]
    assert outbox.to(A) == []
    counts = await svc.reminders.status_counts(A)
    assert counts.get("pending", 0) == 0 and counts.get("sending", 0) == 0


async def test_retry_after_is_honoured_then_delivered_once(svc: Services, clock: ManualClock) -> None:
    outbox = Outbox()
    await subscribe(svc, A, B)
    now = clock.now()
    await svc.reminders.create(A, "personal", "first", now, now, status="pending")
    await svc.reminders.create(B, "personal", "second", now, now, status="pending")
    outbox.rate_limit_once[A] = 30
    dispatcher = Dispatcher(svc, outbox)
    stats = await dispatcher.tick()
    assert stats.retried == 1 and outbox.sent == []  # B waits too: the whole bot backs off
    clock.advance(timedelta(seconds=10))
    await dispatcher.tick()
    assert outbox.sent == []
    clock.advance(timedelta(seconds=21))
    await dispatcher.tick()
    assert sorted(c for c, _, _ in outbox.sent) == [A, B]
    clock.advance(timedelta(minutes=1))
    await dispatcher.tick()
    assert len(outbox.sent) == 2


async def test_a_crash_after_claiming_repeats_only_the_in_flight_batch(
    svc: Services, clock: ManualClock
) -> None:
    outbox = Outbox()
    await subscribe(svc, A)
    now = clock.now()
    for i in range(5):
        await svc.reminders.create(A, "personal", f"r{i}", now, now, status="pending")
    claimed = await svc.reminders.claim_due(int(now.timestamp()), 2, "dead-process")  # then "crash"
    assert len(claimed) == 2
    await Dispatcher(svc, outbox).tick()  # the next start
    assert sorted(outbox.to(A)) == sorted(f"⏰ 提醒：r{i}" for i in range(5))


async def test_turning_reminders_off_stops_built_ins(svc: Services, clock: ManualClock) -> None:
    outbox = Outbox()
    await subscribe(svc, A)
    dispatcher = Dispatcher(svc, outbox)
    await dispatcher.tick()
    at(clock, 2026, 12, 1, 0, 30)
    await dispatcher.tick()  # expanded
    await svc.reminders.update_settings(A, clock.now(), enabled=False)
    at(clock, 2026, 12, 1, 9, 0)
    await dispatcher.tick()
    assert outbox.sent == []


async def test_subscribing_on_a_campaign_day_still_gets_todays_reminder(
    svc: Services, clock: ManualClock
) -> None:
    outbox = Outbox()
    dispatcher = Dispatcher(svc, outbox)
    await dispatcher.tick()
    at(clock, 2026, 12, 1, 7, 0)
    await dispatcher.tick()  # campaign expanded with nobody subscribed
    await subscribe(svc, A)
    at(clock, 2026, 12, 1, 9, 0)
    await dispatcher.tick()
    assert len(outbox.to(A)) == 1


async def test_institution_staff_get_the_plan_reminder_others_do_not(
    svc: Services, clock: ManualClock
) -> None:
    outbox = Outbox()
    await subscribe(svc, A, B)
    await svc.profiles.set_institution(A, True, clock.now())
    for who in (A, B):
        await svc.credits.set_totals(who, YearTotals(2026, 70, 30), clock.now())
    dispatcher = Dispatcher(svc, outbox)
    await dispatcher.tick()
    at(clock, 2026, 12, 15, 9, 0)
    await dispatcher.tick()
    assert any("培训计划" in t and "12月15日" in t for t in outbox.to(A))
    assert not any("培训计划" in t for t in outbox.to(B))


async def test_forget_removes_every_reminder_row(svc: Services, clock: ManualClock) -> None:
    await subscribe(svc, A)
    now = clock.now()
    await svc.reminders.create(A, "personal", "x", now + timedelta(hours=1), now, status="pending")
    await svc.users.delete(A)
    assert await svc.reminders.status_counts(A) == {}
    assert not (await svc.reminders.get_settings(A)).stored


async def test_after_downtime_across_the_deadline_nobody_gets_stale_deadline_reminders(
    svc: Services, clock: ManualClock
) -> None:
    """Down from 27 Dec to 2 Jan: the 3/1/0-day reminders are about a day gone; the summary leaves them out,
    and the one after-deadline note goes only to the user who had not met 2026."""
    outbox = Outbox()
    await subscribe(svc, A, B)
    await svc.credits.set_totals(B, YearTotals(2026, 60, 30), clock.now())  # met
    dispatcher = Dispatcher(svc, outbox)
    at(clock, 2026, 12, 27, 9, 0)
    await dispatcher.tick()
    await dispatcher.tick()
    at(clock, 2027, 1, 2, 9, 0)  # back after six days
    await Dispatcher(svc, outbox).tick()
    texts_a, texts_b = outbox.to(A), outbox.to(B)
    assert not any("没能按时送达" in t for t in texts_a + texts_b)  # nothing still concerns them
    assert [t for t in texts_a if "已于2026年12月31日截止" in t]  # the after-deadline note, late but once
    assert not [t for t in texts_b if "已于2026年12月31日截止" in t]


@pytest.mark.parametrize(("remind_at", "quiet", "expected"), [
    (9 * 60, (22 * 60, 8 * 60), 9 * 60),          # outside quiet hours: as chosen
    (23 * 60, (22 * 60, 8 * 60), 21 * 60 + 45),   # evening part: before the quiet hours begin, same day
    (7 * 60, (22 * 60, 8 * 60), 8 * 60),          # early-morning part: when they end, same day
    (13 * 60, (12 * 60, 14 * 60), 11 * 60 + 45),  # a daytime window
])
def test_delivery_minute_never_leaves_the_day(remind_at: int, quiet: tuple[int, int], expected: int) -> None:
    from bot.domain.reminders import QuietHours, delivery_minute

    assert delivery_minute(remind_at, QuietHours(*quiet)) == expected


class SlowOutbox(Outbox):
    """Each call takes Telegram's time; records how many were in flight at once, overall and per chat."""

    def __init__(self) -> None:
        super().__init__()
        self.in_flight: dict[int, int] = {}
        self.most_at_once = 0
        self.most_per_chat = 0

    async def __call__(self, chat_id: int, text: str, buttons: tuple[tuple[Button, ...], ...]) -> None:
        self.in_flight[chat_id] = self.in_flight.get(chat_id, 0) + 1
        self.most_at_once = max(self.most_at_once, sum(self.in_flight.values()))
        self.most_per_chat = max(self.most_per_chat, self.in_flight[chat_id])
        try:
            await asyncio.sleep(0.01)
            await super().__call__(chat_id, text, buttons)
        finally:
            self.in_flight[chat_id] -= 1


async def test_a_wave_goes_to_different_people_at_once_and_to_each_person_in_order(
    svc: Services, clock: ManualClock
) -> None:
    now = clock.now()
    people = range(300, 340)
    for uid in people:
        await svc.users.touch(uid, "zh", now)
        await svc.reminders.create(uid, "personal", "第一条", now + timedelta(minutes=1), now, status="pending")
        await svc.reminders.create(uid, "personal", "第二条", now + timedelta(minutes=2), now, status="pending")
    outbox = SlowOutbox()
    at(clock, 2026, 11, 27, 10, 5)
    await Dispatcher(svc, outbox, concurrency=8).tick()
    assert len(outbox.sent) == 80  # nothing lost
    assert 1 < outbox.most_at_once <= 8  # people are sent to at once, within the bound
    assert outbox.most_per_chat == 1  # never two calls to one chat at once
    for uid in people:
        first, second = outbox.to(uid)
        assert "第一条" in first and "第二条" in second
