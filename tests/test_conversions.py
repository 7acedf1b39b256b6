"""Other forms of study → credits (knowledge/conversions.py, bot/domain and bot/parsing) and their answers."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from bot.answers.credits_view import render_conversion
from bot.answers.i18n import Translator
from bot.domain.conversions import ConversionQuery, convert
from bot.parsing.conversions import match_conversion_question
from knowledge.conversions import CONVERSIONS_PATH, form_by_id, forms, load_conversions

D = Decimal


# --- the data -----------------------------------------------------------------------------------------

def test_data_loads_and_every_form_is_cited() -> None:
    loaded = load_conversions(CONVERSIONS_PATH)
    assert {f.id for f in loaded} == {"exam", "conference", "degree_course", "research", "paper", "book",
                                      "face_to_face", "association"}
    for form in loaded:
        assert form.sources and all(s.citation and s.url.startswith("http") and s.quote for s in form.sources)
        assert form.category is None  # no verified source says 公需 or 专业 (regulations C6)


@pytest.mark.parametrize(("form_id", "per_unit", "per_unit_other", "cap", "citation"), [
    ("exam", 90, None, None, "财会〔2018〕10号 第十三条"),
    ("conference", 10, None, None, "财会〔2018〕10号 第十三条（一）"),
    ("degree_course", 90, None, None, "财会〔2018〕10号 第十三条（二）"),
    ("research", 90, 60, None, "财会〔2018〕10号 第十三条（三）"),
    ("paper", 30, 10, None, "财会〔2018〕10号 第十三条（四）"),
    ("book", 90, 60, None, "财会〔2018〕10号 第十三条（五）"),
    ("face_to_face", 3, None, 10, "山西细则 晋财会〔2021〕23号 第二条（二）"),
    ("association", 3, None, 10, "山西细则 晋财会〔2021〕23号 第二条（三）"),
])
def test_figures_match_the_verified_clauses(form_id: str, per_unit: int, per_unit_other: int | None,
                                            cap: int | None, citation: str) -> None:
    form = form_by_id(form_id)
    assert form.per_unit == per_unit
    assert form.per_unit_other == (None if per_unit_other is None else D(per_unit_other))
    assert form.cap_per_day == (None if cap is None else D(cap))
    assert form.sources[0].citation == citation
    assert str(per_unit) in form.sources[0].quote


def test_national_only_forms_carry_a_caveat() -> None:
    for form in forms():
        if not form.shanxi_verified:
            assert any(s.caveat for s in form.sources) or form.id == "exam"


# --- computing ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("form_id", "quantity", "role", "days", "credits", "other", "capped", "min_days"), [
    ("exam", 1, None, None, 90, None, False, None),
    ("exam", 2, None, None, 180, None, False, None),
    ("conference", 2, None, None, 20, None, False, None),
    ("paper", 1, None, None, 30, 10, False, None),
    ("paper", 1, "other", None, 10, None, False, None),
    ("book", 1, "first", None, 90, None, False, None),
    ("research", 1, "other", None, 60, None, False, None),
    ("face_to_face", 8, None, None, 24, None, False, None),
    ("face_to_face", 12, None, 1, 30, None, True, None),      # one day over the 10-hour cap
    ("face_to_face", 16, None, 2, 48, None, False, None),
    ("face_to_face", 25, None, 2, 60, None, True, None),
    ("face_to_face", 12, None, None, 36, None, False, 2),     # no day count: needs ≥ 2 days
    ("association", 10, None, 1, 30, None, False, None),
])
def test_convert(form_id: str, quantity: int, role: str | None, days: int | None, credits: int,
                 other: int | None, capped: bool, min_days: int | None) -> None:
    q = convert(form_by_id(form_id), D(quantity), role, None if days is None else D(days))  # type: ignore[arg-type]
    assert q.credits == credits
    assert q.credits_other == (None if other is None else D(other))
    assert q.capped is capped and q.min_days == min_days


def test_degree_course_once_per_year() -> None:
    q = convert(form_by_id("degree_course"), D(2))
    assert q.credits == 90 and q.once


def test_hours_without_quantity_give_the_rate_only() -> None:
    q = convert(form_by_id("face_to_face"), None)
    assert q.credits is None and q.one_day_max == 30


# --- recognising questions ------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "form_id", "credits"), [
    ("考过一科中级能抵多少学分", "exam", 90),
    ("面授8个学时算多少学分", "face_to_face", 24),
    ("发表一篇论文给多少学分", "paper", 30),
    ("参加两天会议算多少", "conference", 20),
    ("how many credits for passing a CPA exam subject", "exam", 90),
    ("注会考过两科能抵多少学分", "exam", 180),
    ("税务师通过一科算几个学分", "exam", 90),
    ("面授一天12个学时算多少学分", "face_to_face", 30),
    ("出版一本书能抵多少学分", "book", 90),
    ("课题参与人能算多少学分", "research", 60),
    ("论文其他作者给多少学分", "paper", 10),
    ("注协培训6学时算多少学分", "association", 18),
    ("读在职研究生通过一门课程算多少学分", "degree_course", 90),
    # A degree named as people say it: the course exam passed there is the degree clause's, not a qualification
    # exam's.
    ("在读会计硕士，通过一门课程考试能抵多少学分", "degree_course", 90),
    ("专升本读会计，考过一门课能顶学分吗", "degree_course", 90),
    ("Do the exams I pass in my part-time bachelor's count for credits?", "degree_course", 90),
    ("How many credits is a 2 day conference worth", "conference", 20),
    ("how many credits for 8 hours of face-to-face training", "face_to_face", 24),
])
def test_match_questions(text: str, form_id: str, credits: int) -> None:
    q = match_conversion_question(text)
    assert q is not None and q.form.id == form_id and q.credits == credits


@pytest.mark.parametrize("text", [
    "90学分怎么算",
    "中级考试什么时候报名",
    "面授培训学分怎么登记",
    "专业课要修多少学分",
    "补学什么时候",
    "我专业课修了40分，公需30分，够吗",
    "中级会计考试考几科",
    "面授培训结束后多久上报",
    "",
])
def test_not_conversion_questions(text: str) -> None:
    assert match_conversion_question(text) is None


# --- answers ------------------------------------------------------------------------------------------

def _answer(text: str, lang: str, t: Translator) -> str:
    q = match_conversion_question(text)
    assert isinstance(q, ConversionQuery)
    return render_conversion(q, lang, t)


def test_answer_exam_zh(t: Translator) -> None:
    text = _answer("考过一科中级能抵多少学分", "zh", t)
    assert "90学分" in text and "财会〔2018〕10号 第十三条" in text
    assert "来源没有说明" in text and "公需" in text and "专业" in text
    assert "/add 专业 考试 1科" in text


def test_answer_face_to_face_capped(t: Translator) -> None:
    text = _answer("面授一天12个学时算多少学分", "zh", t)
    assert "30学分" in text and "每天累计不超过10学时" in text and "晋财会〔2021〕23号 第二条（二）" in text
    assert "12学时按10学时计" in text


def test_answer_face_to_face_multi_day_note(t: Translator) -> None:
    text = _answer("面授12学时算多少学分", "zh", t)
    assert "36学分" in text and "至少要分2天" in text


def test_answer_paper_both_roles(t: Translator) -> None:
    text = _answer("发表一篇论文给多少学分", "zh", t)
    assert "30学分" in text and "10学分" in text and "其他作者" in text and "第十三条（四）" in text


def test_answer_english(t: Translator) -> None:
    text = _answer("how many credits for passing a CPA exam subject", "en", t)
    assert "90 credits" in text and "does not say whether" in text and "财会〔2018〕10号" in text
    assert "not verified" in text  # the Shanxi draft text is flagged


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("form_id", ["exam", "conference", "degree_course", "research", "paper", "book",
                                     "face_to_face", "association"])
def test_every_form_renders(lang: str, form_id: str, t: Translator) -> None:
    form = form_by_id(form_id)
    for q in (convert(form, D(1)), convert(form, D(2), "other" if form.has_roles else None),
              convert(form, None)):
        text = render_conversion(q, lang, t)
        assert not re.search(r"credits\.[a-z_]+\.", text) and "{" not in text  # no raw message keys
        assert form.sources[0].citation in text
