"""Close calls among three or more topics, as a user sees them in the chat: a hedged answer (the likeliest topic
answered, the next two in short form, buttons to their full answers) instead of a question back."""

from __future__ import annotations

import json
from pathlib import Path

from tests.auxil.harness import ADMIN_ID, ChatHarness
from tests.test_cli import _run


async def test_a_three_way_close_call_is_answered_with_its_alternatives_and_buttons(chat: ChatHarness) -> None:
    [reply] = await chat.send(31, "会计之星报名缴费怎么弄")
    intro, _, rest = reply.text.partition("\n\n")
    lead, *others = rest.split("\n\n如果您问的是「")
    assert "不确定" in intro and "「" in intro  # says plainly it is a guess, and which topic it took
    assert "缴费" in lead and "「" in lead and "—— 晋财会〔2026〕7号" in lead  # the leader, its clause cited
    assert len(others) == 2 and all("—— 晋财会〔2026〕7号" in o for o in others)
    labels = [label for label, _ in reply.buttons]
    assert labels[:2] == [f"完整答案：{o.split('」')[0]}" for o in others]
    assert labels[2:] == ["👍 有帮助", "👎 没答对"] and reply.buttons[3][1] == "fb:-:payment"  # on the leader

    [full] = await chat.press(31, labels[1])
    assert "「" in full.text and full.text.startswith(others[1].split("」：")[1][:10])  # the notice's own words

    [report] = await chat.send(ADMIN_ID, "/misses")  # a close call still tells the curators what to settle
    assert "会计之星报名缴费怎么弄" in report.text and "31" not in report.text


async def test_a_button_to_an_alternative_that_is_gone_is_answered_kindly(chat: ChatHarness) -> None:
    [reply] = await chat.send(32, "会计之星报名缴费怎么弄")
    await chat.press(32, data="faq:no-longer-here", message=reply)
    assert chat.last_answer(32) == "这个话题已经更新，请重新提问。"


async def test_an_english_close_call_is_hedged_in_english(chat: ChatHarness) -> None:
    [reply] = await chat.send(33, "What if I studied but the credits don't show and I can't log in?", lang="en")
    assert reply.text.startswith("I'm not sure which of these you mean")
    assert reply.text.count("If you meant \"") == 2 and "— 晋财会〔2026〕7号" in reply.text
    labels = [label for label, _ in reply.buttons]
    assert [label.split(":")[0] for label in labels[:2]] == ["Full answer", "Full answer"]
    assert len(labels) == 4  # and the 👍/👎 row


def test_ask_json_lists_every_topic_a_hedge_shows(tmp_path: Path) -> None:
    proc = _run(["ask", "--json", "会计之星报名缴费怎么弄"], tmp_path)
    [line] = [json.loads(x) for x in proc.stdout.splitlines()]
    assert len(line["topics"]) == 3 and line["topics"][0] == "payment"
    assert line["answer"].count("\n—— 晋财会") == 3 and line["sources"]  # each topic with its citation
