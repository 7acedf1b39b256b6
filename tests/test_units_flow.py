"""Units as their users meet them: applying, approval, joining by link and by code, sharing, leaving,
removing, rotating the invite code, and the contact's summary."""

from __future__ import annotations

import secrets

from bot.domain.units import INVITE_BYTES, is_valid_invite_code, new_invite_code
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
)


async def test_admin_approves_a_contact_who_gets_an_invite_link(unit_chat: ChatHarness) -> None:
    chat = unit_chat
    await chat.send(ADMIN_ID, "/start")
    [ack] = await chat.send(CONTACT, "/unit apply 太原某公司")
    assert "太原某公司" in ack.text and "审批" in ack.text
    request = chat.double.last(ADMIN_ID)
    assert "太原某公司" in request.text
    assert [label for label, _ in request.buttons] == ["批准", "拒绝"]
    await chat.press(ADMIN_ID, "批准")
    assert "已批准" in chat.double.last(ADMIN_ID).text
    assert not chat.double.last(ADMIN_ID).buttons
    told = chat.texts(CONTACT)[-1]
    assert "https://t.me/accbot_local_bot?start=join_" in told and "/join " in told


async def test_rejected_applicant_is_told_and_gets_no_unit(unit_chat: ChatHarness) -> None:
    chat = unit_chat
    await chat.send(ADMIN_ID, "/start")
    await chat.send(CONTACT, "/unit apply 太原某公司")
    await chat.press(ADMIN_ID, "拒绝")
    assert "未获批准" in chat.texts(CONTACT)[-1]
    [view] = await chat.send(CONTACT, "/unit")
    assert "/unit apply" in view.text


async def test_apply_needs_a_name_and_one_pending_application_at_a_time(unit_chat: ChatHarness) -> None:
    chat = unit_chat
    [usage] = await chat.send(CONTACT, "/unit apply")
    assert "用法" in usage.text
    await chat.send(CONTACT, "/unit apply 太原某公司")
    [again] = await chat.send(CONTACT, "/unit apply 另一家公司")
    assert "等待审批" in again.text


async def test_a_second_contact_for_a_taken_unit_is_turned_away(unit_chat: ChatHarness) -> None:
    chat = unit_chat
    await become_contact(chat, CONTACT, "太原某公司")
    [reply] = await chat.send(CONTACT2, "/unit apply 太原某公司")
    assert "已有单位联系人" in reply.text


async def test_join_by_deep_link_and_by_command_share_defaults_to_no(
    unit_chat: ChatHarness, unit_services: Services
) -> None:
    chat = unit_chat
    code = await become_contact(chat, CONTACT, "太原某公司")
    [joined] = await chat.send(MEMBER, f"/start join_{code}")
    assert "已加入「太原某公司」" in joined.text
    assert [label for label, _ in joined.buttons] == ["共享", "不共享"]
    [joined2] = await chat.send(MEMBER2, f"/join {code}")
    assert "已加入" in joined2.text
    member = await unit_services.units.membership(MEMBER)
    assert member is not None and member.share is False
    await chat.press(MEMBER, "共享")
    assert "可以看到" in chat.texts(MEMBER)[-1]
    member = await unit_services.units.membership(MEMBER)
    assert member is not None and member.share is True
    [view] = await chat.send(MEMBER, "/unit")
    assert "太原某公司" in view.text and "共享" in view.text


async def test_unknown_or_malformed_codes_are_refused(unit_chat: ChatHarness) -> None:
    chat = unit_chat
    await become_contact(chat, CONTACT, "太原某公司")
    for text in ("/join AAAAAAAAAAAAAAAA", "/join x'; DROP TABLE units;--", "/start join_nope"):
        [reply] = await chat.send(OUTSIDER, text)
        assert "无效" in reply.text, text


async def test_rotating_the_code_stops_the_old_one_at_once(unit_chat: ChatHarness) -> None:
    chat = unit_chat
    old = await become_contact(chat, CONTACT, "太原某公司")
    await chat.send(CONTACT, "/unit")
    await chat.press(CONTACT, "更换邀请码")
    new_text = chat.texts(CONTACT)[-1]
    assert "旧的链接和邀请码立即失效" in new_text and old not in new_text
    [refused] = await chat.send(MEMBER, f"/join {old}")
    assert "无效" in refused.text
    new = new_text.split("/join ")[-1].strip()
    [joined] = await chat.send(MEMBER, f"/join {new}")
    assert "已加入" in joined.text


async def test_member_leaves_and_contact_removes(unit_chat: ChatHarness, double: BotApiDouble) -> None:
    chat = unit_chat
    world = await build_world(chat)
    await chat.send(MEMBER, "/unit")
    await chat.press(MEMBER, "退出单位")
    assert "确定退出「太原某公司」" in chat.texts(MEMBER)[-1], "leaving is confirmed first"
    assert await chat.app.bot_data["services"].units.membership(MEMBER) is not None
    await chat.press(MEMBER, "确定退出")
    assert "已退出" in chat.texts(MEMBER)[-1]
    await chat.send(MEMBER, f"/join {world.code}")
    await chat.send(CONTACT, "/unit members")
    listing = chat.double.last(CONTACT)
    assert "User201" in listing.text
    await chat.press(CONTACT, "移除 1")
    assert "确定把 User201 移出本单位" in chat.texts(CONTACT)[-1]
    await chat.press(CONTACT, "取消")
    assert "没有做任何更改" in chat.texts(CONTACT)[-1]
    assert await chat.app.bot_data["services"].units.membership(MEMBER) is not None
    await chat.press(CONTACT, "移除 1")
    await chat.press(CONTACT, "确定移除")
    assert "已移除" in chat.texts(CONTACT)[-1]
    assert "移出「太原某公司」" in chat.texts(MEMBER)[-1]
    [view] = await chat.send(MEMBER, "/unit")
    assert "还没有加入单位" in view.text


async def test_unit_view_counts_everyone_but_names_only_sharers(
    unit_chat: ChatHarness, unit_services: Services
) -> None:
    chat = unit_chat
    code = await become_contact(chat, CONTACT, "太原某公司")
    for user, share in ((201, "共享"), (202, "共享"), (203, "不共享")):
        await chat.send(user, f"/join {code}")
        await chat.press(user, share)
    await unit_services.credits.set_totals(201, _totals(2026, 70, 30), unit_services.clock.now())
    await unit_services.credits.set_totals(202, _totals(2026, 20, 10), unit_services.clock.now())
    await unit_services.credits.set_totals(203, _totals(2026, 70, 30), unit_services.clock.now())
    [view] = await chat.send(CONTACT, "/unit")
    assert "成员 3 人" in view.text
    assert "已达标 1 人，未达标 1 人，情况未知 1 人" in view.text
    assert "User201" in view.text and "User202" in view.text
    assert "User203" not in view.text, "a member who did not share is never named"
    assert "还差 60" in view.text


async def test_invite_codes_carry_96_random_bits() -> None:
    assert INVITE_BYTES * 8 >= 64
    codes = {new_invite_code() for _ in range(1000)}
    assert len(codes) == 1000 and all(is_valid_invite_code(c) for c in codes)
    assert len(secrets.token_urlsafe(INVITE_BYTES)) == 16


async def test_contact_who_forgets_loses_the_role(unit_chat: ChatHarness, unit_services: Services) -> None:
    chat = unit_chat
    await build_world(chat)
    await unit_services.users.delete(CONTACT)
    actor = await unit_services.units.actor(CONTACT, False)
    assert actor.contact_unit_id is None
    assert (await unit_services.units.membership(MEMBER)) is not None, "the unit and its members stay"
    await unit_services.users.delete(MEMBER)
    assert (await unit_services.units.membership(MEMBER)) is None
    [reply] = await chat.send(CONTACT2, "/unit")
    assert "大同某公司" in reply.text


def _totals(year: int, professional: int, public: int):  # type: ignore[no-untyped-def]
    from bot.domain.credits import YearTotals

    return YearTotals(year, professional, public)
