"""Credits in the chat: /credits, /add, /history with undo, /profile, /mydata, /forget, free-text statements."""

from __future__ import annotations

import pytest

from bot.parsing.numbers import fmt_number
from bot.services import Services
from tests.auxil.harness import ChatHarness

USER = 3131


async def _stored(services: Services, user: int = USER) -> dict[int, tuple[str, str]]:
    totals = await services.credits.totals_by_year(user)
    return {y: (fmt_number(t.professional), fmt_number(t.public)) for y, t in totals.items()}


async def test_credits_sets_totals_and_says_what_is_missing(chat: ChatHarness, services: Services) -> None:
    [reply] = await chat.send(USER, "/credits 专业 40 公需 30")
    assert "已保存" in reply.text
    assert "还需至少20学分" in reply.text and "至少20学分须为专业科目" in reply.text
    assert "还剩35天" in reply.text
    [status] = await chat.send(USER, "/credits")
    assert "没达标" in status.text and "20" in status.text
    assert await _stored(services) == {2026: ("40", "30")}


@pytest.mark.parametrize(
    ("command", "expected"),
    [("/credits 专业 60 公需 30", "已达标"), ("/credits 专业 100 公需 0", "已达标"),
     ("/credits 总 95 专业 50", "还需至少10学分"), ("/credits 专业 四十 公需 三十", "还需至少20学分"),
     ("/credits professional 60 public 30", "已达标")],
)
async def test_credits_figures(chat: ChatHarness, command: str, expected: str) -> None:
    [reply] = await chat.send(USER, command)
    assert expected in reply.text


async def test_credits_for_another_year(chat: ChatHarness, services: Services) -> None:
    await chat.send(USER, "/credits 2025 专业 50 公需 30")
    assert await _stored(services) == {2025: ("50", "30")}
    [status] = await chat.send(USER, "/credits 2025")
    assert "2025" in status.text and "50" in status.text


async def test_add_history_and_undo(chat: ChatHarness, services: Services) -> None:
    await chat.send(USER, "/credits 专业 40 公需 30")
    [added] = await chat.send(USER, "/add 专业 6 管理会计实务")
    assert "管理会计实务" in added.text and "46" in added.text
    [history] = await chat.send(USER, "/history")
    assert "管理会计实务" in history.text and history.text.index("管理会计实务") < history.text.index("总数")
    [undone] = await chat.press(USER, "撤销")
    assert "已撤销" in undone.text
    assert await _stored(services) == {2026: ("40", "30")}


async def test_an_old_undo_button_cannot_undo_something_else(chat: ChatHarness, services: Services) -> None:
    await chat.send(USER, "/credits 专业 40 公需 30")
    old_message, old_data = chat.find_button(USER, "撤销")
    await chat.send(USER, "/add 公需 5 职业道德")
    await chat.press(USER, data=old_data, message=old_message)
    assert "失效" in (chat.last_answer(USER) or "")
    assert await _stored(services) == {2026: ("40", "35")}


async def test_free_text_statement_is_assessed_and_can_be_saved(chat: ChatHarness, services: Services) -> None:
    [reply] = await chat.send(USER, "我专业课修了40分，公需30分，够吗")
    assert "还需至少20学分" in reply.text
    assert await _stored(services) == {}
    [saved] = await chat.press(USER, "保存")
    assert "已保存" in saved.text
    assert await _stored(services) == {2026: ("40", "30")}


async def test_forged_save_button_is_refused(chat: ChatHarness, services: Services) -> None:
    await chat.send(USER, "/start")
    for data in ("cs:2026:abc:1", "cs:2026", "cs:2026:-:-", "cs:x:1:1"):
        await chat.press(USER, data=data)
        assert "失效" in (chat.last_answer(USER) or ""), data
    for data, rule in (("cs:2026:5000:0", "最多200学分"), ("cs:1999:10:10", "不能记录"), ("cs:2026:-5:10", "负数"),
                       ("cs:2026:10.35:1", "一位小数"), ("cs:2026:NaN:1", "不是有效的数字")):
        [told] = await chat.press(USER, data=data)
        assert "没有保存" in (chat.last_answer(USER) or ""), data
        assert rule in told.text, (data, told.text)
    assert await _stored(services) == {}


async def test_profile_changes_whether_this_year_is_required(chat: ChatHarness) -> None:
    [shown] = await chat.send(USER, "/profile")
    assert "/profile 初级 2026" in shown.text
    [reply] = await chat.send(USER, "/profile 初级 2026")
    assert "初级" in reply.text and "2027" in reply.text
    [bad] = await chat.send(USER, "/profile 初级 2099")
    assert "年份" in bad.text


BAD_INPUTS = [
    "/credits 专业 -5 公需 30", "/credits 专业 1200", "/credits 专业 600 公需 600", "/credits 总 50 专业 60",
    "/credits 体育 30", "/credits 2017 专业 50", "/credits 2031 专业 50", "/credits 专业 abc",
    "/credits 专业 四十五点", "/credits 专业", "/credits 专业 40 专业 50", "/credits 总 95",
    "/credits 😀😀", "/credits ！！", "/add", "/add 专业", "/add 专业 -3 课", "/add 专业 201 课",
    "/add 体育 6 跑步", "/add 专业 abc 课", "/add 专业 6 课 2026-02-30", "/add 专业 6 课 2027-01-05",
    "/add 考试 1科 中级会计实务", "/add 论文 1篇 某论文", "/add 2017 专业 6 课", "/add 专业 0 课",
    "/add 专业 6.3.2 课", "/credits 公需 40 专业 30 总 50", "/credits 9999999999999999 专业", "/add 公需 1e9 x",
]


@pytest.mark.parametrize("text", BAD_INPUTS)
async def test_bad_input_is_answered_clearly_and_nothing_is_stored(
    chat: ChatHarness, services: Services, text: str
) -> None:
    replies = await chat.send(USER, text)
    assert replies, "the user always gets an answer"
    reply = replies[-1].text
    assert "已保存" not in reply and "已添加" not in reply
    assert any(hint in reply for hint in ("/credits", "/add", "例如", "请")), "it says what to type instead"
    assert await _stored(services) == {}
    assert await services.credits.entries(USER) == []


async def test_mydata_lists_everything_and_forget_removes_it(chat: ChatHarness, services: Services) -> None:
    await chat.send(USER, "/credits 专业 40 公需 30")
    await chat.send(USER, "/profile 中级 2019")
    await chat.send(USER, "/remind 12月20日上午9点 去选课")
    await chat.press(USER, "确认")
    replies = await chat.send(USER, "/mydata")
    text = "\n".join(r.text for r in replies)
    assert "2026年 专业科目 共 40 学分" in text and "会计资格 中级（取得年份 2019）" in text
    assert "2026-12-20 09:00 去选课" in text, "dates in local time"
    assert "第一次使用：2026-11-27 10:00" in text
    assert "不记录是谁问的" in text, "what is kept anonymously is said"
    for internal in ("claim_token", "batch", "summary_id", "{", "user_id", "1795"):
        assert internal not in text, internal
    await chat.send(USER, "/forget")
    await chat.press(USER, "确认删除")
    assert "已删除" in chat.texts(USER)[-1]
    assert await services.personal.export(USER) == {}


async def test_forget_cancel_and_stale_confirmation_keep_the_data(
    chat: ChatHarness, services: Services, clock
) -> None:
    from datetime import timedelta

    await chat.send(USER, "/credits 专业 40 公需 30")
    await chat.send(USER, "/forget")
    await chat.press(USER, "取消")
    assert await _stored(services) == {2026: ("40", "30")}
    await chat.send(USER, "/forget")
    message, data = chat.find_button(USER, "确认删除")
    clock.advance(timedelta(hours=1))
    await chat.press(USER, data=data, message=message)
    assert "失效" in (chat.last_answer(USER) or "")
    assert await _stored(services) == {2026: ("40", "30")}


async def test_other_users_are_untouched(chat: ChatHarness, services: Services) -> None:
    await chat.send(USER, "/credits 专业 40 公需 30")
    await chat.send(USER + 1, "/credits 专业 60 公需 30")
    await chat.send(USER, "/forget")
    await chat.press(USER, "确认删除")
    assert await _stored(services, USER + 1) == {2026: ("60", "30")}


async def test_conversion_question_names_its_source(chat: ChatHarness) -> None:
    [reply] = await chat.send(USER, "面授8个学时算多少学分")
    assert "24" in reply.text and "晋财会〔2021〕23号" in reply.text


@pytest.mark.parametrize(
    ("statement", "expected"),
    [("我学了100分都是专业课", "已达标"), ("已经有90学分，全是公需", "至少60学分须为专业科目"),
     ("我有80分，专业的50", "还需至少10学分"), ("公需修完了30，专业才20", "还需至少40学分")],
)
async def test_statement_forms(chat: ChatHarness, statement: str, expected: str) -> None:
    [reply] = await chat.send(USER, statement)
    assert expected in reply.text


async def test_a_lone_total_below_the_minimum_says_what_is_missing_and_asks_for_the_split(
    chat: ChatHarness, services: Services
) -> None:
    [reply] = await chat.send(USER, "我现在有60学分")
    assert "还差至少30学分" in reply.text and "专业" in reply.text
    assert await _stored(services) == {}


async def test_a_carry_over_question_with_figures_gets_the_carry_over_rule(chat: ChatHarness) -> None:
    [reply] = await chat.send(USER, "今年学了150学分，多的能算到明年吗")
    assert reply.text.startswith("不能") and "不再结转以后年度" in reply.text
