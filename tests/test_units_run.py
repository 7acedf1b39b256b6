"""Units that run: broadcasts say who sent them, /cancel leaves any multi-step flow."""

from __future__ import annotations

from bot.infra.botapi_double import BotApiDouble
from bot.services import Services
from tests.auxil.harness import ADMIN_ID, ChatHarness
from tests.auxil.units import CONTACT, MEMBER, build_world, wait_until


async def test_broadcasts_are_labelled_with_their_sender(unit_chat: ChatHarness, double: BotApiDouble) -> None:
    chat = unit_chat
    await build_world(chat)
    await chat.send(CONTACT, "/broadcast")
    [preview] = await chat.send(CONTACT, "第一次")
    assert "来自「太原某公司」联系人的通知" in preview.text, "the preview shows what members will see"
    await chat.press(CONTACT, "发送")
    await wait_until(lambda: any(m.text.endswith("第一次") for m in double.chat(MEMBER)))
    got = next(m.text for m in double.chat(MEMBER) if m.text.endswith("第一次"))
    assert got == "📢 来自「太原某公司」联系人的通知：\n\n第一次"
    await chat.send(ADMIN_ID, "/broadcast")
    await chat.send(ADMIN_ID, "全体通知")
    await chat.press(ADMIN_ID, "发送")
    await wait_until(lambda: any(m.text.endswith("全体通知") for m in double.chat(MEMBER)))
    assert "📢 来自财政局管理员的通知：\n\n全体通知" in [m.text for m in double.chat(MEMBER)]


async def test_english_members_get_the_label_in_english(unit_chat: ChatHarness, double: BotApiDouble) -> None:
    chat = unit_chat
    world = await build_world(chat)
    await chat.send(MEMBER + 50, f"/join {world.code}", lang="en")
    await chat.send(CONTACT, "/broadcast")
    await chat.send(CONTACT, "hello")
    await chat.press(CONTACT, "发送")
    await wait_until(lambda: any(m.text.endswith("hello") for m in double.chat(MEMBER + 50)))
    assert "Notice from the contact of “太原某公司”" in double.chat(MEMBER + 50)[-1].text


async def test_cancel_leaves_a_broadcast_being_written(unit_chat: ChatHarness, unit_services: Services) -> None:
    chat = unit_chat
    await build_world(chat)
    await chat.send(CONTACT, "/broadcast")
    [done] = await chat.send(CONTACT, "/cancel")
    assert "已取消" in done.text and "群发" in done.text
    [answer] = await chat.send(CONTACT, "每年需要多少学分")
    assert "预览" not in answer.text, "after /cancel a text is a question again, not a broadcast body"
    [nothing] = await chat.send(CONTACT, "/cancel")
    assert "没有可以取消" in nothing.text


async def test_cancel_drops_reminder_drafts_and_a_handover_offer(
    unit_chat: ChatHarness, unit_services: Services
) -> None:
    chat = unit_chat
    await build_world(chat)
    await chat.send(MEMBER, "/remind 12月20日上午9点 去选课")
    [done] = await chat.send(MEMBER, "/cancel")
    assert "提醒" in done.text
    await chat.send(CONTACT, "/unit handover")
    await chat.press(CONTACT, "1. User201")
    [done] = await chat.send(CONTACT, "/cancel")
    assert "移交" in done.text
    await chat.press(MEMBER, "接受")
    assert "失效" in (chat.last_answer(MEMBER) or "")
    assert (await unit_services.units.actor(CONTACT, False)).contact_unit_id is not None
