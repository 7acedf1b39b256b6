"""Follow-up questions in a conversation ("那专业课呢" right after an answer), through the real Application.

The chat's last answered question is kept in memory only; a short message that leans on it is read with it
when that changes a word of it, or when the message alone gets no confident answer.
"""

from __future__ import annotations

import sqlite3
from datetime import timedelta

from bot.domain.clock import ManualClock
from bot.infra.config import Settings
from bot.parsing.questions import follow_up_focus, with_previous
from tests.auxil.harness import ChatHarness


async def test_a_follow_up_is_read_with_the_previous_question(chat: ChatHarness) -> None:
    [first] = await chat.send(31, "公需课要多少学分")
    assert "60" in first.text
    [reply] = await chat.send(31, "那专业课呢")
    assert reply.text.startswith("（接着上一个问题，按“专业课要多少学分”回答）")
    assert "专业科目一般不少于60学分" in reply.text and "—— 晋财会〔2026〕7号 第四条" in reply.text
    assert [label for label, _ in reply.buttons] == ["👍 有帮助", "👎 没答对"]


async def test_a_follow_up_changes_the_year_asked_about_and_chains(chat: ChatHarness) -> None:
    """"那明年呢" after a question about oneself is the same person's question for next year; a second follow-up
    builds on the first."""
    [first] = await chat.send(32, "我2026年考过初级，今年要学吗")
    assert first.text.startswith("不需要")
    [reply] = await chat.send(32, "那明年呢")
    assert "明年" in reply.text.splitlines()[0] and "需要。" in reply.text and "2027年需要参加" in reply.text


async def test_a_follow_up_in_english(chat: ChatHarness) -> None:
    await chat.send(33, "When is the deadline?", lang="en")
    [reply] = await chat.send(33, "And next year?", lang="en")
    assert reply.text.startswith('(Read with your previous question as: "When is the deadline (next year)?")')
    assert "2027" in reply.text and "not published yet" in reply.text


async def test_without_a_previous_question_a_follow_up_is_answered_alone(chat: ChatHarness) -> None:
    [reply] = await chat.send(34, "那专业课呢")
    assert "接着上一个问题" not in reply.text
    # Another chat's question is not this chat's context.
    await chat.send(35, "公需课要多少学分")
    [again] = await chat.send(34, "那专业课呢")
    assert "接着上一个问题" not in again.text


async def test_a_full_question_is_never_read_with_the_previous_one(chat: ChatHarness) -> None:
    await chat.send(36, "公需课要多少学分")
    [reply] = await chat.send(36, "补学什么时候")
    assert "接着上一个问题" not in reply.text and "2026年4月1日" in reply.text


async def test_the_previous_question_is_forgotten_after_a_while(chat: ChatHarness, clock: ManualClock) -> None:
    await chat.send(37, "公需课要多少学分")
    clock.advance(timedelta(hours=1))
    [reply] = await chat.send(37, "那专业课呢")
    assert "接着上一个问题" not in reply.text


async def test_the_previous_question_is_kept_in_memory_only(chat: ChatHarness, settings: Settings) -> None:
    await chat.send(38, "公需课要多少学分")
    [reply] = await chat.send(38, "那专业课呢")
    assert "接着上一个问题" in reply.text
    with sqlite3.connect(settings.database_path) as db:
        tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            for row in db.execute(f'SELECT * FROM "{table}"'):  # table names from sqlite_master
                assert not any(isinstance(v, str) and ("公需课" in v or "专业课" in v) for v in row), table


def test_what_reads_as_a_follow_up() -> None:
    assert follow_up_focus("那专业课呢") == "专业课"
    assert follow_up_focus("那如果是初级呢？") == "初级"
    assert follow_up_focus("what about public courses?") == "public courses"
    assert follow_up_focus("继续教育学分可以结转到明年吗") is None
    assert follow_up_focus("好的呢") is None and follow_up_focus("那好吧") is None
    assert follow_up_focus("How many credits do I need?") is None
    assert follow_up_focus("那么请问一下继续教育一年到底需要修满多少个学分呢") is None  # a question of its own


def test_a_follow_up_replaces_the_word_of_its_kind() -> None:
    assert with_previous("公需课要多少学分", "专业课") == ("专业课要多少学分", True)
    assert with_previous("我2019年考过中级，今年还要学吗", "明年") == ("我2019年考过中级,明年还要学吗", True)
    assert with_previous("补学什么时候", "面授") == ("面授补学什么时候", False)
    assert with_previous("When is the deadline?", "next year") == ("When is the deadline (next year)?", False)
    assert with_previous("How many professional credits do I need?", "public") == (
        "How many public credits do I need?", True)


async def test_a_follow_up_after_a_tapped_topic_reads_on_from_its_title(chat: ChatHarness) -> None:
    """The FAQ menu or a "did you mean" button answers a topic; a follow-up then reads on from its title."""
    await chat.send(39, "/start")
    await chat.press(39, "常见问题")
    await chat.press(39, "学习截止时间")
    [reply] = await chat.send(39, "那明年呢")
    assert reply.text.startswith("（接着上一个问题，按“明年") and "2027" in reply.text
