"""Broadcasts as the sender and the recipients meet them: preview, send, progress, report, limits,
Forbidden, RetryAfter, plain text, history."""

from __future__ import annotations

from datetime import timedelta

from bot.domain.clock import ManualClock
from bot.infra.botapi_double import BotApiDouble
from bot.services import Services
from tests.auxil.harness import ADMIN_ID, ChatHarness
from tests.auxil.units import (
    CONTACT,
    CONTACT2,
    MEMBER,
    MEMBER2,
    OUTSIDER,
    become_contact,
    build_world,
    received,
    wait_until,
)

NOTICE = "请各位于12月20日前完成继续教育学习。<b>不是标记</b> *也不是*"


async def _broadcast(chat: ChatHarness, sender: int, text: str) -> None:
    await chat.send(sender, "/broadcast")
    [preview] = await chat.send(sender, text)
    assert text in preview.text
    await chat.press(sender, "发送")


def _report_of(chat: ChatHarness, sender: int) -> str:
    return next(t for t in reversed(chat.texts(sender)) if t.startswith(("✅", "📤")))


async def test_contact_broadcast_reaches_members_only_with_a_final_report(
    unit_chat: ChatHarness, double: BotApiDouble
) -> None:
    chat = unit_chat
    world = await build_world(chat)
    await chat.send(203, f"/start join_{world.code}")
    [prompt] = await chat.send(CONTACT, "/broadcast")
    assert "2 名成员" in prompt.text
    [preview] = await chat.send(CONTACT, NOTICE)
    assert "将发送给 2 人" in preview.text
    assert [label for label, _ in preview.buttons] == ["发送", "取消"]
    await chat.press(CONTACT, "发送")
    await wait_until(lambda: _report_of(chat, CONTACT).startswith("✅"))
    for member in (MEMBER, 203):
        assert received(double, member, NOTICE) == 1
    for other in (OUTSIDER, MEMBER2, CONTACT2, ADMIN_ID):
        assert received(double, other, NOTICE) == 0
    report = _report_of(chat, CONTACT)
    assert "共 2 人" in report and "已送达 2" in report and "已屏蔽机器人 0" in report and "失败 0" in report
    progress = [m for m in double.chat(CONTACT) if m.text.startswith("✅")]
    assert len(progress) == 1 and progress[0].edits >= 1, "one progress message, edited into the report"


async def test_text_is_sent_verbatim_without_parse_mode(unit_chat: ChatHarness, double: BotApiDouble) -> None:
    chat = unit_chat
    await build_world(chat)
    await _broadcast(chat, CONTACT, NOTICE)
    await wait_until(lambda: received(double, MEMBER, NOTICE) == 1)
    sends = [p for m, p in double.calls if m == "sendMessage" and p.get("chat_id") == MEMBER]
    assert all("parse_mode" not in p or p["parse_mode"] is None for p in sends)


async def test_admin_broadcast_reaches_every_active_user(
    unit_chat: ChatHarness, double: BotApiDouble
) -> None:
    chat = unit_chat
    await build_world(chat)
    await chat.send(ADMIN_ID, "/broadcast")
    assert "全部" in chat.texts(ADMIN_ID)[-1]
    await chat.send(ADMIN_ID, "全省通知")
    await chat.press(ADMIN_ID, "发送")
    await wait_until(lambda: _report_of(chat, ADMIN_ID).startswith("✅"))
    for user in (CONTACT, CONTACT2, MEMBER, MEMBER2, OUTSIDER):
        assert received(double, user, "全省通知") == 1
    assert received(double, ADMIN_ID, "全省通知") == 0


async def test_cancel_sends_nothing_and_a_stale_send_button_is_refused(
    unit_chat: ChatHarness, double: BotApiDouble
) -> None:
    chat = unit_chat
    await build_world(chat)
    await chat.send(CONTACT, "/broadcast")
    [preview] = await chat.send(CONTACT, "作废的通知")
    send_data = next(d for label, d in preview.buttons if label == "发送")
    await chat.press(CONTACT, "取消")
    assert "已取消" in chat.double.last(CONTACT).text
    await chat.press(CONTACT, data=send_data, message=preview)
    assert "已经发送或取消" in str(double.answers[-1].get("text"))
    await chat.send(MEMBER, "随便问问")
    assert received(double, MEMBER, "作废的通知") == 0


async def test_forbidden_marks_blocked_and_inactive(
    unit_chat: ChatHarness, unit_services: Services, double: BotApiDouble
) -> None:
    chat = unit_chat
    world = await build_world(chat)
    await chat.send(203, f"/join {world.code}")
    double.forbidden_chats.add(203)
    await _broadcast(chat, CONTACT, "第一次通知")
    await wait_until(lambda: _report_of(chat, CONTACT).startswith("✅"))
    report = _report_of(chat, CONTACT)
    assert "已送达 1" in report and "已屏蔽机器人 1" in report
    user = await unit_services.users.get(203)
    assert user is not None and not user.active
    [prompt] = await chat.send(CONTACT, "/broadcast")
    assert "1 名成员" in prompt.text, "an inactive member is no longer counted"


async def test_retry_after_parks_the_row_and_delivers_it_later(
    unit_chat: ChatHarness, clock: ManualClock, double: BotApiDouble
) -> None:
    chat = unit_chat
    world = await build_world(chat)
    await chat.send(203, f"/join {world.code}")
    double.retry_after[MEMBER] = 1
    await _broadcast(chat, CONTACT, "稍后送达")
    await wait_until(lambda: received(double, 203, "稍后送达") == 1)
    assert received(double, MEMBER, "稍后送达") == 0
    clock.advance(timedelta(seconds=2))  # the parked row is due again (the drain polls every second)
    await wait_until(lambda: received(double, MEMBER, "稍后送达") == 1, timeout=5)
    await wait_until(lambda: _report_of(chat, CONTACT).startswith("✅"))
    assert "已送达 2" in _report_of(chat, CONTACT)


async def test_one_running_broadcast_and_a_daily_limit_per_contact(
    unit_chat: ChatHarness, unit_services: Services, clock: ManualClock, double: BotApiDouble
) -> None:
    chat = unit_chat
    await build_world(chat)
    limit = unit_services.settings.broadcast_daily_limit
    for i in range(limit):
        await _broadcast(chat, CONTACT, f"通知{i}")
        await wait_until(lambda i=i: received(double, MEMBER, f"通知{i}") == 1)  # type: ignore[misc]
        await wait_until(lambda: _report_of(chat, CONTACT).startswith("✅"))
    [refused] = await chat.send(CONTACT, "/broadcast")
    assert f"每天最多 {limit} 次" in refused.text
    clock.advance(timedelta(days=1))
    [prompt] = await chat.send(CONTACT, "/broadcast")
    assert "请发送要群发的通知内容" in prompt.text


async def test_second_broadcast_waits_for_the_running_one(
    unit_chat: ChatHarness, unit_services: Services, double: BotApiDouble
) -> None:
    chat = unit_chat
    await build_world(chat)
    double.retry_after[MEMBER] = 1  # keeps the first broadcast running for a while
    await _broadcast(chat, CONTACT, "第一条")
    [busy] = await chat.send(CONTACT, "/broadcast")
    assert "正在发送" in busy.text


async def test_broadcasts_lists_the_senders_history(unit_chat: ChatHarness, double: BotApiDouble) -> None:
    chat = unit_chat
    await build_world(chat)
    [empty] = await chat.send(CONTACT, "/broadcasts")
    assert "还没有群发" in empty.text
    await _broadcast(chat, CONTACT, "历史通知")
    await wait_until(lambda: _report_of(chat, CONTACT).startswith("✅"))
    [history] = await chat.send(CONTACT, "/broadcasts")
    assert "历史通知" in history.text and "已完成" in history.text and "送达 1" in history.text
    [other] = await chat.send(CONTACT2, "/broadcasts")
    assert "历史通知" not in other.text


async def test_too_long_text_is_refused_and_a_draft_text_never_reaches_the_answerer(
    unit_chat: ChatHarness,
) -> None:
    chat = unit_chat
    await become_contact(chat, CONTACT, "太原某公司")
    code = chat.texts(CONTACT)[-1].split("/join ")[-1].split()[0]
    await chat.send(MEMBER, f"/join {code}")
    await chat.send(CONTACT, "/broadcast")
    [too_long] = await chat.send(CONTACT, "长" * 4097)
    assert "太长" in too_long.text
    [preview] = await chat.send(CONTACT, "一年要修满多少学分？")
    assert preview.text.startswith("预览")
