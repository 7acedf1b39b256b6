"""Numbers, /credits and /add arguments, and free-text statements (bot/parsing/numbers.py, credit_parse.py)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from bot.answers.credits_view import render_error
from bot.answers.i18n import Translator
from bot.domain.credits import Category, YearTotals
from bot.parsing.credit_parse import (
    ERROR_CODES,
    AddArgs,
    CreditArgs,
    CreditStatement,
    ParseError,
    parse_add_args,
    parse_credit_args,
    parse_statement,
)
from bot.parsing.numbers import fmt_number, parse_number
from knowledge.policy import policy_for

P = policy_for(2026)
TODAY = date(2026, 11, 27)
D = Decimal
PRO, PUB = Category.PROFESSIONAL, Category.PUBLIC


# --- numbers ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "value"), [
    ("40", "40"), ("４０", "40"), ("7.5", "7.5"), ("７．５", "7.5"), ("7.5分", "7.5"), ("90学分", "90"),
    ("30个学分", "30"), ("四十", "40"), ("六十五", "65"), ("九十", "90"), ("一百二十", "120"),
    ("两", "2"), ("十五", "15"), ("半", "0.5"), ("七点五", "7.5"), ("两百", "200"), ("零", "0"),
    ("一百零五", "105"), ("三个半", "3.5"), ("7半", "7.5"), ("-3", "-3"), ("负五", "-5"),
    ("40 credits", "40"),
])
def test_parse_number(text: str, value: str) -> None:
    assert parse_number(text) == D(value)


@pytest.mark.parametrize("text", ["", "abc", "四十五点", "点五", "4o", "1e5", "nan", "七点", "九十九万",
                                  "1234567890", "五十abc", "半半", "7.5.1", "--3"])
def test_parse_number_rejects(text: str) -> None:
    assert parse_number(text) is None


def test_fmt_number() -> None:
    shown = [fmt_number(D(x)) for x in ("90", "90.0", "7.50", "100", "0.5")]
    assert shown == ["90", "90", "7.5", "100", "0.5"]


# --- /credits ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "year", "pro", "pub"), [
    ("/credits 专业 40 公需 30", 2026, "40", "30"),
    ("/credits 2025 专业 50 公需 30", 2025, "50", "30"),
    ("/credits 公需30 专业40", 2026, "40", "30"),
    ("/credits professional 40 public 30", 2026, "40", "30"),
    ("/credits 总 95 专业 50", 2026, "50", "45"),
    ("/credits total 95 public 45", 2026, "50", "45"),
    ("/credits 总 95 专业 50 公需 45", 2026, "50", "45"),
    ("/credits 专业 四十 公需 三十", 2026, "40", "30"),
    ("/credits 专业４０ 公需３０", 2026, "40", "30"),
    ("/credits@accbot 专业40，公需30", 2026, "40", "30"),
    ("/credits 2025年 专业 50分 公需 30学分", 2025, "50", "30"),
    ("/credits 专业 7.5 公需 3.5", 2026, "7.5", "3.5"),
    ("/credits 专业 100", 2026, "100", "0"),
    ("/credits 40 专业 30 公需", 2026, "40", "30"),
    ("专业课 60 公需课 30", 2026, "60", "30"),
])
def test_credit_args(text: str, year: int, pro: str, pub: str) -> None:
    result = parse_credit_args(text, P)
    assert isinstance(result, CreditArgs), result
    assert (result.year, result.professional, result.public) == (year, D(pro), D(pub))
    assert result.totals() == YearTotals(year, D(pro), D(pub))


# --- /add -----------------------------------------------------------------------------------------------

def test_add_plain() -> None:
    result = parse_add_args("/add 专业 6 管理会计实务", P, TODAY)
    assert result == AddArgs(2026, TODAY, False, PRO, D(6), "管理会计实务", None)


def test_add_with_date() -> None:
    result = parse_add_args("/add 公需 3.5 职业道德 2026-05-01", P, TODAY)
    assert isinstance(result, AddArgs)
    assert (result.category, result.credits, result.title, result.day, result.day_given) == \
        (PUB, D("3.5"), "职业道德", date(2026, 5, 1), True)


@pytest.mark.parametrize(("text", "day"), [
    ("/add 专业6 课程 5月1日", date(2026, 5, 1)),
    ("/add 专业 6 课程 2026年5月1日", date(2026, 5, 1)),
    ("/add 专业 6 课程 2025/12/30", date(2025, 12, 30)),
])
def test_add_date_formats(text: str, day: date) -> None:
    result = parse_add_args(text, P, TODAY)
    assert isinstance(result, AddArgs) and result.day == day and result.year == day.year


def test_add_face_to_face_needs_category_and_says_source() -> None:
    err = parse_add_args("/add 面授 8学时 xx培训", P, TODAY)
    assert isinstance(err, ParseError) and err.code == "category_needed"
    assert err.params["credits"] == "24" and err.params["form"] == "face_to_face"
    assert "晋财会〔2021〕23号" in str(err.params["source"])


def test_add_face_to_face_with_category() -> None:
    result = parse_add_args("/add 专业 面授 8学时 xx培训", P, TODAY)
    assert isinstance(result, AddArgs) and result.credits == 24 and result.title == "xx培训"
    assert result.conversion is not None and result.conversion.form.id == "face_to_face"


def test_add_face_to_face_capped_day() -> None:
    result = parse_add_args("/add 公需 面授 12学时 1天 讲座", P, TODAY)
    assert isinstance(result, AddArgs) and result.credits == 30
    assert result.conversion is not None and result.conversion.capped


@pytest.mark.parametrize(("text", "credits", "converted"), [
    ("/add 专业 面授 24学分 讲座", 24, False),       # credits stated directly: no conversion
    ("/add 专业 面授 8 讲座", 24, True),             # a bare figure after a form word is in its unit
    ("/add 专业 8学时 讲座", 24, True),              # the unit alone implies face-to-face
    ("/add 公需 面授 2天 16学时 讲座", 48, True),
    ("/add 公需 面授 1天 12学时 讲座", 30, True),
    ("/add professional 6 Management accounting", 6, False),
    ("/add 专业 会议 2天 年会", 20, True),
])
def test_add_amount_units(text: str, credits: int, converted: bool) -> None:
    result = parse_add_args(text, P, TODAY)
    assert isinstance(result, AddArgs), result
    assert result.credits == credits and (result.conversion is not None) is converted


def test_add_exam() -> None:
    err = parse_add_args("/add 考试 1科 中级会计实务", P, TODAY)
    assert isinstance(err, ParseError) and err.code == "category_needed" and err.params["credits"] == "90"
    ok = parse_add_args("/add 专业 考试 1科 中级会计实务", P, TODAY)
    assert isinstance(ok, AddArgs) and ok.credits == 90 and ok.title == "中级会计实务"


def test_add_paper_roles() -> None:
    first = parse_add_args("/add 专业 论文 1篇 第一作者 会计研究", P, TODAY)
    other = parse_add_args("/add 专业 论文 1篇 其他作者 会计研究", P, TODAY)
    assert isinstance(first, AddArgs) and first.credits == 30 and first.title == "会计研究"
    assert isinstance(other, AddArgs) and other.credits == 10


def test_add_title_words_that_look_like_forms() -> None:
    result = parse_add_args("/add 专业 6 中级会计实务考试辅导", P, TODAY)
    assert isinstance(result, AddArgs) and result.credits == 6 and result.conversion is None
    result = parse_add_args("/add 专业 6 2026年税收政策", P, TODAY)
    assert isinstance(result, AddArgs) and result.title == "2026年税收政策" and result.year == 2026


def test_add_earlier_year() -> None:
    result = parse_add_args("/add 2025 专业 6 课程", P, TODAY)
    assert isinstance(result, AddArgs) and result.year == 2025 and result.day is None


# --- bad input: ≥ 30 cases, each with its code --------------------------------------------------

BAD_CREDITS = [
    ("/credits", "empty"),
    ("/credits   ", "empty"),
    ("/credits 2025", "empty"),
    ("/credits 专业 -5", "negative"),
    ("/credits 专业 40 公需 -1", "negative"),
    ("/credits 专业 1001", "too_large_entry"),
    ("/credits 专业 201", "too_large_entry"),  # every single figure follows the one per-figure limit
    ("/credits 专业 600 公需 500", "too_large_entry"),
    ("/credits 总 1200 专业 60", "too_large_entry"),
    ("/credits 专业 7.55", "too_precise"),
    ("/credits 总 95 专业 120", "professional_above_total"),
    ("/credits 总 50 公需 60", "public_above_total"),
    ("/credits 总 95 专业 50 公需 30", "inconsistent_total"),
    ("/credits 总 95", "professional_needed"),
    ("/credits 体育 30", "unknown_category"),
    ("/credits 专业 40 体育 30", "unknown_category"),
    ("/credits hello world", "unknown_category"),
    ("/credits 专业 40 专业 50", "duplicate_category"),
    ("/credits 2017 专业 40", "bad_year"),
    ("/credits 2031 专业 40", "bad_year"),
    ("/credits 2023 专业 40 公需 50", "bad_year"),
    ("/credits 2027年 专业 40", "bad_year"),
    ("/credits 专业 abc", "bad_number"),
    ("/credits 专业 四十五点", "bad_number"),
    ("/credits 专业", "missing_number"),
    ("/credits 专业 公需 30", "missing_number"),
    ("/credits 30 40", "unparseable"),
    ("/credits 90", "category_needed"),
]
BAD_ADD = [
    ("/add", "empty"),
    ("/add 专业 -3 课程", "negative"),
    ("/add 专业 0 课程", "zero"),
    ("/add 专业 6 " + "长" * 101, "title_too_long"),
    ("/add 专业 201 课程", "too_large_entry"),
    ("/add 专业 考试 3科", "too_large_entry"),
    ("/add 体育 30 课程", "unknown_category"),
    ("/add 专业 6 课程 2023-05-01", "bad_year"),
    ("/add 2031 专业 6 课程", "bad_year"),
    ("/add 专业 6 课程 2026-02-30", "bad_date"),
    ("/add 专业 6 课程 2026-12-30", "future_date"),
    ("/add 专业 四十五点 课程", "bad_number"),
    ("/add 专业 管理会计", "missing_number"),
    ("/add 专业", "missing_number"),
    ("/add 6 管理会计", "category_needed"),
    ("/add 面授 8学时 xx培训", "category_needed"),
    ("/add 考试 1科 中级会计实务", "category_needed"),
    ("/add 专业 论文 1篇", "role_needed"),
    ("/add 专业 课题 1项 课题名称", "role_needed"),
]


@pytest.mark.parametrize(("text", "code"), BAD_CREDITS)
def test_bad_credit_args(text: str, code: str) -> None:
    result = parse_credit_args(text, P)
    assert isinstance(result, ParseError), result
    assert result.code == code, result


@pytest.mark.parametrize(("text", "code"), BAD_ADD)
def test_bad_add_args(text: str, code: str) -> None:
    result = parse_add_args(text, P, TODAY)
    assert isinstance(result, ParseError), result
    assert result.code == code, result


def test_bad_table_is_large_and_covers_every_code() -> None:
    cases = BAD_CREDITS + BAD_ADD
    assert len(cases) >= 30
    # The year's limit depends on what is already recorded: the recorder checks it (tests/test_credit_changes.py).
    assert {code for _, code in cases} == set(ERROR_CODES) - {"too_large_year", "too_large_year_sum"}


def test_unknown_error_code_is_a_bug() -> None:
    with pytest.raises(ValueError):
        ParseError("nope")


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(("text", "code"), BAD_CREDITS + BAD_ADD)
def test_every_error_renders_with_an_example(lang: str, text: str, code: str) -> None:
    t = Translator()
    err = parse_add_args(text, P, TODAY) if text.startswith("/add") else parse_credit_args(text, P)
    assert isinstance(err, ParseError)
    message = render_error(err, lang, t)
    assert "credits.error." not in message and "{" not in message
    assert "例如" in message or "e.g." in message.lower() or "2026-05-01" in message  # says what to type


# --- statements -------------------------------------------------------------------------------------

STATEMENTS = [
    ("我专业课修了40分，公需30分，够吗", None, "40", "30", None),
    ("已经有95学分了其中专业科目50", None, "50", None, "95"),
    ("total 95 professional 50", None, "50", None, "95"),
    ("I have 60 professional and 30 general credits", None, "60", "30", None),
    ("专业60 公需30", None, "60", "30", None),
    ("修了八十分 专业五十", None, "50", None, "80"),
    ("2025年我只有60学分 专业40", 2025, "40", None, "60"),
    ("我专业课修了４０分，公需３０分", None, "40", "30", None),
    ("专业60公需30够吗", None, "60", "30", None),
    ("我一共修了95学分，其中专业50", None, "50", None, "95"),
    ("I have done 90 credits, 60 professional", None, "60", None, "90"),
    ("我的公需课30学分已经修完了，专业课才20", None, "20", "30", None),
    ("目前专业课45分 公需课三十分", None, "45", "30", None),
    ("我今年拿了七十五分，专业四十五", None, "45", None, "75"),
    ("my professional credits: 40, public 30", None, "40", "30", None),
    ("专业课 60 学分，公需课 30 学分", None, "60", "30", None),
    ("我才修了20学分", None, None, None, "20"),
    ("I have 45 professional credits so far", None, "45", None, None),
    ("我已经修了专业六十五点五分", None, "65.5", None, None),
    # One category for the whole total, with no 我/已经 cue: the everyday forms of issue 11.
    ("全部是专业课，共95分", None, "95", None, "95"),
    ("总共95分都是专业科目", None, "95", None, "95"),
    ("95学分全部是专业课", None, "95", None, "95"),
    ("都是公需课，一共40分", None, None, "40", "40"),
    ("all professional, 95 credits in total", None, "95", None, "95"),
    # "一分没学" is none, not one credit; what someone else said is not the sender's figure.
    ("我今年专业课学了80分，公需课一分没学，总共80分", None, "80", "0", "80"),
    ("主管说专业要60分，我专业学了50，公需40", None, "50", "40", None),
    ("专业课一分也没有，公需课学了30分", None, "0", "30", None),
    # "十分感谢": "very", no figure.
    ("十分感谢，我专业60公需30", None, "60", "30", None),
    # Itemised credits with their total, one item of no named category: the total is what is known.
    ("我面授算了24学分，网上公需课20分、专业课36分，加起来80分", None, None, None, "80"),
]


@pytest.mark.parametrize(("text", "year", "pro", "pub", "total"), STATEMENTS)
def test_statements(text: str, year: int | None, pro: str | None, pub: str | None, total: str | None) -> None:
    result = parse_statement(text, P)
    expected = CreditStatement(year, *(None if v is None else D(v) for v in (pro, pub, total)))
    assert result == expected


NOT_STATEMENTS = [
    "专业课要修多少学分",
    "90学分怎么算",
    "补学什么时候",
    "需要90学分吗",
    "我需要修满90学分吗",
    "公需30学分是必须的吗",
    "专业课至少60学分吗",
    "公需课有30学分的要求吗",
    "如果我有60专业学分够吗",
    "面授8个学时算多少学分",
    "考过一科中级能抵多少学分",
    "我考过一科中级，能抵90学分吗",
    "how many credits do I need",
    "do I need 60 professional credits",
    "一年要90学分，专业课不少于60学分对吗",
    "我还差20学分",
    "我有3个问题",
    "2026年继续教育截止时间",
    "十分感谢",
    "我看网上有人说公需30专业60",
    "群里有人说专业60公需30",  # what someone said, not the sender's own credits
    "听说专业课60分公需课30分就够了",
    "专业课都要学吗",
    "是不是全部都是专业课才行",
    "",
]


@pytest.mark.parametrize("text", NOT_STATEMENTS)
def test_not_statements(text: str) -> None:
    assert parse_statement(text, P) is None


@pytest.mark.parametrize("text", [
    "学完好几天了，全国平台上还是0学分",
    "会计之星显示零学分",
    "The national platform still shows 0 credits",
])
def test_nothing_shown_on_a_platform_is_not_a_statement(text: str) -> None:
    """Zero credits where credits should show is a complaint that they have not arrived (the sync question),
    not a total of nothing earned to assess; a plain zero is still assessed."""
    assert parse_statement(text, P) is None
    assert parse_statement("我现在0学分", P) is not None


def test_statement_totals_resolution() -> None:
    s = parse_statement("已经有95学分了其中专业科目50", P)
    assert s is not None and s.totals(2026) == YearTotals(2026, 50, 45)
    only_total = parse_statement("我才修了20学分", P)
    assert only_total is not None and not only_total.split_known and only_total.totals(2026) is None
    only_pro = parse_statement("I have 45 professional credits so far", P)
    assert only_pro is not None and only_pro.totals(2026) == YearTotals(2026, 45, 0)


@pytest.mark.parametrize(("text", "code"), [
    ("我专业120 总共95学分", "professional_above_total"),
    ("我修了1200学分 专业60", "too_large_entry"),
    ("我专业课修了999分", "too_large_entry"),
    ("我专业课修了-40分，公需30分，够吗", "negative"),
    ("我专业课修了负四十分", "negative"),
    ("我专业课修了NaN分，公需30分", "bad_number"),
    ("2017年我有90学分 专业60", "bad_year"),
])
def test_statement_errors(text: str, code: str) -> None:
    result = parse_statement(text, P)
    assert result is not None and result.error is not None and result.error.code == code
    assert result.totals(2026) is None


def test_catalogs_have_the_same_keys_and_placeholders() -> None:
    import re
    from pathlib import Path

    from babel.messages.pofile import read_po

    root = Path(__file__).resolve().parent.parent / "locale"
    catalogs = []
    for folder in ("zh_CN", "en"):
        with (root / folder / "LC_MESSAGES" / "credits.po").open("rb") as fh:
            catalogs.append({str(m.id): str(m.string) for m in read_po(fh) if m.id})
    zh, en = catalogs
    assert zh.keys() == en.keys()
    for key in zh:
        assert set(re.findall(r"\{(\w+)\}", zh[key])) == set(re.findall(r"\{(\w+)\}", en[key])), key


@pytest.mark.parametrize("text", [
    "今年学了150学分，多的能算到明年吗",
    "我已经修了120分，多出来的可以留到明年用吗",
    "I have 120 credits this year, can the extra be carried over to next year?",
])
def test_figures_given_as_context_for_a_carry_over_question_are_not_a_statement(text: str) -> None:
    assert parse_statement(text, P) is None



@pytest.mark.parametrize("text", [
    "在会计之星上学完了90学分，但是全国平台上查不到学分，这是怎么回事？",
    "我今年已经学完90学分了，但是证书在哪里打印呢？",
    "我专业课学了60分，公需课30分，为什么全国平台上显示只有60？",
    "I have 60 professional and 30 public credits, where can I print the certificate?",
])
def test_figures_given_as_context_for_another_question_are_not_a_statement(text: str) -> None:
    """Only a statement to be assessed (or asked whether it suffices) is one; here the figures set the scene."""
    assert parse_statement(text, P) is None


@pytest.mark.parametrize(("text", "year", "pro", "pub", "total"), [
    ("我今年学了专业课70学分，公需课15学分，还差吗？", None, "70", "15", None),
    ("今年我已经学了专业课60学分，公需课30学分，请问够了吗？", None, "60", "30", None),
    # The year the asker qualified is their story, not the year the credits are for.
    ("我是2023年拿的初级，今年学了80学分，其中专业课60，公需课20，够不够？", None, "60", "20", "80"),
    ("我2019年考的中级，2025年我有专业40 公需50，达标了吗", 2025, "40", "50", None),
    ("I studied 60 professional credits and 30 public credits this year, is that enough?", None, "60", "30", None),
    ("I have 70 professional credits and 20 public credits this year. Have I met the requirement?", None, "70", "20",
     None),
])
def test_statements_after_the_askers_story(text: str, year: int | None, pro: str | None, pub: str | None,
                                           total: str | None) -> None:
    expected = CreditStatement(year, *(None if v is None else D(v) for v in (pro, pub, total)))
    assert parse_statement(text, P) == expected
