"""Reminders as a user meets them, through the real Application and the Bot API double.

The dispatcher pass is driven by hand (``tick``) after moving the ManualClock; the real repeating job also
runs, but against the same dispatcher and lock, so nothing can be sent twice either way.
"""

from __future__ import annotations

from datetime import timedelta

from bot.domain.clock import ManualClock
from bot.domain.credits import YearTotals
from bot.infra.botapi_double import BotApiDouble
from bot.services import Services
from bot.services.drafts import MAX_SUBJECT, MAX_UPCOMING
from handlers.reminders import DISPATCHER_KEY
from tests.auxil.harness import ChatHarness, running_chat

USER = 5151
OTHER = 5252


async def tick(chat: ChatHarness) -> None:
    await chat.app.bot_data[DISPATCHER_KEY].tick(wait=True)


def delivered(chat: ChatHarness, user: int, needle: str) -> list[str]:
    return [t for t in chat.texts(user) if t.startswith("⏰") and needle in t]


async def test_remind_echoes_confirms_lists_and_delivers_once(chat: ChatHarness, clock: ManualClock) -> None:
    [echo] = await chat.send(USER, "/remind 1分钟后 测试提醒")
    assert "2026年11月27日" in echo.text and "10:01" in echo.text and "测试提醒" in echo.text
    assert [label for label, _ in echo.buttons] == ["确认", "取消"]
    await tick(chat)
    clock.advance(timedelta(minutes=2))
    await tick(chat)
    assert delivered(chat, USER, "测试提醒") == []  # an unconfirmed draft never fires
    clock.advance(timedelta(minutes=-2))

    [saved] = await chat.press(USER, "确认")
    assert "已保存" in saved.text
    [listing] = await chat.send(USER, "/reminders")
    assert "测试提醒" in listing.text and "10:01" in listing.text
    assert any("取消" in label for label, _ in listing.buttons)

    clock.advance(timedelta(seconds=59))
    await tick(chat)
    assert delivered(chat, USER, "测试提醒") == []
    clock.advance(timedelta(seconds=1))
    await tick(chat)
    await tick(chat)
    [arrived] = [m for m in chat.double.chat(USER) if m.text == "⏰ 提醒：测试提醒"]
    labels = [label for label, _ in arrived.buttons]
    assert "✅ 完成" in labels and "1小时后" in labels and "明天09:00" in labels and "3天后" in labels
    [listing] = await chat.send(USER, "/reminders")
    assert "测试提醒" not in listing.text


async def test_free_text_reminder_with_the_time_in_the_middle(chat: ChatHarness) -> None:
    [echo] = await chat.send(USER, "12月20日上午9点提醒我去会计之星选课")
    assert "2026年12月20日" in echo.text and "09:00" in echo.text and "去会计之星选课" in echo.text


async def test_unparseable_time_is_refused_with_an_example(chat: ChatHarness) -> None:
    [reply] = await chat.send(USER, "/remind 找个时间 去选课")
    assert "/remind 12月20日上午9点" in reply.text
    assert reply.buttons == []


async def test_no_subject_too_long_or_one_too_many_is_refused_and_saves_nothing(
    chat: ChatHarness, services: Services, clock: ManualClock
) -> None:
    [no_subject] = await chat.send(USER, "/remind 明天上午9点")
    assert "要提醒你做什么" in no_subject.text
    [too_long] = await chat.send(USER, "/remind 明天上午9点 " + "长" * (MAX_SUBJECT + 1))
    assert f"超过{MAX_SUBJECT}字" in too_long.text
    assert await services.reminders.count_upcoming(USER) == 0
    for i in range(MAX_UPCOMING):
        await services.drafts.open(USER, f"第{i}件", clock.now() + timedelta(days=1), clock.now())
    [too_many] = await chat.send(USER, "/remind 明天上午9点 再来一件")
    assert f"{MAX_UPCOMING}条待提醒" in too_many.text
    assert await services.reminders.count_upcoming(USER) == MAX_UPCOMING


async def test_cancel_on_the_echo_saves_nothing(chat: ChatHarness, clock: ManualClock) -> None:
    await chat.send(USER, "/remind 1分钟后 不要了")
    [cancelled] = await chat.press(USER, "取消")
    assert "已取消" in cancelled.text
    clock.advance(timedelta(minutes=5))
    await tick(chat)
    assert delivered(chat, USER, "不要了") == []


async def test_cancel_from_the_list(chat: ChatHarness, clock: ManualClock) -> None:
    await chat.send(USER, "/remind 明天上午10点 交材料")
    await chat.press(USER, "确认")
    await chat.send(USER, "/reminders")
    [listing] = await chat.press(USER, "取消第1条")
    assert "交材料" not in listing.text
    clock.advance(timedelta(days=2))
    await tick(chat)
    assert delivered(chat, USER, "交材料") == []


async def test_snooze_and_done(chat: ChatHarness, clock: ManualClock) -> None:
    await chat.send(USER, "/remind 10分钟后 打电话")
    await chat.press(USER, "确认")
    clock.advance(timedelta(minutes=10))
    await tick(chat)
    [snoozed] = await chat.press(USER, "1小时后")
    assert "11:10" in snoozed.text
    clock.advance(timedelta(minutes=59))
    await tick(chat)
    assert len(delivered(chat, USER, "打电话")) == 1
    clock.advance(timedelta(minutes=1))
    await tick(chat)
    assert len(delivered(chat, USER, "打电话")) == 2  # the first was edited to say when it comes back
    rid = chat.find_button(USER, "完成")[1].split(":")[2]
    [done] = await chat.press(USER, "完成")
    assert "已完成" in done.text and done.buttons == []
    # pressing snooze on the (already handled) reminder again is stale and changes nothing
    first = next(m for m in chat.double.chat(USER) if "再提醒" in m.text)
    await chat.press(USER, data=f"rm:snooze:{rid}:3d", message=first)
    assert "已失效" in (chat.last_answer(USER) or "")
    clock.advance(timedelta(days=4))
    await tick(chat)
    assert len([t for t in chat.texts(USER) if "打电话" in t]) == 3  # saved, snoozed, done: no 3rd delivery


async def test_forged_and_foreign_buttons_change_nothing(chat: ChatHarness, clock: ManualClock) -> None:
    await chat.send(USER, "/remind 1分钟后 我的事")
    _, data = chat.find_button(USER, "确认")
    rid = data.split(":")[2]
    await chat.send(OTHER, "/start")
    other_msg = chat.double.last(OTHER)
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
        await chat.press(OTHER, data=forged, message=other_msg)
        assert "已失效" in (chat.last_answer(OTHER) or ""), forged
    await chat.press(USER, "确认")  # still the owner's to confirm
    clock.advance(timedelta(minutes=1))
    await tick(chat)
    assert len(delivered(chat, USER, "我的事")) == 1
    assert delivered(chat, OTHER, "我的事") == []


async def test_start_offers_one_tap_reminders_and_settings_work(
    chat: ChatHarness, services: Services, clock: ManualClock
) -> None:
    [welcome] = await chat.send(USER, "/start")
    assert any("开启提醒" in label for label, _ in welcome.buttons)
    await chat.press(USER, "开启提醒")
    assert "已开启" in (chat.last_answer(USER) or "")
    assert (await services.reminders.get_settings(USER)).enabled
    [welcome] = await chat.send(USER, "/start")
    assert not any("开启提醒" in label for label, _ in welcome.buttons)

    [panel] = await chat.send(USER, "/settings")
    assert "已开启" in panel.text and "09:00" in panel.text and "22:00–08:00" in panel.text
    await chat.press(USER, "提醒时间")
    [panel] = await chat.press(USER, "08:00")
    assert "每天08:00" in panel.text
    [panel] = await chat.send(USER, "/settings 免打扰 23:00-07:00")
    assert "23:00–07:00" in panel.text
    [bad] = await chat.send(USER, "/settings 时间 25:00")
    assert "没看懂" in bad.text
    await chat.press(USER, data="set:off", message=panel)
    assert not (await services.reminders.get_settings(USER)).enabled


async def test_built_in_deadline_reminder_reaches_a_subscriber_with_the_shortfall(
    chat: ChatHarness, services: Services, clock: ManualClock
) -> None:
    await chat.send(USER, "/start")
    await chat.press(USER, "开启提醒")
    await services.credits.set_totals(USER, YearTotals(2026, 50, 20), clock.now())
    await tick(chat)
    clock.set(clock.now().replace(month=12, day=1, hour=9, minute=0))
    await tick(chat)
    [text] = delivered(chat, USER, "还剩31天（含今天）")
    assert "还差至少20学分" in text and "专业科目至少10" in text


async def test_restart_with_pending_reminders_delivers_each_exactly_once(
    services: Services, double: BotApiDouble, clock: ManualClock
) -> None:
    async with running_chat(services, double) as chat:
        await chat.send(USER, "/remind 30分钟后 第一件")
        await chat.press(USER, "确认")
        await chat.send(USER, "/remind 2小时后 第二件")
        await chat.press(USER, "确认")
        await chat.send(USER, "/remind 3天后 以后的事")
        await chat.press(USER, "确认")
        await chat.send(USER, "/remind 1小时后 还没确认")  # a draft: confirmed after the restart

    clock.advance(timedelta(hours=3))  # down while two fell due (within the 12 h grace)
    async with running_chat(services, double) as chat:
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


async def test_restart_after_a_long_outage_summarizes_missed_once(
    services: Services, double: BotApiDouble, clock: ManualClock
) -> None:
    async with running_chat(services, double) as chat:
        await chat.send(USER, "/remind 1小时后 很早的事")
        await chat.press(USER, "确认")
    clock.advance(timedelta(hours=23))  # 09:00 next day: 22 h late, beyond the 12 h grace
    for _ in range(2):
        async with running_chat(services, double) as chat:
            await tick(chat)
            await tick(chat)
    summaries = [t for t in chat.texts(USER) if "没能按时送达" in t]
    assert len(summaries) == 1 and "很早的事" in summaries[0]
    assert delivered(chat, USER, "很早的事") == []


async def test_blocked_user_is_marked_inactive_through_telegram_forbidden(
    chat: ChatHarness, services: Services, clock: ManualClock
) -> None:
    await chat.send(USER, "/remind 1分钟后 a")
    await chat.press(USER, "确认")
    await chat.send(USER, "/remind 2分钟后 b")
    await chat.press(USER, "确认")
    chat.double.forbidden_chats.add(USER)
    clock.advance(timedelta(minutes=1))
    await tick(chat)
    user = await services.users.get(USER)
    assert user is not None and not user.active
    calls = len([c for c in chat.double.calls if c[0] == "sendMessage"])
    clock.advance(timedelta(minutes=5))
    await tick(chat)
    assert len([c for c in chat.double.calls if c[0] == "sendMessage"]) == calls  # stopped


async def test_retry_after_from_telegram_delays_then_delivers(chat: ChatHarness, clock: ManualClock) -> None:
    await chat.send(USER, "/remind 1分钟后 限流")
    await chat.press(USER, "确认")
    chat.double.retry_after[USER] = 20
    clock.advance(timedelta(minutes=1))
    await tick(chat)
    assert delivered(chat, USER, "限流") == []
    clock.advance(timedelta(seconds=21))
    await tick(chat)
    assert len(delivered(chat, USER, "限流")) == 1


async def test_institution_face_to_face_report_due_date_counts_tiaoxiu(
    chat: ChatHarness, clock: ManualClock
) -> None:
    clock.set(clock.now().replace(month=9, day=25, hour=18))
    [refused] = await chat.send(USER, "/f2f 9月25日 管理会计面授班")
    assert "培训机构" in refused.text
    await chat.press(USER, "我是培训机构人员")
    [recorded] = await chat.send(USER, "/f2f 9月25日 管理会计面授班")
    assert "2026年10月15日" in recorded.text and "10个工作日" in recorded.text
    clock.set(clock.now().replace(month=10, day=12, hour=9, minute=0))
    await tick(chat)
    [reminder] = delivered(chat, USER, "管理会计面授班")
    assert "2026年10月15日" in reminder
    [listing] = await chat.send(USER, "/reminders")
    assert "管理会计面授班" in listing.text  # the due-day reminder is still ahead


async def test_english_user_gets_english_reminders(chat: ChatHarness, clock: ManualClock) -> None:
    [echo] = await chat.send(USER, "/remind in 5 minutes call the office", lang="en-US")
    assert "Save it?" in echo.text
    await chat.press(USER, "Confirm", lang="en-US")
    clock.advance(timedelta(minutes=5))
    await tick(chat)
    assert any(t == "⏰ Reminder: call the office" for t in chat.texts(USER))


async def test_face_to_face_dates_that_cannot_be_a_course_say_why_and_record_nothing(chat: ChatHarness) -> None:
    await chat.send(USER, "/profile 机构")
    [impossible] = await chat.send(USER, "/f2f 2月30日 管理会计面授班")
    assert "没有这个日期" in impossible.text
    [future] = await chat.send(USER, "/f2f 2099年1月1日 管理会计面授班")
    assert "还没到" in future.text
    [old] = await chat.send(USER, "/f2f 2024年3月1日 管理会计面授班")
    assert "一年多以前" in old.text
    [listing] = await chat.send(USER, "/reminders")
    assert "管理会计面授班" not in listing.text  # nothing was recorded
