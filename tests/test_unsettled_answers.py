"""Questions the notice does not settle (bookkeepers of sole traders, auditors, other online schools, repeating a
course, several qualifications, age) get an honest answer: what the notice does say, that it says nothing
more, and who can answer; never a number of its own. Questions whose words a wrong topic shares are not
taken by it ("60岁" is an age, not the 60 professional credits)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime

import pytest

from bot.answers.i18n import Translator, translator
from bot.answers.qa import answer
from bot.answers.reply import Reply
from bot.bootstrap import build_services
from bot.domain.clock import SHANGHAI, ManualClock
from bot.infra.config import Settings
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
    ("会计之星的网页一直打不开怎么办", "财政局"),
    ("学费被扣了两遍，多的那笔找谁退", "机构"),
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


@pytest.mark.parametrize(("question", "topic"), [
    ("课程视频能调成两倍速看吗", "study-device"),
    ("Can I watch the lessons at double speed?", "study-device"),
    ("公需课主要学的是哪方面的东西", "subjects"),
    ("交了两次钱，怎么退", "payment-failed"),
])
def test_everyday_words_reach_the_entry_that_answers(kb: KnowledgeBase, question: str, topic: str) -> None:
    """Playback speed, 'what is in it', a double charge: words an entry's phrasings do not use reach it through the
    lexicon ("付了两遍" is a double charge, not the repeated-course "两遍")."""
    result = kb.search(question)
    assert result.best is not None and result.best.topic.id == topic, result


@pytest.mark.parametrize("question", [
    "注会考试报名截止到哪天",
    "考研会计专硕考哪几门",
    "When does the CPA exam registration close?",
])
def test_other_exams_are_out_of_scope(kb: KnowledgeBase, question: str) -> None:
    """The CPA exam and postgraduate entrance are not continuing education: nothing is claimed (the deadline is
    not this year's continuing-education deadline), while study for a degree still counts ("读研能抵学分吗")."""
    assert kb.search(question).verdict == "not_found"
    assert kb.search("在职读研能抵继续教育学分吗").verdict != "not_found"


@pytest.fixture(scope="module")
def respond(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str, str], Reply]:
    settings = Settings(_env_file=None,  # type: ignore[call-arg]
                        database_path=tmp_path_factory.mktemp("unsettled") / "db.sqlite3")
    clock = ManualClock(datetime(2026, 11, 27, 10, 0, tzinfo=SHANGHAI))
    return build_services(settings, clock=clock).responder.respond


def test_another_exams_deadline_is_not_ours(respond: Callable[[str, str], Reply]) -> None:
    """"截止是几号" of the CPA exam gets no continuing-education deadline (the time reading defers to the scope)."""
    reply = respond("注会考试今年报名截止是几号", "zh")
    assert reply.kind == "not_found" and "12月31日" not in reply.text, reply.text


def test_a_pensioner_is_not_told_when_their_work_began(respond: Callable[[str, str], Reply]) -> None:
    """A retiree's "this year" is not the year they began accounting work: no "starts next year" line before the
    retirees' answer."""
    reply = respond("I have been on my pension since last spring; is this year's study still compulsory for me?", "en")
    assert reply.extra.get("topic") == "retiree" or "retiree" in (reply.extra.get("topics") or []), reply.text
    assert "2027" not in reply.text and "started accounting work" not in reply.text, reply.text
