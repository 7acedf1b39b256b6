"""The role matrix: every privileged command and button × admin, contact, member, outsider — and forged
callback data. Each case is driven through the real Application; a refusal must be visible (a ⛔ toast or
message) and must change nothing."""

from __future__ import annotations

import pytest

from bot.domain.units import Action, Actor, Role, broadcast_scope, may, may_use_draft
from bot.infra.botapi_double import BotApiDouble
from bot.services import Services
from tests.auxil.harness import ADMIN_ID, ChatHarness
from tests.auxil.units import (
    CONTACT,
    CONTACT2,
    MEMBER,
    MEMBER2,
    OUTSIDER,
    build_world,
    received,
    wait_until,
)

ROLES = {"admin": ADMIN_ID, "contact": CONTACT, "member": MEMBER, "outsider": OUTSIDER}

# ---------------------------------------------------------------------- the pure rules
ADMIN = Actor(1, is_admin=True)
CONTACT_A = Actor(2, contact_unit_id=10)
MEMBER_A = Actor(3, member_unit_id=10)
OUTSIDER_A = Actor(4)

EXPECTED = {
    Action.DECIDE_APPLICATION: {ADMIN},
    Action.VIEW_STATS: {ADMIN},
    Action.LIST_MEMBERS: {CONTACT_A},
    Action.REMOVE_MEMBER: {CONTACT_A},
    Action.ROTATE_INVITE: {CONTACT_A},
    Action.UNIT_VIEW: {CONTACT_A},
    Action.STEP_DOWN: {CONTACT_A},
    Action.BROADCAST: {ADMIN, CONTACT_A},
    Action.LEAVE: {MEMBER_A},
    Action.SHARE: {MEMBER_A},
    Action.APPLY: {ADMIN, MEMBER_A, OUTSIDER_A},
    Action.JOIN: {ADMIN, CONTACT_A, MEMBER_A, OUTSIDER_A},
}


@pytest.mark.parametrize("action", list(Action))
def test_rule_table(action: Action) -> None:
    for actor in (ADMIN, CONTACT_A, MEMBER_A, OUTSIDER_A):
        assert may(actor, action) == (actor in EXPECTED[action]), (action, actor.roles)


def test_unit_scoped_rules_never_cross_units() -> None:
    for action in (Action.LIST_MEMBERS, Action.REMOVE_MEMBER, Action.ROTATE_INVITE, Action.BROADCAST):
        assert may(CONTACT_A, action, unit_id=10)
        assert not may(CONTACT_A, action, unit_id=11)
    assert not may(MEMBER_A, Action.LEAVE, unit_id=11)
    assert broadcast_scope(CONTACT_A) == ("unit", 10)
    assert broadcast_scope(ADMIN) == ("all", None)
    assert broadcast_scope(MEMBER_A) is None and broadcast_scope(OUTSIDER_A) is None
    assert OUTSIDER_A.roles == {Role.OUTSIDER}


def test_drafts_belong_to_their_author_while_they_hold_the_role() -> None:
    assert may_use_draft(CONTACT_A, 2, "unit", 10)
    assert not may_use_draft(CONTACT_A, 2, "unit", 11)
    assert not may_use_draft(ADMIN, 2, "unit", 10), "even an admin cannot send someone else's draft"
    assert not may_use_draft(Actor(2), 2, "unit", 10), "a former contact cannot send an old draft"
    assert may_use_draft(ADMIN, 1, "all", None)
    assert not may_use_draft(Actor(1), 1, "all", None), "nor a former admin"


# ---------------------------------------------------------------------- through the Application
def _refused(chat: ChatHarness, user: int, before_answers: int) -> bool:
    """A ⛔ toast (button) or ⛔ message (command) was the answer."""
    toasts = [str(a.get("text")) for a in chat.double.answers[before_answers:]]
    return any("⛔" in t for t in toasts) or "⛔" in (chat.texts(user)[-1] if chat.texts(user) else "")


async def _pending_application(chat: ChatHarness, svc: Services) -> int:
    await chat.send(555, "/unit apply 阳泉某公司")
    app = await svc.units.pending_application(555)
    assert app is not None
    return app.id


@pytest.mark.parametrize("verb", ["ok", "no"])
async def test_matrix_decide_application(unit_chat: ChatHarness, unit_services: Services, verb: str) -> None:
    chat = unit_chat
    await build_world(chat)
    app_id = await _pending_application(chat, unit_services)
    for role in ("contact", "member", "outsider", "admin"):
        user = ROLES[role]
        n = len(chat.double.answers)
        await chat.press(user, data=f"ua:{verb}:{app_id}")
        app = await unit_services.units.get_application(app_id)
        assert app is not None
        if role == "admin":
            assert app.status == ("approved" if verb == "ok" else "rejected")
        else:
            assert _refused(chat, user, n), role
            assert app.status == "pending", role


@pytest.mark.parametrize("how", ["command", "button"])
async def test_matrix_list_members(unit_chat: ChatHarness, how: str) -> None:
    chat = unit_chat
    await build_world(chat)
    for role, user in ROLES.items():
        n = len(chat.double.answers)
        if how == "command":
            await chat.send(user, "/unit members")
        else:
            await chat.press(user, data="um:list")
        if role == "contact":
            assert "成员 1 人" in chat.texts(user)[-1] and "User201" in chat.texts(user)[-1]
        else:
            assert _refused(chat, user, n), role
            assert "User201" not in chat.texts(user)[-1]


@pytest.mark.parametrize("how", ["command", "button"])
async def test_matrix_rotate_invite(unit_chat: ChatHarness, unit_services: Services, how: str) -> None:
    chat = unit_chat
    world = await build_world(chat)
    for role in ("admin", "member", "outsider", "contact"):
        user = ROLES[role]
        n = len(chat.double.answers)
        if how == "command":
            await chat.send(user, "/unit rotate")
        else:
            await chat.press(user, data="um:rot")
        unit = await unit_services.units.by_code(world.code)
        if role == "contact":
            assert unit is None, "the old code stopped working"
        else:
            assert _refused(chat, user, n), role
            assert unit is not None, role


async def test_matrix_remove_member_and_forged_member_ids(
    unit_chat: ChatHarness, unit_services: Services
) -> None:
    chat = unit_chat
    await build_world(chat)
    for role in ("admin", "member", "outsider"):
        user = ROLES[role]
        n = len(chat.double.answers)
        await chat.press(user, data=f"um:rm:{MEMBER}:y")
        assert _refused(chat, user, n), role
        assert await unit_services.units.membership(MEMBER) is not None
    # A contact forging the id of another unit's member, or garbage, is refused too.
    for forged in (f"um:rm:{MEMBER2}", f"um:rm:{MEMBER2}:y", f"um:rm:{OUTSIDER}:y"):
        n = len(chat.double.answers)
        await chat.press(CONTACT, data=forged)
        assert _refused(chat, CONTACT, n), forged
    for garbage in ("um:rm:abc", "um:rm:"):  # not the shape of any button: no longer valid
        await chat.press(CONTACT, data=garbage)
        assert "失效" in str(chat.double.answers[-1].get("text")), garbage
    assert await unit_services.units.membership(MEMBER2) is not None
    await chat.press(CONTACT, data=f"um:rm:{MEMBER}")
    assert await unit_services.units.membership(MEMBER) is not None, "the first press only asks"
    await chat.press(CONTACT, data=f"um:rm:{MEMBER}:y")
    assert await unit_services.units.membership(MEMBER) is None


async def test_matrix_broadcast_command(unit_chat: ChatHarness) -> None:
    chat = unit_chat
    await build_world(chat)
    for role, user in ROLES.items():
        [reply] = await chat.send(user, "/broadcast")
        if role in {"admin", "contact"}:
            assert "请发送要群发的通知内容" in reply.text, role
        else:
            assert reply.text.startswith("⛔"), role


async def test_matrix_broadcast_buttons_and_forged_drafts(
    unit_chat: ChatHarness, unit_services: Services, double: BotApiDouble
) -> None:
    chat = unit_chat
    await build_world(chat)
    await chat.send(CONTACT, "/broadcast")
    await chat.send(CONTACT, "联系人的草稿")
    draft = (await unit_services.broadcasts.history(CONTACT), await unit_services.broadcasts.get(1))[1]
    assert draft is not None and draft.status == "preview"
    for role in ("admin", "member", "outsider"):
        for verb in ("send", "cancel"):
            user = ROLES[role]
            n = len(chat.double.answers)
            await chat.press(user, data=f"bc:{verb}:{draft.id}")
            assert _refused(chat, user, n), (role, verb)
    # The other unit's contact cannot send it either, nor can anyone press made-up ids.
    for forged in (f"bc:send:{draft.id}", "bc:send:999"):
        n = len(chat.double.answers)
        await chat.press(CONTACT2, data=forged)
        assert _refused(chat, CONTACT2, n), forged
    for garbage in ("bc:send:x", "bc:nuke:1"):  # not the shape of any button: no longer valid
        await chat.press(CONTACT2, data=garbage)
        assert "失效" in str(chat.double.answers[-1].get("text")), garbage
    assert (await unit_services.broadcasts.get(draft.id)).status == "preview"  # type: ignore[union-attr]
    await chat.press(CONTACT, data=f"bc:send:{draft.id}")
    await wait_until(lambda: received(double, MEMBER, "联系人的草稿") == 1)
    assert received(double, MEMBER2, "联系人的草稿") == 0


@pytest.mark.parametrize("data", ["share:y", "um:leave:y"])
async def test_matrix_member_buttons(unit_chat: ChatHarness, unit_services: Services, data: str) -> None:
    chat = unit_chat
    await build_world(chat)
    for role in ("admin", "contact", "outsider"):
        user = ROLES[role]
        n = len(chat.double.answers)
        await chat.press(user, data=data)
        assert _refused(chat, user, n), role
    n = len(chat.double.answers)
    await chat.press(MEMBER, data=data)
    assert not _refused(chat, MEMBER, n)
    member = await unit_services.units.membership(MEMBER)
    assert (member is None) if data == "um:leave:y" else (member is not None and member.share)


async def test_a_contact_who_lost_the_role_cannot_send_an_old_draft(
    unit_chat: ChatHarness, unit_services: Services, double: BotApiDouble
) -> None:
    chat = unit_chat
    await build_world(chat)
    await chat.send(CONTACT, "/broadcast")
    await chat.send(CONTACT, "旧草稿")
    async with unit_services.db.transaction() as conn:
        await conn.execute("UPDATE units SET contact_id = NULL WHERE contact_id = ?", (CONTACT,))
    n = len(chat.double.answers)
    await chat.press(CONTACT, "发送")
    assert _refused(chat, CONTACT, n)
    await chat.send(MEMBER, "/unit")
    assert received(double, MEMBER, "旧草稿") == 0
