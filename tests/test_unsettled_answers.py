"""Questions the notice does not settle (bookkeepers of sole traders, auditors, other online schools, repeating a
course, several qualifications, age) get an honest answer: what the notice does say, that it says nothing
more, and who can answer; never a number of its own. Questions whose words a wrong topic shares are not
taken by it ("60岁" is an age, not the 60 professional credits)."""

from __future__ import annotations

import re

import pytest

from bot.answers.i18n import Translator, translator
from bot.answers.qa import answer
from knowledge import KnowledgeBase
from knowledge.policy import policy_for


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase.load(policy_for(2026))


@pytest.fixture(scope="module")
def tr() -> Translator:
    return translator()


@pytest.mark.parametrize(("question", "who"), [
    ("我给几个个体户做账，也要参加继续教育吗", "财政部门"),
    ("有审计师证的要不要学会计继续教育", "审计主管部门"),
    ("在东奥网校买的继续教育课算学分吗", "会计之星"),
    ("去年学过的同一门课今年再学一遍有学分吗", "机构"),
    ("初级和中级证都有，每年要学两份学分吗", "不少于90学分"),
    ("年纪大了继续教育可以免吗", "财政部门"),
])
def test_what_the_notice_does_not_settle_is_said_with_who_can_answer(kb: KnowledgeBase, tr: Translator,
                                                                     question: str, who: str) -> None:
    reply = answer(kb, question, "zh", tr)
    assert reply.kind == "answer", reply.text
    body = reply.text.split("「")[0]  # the answer before the quoted clause
    assert ("没有" in body or "不在" in body) and who in body, body
    assert set(re.findall(r"\d+", body)) <= {"90", "60", "2026", "2021", "23"}, body  # no figure of its own


def test_an_age_is_not_a_credit_figure(kb: KnowledgeBase) -> None:
    result = kb.search("60岁了还要参加继续教育吗")
    assert result.best is not None and result.best.topic.id == "leave-exemption"
