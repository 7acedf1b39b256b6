"""The shape of a question: several in one message, yes/no first, and a person's own facts (issue 11)."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from bot.bootstrap import build_services
from bot.domain.clock import SHANGHAI, ManualClock
from bot.infra.config import Settings
from bot.parsing.questions import (
    PersonalFacts,
    asking_clause,
    is_yes_no,
    personal_facts,
    split_questions,
    stated_facts,
)


@pytest.mark.parametrize(("text", "parts"), [
    ("每年要多少学分？能不能结转到明年？", ["每年要多少学分?", "能不能结转到明年?"]),
    ("會計之星官網怎么登錄？信息采集步驟是什么？", ["会计之星官网怎么登录?", "信息采集步骤是什么?"]),
    ("我2019年考过中级，今年还要学吗", ["我2019年考过中级,今年还要学吗"]),  # a comma does not split context
    ("专业课最少多少，公需课最少多少", ["专业课最少多少", "公需课最少多少"]),  # ... but does split two questions
    ("我今年考过中级了，今年还要学吗，考试能抵学分吗", ["我今年考过中级了,今年还要学吗", "考试能抵学分吗"]),
    ("How many credits per year and can they be carried over?",
     ["How many credits per year", "can they be carried over?"]),
    ("补学什么时候？？？", ["补学什么时候?"]),
    ("a?b?c?d?", ["a?b?c?d?"]),  # no content in the parts: the message stays whole
    # All of them: the reply answers three and lists the rest (tests/test_several_questions.py).
    ("截止哪天？网课几号开始？补学呢？公需课呢？", ["截止哪天?", "网课几号开始?", "补学呢?", "公需课呢?"]),
    # The ways people set questions apart: lines, '；', numbers of every kind, a word opening the next question.
    ("截止日期是哪天\n没学完能补吗", ["截止日期是哪天", "没学完能补吗"]),
    ("老师好\n我去年考的初级\n今年要学吗", ["我去年考的初级,今年要学吗"]),  # lines that tell, with the question
    ("审计师要学吗；代账会计呢", ["审计师要学吗", "代账会计呢"]),
    ("1. 在哪个网站学？2. 一学时几学分？", ["在哪个网站学?", "一学时几学分?"]),
    ("1.截止时间\n2.没完成的影响", ["截止时间", "没完成的影响"]),  # a numbered item asks, whatever its form
    ("想问两个问题：1、学历教育能折学分吗 2、论文呢", ["学历教育能折学分吗", "论文呢"]),  # the lead-in says nothing
    ("我是出纳：1、要学吗 2、学多少", ["我是出纳,要学吗", "学多少"]),  # ... this one is context
    ("一、什么时候开始；二、网课什么时候学", ["什么时候开始", "网课什么时候学"]),
    ("①出纳要学吗②没证的会计要学吗", ["出纳要学吗", "没证的会计要学吗"]),
    ("(1)补学时间 (2)补学网址", ["补学时间", "补学网址"]),
    ("每年要多少学分？另外学分能结转吗？", ["每年要多少学分?", "学分能结转吗?"]),
    ("每年都要学吗，还有学分要求是多少", ["每年都要学吗", "学分要求是多少"]),
    ("高级职称也要学吗还有要学多少分", ["高级职称也要学吗", "要学多少分"]),
    ("能找人代学吗，顺便问一下同一门课学两遍算分吗", ["能找人代学吗", "同一门课学两遍算分吗"]),
    ("学分怎么查询 学分不对找谁 多久能更新", ["学分怎么查询", "学分不对找谁", "多久能更新"]),
    ("Can I study on a phone, and also is there an exam?", ["Can I study on a phone", "is there an exam?"]),
    # Not lists, not links: a figure, a year range, a question that has 还有 in it.
    ("学分是1.5还是2", ["学分是1.5还是2"]),
    ("每年要多少学分，第1、2年呢", ["每年要多少学分", "第1、2年呢"]),
    ("继续教育还有没有补学", ["继续教育还有没有补学"]),
    ("我还有30学分没学完，能补吗", ["我还有30学分没学完,能补吗"]),
    ("2023年我考过了1科，今年还要学吗", ["2023年我考过了1科,今年还要学吗"]),
    # A sentence that asks nothing is context for the question after it, not a question answered on its own.
    ("我去年从北京调到山西。北京学的学分山西认吗？", ["我去年从北京调到山西。,北京学的学分山西认吗?"]),
    ("I moved to Shanxi last year; I studied in Beijing. Are those credits valid here?",
     ["I moved to Shanxi last year,I studied in Beijing. Are those credits valid here?"]),
    ("网课几号开始？我去年考的初级，今年第一次学", ["网课几号开始?,我去年考的初级,今年第一次学"]),
    # A tag that checks the question before it is part of that question, not a question of its own.
    ("单位能不能给我安排学习时间，有没有规定", ["单位能不能给我安排学习时间,有没有规定"]),
    ("12月31号以后还能补吗？是真的吗？", ["12月31号以后还能补吗?,是真的吗?"]),
    # 不怎么 / 没怎么 is "hardly", not "how": the story, not a question of its own.
    ("我是卫生院的会计，领导也不怎么管这个，我想问问继续教育一年得学几分",
     ["我是卫生院的会计,领导也不怎么管这个,我想问问继续教育一年得学几分"]),
    # A call for anyone who knows is how a forum or group post opens or closes a question, not a question.
    ("有没有大佬知道，补学端口什么时候关的", ["有没有大佬知道,补学端口什么时候关的"]),
    ("学分在哪里查，有懂的吗", ["学分在哪里查,有懂的吗"]),
])
def test_split_questions(text: str, parts: list[str]) -> None:
    assert split_questions(text) == parts


@pytest.mark.parametrize(("text", "yes_no"), [
    ("学分能结转吗", True), ("是否需要打印证书", True), ("公需课学多了能顶专业课吗", True),
    ("Can the missing credits be supplemented?", True), ("I passed in 2025, do I need to study?", True),
    ("每年要多少学分", False), ("补学什么时候开始吗", False), ("How many credits do I need?", False),
    ("补学怎么补", False),
])
def test_is_yes_no(text: str, yes_no: bool) -> None:
    assert is_yes_no(text) is yes_no


@pytest.mark.parametrize(("text", "facts"), [
    ("我2019年考过中级，今年还要学吗", PersonalFacts(2019, None, 2026)),
    ("去年刚拿到中级证书，今年用不用参加继续教育", PersonalFacts(2025, None, 2026)),
    ("我今年刚拿到中级证，今年需要学吗？", PersonalFacts(2026, None, 2026)),
    ("我是2025年开始做会计的，没有证，今年要参加吗", PersonalFacts(None, 2025, 2026)),
    ("我2026年考过初级，明年要学吗", PersonalFacts(2026, None, 2027)),
    ("I got my junior certificate in 2025, do I need to study in 2026?", PersonalFacts(2025, None, 2026)),
    # English puts more words between the year and what happened then, on either side of the year.
    ("I passed the intermediate accounting exam in 2021. Do I need continuing education this year?",
     PersonalFacts(2021, None, 2026)),
    ("In 2021 I obtained my intermediate certificate, do I still need to study in 2026?",
     PersonalFacts(2021, None, 2026)),
    ("I started working as an accountant in 2024 without any certificate. Must I study this year?",
     PersonalFacts(None, 2024, 2026)),
    ("I have been working as an accountant since 2015, do I need to do continuing education this year?",
     PersonalFacts(None, 2015, 2026)),
    ("Since 2020 I have had my intermediate certificate, must I study in 2026?", PersonalFacts(2020, None, 2026)),
    ("我2025年考的中级，今年要学吗", PersonalFacts(2025, None, 2026)),
    ("我是2020年的中级，今年要不要继续教育", PersonalFacts(2020, None, 2026)),
    ("我22年拿的中级，今年要学吗", PersonalFacts(2022, None, 2026)),  # a two-digit year
    ("我刚考过初级，明年开始学吗", None),  # nobody qualified next year: the year asked about, not the event
    ("我22年拿的中级，现在要补学吗", None),  # a makeup question
    ("中级考过了今年还要学吗", None),  # when it was passed is not said
    ("2026年要多少学分", None),
    ("明年要生孩子，继续教育能缓一年吗", None),
    # The asker's facts with another question: where, how much, how many … is what they want answered.
    ("我是太原一家小公司的会计，去年刚考过初级，领导说今年开始要参加继续教育，请问应该去哪里报名啊？", None),
    ("我是去年考过初级的，今年第一次参加继续教育，请问专业课最少要学多少分？", None),
    ("I passed the junior exam in 2025. Where do I register for continuing education?", None),
    ("我2018年就拿到了初级证，前几年都学过了，今年还需要再学一遍吗？", PersonalFacts(2018, None, 2026)),
    ("我2025年考的初级，继续教育从哪年开始要学？", PersonalFacts(2025, None, 2026)),
    ("我2018年就拿到了初级证，前几年都学过了，今年还要学吗", PersonalFacts(2018, None, 2026)),  # 前几年 asks nothing
    ("我2021年拿到初级证，但一直没从事会计工作，还需要参加继续教育吗？", None),  # the not-working answer's question
    ("我是2019年考的中级会计师，今年的继续教育证书需要打印出来交给单位吗？", None),  # asks about a certificate
    # Other ways of asking "must I take part": still the verdict for that person.
    ("我2019年考过中级，今年还需要参加会计继续教育培训吗", PersonalFacts(2019, None, 2026)),
    ("我2019年考过中级，今年还得修学分吗", PersonalFacts(2019, None, 2026)),
    ("I passed the intermediate exam in 2019, am I required to take continuing education this year?",
     PersonalFacts(2019, None, 2026)),
    ("I passed the intermediate exam in 2019, is continuing education mandatory for me this year?",
     PersonalFacts(2019, None, 2026)),
    ("我2019年考过中级，今年需要交费吗", None),  # asks about paying
    # English names continuing education in many ways: "do CPE", "take CPD", "study".
    ("I got my intermediate certificate in 2024, do I need to do CPE in 2026?", PersonalFacts(2024, None, 2026)),
    ("Got my junior certificate in 2023, must I take CPD this year?", PersonalFacts(2023, None, 2026)),
    # A situation told as past, or one the asker came back from, is the story, not their situation now.
    ("我是去年九月份才入职的，之前一直在读书，没有会计证，今年要不要学继续教育啊", PersonalFacts(None, 2025, 2026)),
    ("我21年考过初级，22年到24年在外地上学没工作，去年回来上班了，今年要学吗", PersonalFacts(2021, 2025, 2026)),
    ("我之前在私企做会计，2025年辞职在家，有初级证，今年还用学继续教育吗", None),  # out of work now
    # A month goes on in the year named before it; a start with no year at all ("刚入职", "八月份入职") is this year.
    ("我今年3月刚毕业，5月入职一家超市做会计，没有证，今年要学吗", PersonalFacts(None, 2026, 2026)),
    ("单位新来的同事八月份入职，还没考证，今年要参加继续教育吗", PersonalFacts(None, 2026, 2026)),
    ("我是今年刚分到财务科的，没有职称，今年需要学吗", PersonalFacts(None, 2026, 2026)),
    # "要开始学了吗", "该学了吧" ask whether one must study as much as "还要学吗" does.
    ("我今年刚考过初级，明年要开始学了吗", PersonalFacts(2026, None, 2027)),
    ("我2024年拿的中级，今年该学了吧", PersonalFacts(2024, None, 2026)),
    ("中级考过了，证书上的日期是2026年3月，那2026年要学吗", PersonalFacts(2026, None, 2026)),  # the date on it
])
def test_personal_facts(text: str, facts: PersonalFacts | None) -> None:
    assert personal_facts(text, 2026) == facts


@pytest.mark.parametrize(("text", "facts"), [
    # A later year that is an event of its own is not the year asked about; a year of not working starts nothing.
    ("本人2019年取得中级职称，2022年又评上了高级，今年继续教育要学多少", PersonalFacts(2019, None, 2026)),
    ("我之前在私企做会计，2025年辞职在家，今年没上班，有初级证，今年还用学继续教育吗", None),
])
def test_stated_facts(text: str, facts: PersonalFacts | None) -> None:
    assert stated_facts(text, 2026) == facts


@pytest.mark.parametrize(("text", "context", "asked"), [
    ("我是太原一家小公司的会计，去年刚考过初级，请问应该去哪里报名啊？", "我是太原一家小公司的会计,去年刚考过初级",
     "请问应该去哪里报名啊"),
    ("老师您好，我2019年考的中级，现在还要学吗？谢谢", "我2019年考的中级", "现在还要学吗"),
    ("I passed the junior exam last year. My boss says I need to study now. Where do I register?",
     "I passed the junior exam last year,My boss says I need to study now", "Where do I register"),
    ("专业60 公需30", "", "专业60 公需30"),  # nothing asked: the whole message
    # A tag that only checks the question before it ("有没有规定", "是真的吗") is not the asked clause.
    ("我们单位就我一个会计，单位能不能给我安排学习时间，有没有规定", "我们单位就我一个会计,有没有规定",
     "单位能不能给我安排学习时间"),
    ("继续教育证明在哪打印，有懂的吗", "有懂的吗", "继续教育证明在哪打印"),  # a call for help asks nothing
])
def test_asking_clause(text: str, context: str, asked: str) -> None:
    assert asking_clause(text) == (context, asked)


@pytest.fixture(scope="module")
def respond(tmp_path_factory: pytest.TempPathFactory):
    settings = Settings(_env_file=None,  # type: ignore[call-arg]
                        database_path=tmp_path_factory.mktemp("shapes") / "db.sqlite3")
    return build_services(settings, clock=ManualClock(datetime(2026, 11, 27, 10, 0, tzinfo=SHANGHAI))).responder.respond


def test_several_questions_get_each_answer_with_its_citation(respond) -> None:
    reply = respond("每年要多少学分？能不能结转到明年？", "zh")
    assert reply.extra["topics"] == ["credits-total", "carry-over"]
    assert "90" in reply.text and "不再结转" in reply.text
    assert reply.text.count("—— 晋财会〔2026〕7号") == 2


def test_a_repeated_topic_is_answered_once(respond) -> None:
    reply = respond("继续教育如何交费？费用多少？", "zh")
    assert reply.extra["topics"] == ["payment"] and reply.text.count("——") == 1


def test_a_part_that_finds_nothing_is_named_not_guessed(respond) -> None:
    reply = respond("每年要多少学分？帮我写一首诗？", "zh")
    assert reply.extra["topics"] == ["credits-total"]
    assert "关于“帮我写一首诗?”：没有找到相关内容" in reply.text


@pytest.mark.parametrize(("message", "topics", "unsure"), [
    # The second part's subject (面授培训, 会计之星) was said in the first. Alone, "学分怎么登记" is the online
    # credits' transfer; after the first part it is how face-to-face credits are registered.
    ("面授培训在哪里报名？学分怎么登记？", ["find-f2f", "f2f-credits"], None),
    ("会计之星网址是多少？怎么缴费？", ["kjzx-url", "payment"], None),
    # A part with its own subject keeps its own reading however the first part is worded.
    ("多学的学分能结转吗？外省学的山西认吗？", ["carry-over", "nationwide"], None),
    ("高级会计师还要继续教育吗？要多少学分？", ["senior", "credits-total"], None),
    # Nonsense stays nonsense with any context.
    ("会计之星网址是多少？你喜欢猫吗？", ["kjzx-url"], "关于“你喜欢猫吗?”：没有找到相关内容"),
])
def test_a_part_that_leans_on_an_earlier_one_is_read_with_it(respond, message: str, topics: list[str],
                                                              unsure: str | None) -> None:
    reply = respond(message, "zh")
    assert [part["topics"][0] for part in reply.extra["parts"]] == topics
    assert reply.text.count("—— 晋财会〔2026〕7号") >= len(topics)  # each part with its citation
    if unsure is None:
        assert "没有把握" not in reply.text and "没有找到" not in reply.text
    else:
        assert unsure in reply.text


def test_a_part_read_with_an_earlier_one_says_so(respond) -> None:
    """A wrong reading must show: the part says which earlier question it leans on."""
    reply = respond("中级考过了今年还要学吗？学分怎么算？", "zh")
    assert "没有把握" not in reply.text
    assert "（“学分怎么算?”接着您前面问的“中级考过了今年还要学吗?”来回答）" in reply.text
    assert "90学分" in reply.text.split("来回答）")[1]  # the exam's credits, not "how many a year"


def test_a_part_leaning_on_an_earlier_one_in_english(respond) -> None:
    reply = respond("Where can I attend face-to-face training? How are the credits registered?", "en")
    assert [part["topics"][0] for part in reply.extra["parts"]] == ["find-f2f", "f2f-credits"]
    assert "not sure" not in reply.text and "read as following on from" in reply.text
    reply = respond("I passed the intermediate exam this year. Do I still need to study? "
                    "How are the credits counted?", "en")
    assert "not sure" not in reply.text and "90 credits" in reply.text
    assert reply.text.count("From what you say") <= 1  # the asker's situation is told once


@pytest.mark.parametrize(("message", "topics", "read_as"), [
    ("网上培训怎么报名？面授呢？", ["online-steps", "find-f2f"], "面授培训怎么报名?"),
    ("今年什么时候截止？明年呢？", ["deadline", "next-year"], "明年什么时候截止?"),
    # The professional-credits answer also gives the public ones: nothing to add, nothing left unanswered.
    ("专业课要多少学分？公需课呢？", ["professional-min"], None),
])
def test_a_follow_up_inside_one_message_changes_the_word_of_the_part_before(respond, message: str,
                                                                            topics: list[str],
                                                                            read_as: str | None) -> None:
    reply = respond(message, "zh")
    assert [part["topics"][0] for part in reply.extra["parts"]] == topics and "没有把握" not in reply.text
    assert read_as is None or f"按“{read_as}”回答" in reply.text


def test_a_part_that_names_nothing_is_not_answered_by_chance(respond) -> None:
    """Alone, "How many?" is the yearly 90 credits; after "publish a paper" it asks what the paper counts."""
    reply = respond("Can I publish a paper for credits? How many?", "en")
    assert "credits-total" not in reply.extra["topics"] and "30 credits" in reply.text


@pytest.mark.parametrize("message", ["换单位了信息要改吗？在哪里改？", "学分没同步到全国平台怎么办？一般要多久？",
                                     "Where do I pay? How much does it cost?",
                                     # "How?" in context is a close call led by the makeup answered just before.
                                     "When can I make up 2025 credits? How?"])
def test_a_part_that_only_asks_again_about_the_same_matter_is_answered_once(respond, message: str) -> None:
    reply = respond(message, "zh")
    assert len(reply.extra["parts"]) == 1 and len(re.findall(r"^—", reply.text, re.MULTILINE)) == 1
    assert "没有把握" not in reply.text and "not sure" not in reply.text


def test_a_message_of_many_questions_gets_at_most_three_answers(respond) -> None:
    reply = respond("截止哪天？网课几号开始？补学呢？公需课呢？", "zh")
    assert 1 <= len(reply.extra["parts"]) <= 3 and reply.text.count("——") <= 3


def test_yes_no_questions_get_the_verdict_first(respond) -> None:
    assert respond("自己看书自学能抵学分吗", "zh").text.startswith("不能。")  # the verb it is asked with
    assert respond("没备案的机构能开展培训吗", "zh").text.startswith("不能。")
    assert respond("Does self-study count towards my credits?", "en").text.startswith("No.")
    # The same topic asked as a what-question gets no verdict in front.
    assert not respond("自学的学分怎么算", "zh").text.startswith(("是。", "否。"))


@pytest.mark.parametrize(("question", "opening"), [
    ("我2019年考过中级，今年还要学吗", "需要。您2019年取得会计专业技术资格，按通知从次年（2020年）起"),
    ("我今年刚拿到初级证，今年需要学吗？", "不需要。您2026年取得会计专业技术资格，按通知从次年（2027年）开始"),
    ("我是2025年开始做会计的，没有证，今年要参加吗", "需要。您2025年开始从事会计工作"),
    # Two years, each read in its own clause: the earlier qualification is what obliges.
    ("我2026年才开始做会计，不过初级证是2019年考下来的，今年要学吗", "需要。您2019年取得"),
])
def test_personal_facts_are_answered_for_that_person(respond, question: str, opening: str) -> None:
    reply = respond(question, "zh")
    assert reply.text.startswith(opening), reply.text
    assert reply.extra["topics"] == ["personal", "start-year"] and reply.sources[0].id == "jc7-1-2"


@pytest.mark.parametrize("question", ["缺的学分还能补吗", "Can the missing credits be supplemented?"])
def test_missing_credits_get_the_earlier_years_window_and_this_years_rule(respond, question: str) -> None:
    """Credits already missing are the 2024/2025 makeup (closed on 1 June); this year's own no-makeup rule follows."""
    reply = respond(question, "zh")
    assert reply.extra["topic"] == "makeup-window"
    assert "2024" in reply.text and ("2026年6月1日" in reply.text or "1 June 2026" in reply.text)
    assert "不安排补学" in reply.text or "no makeup" in reply.text


def test_a_makeup_question_about_this_year_gets_this_years_rule(respond) -> None:
    """A time answer to a yes/no question opens with its entry's verdict too (否: no makeup for this year)."""
    reply = respond("今年学不完以后还有补的机会吗", "zh")
    assert reply.extra["topic"] == "no-makeup" and reply.text.startswith("否。2026年度原则上不安排补学")
    assert reply.text.split("「")[0].count("原则上不安排补学") == 1  # said once, then the days left


@pytest.mark.parametrize("question", ["通过中级会计考试还需要继续教育吗", "初级过了还要学吗",
                                      "I passed the intermediate exam, do I still need continuing education?"])
def test_passing_an_exam_without_a_year_gets_the_start_year_rule_not_the_conversion(respond, question: str) -> None:
    reply = respond(question, "zh")
    assert reply.extra["topic"] == "start-year"
    assert "考过初级或中级以后仍要参加" in reply.text or "does not exempt you" in reply.text
    assert "次年" in reply.text or "year after" in reply.text


def test_a_passed_exam_with_another_situation_is_not_read_as_a_new_holder(respond) -> None:
    assert respond("考了初级但现在不从事会计工作还需要继续教育吗", "zh").extra.get("topic") != "start-year"
    assert "90学分" in respond("考过中级一门能抵多少学分", "zh").text  # the conversion still answers


def test_a_year_before_baoming_is_not_the_annual_report_of_another_domain(respond) -> None:
    reply = respond("山西省会计继续教育2026年报名时间", "zh")  # "2026年报名" holds "年报" (a company's annual report)
    assert reply.kind == "answer" and "2026年4月1日" in reply.text


def test_when_it_starts_gets_the_whole_period_with_its_start(respond) -> None:
    reply = respond("2026年继续教育什么时候开始", "zh")
    assert "2026年1月1日" in reply.text and "2026年4月1日" in reply.text


def test_this_years_study_asked_from_next_year_is_this_years_rule(respond) -> None:
    reply = respond("明年一月还能学今年的课吗", "zh")
    assert reply.extra["topic"] == "no-makeup" and "2026年12月31日" in reply.text


@pytest.mark.parametrize("question", ["你能干什么", "这个机器人能回答哪些问题", "What can you do?"])
def test_asking_what_the_bot_does_gets_what_it_answers(respond, question: str) -> None:
    reply = respond(question, "zh")
    assert reply.kind == "not_found" and ("每年要多少学分" in reply.text or "how many credits" in reply.text)


def test_a_yes_no_question_about_another_figure_gets_no_yes_in_front(respond) -> None:
    """"课题负责人是24学分吗": the entry's fixed 是 (research counts) would confirm the wrong figure."""
    reply = respond("课题负责人是24学分吗", "zh")
    assert not reply.text.startswith("是") and "90学分" in reply.text
    assert respond("2025年多学的学分能结转到2026年吗", "zh").text.startswith("不能。")  # a year is no figure


@pytest.mark.parametrize("text", ["谢谢", "好的，谢谢老师", "好的明白了", "Thank you very much"])
def test_thanks_get_a_short_reply_not_the_found_nothing_list(respond, text: str) -> None:
    reply = respond(text, "zh")
    assert reply.kind == "not_found" and ("不客气" in reply.text or "welcome" in reply.text)
    assert "没有找到" not in reply.text


def test_a_thanks_with_a_question_is_still_answered(respond) -> None:
    assert respond("好的，那补学呢", "zh").kind == "answer"


@pytest.mark.parametrize("question", ["我的初级证是2015年的，现在还有效吗",
                                      "信息采集是之前的单位帮我弄的，现在换到新公司了，那个信息采集还有效吗"])
def test_whether_a_certificate_is_still_valid_is_not_whether_there_is_time_to_study(respond, question: str) -> None:
    reply = respond(question, "zh")
    assert reply.extra.get("topic") != "deadline" and "还能学" not in reply.text


@pytest.mark.parametrize("question", ["初级会计证的继续教育学分能补考吗", "中级证书的学分还能补吗"])
def test_making_up_credits_is_the_makeup_rule_whatever_certificate_is_named(respond, question: str) -> None:
    reply = respond(question, "zh")
    assert reply.extra.get("topic") == "makeup-window" and "2026年6月1日" in reply.text


def test_a_greeting_and_thanks_around_a_question_are_not_parts_it_is_unsure_of(respond) -> None:
    reply = respond("老师您好！麻烦问下继续教育每年要多少学分？谢谢", "zh")
    assert reply.extra["topic"] == "credits-total" and "没有把握" not in reply.text


@pytest.mark.parametrize(("question", "opening"), [
    ("没有证做会计要学吗", "需要。"),  # 没有 is the asker's situation, not a negated question
    ("学分能不能结转到明年", "不能。"),  # an A-not-A question is not negated
    ("面授机构开班前要备案吗", "需要。"),
    # Which kind of credits is said first decides: public credits cannot stand in for professional ones, but
    # professional credits count for the rest of the 90.
    ("公需课学多了能顶专业课吗", "不能。"),
    ("专业课多学能顶公需课吗", "能。"),
    ("Can professional credits be used instead of public credits?", "Yes."),
    ("Can public credits be used instead of professional credits?", "No."),
])
def test_the_verdict_reads_the_asked_verb_not_the_context(respond, question: str, opening: str) -> None:
    assert respond(question, "zh").text.startswith(opening)


@pytest.mark.parametrize(("question", "opening"), [
    ("多出来的学分到年底会不会清零", "会。"),
    ("今年多学的学分年底会作废吗", "会。"),
    ("Will my extra credits expire at the end of the year?", "Yes."),
    ("今年多学的学分明年还能用吗", "不能。"),  # the entry's own way round keeps its 否
])
def test_asking_whether_credits_lapse_turns_the_no_carry_over_verdict_round(respond, question: str,
                                                                            opening: str) -> None:
    """Credits are valid for their year only: "能结转吗" gets 否, so "会清零吗" must get 是, not the same 否."""
    text = respond(question, "zh").text
    assert text.startswith(opening) and ("当年度有效" in text or "valid only for the year" in text)


def test_a_what_question_on_a_yes_no_topic_gets_no_verdict(respond) -> None:
    text = respond("培训机构备案要多久审核", "zh").text
    assert not text.startswith(("要。", "需要。", "是。")) and "没有规定审核时限" in text


def test_a_fixed_verdict_is_not_given_where_the_question_can_take_either_polarity(respond) -> None:
    """"证书还有效吗" and "证书要年检吗" ask opposite ways round: a fixed 否 would call a valid certificate void."""
    text = respond("我的初级证书现在还有效吗", "zh").text
    assert not text.startswith(("否", "不", "是")) and "没有规定" in text


@pytest.mark.parametrize("question", ["高级会计师可以免修继续教育吗", "继续教育只能在网上学吗",
                                      "继续教育的费用单位给报销吗"])
def test_questions_asked_the_other_way_round_get_no_wrong_verdict(respond, question: str) -> None:
    """A topic's fixed yes/no fits its usual question; asked the other way round it would say the opposite."""
    assert not respond(question, "zh").text.startswith(("可以。", "能。", "是。", "需要。"))


@pytest.mark.parametrize(("question", "topics"), [
    # The asker's story first, the question last: the question is answered, not the personal verdict.
    ("我是去年考过初级的，今年第一次参加继续教育，请问专业课最少要学多少分？", {"professional-min", "credits-total"}),
    ("你好，我是2020年考的中级，在一家私企做会计，想问一下今年的继续教育什么时候截止？", {"deadline", "study-period"}),
])
def test_the_asked_clause_is_answered_not_the_askers_story(respond, question: str, topics: set[str]) -> None:
    reply = respond(question, "zh")
    assert reply.kind == "answer" and reply.extra.get("topic") in topics, (reply.kind, reply.extra, reply.text)


def test_a_personal_fact_that_bears_on_another_question_comes_first_in_one_line(respond) -> None:
    """"我今年刚考过初级，去哪里报名": by their own facts they need not start until next year, so that comes first."""
    reply = respond("我今年刚考过初级，2026年的继续教育截止时间是哪天？", "zh")
    first, _, rest = reply.text.partition("\n\n")
    assert "2027年" in first and "2026年还不需要" in first, reply.text
    assert "12月31日" in rest
    for other in ("我2019年考过中级，今年继续教育什么时候截止？",  # required anyway: no extra line
                  "我2024年拿到中级证书，全国平台上2024年的学分一直是0，这个要找谁？"):  # a past year: no verdict
        assert "按您说的" not in respond(other, "zh").text


@pytest.mark.parametrize("question", [
    "在会计之星上学完了90学分，但是全国会计人员统一服务管理平台上查不到学分，这是怎么回事？",
    "我在会计之星上已经学完了今年的90学分，全国平台上显示的学分只有60，是怎么回事？",
])
def test_credits_given_as_context_get_the_question_not_an_assessment(respond, question: str) -> None:
    reply = respond(question, "zh")
    assert reply.kind != "error" and "statement" not in reply.extra.get("topics", []), reply.text
    assert "还判断不了是否达标" not in reply.text


@pytest.mark.parametrize("question", [
    "我学的是会计专业，平时自学了很多会计书籍，自学能算继续教育学分吗？",  # the books are context: 自学 is asked
    "我2019年考过中级，2021年又考过了高级，今年继续教育要学多少学分？",  # the yearly requirement, not an exam's worth
    "我在会计之星的课程学完了，但课后考试一直通不过，考试不及格学分算不算？",  # nothing passed to convert
])
def test_a_form_named_in_the_story_is_not_a_conversion_question(respond, question: str) -> None:
    reply = respond(question, "zh")
    assert reply.extra.get("topics") != ["conversion"], reply.text


def test_a_conversion_question_leaning_on_its_context_is_still_converted(respond) -> None:
    reply = respond("我考过了一科中级，能抵多少学分", "zh")
    assert reply.extra.get("topics") == ["conversion"] and "90学分" in reply.text


@pytest.mark.parametrize(("question", "verdict"), [
    ("通过中级会计考试还需要继续教育吗", "需要。"),
    ("初级过了还要学吗", "需要。"),
    ("通过了初级会计考试后，当年是否需要进行继续教育？", "不需要：取得资格的当年不用参加。"),
    ("拿到职称证的那年需要继续教育吗", "不需要：取得资格的当年不用参加。"),
    ("Do I still have to study after passing the junior exam?", "Yes."),
])
def test_passing_an_exam_gets_the_verdict_for_that_asker_first(respond, question: str, verdict: str) -> None:
    """Whoever passed must take part from the year after qualifying: 需要 in general, 不需要 for the year of
    passing itself; the start-year rule follows."""
    text = respond(question, "zh").text
    assert text.startswith(verdict), text
    assert "次年" in text or "following year" in text


@pytest.mark.parametrize(("question", "expected"), [
    ("我2020年拿的初级证，今年要学多少学分", "2026年要取得：全年不少于90学分，其中专业科目一般不少于60学分"),
    ("22年拿的中级，今年学分要多少", "从次年（2023年）起每年参加"),
    ("我2026年考过中级，2027年要学多少学分", "2027年要取得：全年不少于90学分"),
    ("我今年刚考下初级证，今年要学多少学分", "2026年还不需要"),
    ("I got my junior certificate in 2024, how many credits do I need this year?", "in 2026 you need at least 90"),
])
def test_how_many_credits_with_personal_facts_is_answered_for_that_person(respond, question: str,
                                                                           expected: str) -> None:
    reply = respond(question, "zh")
    assert reply.extra.get("topics") == ["personal", "start-year"] and expected in reply.text, reply.text


def test_a_conversion_or_a_missed_year_is_not_read_as_the_yearly_amount(respond) -> None:
    assert "personal" not in respond("我2020年拿的中级，考试能抵多少学分", "zh").extra.get("topics", [])
    assert "personal" not in respond("我2020年拿的中级，2024年缺的要补多少学分", "zh").extra.get("topics", [])


@pytest.mark.parametrize("question", [
    "我今年刚入职，去年的继续教育没学，现在还能补吗",  # 今年 is when they started; 去年 is what they ask about
    "领导今年才通知我们，2024年的没学，能补吗",
])
def test_the_year_a_makeup_question_leans_on_is_the_one_next_to_it(respond, question: str) -> None:
    reply = respond(question, "zh")
    assert reply.extra.get("topic") == "makeup-window" and "2026年6月1日" in reply.text, reply.text


# Yes/no questions whose verdict depends on which question is asked (issue 11 item 4): the entry's verdict-bearing
# phrasings (questions_yes/questions_no) settle it, said first in the question's own verb.

def test_the_same_entry_answers_no_or_yes_by_the_question_asked(respond) -> None:
    """Both are answered by the professional-subjects entry first (alone, or leading a close pair); the verdict comes
    first, and the rest of the answer agrees."""
    no = respond("公需课学多了能顶专业课吗", "zh")
    assert no.extra["topic"] == "professional-min" and no.text.startswith("不能。"), no.text
    assert "不能顶替专业科目" in no.text
    yes = respond("专业课学多了能算进总学分吗", "zh")
    lead = yes.extra.get("topic") or yes.extra["topics"][0]
    assert lead == "professional-min" and yes.text.startswith("能。"), yes.text
    assert "也可以是专业科目" in yes.text


@pytest.mark.parametrize(("question", "opening"), [
    ("Can extra public credits replace professional ones?", "No. Professional subjects"),
    ("Are senior accountants exempt from continuing education?", "No. Senior accountants take part too"),
    ("Do I have to pay before I can study online?", "Yes. Enrol, choose courses and pay"),
])
def test_english_questions_get_yes_or_no_first(respond, question: str, opening: str) -> None:
    assert respond(question, "en").text.startswith(opening)


@pytest.mark.parametrize(("question", "opening"), [
    ("每天学习时长有没有上限", "有。"),  # asked with 有没有: answered 有, not 是
    ("高级会计师要参加继续教育吗", "需要。"),  # 要 → 需要 ("不要" would mean "don't")
    ("网上学的学分要自己去登记吗", "不需要。"),
    ("在外省学的学分山西认不认", "认可。"),
    ("会计继续教育是自愿的吗", "否。"),  # no verb to repeat
    ("参加财务研讨会能折学分不", "能。"),  # the 会 of 研讨会 is no verb
])
def test_the_verdict_is_said_in_the_questions_own_verb(respond, question: str, opening: str) -> None:
    assert respond(question, "zh").text.startswith(opening)


@pytest.mark.parametrize("question", [
    "出纳要参加继续教育吗",  # a cashier without a qualification: the notice does not say
    "退休了还要学吗",
    "继续教育的费用单位给报销吗",
    "高级会计师可以免修继续教育吗",  # close to "高会要学吗" (yes), but asked the other way round
    "公需课一定要学吗",  # no separate minimum; whether platforms require some, the notice does not say
    "全国平台网址是什么",  # ends in 么 but asks what: no yes/no at all (kjzx-url has a settled "no" phrasing)
])
def test_a_question_the_notice_does_not_settle_gets_no_verdict(respond, question: str) -> None:
    text = respond(question, "zh").text
    assert not text.startswith(("是。", "否。", "能。", "不能。", "需要。", "不需要。", "可以。", "不可以。")), text


@pytest.mark.parametrize(("question", "opening"), [
    ("考过中级一科能抵继续教育学分吗", "能。"),
    ("参加会计会议一天算10学分吗", "算。"),
    ("Does attending an accounting conference count towards my credits?", "Yes."),
])
def test_a_conversion_asked_yes_or_no_gets_its_yes_first(respond, question: str, opening: str) -> None:
    reply = respond(question, "zh")
    assert reply.extra.get("topics") == ["conversion"] and reply.text.startswith(opening), reply.text


def test_a_conversion_asked_with_another_figure_gets_no_yes(respond) -> None:
    """A conference day is 10 credits: "算30学分吗" is not confirmed, the rule with its figure is given instead."""
    text = respond("参加会计会议一天算30学分吗", "zh").text
    assert not text.startswith(("算。", "是。", "能。")) and "10学分" in text


def test_a_close_calls_leader_gives_its_fixed_verdict_only_when_the_question_is_near_it(respond) -> None:
    """Carry-over's fixed "No." (credits do not carry over) must not answer whether Shanxi recognises another
    province's credits, even when the close call is led by carry-over: the answer to that is yes."""
    reply = respond("Will Shanxi recognise credits I earned in Shandong this year?", "en")
    assert not reply.text.startswith("No."), reply.text
    assert respond("学分能不能结转到明年", "zh").text.startswith("不能。")  # a plain answer keeps its fixed verdict



def test_a_part_naming_another_domains_word_is_read_as_the_messages_matter(respond) -> None:
    """"报考" alone belongs to the exam office; in a message about missed continuing education it asks what the gap
    does to the next application (the promotion entry), and is answered, not dropped as out of scope."""
    reply = respond("我2023年以后就没学过继续教育。1.现在还能补吗？2.会影响明年报考中级吗？", "zh")
    assert "promotion" in reply.extra.get("topics", []), (reply.extra, reply.text)


def test_falling_short_and_what_now_is_assessed_as_a_statement(respond) -> None:
    """"…，差5分，怎么办" asks what to do about the stated figures: what is still missing, not another topic."""
    reply = respond("我今年才学了85分，还差5分，怎么办", "zh")
    assert reply.extra.get("topics") == ["statement"] and "5学分" in reply.text, (reply.extra, reply.text)


def test_a_guessed_yearly_requirement_is_not_the_senders_credits(respond) -> None:
    """"是不是一年得学180分" guesses the rule (two qualifications, twice the credits): the rule is answered, no error
    about a total without its professional part."""
    reply = respond("有初级又有中级，是不是一年得学180分", "zh")
    assert reply.kind == "answer" and "90" in reply.text, (reply.kind, reply.text)
