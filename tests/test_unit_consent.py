"""Consent belongs to a person: whenever a unit's contact leaves — /forget, stepping down, handing over,
removal by an admin — what members shared with them is withdrawn, the invite code changes, members and
admins are told, and the next contact sees nothing until each member agrees again."""

from __future__ import annotations

import re

from bot.domain.credits import YearTotals
from bot.services import Services
from tests.auxil.harness import ADMIN_ID, ChatHarness
from tests.auxil.units import CODE_RE, CONTACT, CONTACT2, MEMBER, MEMBER2, become_contact

UNIT = "太原某公司"


async def _unit_with_sharing_member(chat: ChatHarness, svc: Services) -> str:
    code = await become_contact(chat, CONTACT, UNIT)
    await chat.send(MEMBER, f"/join {code}")
    await chat.press(MEMBER, "共享")
    await svc.credits.set_totals(MEMBER, YearTotals(2026, 60, 40), svc.clock.now())
    [view] = await chat.send(CONTACT, "/unit")
    assert "User201：100 学分（专业 60），已达标" in view.text
    return code


async def _forget(chat: ChatHarness, user: int) -> None:
    await chat.send(user, "/forget")
    await chat.press(user, "删除")


async def test_forget_withdraws_sharing_and_the_next_contact_sees_nothing(
    unit_chat: ChatHarness, unit_services: Services
) -> None:
    chat = unit_chat
    old_code = await _unit_with_sharing_member(chat, unit_services)
    [confirm] = await chat.send(CONTACT, "/forget")
    assert "你是「太原某公司」的单位联系人" in confirm.text, "the contact is told what erasing does to the unit"
    await chat.press(CONTACT, "删除")
    told = chat.texts(MEMBER)[-1]
    assert "联系人已离开" in told and "共享已撤回" in told
    assert "删除了自己的数据" in chat.texts(ADMIN_ID)[-1]
    [refused] = await chat.send(MEMBER2, f"/join {old_code}")
    assert "无效" in refused.text, "the old invite code stops working"

    await chat.send(CONTACT2, f"/unit apply {UNIT}")
    request = chat.double.last(ADMIN_ID).text
    assert "该单位已存在，有 1 名成员" in request and "删除了自己的数据" in request
    assert "User101" not in request, "no name is kept for a contact who erased their data"
    await chat.press(ADMIN_ID, "批准")
    asked = chat.double.last(MEMBER)
    assert "新的单位联系人" in asked.text and [label for label, _ in asked.buttons] == ["共享", "不共享"]
    [view] = await chat.send(CONTACT2, "/unit")
    assert "User201" not in view.text and "100" not in view.text
    assert "情况未知 1 人" in view.text
    await chat.press(MEMBER, "共享")
    [view] = await chat.send(CONTACT2, "/unit")
    assert "User201：100 学分（专业 60），已达标" in view.text, "after agreeing again the new contact sees it"


async def test_a_new_admin_application_says_the_unit_is_new(unit_chat: ChatHarness) -> None:
    chat = unit_chat
    await chat.send(ADMIN_ID, "/start")
    await chat.send(CONTACT, f"/unit apply {UNIT}")
    assert "这是一个新单位" in chat.double.last(ADMIN_ID).text


async def test_step_down_is_confirmed_and_withdraws_sharing(
    unit_chat: ChatHarness, unit_services: Services
) -> None:
    chat = unit_chat
    await _unit_with_sharing_member(chat, unit_services)
    [ask] = await chat.send(CONTACT, "/unit leave")
    assert "确定卸任「太原某公司」" in ask.text, "/unit leave by a contact offers stepping down, not an error"
    await chat.press(CONTACT, "取消")
    assert (await unit_services.units.actor(CONTACT, False)).contact_unit_id is not None
    await chat.send(CONTACT, "/unit stepdown")
    await chat.press(CONTACT, "确定卸任")
    assert "你已卸任" in chat.texts(CONTACT)[-1]
    assert (await unit_services.units.actor(CONTACT, False)).contact_unit_id is None
    assert "共享已撤回" in chat.texts(MEMBER)[-1]
    assert "已卸任" in chat.texts(ADMIN_ID)[-1]
    member = await unit_services.units.membership(MEMBER)
    assert member is not None and not member.share
    [view] = await chat.send(MEMBER, "/unit")
    assert "目前没有联系人" in view.text and "共享学分情况" not in [b for b, _ in view.buttons]
    # Re-approved, the same person still sees nothing until the member agrees again.
    await chat.send(CONTACT, f"/unit apply {UNIT}")
    assert "此前的联系人 User101 于 2026-11-27 卸任" in chat.double.last(ADMIN_ID).text, "who held it before"
    await chat.press(ADMIN_ID, "批准")
    [view] = await chat.send(CONTACT, "/unit")
    assert "User201" not in view.text


async def test_hand_over_needs_the_members_acceptance(unit_chat: ChatHarness, unit_services: Services) -> None:
    chat = unit_chat
    code = await _unit_with_sharing_member(chat, unit_services)
    await chat.send(MEMBER2, f"/join {code}")
    await chat.press(MEMBER2, "共享")
    await chat.send(CONTACT, "/unit handover")
    await chat.press(CONTACT, "1. User201")
    assert "等待对方接受" in chat.texts(CONTACT)[-1]
    assert (await unit_services.units.actor(CONTACT, False)).contact_unit_id is not None
    n = len(chat.double.answers)
    await chat.press(MEMBER2, data=chat.find_button(MEMBER, "接受")[1])
    assert len(chat.double.answers) > n and "失效" in str(chat.double.answers[-1].get("text")), \
        "only the member the offer names can accept it"
    await chat.press(MEMBER, "接受")
    assert "你现在是「太原某公司」的单位联系人" in chat.texts(MEMBER)[-1]
    assert "已接任" in chat.texts(CONTACT)[-1]
    assert "移交给" in chat.texts(ADMIN_ID)[-1]
    asked = chat.double.last(MEMBER2)
    assert "换成了" in asked.text and "共享" in [b for b, _ in asked.buttons]
    [view] = await chat.send(MEMBER, "/unit")
    assert "成员 1 人" in view.text and "User202" not in view.text, "consent given to the old contact is not passed on"
    [refused] = await chat.send(CONTACT2, f"/join {code}")
    assert "无效" in refused.text


async def test_admin_lists_pending_applications_and_removes_a_contact(
    unit_chat: ChatHarness, unit_services: Services
) -> None:
    chat = unit_chat
    await _unit_with_sharing_member(chat, unit_services)
    await chat.send(CONTACT2, "/unit apply 大同某公司")
    [none_for_others] = await chat.send(CONTACT2, "/unit pending")
    assert none_for_others.text.startswith("⛔")
    replies = await chat.send(ADMIN_ID, "/unit pending")
    assert "待审批的申请 1 份" in replies[0].text
    assert "大同某公司" in replies[1].text and [b for b, _ in replies[1].buttons] == ["批准", "拒绝"]
    await chat.press(ADMIN_ID, "批准", message=None)
    assert (await unit_services.units.actor(CONTACT2, False)).contact_unit_id is not None

    await chat.send(ADMIN_ID, "/unit units")
    await chat.press(ADMIN_ID, "移除「太原某公司」的联系人")
    assert "确定移除「太原某公司」" in chat.texts(ADMIN_ID)[-1]
    await chat.press(ADMIN_ID, "确定移除")
    assert "已移除「太原某公司」的单位联系人" in chat.texts(ADMIN_ID)[-1]
    assert "解除你「太原某公司」单位联系人的身份" in chat.texts(CONTACT)[-1]
    assert "共享已撤回" in chat.texts(MEMBER)[-1]
    assert (await unit_services.units.actor(CONTACT, False)).contact_unit_id is None


async def test_invisible_characters_do_not_make_a_unit_name(unit_chat: ChatHarness) -> None:
    chat = unit_chat
    [usage] = await chat.send(CONTACT, "/unit apply \u200b\u200b\u200b")
    assert "用法" in usage.text
    await chat.send(ADMIN_ID, "/start")
    await chat.send(CONTACT, "/unit apply 太原\u200b某公司\u202e")
    assert re.search(r"单位：太原某公司\n", chat.double.last(ADMIN_ID).text)
    assert CODE_RE.pattern
