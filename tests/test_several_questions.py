"""Several questions in one message, as a user sees them in the chat (issue 11, item 3): the parts it is sure of
answered in full with their citations, a part with several close readings in compact form (its likeliest topic's
short answer with its citation, the other topics named, a button to each full answer), a part that finds nothing
said so in a line, and questions past the third listed to be sent again."""

from __future__ import annotations

from tests.auxil.harness import ADMIN_ID, ChatHarness


async def test_a_part_with_several_close_readings_gets_its_likeliest_answer_and_the_others_as_buttons(
        chat: ChatHarness) -> None:
    # Alone, "会计之星报名缴费怎么弄" is a close call among paying, a failed payment and the enrolment steps.
    [reply] = await chat.send(41, "每年要多少学分？会计之星报名缴费怎么弄？")
    full, compact = reply.text.split("\n\n关于“会计之星报名缴费怎么弄?”：")
    assert "90学分" in full and full.count("—— 晋财会〔2026〕7号") == 1  # the part it is sure of, in full
    assert compact.startswith("我不太确定，最可能是「")
    lead, others = compact.split("\n也可能是")
    assert "缴费" in lead and "\n—— 晋财会〔2026〕7号" in lead  # the likeliest, short, with its citation
    labels = [label for label, _ in reply.buttons]
    named = others.split("，")[0].split("、")
    assert labels[:3] == [f"完整答案：{t.strip('「」')}" for t in [lead.split("」")[0].split("「")[1], *named]]
    assert labels[3:] == ["👍 有帮助", "👎 没答对"] and reply.buttons[4][1] == "fb:-:credits-total"  # on the full one

    [pressed] = await chat.press(41, labels[1])  # one of the others, in full with the notice's own words
    assert "「" in pressed.text and "——" in pressed.text

    # The part left open tells the curators what to settle, as itself; the part answered does not.
    [report] = await chat.send(ADMIN_ID, "/misses")
    assert "会计之星报名缴费怎么弄" in report.text and "每年要多少学分" not in report.text and "41" not in report.text


async def test_a_part_that_finds_nothing_is_said_so_for_that_part(chat: ChatHarness) -> None:
    [reply] = await chat.send(42, "每年要多少学分？股票怎么买？")
    assert "90学分" in reply.text
    assert reply.text.endswith("关于“股票怎么买?”：没有找到相关内容，我只能回答山西会计人员继续教育的问题。")
    [reply] = await chat.send(42, "How many credits a year? How do I buy shares?", lang="en")
    assert "90 credits" in reply.text and reply.text.endswith(
        "On \"How do I buy shares?\": I found nothing; I can only answer questions about Shanxi accountants' "
        "continuing education.")


async def test_questions_past_the_third_are_listed_to_be_sent_again(chat: ChatHarness) -> None:
    [reply] = await chat.send(43, "截止哪天？网课几号开始？补学什么时候？专业课要多少学分？")
    assert reply.text.count("—— 晋财会〔2026〕7号") == 3
    assert reply.text.endswith("您这次问了4个问题，我先回答了前3个。下面的请分开再发一次：“专业课要多少学分?”")
    [again] = await chat.send(43, "专业课要多少学分？")  # sent on its own, it is answered
    assert "60学分" in again.text
    [reply] = await chat.send(43, "1. Who must study? 2. How many credits? 3. When is the deadline? "
                                  "4. Where do I pay? 5. Can credits carry over?", lang="en")
    assert reply.text.endswith("You asked 5 questions and I answered the first 3. Please send these again "
                               "separately: \"Where do I pay?\", \"Can credits carry over?\"")


async def test_numbered_and_linked_questions_are_each_answered(chat: ChatHarness) -> None:
    """However the questions are set apart (numbers, circled numbers, lines, "另外", "and also"), each is answered
    with its citation and none is read as part of another."""
    for uid, message, facts in [
        (44, "①每年要多少学分②学分能结转到明年吗", ("90学分", "不再结转")),
        (45, "一、补学什么时候开始\n二、继续教育在哪个网站报名", ("2026年4月1日", "kjzx.cn")),
        (46, "每年要多少学分？另外学分能结转到明年吗", ("90学分", "不再结转")),
        (47, "How many credits do I need a year and also can they be carried over to next year?",
         ("90 credits", "carried")),
    ]:
        [reply] = await chat.send(uid, message, lang="en" if message.isascii() else "zh")
        assert all(fact in reply.text for fact in facts), (message, reply.text)
        assert reply.text.count("7号") >= 2 and "另外学分" not in reply.text


async def test_a_sentence_holding_two_questions_among_others_is_split_too(chat: ChatHarness) -> None:
    [reply] = await chat.send(48, "How many credits a year, and also where do I pay? What is the weather like?",
                              lang="en")
    assert "90 credits" in reply.text and "kjzx.cn" in reply.text and reply.text.count("— 晋财会") == 2
    assert reply.text.endswith("On \"What is the weather like?\": I found nothing; I can only answer questions about "
                               "Shanxi accountants' continuing education.")


async def test_a_part_that_leans_on_an_earlier_one_is_offered_its_readings_once(chat: ChatHarness) -> None:
    """"多久能更新" alone could be anything that is updated; after "学分怎么查询" its readings include when the credits
    reach the national platform. No topic is offered twice."""
    [reply] = await chat.send(49, "学分怎么查询？多久能更新？")
    assert "关于“多久能更新?”：我不太确定" in reply.text
    labels = [label for label, _ in reply.buttons]
    assert "完整答案：学分何时到全国平台" in labels and len(labels) == len(set(labels))


async def test_a_message_sure_of_no_part_still_gets_each_part_in_compact_form(chat: ChatHarness) -> None:
    """Read as one, "会计之星报名缴费怎么弄？股票怎么买？" finds nothing; read part by part, the first is a close call
    worth its likeliest answer and the second is out of scope."""
    [reply] = await chat.send(50, "会计之星报名缴费怎么弄？股票怎么买？")
    first, second = reply.text.split("\n\n")
    assert first.startswith("关于“会计之星报名缴费怎么弄?”：我不太确定，最可能是「") and "—— 晋财会〔2026〕7号" in first
    assert second == "关于“股票怎么买?”：没有找到相关内容，我只能回答山西会计人员继续教育的问题。"
    assert reply.buttons[-1][1].startswith("fb:-:pay")  # 👍/👎 on the likeliest reading


async def test_a_lead_in_that_only_announces_the_questions_is_not_read_as_one(chat: ChatHarness) -> None:
    [reply] = await chat.send(51, "two things: 1) credits for professional subjects 2) where to pay", lang="en")
    assert "60 credits" in reply.text and "kjzx.cn" in reply.text and "two things" not in reply.text


async def test_a_question_sent_again_with_its_list_number_is_answered(chat: ChatHarness) -> None:
    """The reply to a long list asks for the rest to be sent again: "2. 学分不对找谁" is answered as the question (with
    its number it found nothing)."""
    [reply] = await chat.send(52, "2. 学分不对找谁")
    [plain] = await chat.send(53, "学分不对找谁")
    assert "财政" in reply.text and reply.text == plain.text


async def test_the_parts_are_answered_in_the_order_they_were_asked(chat: ChatHarness) -> None:
    """A first part left in compact form (a close call) still comes first: the reply never opens with another
    part's answer, whichever parts the thresholds leave sure. 👍/👎 stay on the part answered in full."""
    [reply] = await chat.send(54, "会计之星报名缴费怎么弄？每年要多少学分？")
    compact, full = reply.text.split("\n\n", 1)
    assert compact.startswith("关于“会计之星报名缴费怎么弄?”：我不太确定，最可能是「") and "缴费" in compact
    assert "90学分" in full and "90学分" not in compact
    assert reply.buttons[-1][1] == "fb:-:credits-total"


async def test_a_message_sure_of_no_part_is_read_as_a_whole_first(chat: ChatHarness) -> None:
    """Each clause of "会计证都取消了，继续教育不学会怎么样，有没有罚款之类的" alone is a close call; read as one
    message it is a close call led by what happens if one does not study, answered as one question, not part by
    part."""
    [reply] = await chat.send(55, "会计证都取消了，继续教育不学会怎么样，有没有罚款之类的")
    assert reply.text.startswith("我不确定您问的是下面哪一项，先按最可能的「没学完有什么后果」回答：")
    assert "关于“" not in reply.text


async def test_a_close_call_that_another_part_answers_in_full_is_not_repeated(chat: ChatHarness) -> None:
    """"报名的时候一定要交钱吗" alone is a close call led by paying; "有没有免费的" is answered on paying in full, so
    the first part is that same answer, not a second reading of it that leads with something else."""
    [reply] = await chat.send(56, "报名的时候一定要交钱吗，有没有免费的")
    assert "关于“" not in reply.text and "收费标准" in reply.text
