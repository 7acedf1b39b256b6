"""👍/👎 under answers, and the admins' /misses: what users could not get answered, grouped, without who."""

from __future__ import annotations

from bot.bootstrap import build_services
from bot.domain.clock import ManualClock
from bot.infra.botapi_double import BotApiDouble
from bot.infra.config import Settings
from tests.auxil.harness import ADMIN_ID, ChatHarness, running_chat


async def test_an_answer_carries_feedback_buttons_and_thumbs_down_reaches_misses(chat: ChatHarness) -> None:
    [answer] = await chat.send(21, "每年需要多少学分")
    assert "90" in answer.text
    assert [label for label, _ in answer.buttons] == ["👍 有帮助", "👎 没答对"]

    await chat.press(21, "👎")
    assert chat.last_answer(21) == "谢谢反馈！"
    assert chat.double.chat(21)[-1].buttons == []  # the buttons go away once used

    await chat.send(22, "帮我写一首诗")
    await chat.send(23, "帮我写一首诗？")
    [report] = await chat.send(ADMIN_ID, "/misses")
    lines = report.text.splitlines()
    assert lines[1].startswith("2 · 帮我写一首诗") and lines[1].endswith("没找到")  # why each is listed
    assert any(line.startswith("1 · 每年需要多少学分 · credits-total") and line.endswith("点了👎") for line in lines)
    assert "21" not in report.text and "22" not in report.text  # no user ids anywhere


async def test_thumbs_up_is_thanked_and_stores_nothing(chat: ChatHarness) -> None:
    await chat.send(21, "补学什么时候")
    await chat.press(21, "👍")
    assert chat.last_answer(21) == "谢谢反馈！"
    [report] = await chat.send(ADMIN_ID, "/misses")
    assert "补学" not in report.text


async def test_forged_feedback_data_is_refused_and_misses_is_for_admins(chat: ChatHarness) -> None:
    await chat.send(21, "每年需要多少学分")
    await chat.press(21, data="fb:-:../../etc")
    assert chat.last_answer(21) == "这个话题已经更新，请重新提问。"
    [reply] = await chat.send(21, "/misses")
    assert "管理员" in reply.text


async def test_mydata_describes_the_anonymous_question_log(chat: ChatHarness) -> None:
    replies = await chat.send(21, "/mydata")
    assert "90天" in replies[-1].text and "👎" in replies[-1].text


async def test_buttons_sent_before_a_merge_and_a_restart_still_work(settings: Settings, clock: ManualClock) -> None:
    """Two FAQ entries merged into one: 👍/👎 and topic buttons already in users' chats name the old id. After a
    restart (the asked questions are no longer in memory) they reach the merged entry, and /misses counts a 👎
    under the merged entry's current id."""
    double = BotApiDouble()
    async with running_chat(build_services(settings, clock=clock), double) as chat:
        [answer] = await chat.send(21, "每年需要多少学分")
    services = build_services(settings, clock=clock)
    merged = next(tp for tp in services.kb.topics if tp.entry.replaces)
    old = merged.entry.replaces[0]
    async with running_chat(services, double) as chat:
        await chat.press(21, data=f"fb:+:{old}", message=answer)
        assert chat.last_answer(21) == "谢谢反馈！"
        await chat.press(21, data=f"fb:-:{old}", message=answer)
        assert chat.last_answer(21) == "谢谢反馈！"
        [shown] = await chat.press(21, data=f"faq:{old}", message=answer)
        assert shown.text.startswith(merged.answer("zh")[:20])
        [report] = await chat.send(ADMIN_ID, "/misses")
    assert f"1 · [{merged.id}] · {merged.id}" in report.text, report.text
    assert old not in report.text
