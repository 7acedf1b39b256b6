"""Unit tests of the knowledge data and the search engine behind ``bot.answers.qa``."""

from __future__ import annotations

import re
import runpy
import string
from pathlib import Path

import pytest

from bot.answers.i18n import Translator
from bot.answers.qa import HEDGE_CHARS, PAIR_CHARS, answer, answer_topic, short_form
from knowledge import KnowledgeBase
from knowledge.base import MARGIN
from knowledge.loader import format_args, load_files
from knowledge.policy import policy_for
from knowledge.text import FREQUENT_WORDS


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase.load(policy_for(2026))


# -- data ---------------------------------------------------------------------------------------


def test_every_quote_is_verbatim_in_its_first_source(kb: KnowledgeBase) -> None:
    for topic in kb.topics:
        assert topic.entry.quote in topic.sources[0].text, topic.id


def test_every_source_id_exists(kb: KnowledgeBase) -> None:
    for topic in kb.topics:
        for source in topic.entry.sources:
            assert kb.section(source) is not None, (topic.id, source)


def test_faq_size_and_phrasings(kb: KnowledgeBase) -> None:
    assert 45 <= len(kb.topics) <= 90
    for topic in kb.topics:
        assert len(topic.entry.phrasings) >= 6, topic.id
        assert len(topic.entry.title_zh) <= 20, topic.id
        assert len(f"faq:{topic.id}".encode()) <= 64, topic.id


def test_answers_format_with_policy_in_both_languages(kb: KnowledgeBase) -> None:
    args = format_args(policy_for(2026))
    for topic in kb.topics:
        for lang in ("zh", "en"):
            text = topic.answer(lang)
            assert text and "{" not in text and "}" not in text, (topic.id, lang)
        assert topic.entry.answer_zh.format(**args) == topic.answer("zh")
        # Only known placeholders are used (the loader would have refused others).
        for template in (topic.entry.answer_zh, topic.entry.answer_en):
            names = {f for _, f, _, _ in string.Formatter().parse(template) if f}
            assert names <= set(args), (topic.id, names - set(args))


def test_english_answers_are_english(kb: KnowledgeBase) -> None:
    """English answers carry English dates, not the Chinese 年月日 form."""
    for topic in kb.topics:
        assert "年" not in topic.answer("en").replace("晋财会", "").replace("年度", ""), topic.id


def test_policy_numbers_come_from_policy() -> None:
    """A changed policy changes the answers: nothing of the 2026 thresholds is typed into the FAQ."""
    policy = policy_for(2026)
    changed = policy.model_copy(update={"credits": policy.credits.model_copy(update={"min_total": 120})})
    kb = KnowledgeBase.load(changed)
    topic = kb.topic("credits-total")
    assert topic is not None and "120" in topic.answer("zh") and "120" in topic.answer("en")


def test_section_ids_are_unique_and_cover_both_notices() -> None:
    files = load_files(policy_for(2026))
    ids = set(files.sections)
    assert {"jc7-4", "jc7-4-1", "jc7-4-2", "jc7-3-2", "cz5-1", "cz5-2", "cz5-3"} <= ids
    assert all(not s.text.count("\n\n") for s in files.sections.values())  # PDF breaks joined


# -- analyzer -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("variant", "canonical"),
    [
        ("专业课", "专业科目"),
        ("公需课", "公需科目"),
        ("网课", "网络培训"),
        ("补修", "补学"),
        ("补考", "补学"),
        ("职称", "会计专业技术资格"),
        ("会计证", "会计专业技术资格"),
        ("继教", "继续教育"),
        ("学份", "学分"),
        ("会计之心", "会计之星"),
        ("credits", "学分"),
        ("deadline", "截止"),
        ("makeup", "补学"),
        ("professional", "专业科目"),
        ("待业", "不从事会计工作"),
        ("考试没过", "不及格"),
        ("开会", "会议"),
        ("能退吗", "退费"),
        ("逾期", "未完成"),
        ("没按时完成", "未完成"),
        ("跨省", "外省"),
        ("异地", "外省"),
        ("核实", "查询"),
        ("积分", "学分"),
        ("会计科", "财政部门"),
        ("课后测试", "课程考试"),
        ("付了钱", "缴费"),
        ("现场", "面授培训"),
        ("overdue", "未完成"),
        ("掏钱", "缴费"),
        ("到账", "同步"),
        ("做题", "课程考试"),
        ("统一服务平台", "全国平台"),
        ("过关", "完成"),
        ("疑问", "问题"),
        ("没从事", "不从事会计工作"),
        ("登上去", "登记"),
        ("inquire", "查询"),
        ("审核中", "审核"),
        ("上不去", "登录"),
        ("选什么课", "选课"),
        ("会计岗位", "会计工作"),
        ("处分", "后果"),
    ],
)
def test_synonyms_map_to_canonical(kb: KnowledgeBase, variant: str, canonical: str) -> None:
    assert canonical in kb.analyzer.features(variant)


def test_canonical_terms_stay_whole(kb: KnowledgeBase) -> None:
    feats = kb.analyzer.features("继续教育的专业科目和会计之星")
    assert {"继续教育", "专业科目", "会计之星"} <= set(feats)


def test_the_shipped_word_list_is_jiebas_frequent_words_and_everyday_words_stay_whole(kb: KnowledgeBase) -> None:
    """The segmenter loads a generated subset of jieba's dictionary (scripts/jieba_frequent.py): it must be
    exactly what the script makes from the installed jieba, and common words must still come out whole."""
    script = runpy.run_path(str(Path(__file__).resolve().parents[1] / "scripts" / "jieba_frequent.py"))
    assert FREQUENT_WORDS.read_text(encoding="utf-8") == "".join(script["frequent_lines"]())
    words = kb.analyzer.tokens("我们单位的财务人员今年必须参加培训吗")
    assert {"单位", "财务", "人员", "今年", "必须", "参加", "培训"} <= set(words)


def test_traditional_text_is_written_simplified_and_simplified_text_kept() -> None:
    """Cleaning skips the converter for text it cannot change; what it can change is still converted,
    including a word that only the phrase table changes (沈默 → 沉默)."""
    from knowledge.text import clean

    assert clean("會計之星　密碼忘了") == "会计之星 密码忘了"
    assert clean("他一直沈默") == "他一直沉默"
    assert clean("每年需要多少学分") == "每年需要多少学分"


@pytest.mark.parametrize(("text", "cleaned"), [
    ("23年的没学完", "2023年的没学完"),
    ("19年到21年在外地，22年回来", "2019年到2021年在外地,2022年回来"),
    ("24、25年的学分", "2024年、2025年的学分"),
    # A count of years is no year.
    ("做了10年会计", "做了10年会计"),
    ("近20年都在做账", "近20年都在做账"),
    ("工作15年了", "工作15年了"),
])
def test_two_digit_years_are_written_in_full(text: str, cleaned: str) -> None:
    """Every reader of years (makeup, personal facts, the time answers) meets "24年" as 2024."""
    from knowledge.text import clean

    assert clean(text) == cleaned


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        ("信息彩集怎么做", "info-collection"),  # 彩 for 采 (cai)
        ("学分可以解转吗", "carry-over"),  # 解 for 结 (jie)
        ("继续教育什么时候节止", "deadline"),  # 节 for 截 (jie), zhi typed as zi
        ("会计之星怎么注侧", "kjzx-register"),  # 侧 for 册 (ce)
        ("全国平台信息才集", "info-collection"),  # 才 for 采 (cai)
    ],
)
def test_homophone_slips_no_list_names_are_read_as_the_word(kb: KnowledgeBase, question: str, entry: str) -> None:
    result = kb.search(question)
    assert result.verdict == "answer"
    assert result.best is not None and result.best.topic is kb.topic(entry)


@pytest.mark.parametrize(
    ("question", "absent"),
    [("会计之星登录不上", "补学"), ("过了注会一科能顶学分吗", "会议"), ("公需课一定要学吗", "可以")],
)
def test_function_words_are_not_taken_for_slips(kb: KnowledgeBase, question: str, absent: str) -> None:
    """不上 sounds like 补上 (a variant of 补学), 会一 like 会议: a common word is not a typo."""
    assert absent not in kb.query(question)


def test_relative_years_resolve_against_policy(kb: KnowledgeBase) -> None:
    assert "2026" in kb.analyzer.features("今年")
    assert "2025" in kb.analyzer.features("去年")


def test_chinese_month_numerals(kb: KnowledgeBase) -> None:
    assert kb.analyzer.normalize("十二月三十一号") == "12月31号"


# -- search -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        ("继教一年要几个学份", "credits-total"),
        ("会计之心的网址", "kjzx-url"),
        ("专业课最少多少", "professional-min"),
        ("往年的学分补修时间", "makeup-window"),
        ("how many credits do I need", "credits-total"),
        ("deadline?", "deadline"),
        ("補學時間是什麼時候", "makeup-window"),
        ("繼續教育每年要多少學分", "credits-total"),
        ("异地学的继续教育学分认吗", "nationwide"),
        ("怎么核实自己的学分登记上没有", "check-credits"),
        ("会计之星登录页面在哪", "kjzx-url"),
        ("继续教育测试多少分及格", "course-exam"),
        ("继续教育学完了有结业证吗", "certificate"),
        ("继续教育积分要多少", "credits-total"),
        ("How do I verify my credits", "check-credits"),
        ("继续教育的课要自己掏钱吗", "payment"),
        ("学完了学分怎么还没到账", "credits-sync"),
        ("继续教育课程学完要做题吗", "course-exam"),
        ("没证在公司做账要学继续教育吗", "no-qualification"),
        ("一直没参加继续教育会咋样", "consequences"),
        ("Where to inquire the credits of continuing education", "check-credits"),
        ("考了证但是没从事财务工作需要学吗", "not-working"),
        ("对继续教育有疑问可以问谁", "finance-duties"),
        ("信息采集提交了一直在审核中", "info-review"),
        ("会计之星上不去咋整", "login-help"),
        ("继续教育选什么课比较好", "choose-course"),
        ("Who will audit my information collection", "info-review"),
        ("可以一部分线上一部分线下学吗", "form-choice"),
        ("Who needs to attend continuing education?", "who-must"),  # attend = 参加, not the form of study
        ("2025年度的学分在哪里查", "check-credits"),  # 哪里查 is looking up: a year named is no makeup question
        ("Is continuing education free?", "payment"),  # a bare "free" asks about paying
    ],
)
def test_typos_and_variants_find_the_entry(kb: KnowledgeBase, question: str, entry: str) -> None:
    result = kb.search(question)
    assert result.verdict == "answer"
    assert result.best is not None and result.best.topic is kb.topic(entry)


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        # Real-page wording: someone else studying for you, a foreign course named by its country or body, "never
        # passed any certificate" (not a failed exam), credits over the total, "no longer doing accounting",
        # "the professional part", and "在会计之星上报名" (registering on the site, not a training body's 上报).
        ("找人代刷继续教育被发现了会怎样", "proxy-study"),
        ("在英国读ACCA学的课程能不能抵继续教育学分", "foreign-training"),
        ("做了好多年会计一直没考过任何证，要学继续教育吗", "no-qualification"),
        ("今年超出来的学分明年能接着用吗", "carry-over"),
        ("不再做会计了还要每年学吗", "not-working"),
        ("专业的那部分最少要多少", "professional-min"),
        ("在会计之星上报名后多久能开始学", "online-steps"),
        ("缴费时一直提示订单异常怎么办", "payment-failed"),
        ("宝妈在家带娃好几年了，有初级证，还要学继续教育吗", "not-working"),
        # A province named in Chinese, a retiree re-hired, a refund asked as "退掉".
        ("在浙江学的继续教育学分回山西认不认", "nationwide"),
        ("调回山西以后，那边学的学分这边认不认", "nationwide"),
        ("继续教育能不能一口气学完", "hours"),  # all at once: the daily cap
        ("去年换了工作，全国平台上登记的单位要不要改", "info-change"),  # the employer field, not the employer's duties
        ("退休返聘回来继续做账还要学继续教育吗", "retiree"),
        ("课买错了想退掉，能退吗", "payment-failed"),
    ],
)
def test_everyday_wording_ranks_the_entry_first(kb: KnowledgeBase, question: str, entry: str) -> None:
    """The words carry the question to its entry (how sure the answer is, is the decision's business)."""
    result = kb.search(question)
    assert result.best is not None and result.best.topic is kb.topic(entry)


def test_hits_are_ranked_with_scores(kb: KnowledgeBase) -> None:
    result = kb.search("补学什么时候")
    scores = [h.score for h in result.hits]
    assert scores == sorted(scores, reverse=True)
    assert 0 < result.confidence <= 1
    assert result.margin == pytest.approx(scores[0] - scores[1], abs=1e-3)


@pytest.mark.parametrize(
    "question",
    ["今天天气怎么样", "个人所得税汇算怎么办", "股票价格", "asdfgh", "你好", "", "   ", "🙂🙂", "x" * 5000,
     "How can I get my personal income tax refunded?", "Where do I pay social security for my staff?",
     # Where something is in daily life: the sector word (银行) must not make it a who-must-study question.
     "附近哪里有银行", "Where is the nearest bank?"],
)
def test_out_of_scope_is_not_found(kb: KnowledgeBase, t: Translator, question: str) -> None:
    reply = answer(kb, question, "zh", t)
    assert reply.kind == "not_found"
    assert not reply.sources
    assert "「" not in reply.text


def test_not_found_is_honest_and_lists_topics(kb: KnowledgeBase, t: Translator) -> None:
    zh = answer(kb, "今天天气怎么样", "zh", t).text
    assert "没有找到相关内容" in zh and "会计之星" in zh and "补学" in zh
    en = answer(kb, "weather tomorrow", "en", t).text
    assert "found nothing" in en


def test_confident_answer_quotes_and_cites(kb: KnowledgeBase, t: Translator) -> None:
    reply = answer(kb, "每年要多少学分", "zh", t)
    assert reply.kind == "answer"
    assert "90" in reply.text and "60" in reply.text
    assert "「" in reply.text and "—— 晋财会〔2026〕7号 第四条" in reply.text
    assert reply.sources[0].id == "jc7-4" and reply.score is not None


def test_a_close_call_between_two_topics_answers_the_likelier_and_offers_the_other(kb: KnowledgeBase,
                                                                                   t: Translator) -> None:
    """"补学期限已经过了怎么办" sits between what to do after missing the window and the 2024/2025 window: the
    likelier one is answered in full, the other follows in short form with its citation and a button to its
    full answer, instead of a guess or a question back that answers nothing."""
    reply = answer(kb, "补学期限已经过了怎么办", "zh", t)
    assert reply.kind == "answer" and reply.extra.get("pair") is True
    assert reply.extra["topics"] == ["makeup-missed", "makeup-window"]
    first, _, also = reply.text.partition("如果您问的是「往年学分补学时间」：")
    assert "「" in first and "—— 晋财会〔2026〕7号 第三条" in first  # the leader with its clause
    assert "2026年4月1日至2026年6月1日" in also and "—— 晋财会〔2026〕7号" in also and "「" not in also
    [[button]] = reply.buttons
    assert button.data == "faq:makeup-window" and "往年学分补学时间" in button.label
    full = answer_topic(kb, button.data, "zh", t)
    assert full is not None and "「" in full.text  # the full answer brings the notice's own words


def test_the_other_topic_of_a_close_call_is_cut_at_a_sentence_end() -> None:
    """The runner-up is given in short form: whole sentences, never a sentence cut in the middle."""
    long_en = "First sentence with 90 credits. " * 20
    short = short_form(long_en.strip(), "en")
    assert short.endswith("credits.") and len(short) <= 400 and short.startswith("First sentence")
    assert short_form("一句。二句。", "zh") == "一句。二句。"


def test_a_three_way_close_call_answers_the_likeliest_and_shows_the_next_two(kb: KnowledgeBase,
                                                                          t: Translator) -> None:
    """Three topics within a hair of each other: no single confident answer (however high it scores), and no
    question back that answers nothing either: a hedge says it is not sure, answers the likeliest with its clause
    and citation, and gives the next two in short form with theirs."""
    result = kb.search("会计之星报名缴费怎么弄")
    assert result.confidence > 0.4 and result.margin < MARGIN and result.verdict == "unsure" and not result.pair
    assert result.hedged
    reply = answer(kb, "会计之星报名缴费怎么弄", "zh", t)
    assert reply.kind == "answer" and reply.extra.get("hedged") is True
    first, second, third = reply.extra["topics"]
    assert first == result.hits[0].topic.id and len({first, second, third}) == 3
    intro, _, rest = reply.text.partition("\n\n")
    assert "不确定" in intro and kb.topic(first).title("zh") in intro
    lead, *others = rest.split("\n\n如果您问的是")
    assert lead.count("「") == 1 and "—— 晋财会〔2026〕7号" in lead  # the likeliest with its clause
    assert len(others) == 2 and all("—— 晋财会〔2026〕7号" in o and "「" not in o.partition("」：")[2] for o in others)
    assert [b.data for row in reply.buttons for b in row] == [f"faq:{second}", f"faq:{third}"]


def test_a_hedged_answer_puts_no_verdict_in_front(kb: KnowledgeBase, t: Translator) -> None:
    """"不在山西工作要学吗" is a yes/no question on a close call: a 是/否 in front of a guess would sound sure."""
    reply = answer(kb, "不在山西工作要学吗", "zh", t)
    assert reply.extra.get("hedged") is True
    lead = reply.text.split("\n\n")[1]
    assert lead.startswith(kb.topic(reply.extra["topics"][0]).answer("zh")[:12])


def test_a_short_form_keeps_the_sentences_with_the_first_figure_and_what_the_notice_leaves_open() -> None:
    """The figure, or that the notice does not settle it, is the fact the asker came for: it survives the cut even
    past the budget, in the answer's order."""
    keys = "通知没有规定处理办法。" + "考试每通过一科可折算为90学分。"
    text = "这件事要分情况。" * 3 + keys
    assert short_form(text, "zh", 20) == "这件事要分情况。" * 2 + keys
    assert short_form("一句。二句。", "zh", 3) == "一句。"
    english = "It depends. " * 30 + "The notice does not cover it. It converts to 90 credits."
    short = short_form(english, "en", 40)
    assert short.endswith("It depends. The notice does not cover it. It converts to 90 credits.")


def test_no_short_form_of_an_entry_loses_its_first_figure_or_what_the_notice_leaves_open(kb: KnowledgeBase) -> None:
    """Every entry, both languages, at the pair's and the hedge's budgets."""
    open_matter = re.compile(r"通知没有|没有规定|does not (?:say|cover)|sets no|says nothing", re.IGNORECASE)
    for topic in kb.topics:
        for lang in ("zh", "en"):
            text = topic.answer(lang)
            figures = re.findall(r"\d+", text)
            for budget in (PAIR_CHARS[lang], HEDGE_CHARS[lang]):
                short = short_form(text, lang, budget)
                assert not figures or figures[0] in short, (topic.id, lang, budget)
                assert bool(open_matter.search(short)) == bool(open_matter.search(text)), (topic.id, lang, budget)


def test_a_curated_phrasing_is_answered_by_its_entry_however_close_the_others(kb: KnowledgeBase) -> None:
    """"学分登记怎么弄" is one of credits-sync's phrasings; face-to-face credits (f2f-credits) share its words."""
    result = kb.search("学分登记怎么弄")
    assert result.margin < 0.06
    assert result.verdict == "answer" and result.best is not None and result.best.topic.id == "credits-sync"


@pytest.mark.parametrize("question", ["要学吗", "能学吗", "还可以吗"])
def test_a_question_of_only_question_words_is_not_answered_with_a_topic(kb: KnowledgeBase, question: str) -> None:
    """Nothing but 学 (or nothing at all) is left to rank by: whichever entry uses 学 most must not answer."""
    assert kb.search(question).verdict != "answer"


def test_a_question_naming_nothing_is_offered_the_most_asked_topics(kb: KnowledgeBase, t: Translator) -> None:
    """"要学吗" has no reading to rank: its buttons are who must take part and how much, not whichever entries
    happen to use 学 most (代学, 网校)."""
    reply = answer(kb, "要学吗", "zh", t)
    assert reply.kind == "unsure"
    assert {"credits-total", "who-must"} <= set(reply.extra["candidates"])
    assert "「" not in reply.text  # no "did you mean A or B" naming noise


def test_english_question_in_chinese_session(kb: KnowledgeBase, t: Translator) -> None:
    reply = answer(kb, "when is the deadline", "zh", t)
    assert reply.kind == "answer" and "2026年12月31日" in reply.text
    en = answer(kb, "when is the deadline", "en", t)
    assert "31 December 2026" in en.text


def test_unsure_gives_three_distinct_topic_buttons(kb: KnowledgeBase, t: Translator) -> None:
    reply = answer(kb, "学分", "zh", t)  # too vague for one topic
    assert reply.kind == "unsure"
    buttons = [b for row in reply.buttons for b in row]
    assert len(buttons) == 3
    assert len({b.data for b in buttons}) == 3
    for b in buttons:
        assert b.data.startswith("faq:") and len(b.data.encode()) <= 64
        assert kb.topic(b.data.removeprefix("faq:")) is not None


def test_answer_topic(kb: KnowledgeBase, t: Translator) -> None:
    reply = answer_topic(kb, "faq:makeup-window", "en", t)
    assert reply is not None and reply.kind == "answer" and "1 June 2026" in reply.text
    assert answer_topic(kb, "makeup-window", "zh", t) is not None
    assert answer_topic(kb, "faq:no-such-entry", "zh", t) is None
    assert answer_topic(kb, "", "zh", t) is None


def test_qa_messages_exist_in_both_languages(t: Translator) -> None:
    for key in ("qa.answer", "qa.unsure", "qa.unsure_between", "qa.pair.also", "qa.hedge", "qa.not_found",
                "qa.greeting"):
        assert t.has(key, "zh") and t.has(key, "en"), key


@pytest.mark.parametrize(("question", "entry"), [("会计人员信息采集怎么弄", "info-collection"),
                                                 ("How do I do the information collection?", "info-collection")])
def test_a_question_around_one_term_is_answered(kb: KnowledgeBase, question: str, entry: str) -> None:
    result = kb.search(question)
    assert result.verdict == "answer" and result.best is not None and result.best.topic.id == entry


def test_a_bare_term_offers_its_topics(kb: KnowledgeBase) -> None:
    assert kb.search("补学").verdict == "unsure"


@pytest.mark.parametrize("question", ["个税汇算怎么操作", "社保怎么交", "公积金提取流程", "初级会计考试报名"])
def test_other_domains_are_not_answered_from_a_shared_word(kb: KnowledgeBase, question: str) -> None:
    """Not found, or for the qualification exams the entry that says they are outside the notice."""
    result = kb.search(question)
    assert result.verdict == "not_found" or (result.best is not None
                                             and result.best.topic.id == "qualification-exam"), result


@pytest.mark.parametrize("question", ["药师继续教育每年多少学时", "律师的年度培训学时怎么算",
                                      "How many CPD hours does a pharmacist need?"])
def test_another_professions_continuing_education_is_not_ours(kb: KnowledgeBase, question: str) -> None:
    """继续教育 and 学时 are our words, but a pharmacist's or a lawyer's hours are set by their own regulators: the
    accountants' 90 credits would be a confident wrong answer."""
    assert kb.search(question).verdict == "not_found"


@pytest.mark.parametrize(("question", "entry"), [("我是医院的会计，也要参加继续教育吗", "who-must"),
                                                 ("有会计证，现在改行当老师了，还要学吗", "not-working"),
                                                 ("I left accounting and became a teacher. Do I still have to study?",
                                                  "not-working")])
def test_another_profession_beside_accounting_is_ours(kb: KnowledgeBase, question: str, entry: str) -> None:
    """An accountant at a hospital, or one who left accounting for teaching, asks about their own duty."""
    result = kb.search(question)
    assert result.verdict == "answer" and result.best is not None and result.best.topic.id == entry, result


@pytest.mark.parametrize(("question", "entries"), [
    ("继续教育没学完，会影响以后报考中级吗", {"promotion", "consequences"}),
    ("继续教育的发票怎么开", {"payment-failed"}),
])
def test_another_domains_word_beside_continuing_education_is_context(kb: KnowledgeBase, question: str,
                                                                      entries: set[str]) -> None:
    """报考 and 工资 alone are other offices' business; asked about with continuing education they are ours."""
    result = kb.search(question)
    assert result.verdict != "not_found" and result.best is not None and result.best.topic.id in entries


def test_a_long_story_around_the_question_does_not_push_it_under_the_answer_floor(kb: KnowledgeBase) -> None:
    """Character pairs that no phrasing has (a place, a company, a life told around the question) cannot match
    anything; in a long message they are not counted against it, so what it asks is still found."""
    story = ("我在会计之星上学完课程以后一直等着学分，等了快一个月了全国平台上面还是一直查不到学分，"
             "这种情况正常吗，要找谁")
    result = kb.search(story)
    assert result.verdict != "not_found"
    assert kb.topic("credits-sync") in [hit.topic for hit in result.hits[:2]]
