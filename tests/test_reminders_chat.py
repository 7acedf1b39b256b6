"""Reminders as a user meets them, through the real Application and the Bot API double.

The dispatcher pass is driven by hand (``tick``) after moving the ManualClock; the real repeating job also
runs, but against the same dispatcher and lock, so nothing can be sent twice either way.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from telegram.ext import Application

from bot.app import build_application, start_application, stop_application
from bot.domain.clock import ManualClock
from bot.domain.credits import YearTotals
from bot.infra.botapi_double import BotApiDouble, DoubleRequest
from bot.services import Services
from handlers.reminders import DISPATCHER_KEY
from tests.auxil.harness import ChatHarness

USER = 5151
OTHER = 5252


async def _start(services: Services, double: BotApiDouble) -> Application:  # type: ignore[type-arg]
    app = build_application(services, request=DoubleRequest(double))
    await start_application(app)
    return app


async def _stop(app: Application) -> None:  # type: ignore[type-arg]
    await stop_application(app)


@pytest.fixture
async def rchat(services: Services, double: BotApiDouble) -> AsyncIterator[ChatHarness]:
    app = await _start(services, double)
    try:
        yield ChatHarness(app, double)
    finally:
        await _stop(app)


async def tick(chat: ChatHarness) -> None:
    await chat.app.bot_data[DISPATCHER_KEY].tick(wait=True)


def delivered(chat: ChatHarness, user: int, needle: str) -> list[str]:
    return [t for t in chat.texts(user) if t.startswith("⏰") and needle in t]


async def test_remind_echoes_confirms_lists_and_delivers_once(rchat: ChatHarness, clock: ManualClock) -> None:
    [echo] = await rchat.send(USER, "/remind 1分钟后 测试提醒")
    assert "2026年11月27日" in echo.text and "10:01" in echo.text and "测试提醒" in echo.text
    assert [label for label, _ in echo.buttons] == ["确认", "取消"]
    await tick(rchat)
    clock.advance(timedelta(minutes=2))
    await tick(rchat)
    assert delivered(rchat, USER, "测试提醒") == []  # an unconfirmed draft never fires
    clock.advance(timedelta(minutes=-2))

    [saved] = await rchat.press(USER, "确认")
    assert "已保存" in saved.text
    [listing] = await rchat.send(USER, "/reminders")
    assert "测试提醒" in listing.text and "10:01" in listing.text
    assert any("取消" in label for label, _ in listing.buttons)

    clock.advance(timedelta(seconds=59))
    await tick(rchat)
    assert delivered(rchat, USER, "测试提醒") == []
    clock.advance(timedelta(seconds=1))
    await tick(rchat)
    await tick(rchat)
    [arrived] = [m for m in rchat.double.chat(USER) if m.text == "⏰ 提醒：测试提醒"]
    labels = [label for label, _ in arrived.buttons]
    assert "✅ 完成" in labels and "1小时后" in labels and "明天09:00" in labels and "3天后" in labels
    [listing] = await rchat.send(USER, "/reminders")
    assert "测试提醒" not in listing.text


async def test_free_text_reminder_with_the_time_in_the_middle(rchat: ChatHarness) -> None:
    [echo] = await rchat.send(USER, "12月20日上午9点提醒我去会计之星选课")
    assert "2026年12月20日" in echo.text and "09:00" in echo.text and "去会计之星选课" in echo.text


async def test_unparseable_time_is_refused_with_an_example(rchat: ChatHarness) -> None:
    [reply] = await rchat.send(USER, "/remind 找个时间 去选课")
    assert "/remind 12月20日上午9点" in reply.text
    assert reply.buttons == []


async def test_cancel_on_the_echo_saves_nothing(rchat: ChatHarness, clock: ManualClock) -> None:
    await rchat.send(USER, "/remind 1分钟后 不要了")
    [cancelled] = await rchat.press(USER, "取消")
    assert "已取消" in cancelled.text
    clock.advance(timedelta(minutes=5))
    await tick(rchat)
    assert delivered(rchat, USER, "不要了") == []


async def test_cancel_from_the_list(rchat: ChatHarness, clock: ManualClock) -> None:
    await rchat.send(USER, "/remind 明天上午10点 交材料")
    await rchat.press(USER, "确认")
    await rchat.send(USER, "/reminders")
    [listing] = await rchat.press(USER, "取消第1条")
    assert "交材料" not in listing.text
    clock.advance(timedelta(days=2))
    await tick(rchat)
    assert delivered(rchat, USER, "交材料") == []


async def test_snooze_and_done(rchat: ChatHarness, clock: ManualClock) -> None:
    await rchat.send(USER, "/remind 10分钟后 打电话")
    await rchat.press(USER, "确认")
    clock.advance(timedelta(minutes=10))
    await tick(rchat)
    [snoozed] = await rchat.press(USER, "1小时后")
    assert "11:10" in snoozed.text
    clock.advance(timedelta(minutes=59))
    await tick(rchat)
    assert len(delivered(rchat, USER, "打电话")) == 1
    clock.advance(timedelta(minutes=1))
    await tick(rchat)
    assert len(delivered(rchat, USER, "打电话")) == 2  # the first was edited to say when it comes back
    rid = rchat.find_button(USER, "完成")[1].split(":")[2]
    [done] = await rchat.press(USER, "完成")
    assert "已完成" in done.text and done.buttons == []
    # pressing snooze on the (already handled) reminder again is stale and changes nothing
    first = next(m for m in rchat.double.chat(USER) if "再提醒" in m.text)
    await rchat.press(USER, data=f"rm:snooze:{rid}:3d", message=first)
    assert "已失效" in (rchat.last_answer(USER) or "")
    clock.advance(timedelta(days=4))
    await tick(rchat)
    assert len([t for t in rchat.texts(USER) if "打电话" in t]) == 3  # saved, snoozed, done: no 3rd delivery


async def test_forged_and_foreign_buttons_change_nothing(rchat: ChatHarness, clock: ManualClock) -> None:
    await rchat.send(USER, "/remind 1分钟后 我的事")
    _, data = rchat.find_button(USER, "确认")
    rid = data.split(":")[2]
    await rchat.send(OTHER, "/start")
    other_msg = rchat.double.last(OTHER)
    for forged in (
        f"rm:ok:{rid}",
        f"rm:cancel:{rid}",
        f"rm:done:{rid}",
        f"rm:snooze:{rid}:1h",
        "rm:ok:abc",
        "rm:ok:999999",
        f"rm:snooze:{rid}:99y",
        "set:time:0315",
        "set:quiet:x",
    ):
        await rchat.press(OTHER, data=forged, message=other_msg)
        assert "已失效" in (rchat.last_answer(OTHER) or ""), forged
    await rchat.press(USER, "确认")  # still the owner's to confirm
    clock.advance(timedelta(minutes=1))
    await tick(rchat)
    assert len(delivered(rchat, USER, "我的事")) == 1
    assert delivered(rchat, OTHER, "我的事") == []


async def test_start_offers_one_tap_reminders_and_settings_work(
    rchat: ChatHarness, services: Services, clock: ManualClock
) -> None:
    [welcome] = await rchat.send(USER, "/start")
    assert any("开启提醒" in label for label, _ in welcome.buttons)
    await rchat.press(USER, "开启提醒")
    assert "已开启" in (rchat.last_answer(USER) or "")
    assert (await services.reminders.get_settings(USER)).enabled
    [welcome] = await rchat.send(USER, "/start")
    assert not any("开启提醒" in label for label, _ in welcome.buttons)

    [panel] = await rchat.send(USER, "/settings")
    assert "已开启" in panel.text and "09:00" in panel.text and "22:00–08:00" in panel.text
    await rchat.press(USER, "提醒时间")
    [panel] = await rchat.press(USER, "08:00")
    assert "每天08:00" in panel.text
    [panel] = await rchat.send(USER, "/settings 免打扰 23:00-07:00")
    assert "23:00–07:00" in panel.text
    [bad] = await rchat.send(USER, "/settings 时间 25:00")
    assert "没看懂" in bad.text
    await rchat.press(USER, data="set:off", message=panel)
    assert not (await services.reminders.get_settings(USER)).enabled


async def test_built_in_deadline_reminder_reaches_a_subscriber_with_the_shortfall(
    rchat: ChatHarness, services: Services, clock: ManualClock
) -> None:
    await rchat.send(USER, "/start")
    await rchat.press(USER, "开启提醒")
    await services.credits.set_totals(USER, YearTotals(2026, 50, 20), clock.now())
    await tick(rchat)
    clock.set(clock.now().replace(month=12, day=1, hour=9, minute=0))
    await tick(rchat)
    [text] = delivered(rchat, USER, "30天")
    assert "还差至少20学分" in text and "专业科目至少10" in text


async def test_restart_with_pending_reminders_delivers_each_exactly_once(
    services: Services, double: BotApiDouble, clock: ManualClock
) -> None:
    app = await _start(services, double)
    chat = ChatHarness(app, double)
    await chat.send(USER, "/remind 30分钟后 第一件")
    await chat.press(USER, "确认")
    await chat.send(USER, "/remind 2小时后 第二件")
    await chat.press(USER, "确认")
    await chat.send(USER, "/remind 3天后 以后的事")
    await chat.press(USER, "确认")
    await chat.send(USER, "/remind 1小时后 还没确认")  # a draft: confirmed after the restart
    await _stop(app)

    clock.advance(timedelta(hours=3))  # down while two fell due (within the 12 h grace)
    app = await _start(services, double)
    chat = ChatHarness(app, double)
    try:
        await tick(chat)
        await tick(chat)
        assert len(delivered(chat, USER, "第一件")) == 1
        assert len(delivered(chat, USER, "第二件")) == 1
        assert delivered(chat, USER, "以后的事") == []
        [expired] = await chat.press(USER, "确认")  # the draft survived; its time is gone
        assert "已经过去" in expired.text
        clock.advance(timedelta(days=3))
        await tick(chat)
        await tick(chat)
        assert len(delivered(chat, USER, "以后的事")) == 1
        assert len(delivered(chat, USER, "第一件")) == 1
    finally:
        await _stop(app)


async def test_restart_after_a_long_outage_summarizes_missed_once(
    services: Services, double: BotApiDouble, clock: ManualClock
) -> None:
    app = await _start(services, double)
    chat = ChatHarness(app, double)
    await chat.send(USER, "/remind 1小时后 很早的事")
    await chat.press(USER, "确认")
    await _stop(app)
    clock.advance(timedelta(hours=23))  # 09:00 next day: 22 h late, beyond the 12 h grace
    for _ in range(2):
        app = await _start(services, double)
        chat = ChatHarness(app, double)
        await tick(chat)
        await tick(chat)
        await _stop(app)
    summaries = [t for t in chat.texts(USER) if "没能按时送达" in t]
    assert len(summaries) == 1 and "很早的事" in summaries[0]
    assert delivered(chat, USER, "很早的事") == []


async def test_blocked_user_is_marked_inactive_through_telegram_forbidden(
    rchat: ChatHarness, services: Services, clock: ManualClock
) -> None:
    await rchat.send(USER, "/remind 1分钟后 a")
    await rchat.press(USER, "确认")
    await rchat.send(USER, "/remind 2分钟后 b")
    await rchat.press(USER, "确认")
    rchat.double.forbidden_chats.add(USER)
    clock.advance(timedelta(minutes=1))
    await tick(rchat)
    user = await services.users.get(USER)
    assert user is not None and not user.active
    calls = len([c for c in rchat.double.calls if c[0] == "sendMessage"])
    clock.advance(timedelta(minutes=5))
    await tick(rchat)
    assert len([c for c in rchat.double.calls if c[0] == "sendMessage"]) == calls  # stopped


async def test_retry_after_from_telegram_delays_then_delivers(rchat: ChatHarness, clock: ManualClock) -> None:
    await rchat.send(USER, "/remind 1分钟后 限流")
    await rchat.press(USER, "确认")
    rchat.double.retry_after[USER] = 20
    clock.advance(timedelta(minutes=1))
    await tick(rchat)
    assert delivered(rchat, USER, "限流") == []
    clock.advance(timedelta(seconds=21))
    await tick(rchat)
    assert len(delivered(rchat, USER, "限流")) == 1


async def test_institution_face_to_face_report_due_date_counts_tiaoxiu(
    rchat: ChatHarness, clock: ManualClock
) -> None:
    clock.set(clock.now().replace(month=9, day=25, hour=18))
    [refused] = await rchat.send(USER, "/f2f 9月25日 管理会计面授班")
    assert "培训机构" in refused.text
    await rchat.press(USER, "我是培训机构人员")
    [recorded] = await rchat.send(USER, "/f2f 9月25日 管理会计面授班")
    assert "2026年10月15日" in recorded.text and "10个工作日" in recorded.text
    clock.set(clock.now().replace(month=10, day=12, hour=9, minute=0))
    await tick(rchat)
    [reminder] = delivered(rchat, USER, "管理会计面授班")
    assert "2026年10月15日" in reminder
    [listing] = await rchat.send(USER, "/reminders")
    assert "管理会计面授班" in listing.text  # the due-day reminder is still ahead


async def test_english_user_gets_english_reminders(rchat: ChatHarness, clock: ManualClock) -> None:
    [echo] = await rchat.send(USER, "/remind in 5 minutes call the office", lang="en-US")
    assert "Save it?" in echo.text
    await rchat.press(USER, "Confirm", lang="en-US")
    clock.advance(timedelta(minutes=5))
    await tick(rchat)
    assert any(t == "⏰ Reminder: call the office" for t in rchat.texts(USER))
