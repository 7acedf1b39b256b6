"""/stats: admins see usage and unanswered questions; everyone else is refused."""

from __future__ import annotations

from tests.auxil.harness import ADMIN_ID, ChatHarness


async def test_admin_sees_usage_and_unanswered_questions(chat: ChatHarness) -> None:
    await chat.send(11, "/start")
    await chat.send(12, "帮我写一首诗")
    [report] = await chat.send(ADMIN_ID, "/stats")
    assert "用户总数 3" in report.text
    assert "帮我写一首诗" in report.text
    assert "[" not in report.text and "not_found" not in report.text, "plain words, not internal codes"
    assert "帮我写一首诗（没找到）" in report.text or "帮我写一首诗（拿不准）" in report.text


async def test_non_admin_is_refused(chat: ChatHarness) -> None:
    await chat.send(12, "帮我写一首诗")
    [reply] = await chat.send(12, "/stats")
    assert "管理员" in reply.text and "帮我写一首诗" not in reply.text
