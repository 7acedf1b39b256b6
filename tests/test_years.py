"""The year follows the clock: inside 2026, between years, and a (fictional) 2027 notice that is data only."""

from __future__ import annotations

import re
import shutil
from datetime import date, datetime
from pathlib import Path

import pytest

from bot.bootstrap import build_services
from bot.domain.clock import SHANGHAI, ManualClock
from bot.domain.years import year_state
from bot.infra.config import Settings
from knowledge.loader import KNOWLEDGE_DIR, load_files
from knowledge.policy import load_policies, policy_for
from tests.auxil.harness import ChatHarness

FICTIONAL_2027 = Path(__file__).parent / "fixtures" / "year2027"
USER = 5150


def _at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=SHANGHAI)


@pytest.mark.parametrize(("day", "year", "phase"), [
    ("2026-11-28", 2026, "in_year"), ("2026-12-31", 2026, "in_year"), ("2027-01-01", 2026, "between"),
    ("2027-03-17", 2026, "between"), ("2027-03-18", 2027, "in_year"), ("2028-01-01", 2027, "between"),
])
def test_the_phase_is_a_function_of_the_day(day: str, year: int, phase: str) -> None:
    policies = load_policies((KNOWLEDGE_DIR, FICTIONAL_2027))
    state = year_state(policies, date.fromisoformat(day))
    assert (state.policy.year, state.phase) == (year, phase)
    assert state.days_left >= 0


def test_without_a_newer_notice_the_bot_stays_between_years() -> None:
    state = year_state((policy_for(2026),), date(2027, 6, 1))
    assert state.between and state.record_year == 2027 and state.days_left == 0
    assert 2027 in state.recordable_years


def _settings(tmp_path: Path, *dirs: Path) -> Settings:
    return Settings(_env_file=None, database_path=tmp_path / "db.sqlite3",  # type: ignore[call-arg]
                    knowledge_dirs=dirs)


@pytest.mark.parametrize(("day", "question", "expected", "absent"), [
    ("2026-11-28", "还有几天截止", ["还剩34天", "含今天", "2026年12月31日"], []),
    ("2026-12-31T23:59", "还有几天截止", ["最后一天"], []),
    ("2027-01-01", "还有几天截止", ["已于2026年12月31日截止", "2027年度", "尚未收录"], ["还剩"]),
    ("2026-11-28", "补学端口还开着吗", ["已于2026年6月1日关闭"], []),
    ("2026-03-30", "补学什么时候开始", ["还有2天开放"], []),
    ("2026-05-01", "网上学习什么时候开始", ["正在开放"], []),
    ("2026-11-28", "明年需要多少学分", ["2027年度", "90", "三分之二", "尚未发布", "财会〔2018〕10号"], ["不能"]),
    ("2027-01-05", "今年需要多少学分", ["2027年度", "全国规定"], []),
    # Whether next year's rule stays the same: the national rule, named by a figure or by "变了吗".
    ("2026-11-28", "2027年还是90分吗", ["2027年度", "90", "尚未发布"], []),
    ("2026-12-31", "明年政策有变化吗", ["2027年度", "90", "尚未发布"], []),
    ("2027-01-05", "明年还一样吗", ["2028年度", "90"], []),
    # The year the question asks about is the one in its asked clause; the first one named may be context.
    ("2026-11-28", "今年学分够了，明年还要学吗", ["2027年度", "90"], ["还剩"]),
    ("2026-11-28", "多学的学分明年还算吗", ["不再结转"], ["尚未发布"]),
    # Credits owed for a makeup year are that year's makeup, whenever the makeup is asked about.
    ("2026-11-28", "我2024年的没学，今年还能补吗", ["2026年4月1日", "已于2026年6月1日关闭"], []),
    ("2026-11-28", "我2025年考的中级，今年没学完能补吗", ["原则上不安排补学"], ["4月1日"]),
    # Making up this year's credits next year is this year's no-makeup rule; a later year's own credits are not.
    ("2026-11-28", "没学完明年能补吗", ["原则上不安排补学", "还剩34天"], ["2027年度"]),
    ("2026-12-31", "学不完的话明年还可以补学吗", ["原则上不安排补学"], ["2027年度"]),
    ("2026-11-28", "2027年的学分能补吗", ["2027年度", "尚未发布"], []),
    # How to register or pay next year: the steps, which the year does not change.
    ("2026-11-28", "明年的会计之星怎么注册", ["http://www.kjzx.cn"], ["2027年度"]),
    ("2027-01-05", "现在还能学吗", ["已于2026年12月31日截止", "计入2027年度"], []),
    ("2027-01-05", "How many days are left?", ["closed on 31 December 2026"], ["days left"]),
    ("2026-11-28", "How many credits do I need next year?", ["2027", "national rule", "not published"], []),
    ("2026-11-28", "Is the makeup window still open?", ["closed"], []),
    # The makeup window runs in the notice's own year: naming that year asks about the window, and the reply gives
    # the window and then this year's own no-makeup rule.
    ("2026-11-28", "2026年度补学是怎么安排的，哪天开的", ["2026年4月1日", "已于2026年6月1日关闭", "原则上不安排补学"],
     []),
    ("2026-11-28", "大前年和前年的学分都没有，听说开过补学端口，现在去还来得及吗", ["已于2026年6月1日关闭"], []),
    ("2026-11-28", "I did not finish 2025, can I still make it up?", ["1 June 2026", "closed"], []),
    ("2026-11-28", "Can I make it up next year if I miss it?", ["no makeup", "31 December 2026"], ["2027:"]),
    ("2026-11-28", "今年的学分学不完，年底以后还能补吗", ["原则上不安排补学", "还剩34天"], ["4月1日"]),
    ("2026-11-28", "今年刚听说要搞继续教育，之前几年没学的现在能补吗", ["已于2026年6月1日关闭", "原则上不安排补学"],
     []),
    ("2026-11-28", "多出来的学分能累计到下一年用吗", ["结转"], ["尚未发布"]),
    ("2026-11-28", "听说今年没修满的学分明年2月之前还能补，真的吗", ["原则上不安排补学"], ["4月1日"]),
    # A notice already loaded is out; only a later year's is awaited.
    ("2026-11-28", "2026年的会计继续教育通知发布了没有", ["晋财会〔2026〕7号"], ["2027年度"]),
    ("2026-11-28", "山西2026年的继续教育通知发布以后几月份能开始学", ["2026年1月1日", "2026年4月1日"], ["2027年度"]),
    # Told from the next January, this year's study has ended; before it ends, there is still time.
    ("2027-01-05", "2027年了，2026年度的课还能在会计之星上接着学吗", ["已于2026年12月31日截止"], ["尚未发布的2027"]),
    ("2026-11-28", "明年1月份了2026年度的还能接着学吗", ["原则上不安排补学"], ["已于2026年12月31日截止"]),
])
def test_time_questions_are_computed_from_today(tmp_path: Path, day: str, question: str, expected: list[str],
                                                absent: list[str]) -> None:
    svc = build_services(_settings(tmp_path), clock=ManualClock(_at(day)))
    reply = svc.responder.respond(question, "zh")
    for piece in expected:
        assert piece in reply.text, reply.text
    for piece in absent:
        assert piece not in reply.text.split("「")[0], reply.text
    assert not re.search(r"-\d+\s*(天|days)", reply.text), "never a negative day count"
    assert reply.sources, "a computed answer cites its clause"


def test_a_fictional_2027_notice_switches_the_bot_on_its_issue_day(tmp_path: Path) -> None:
    """No code change: the 2027 policy, notice and wording are files under tests/, given as a knowledge dir."""
    clock = ManualClock(_at("2027-03-17T12:00"))
    svc = build_services(_settings(tmp_path, FICTIONAL_2027), clock=clock)
    before = svc.responder.respond("还有几天截止", "zh").text
    assert "已于2026年12月31日截止" in before
    clock.set(_at("2027-03-18T08:00"))
    after = svc.responder.respond("还有几天截止", "zh").text
    assert "2027年12月31日前完成" in after and "测试〔2027〕1号（虚构）" in after
    assert "2026年12月31日前" not in after  # no 2026 quote under a 2027 answer
    online = svc.responder.respond("网上学习什么时候开始", "zh").text
    assert "2027年4月10日" in online and "还没开始" in online
    assert "没有安排补学端口" in svc.responder.respond("补学什么时候开始", "zh").text  # [makeup] is optional


def test_a_years_wording_may_not_quote_another_years_notice(tmp_path: Path) -> None:
    root = tmp_path / "k"
    shutil.copytree(FICTIONAL_2027, root)
    bad = (root / "faq" / "2027.toml").read_text(encoding="utf-8").replace(
        'sources = ["fx27-3"]\nquote = "会计人员须在2027年12月31日前完成当年学习任务"',
        'sources = ["cz5-2"]\nquote = "会计人员须在2026年12月31日前完成当年学习任务"')
    (root / "faq" / "2027.toml").write_text(bad, encoding="utf-8")
    policy = load_policies((KNOWLEDGE_DIR, root))[-1]
    with pytest.raises(ValueError, match="a document of 2026"):
        load_files(policy, (KNOWLEDGE_DIR, root))


def test_a_makeup_table_without_years_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "k"
    shutil.copytree(FICTIONAL_2027, root)
    path = root / "policies" / "2027.toml"
    path.write_text(path.read_text(encoding="utf-8") + "\n[makeup]\nyears = []\nstart = 2027-04-01\n"
                    "end = 2027-06-01\n", encoding="utf-8")
    with pytest.raises(ValueError, match="years"):
        load_policies((root,))


async def test_credits_between_years(chat: ChatHarness, clock: ManualClock) -> None:
    await chat.send(USER, "/credits 专业 60 公需 30")  # 2026-11-27: saved to 2026
    clock.set(_at("2027-01-05T10:00"))
    [status] = await chat.send(USER, "/credits")
    assert "2026年度已于2026年12月31日截止：已达标" in status.text
    assert "2027" in status.text and "尚未收录" in status.text
    [saved] = await chat.send(USER, "/credits 专业 30 公需 10")
    assert "2027" in saved.text.splitlines()[0]
    [added] = await chat.send(USER, "/add 专业 6 税法课 12月30日")
    assert "2026" in added.text.splitlines()[0]  # the most recent 30 December, not one still to come


@pytest.mark.parametrize(("day", "question", "expected", "absent"), [
    # A day named in the question is set against the window it is about: before, on and after the deadline.
    ("2026-11-28", "我6月5号才补的2025年学分算吗", ["2026年6月5日已在补学端口关闭（2026年6月1日）之后"],
     ["开放期间内"]),
    ("2026-11-28", "5月20号补学的2024年学分有效吗", ["2026年5月20日在补学端口开放期间内"], ["之后"]),
    ("2026-11-28", "12月31号晚上12点前学完算吗", ["2026年12月31日在2026年度的学习时间内", "还剩34天"],
     ["不算", "已过"]),
    ("2026-11-28", "12月20号才开始学还来得及吗", ["从2026年12月20日到截止还有12天"], []),
    ("2026-12-30", "1月2号再学算今年的吗", ["2027年1月2日已过2026年度的截止日期", "计入2027年度", "还剩2天"],
     ["在2026年度的学习时间内"]),
    ("2026-12-31", "元旦以后还能学今年的吗", ["2027年1月1日以后已过2026年度的截止日期", "最后一天"], ["还能学。"]),
    ("2027-01-05", "我1月3号学的课算2026年度的吗", ["2027年1月3日已过2026年度的截止日期", "计入2027年度", "尚未发布"],
     []),
    ("2027-01-05", "12月30号学的课算2026年度的吗", ["2026年12月30日在2026年度的学习时间内", "已于2026年12月31日截止"],
     []),
    ("2026-11-28", "If I finish on December 31, does it still count?", ["31 December 2026 is within the 2026 study"],
     ["past the"]),
    # A year before those the makeup covers: said plainly, with the window that exists; never one invented for it.
    ("2026-11-28", "2023年的学分没学还能补吗", ["没有提到更早的年度", "已于2026年6月1日关闭"],
     ["2023年度学分缺失的补学"]),
    ("2026-12-31", "我2019年的学分一直没补，今年还有机会吗", ["没有提到更早的年度", "2024、2025"], []),
    ("2027-01-05", "2021年和2022年的继续教育都没学，现在还能补吗", ["没有提到更早的年度", "尚未发布"], []),
    ("2026-11-28", "I missed 2022, can I make it up?", ["says nothing about earlier years", "closed"], []),
    # The qualification's year is not a year owed: 2025's makeup is the window.
    ("2026-11-28", "我2020年考的中级，2025年的学分没学能补吗", ["已于2026年6月1日关闭"], ["没有提到更早的年度"]),
    ("2026-11-28", "2022年和2025年的学分都没学，能补吗",
     ["没有提到更早的年度", "补学端口开放时间为2026年4月1日至2026年6月1日"], []),
])
def test_a_day_or_year_named_in_a_question_is_set_against_the_windows(
        tmp_path: Path, day: str, question: str, expected: list[str], absent: list[str]) -> None:
    svc = build_services(_settings(tmp_path), clock=ManualClock(_at(day)))
    reply = svc.responder.respond(question, "en" if question.isascii() else "zh")
    own_words = reply.text.split("「")[0]
    for piece in expected:
        assert piece in reply.text, reply.text
    for piece in absent:
        assert piece not in own_words, reply.text
    assert reply.sources, "a computed answer cites its clause"


def test_a_later_notice_without_makeup_says_so_for_the_year_asked(tmp_path: Path) -> None:
    svc = build_services(_settings(tmp_path, FICTIONAL_2027), clock=ManualClock(_at("2027-05-01T10:00")))
    reply = svc.responder.respond("2026年的没学完现在能补吗", "zh").text
    assert "2027年度的通知没有安排补学端口，也没有为2026年度安排补学" in reply
    assert "2027年12月31日" in reply


@pytest.mark.parametrize(("day", "question", "expected", "absent"), [
    # A notice loaded before its wording of every entry: the year's credit rule and makeup come from its data.
    ("2027-05-01", "今年要多少学分", ["2027年度：每年参加继续教育取得的学分不少于90学分", "测试〔2027〕1号（虚构）"],
     ["尚未发布"]),
    ("2027-05-01", "How many credits do I need this year?", ["2027: at least 90", "测试〔2027〕1号（虚构）"], []),
    ("2027-05-01", "能补吗", ["2027年度的通知没有安排补学端口", "2027年12月31日"], []),
    # Between 2027 and an unpublished 2028: the finished year has ended, and what is known of the next.
    ("2028-01-03", "能补吗", ["已于2027年12月31日截止", "2028年度的继续教育通知尚未发布"], []),
    ("2028-01-03", "今年要多少学分", ["2028年度", "90", "尚未发布"], []),
])
def test_a_later_notice_answers_from_its_own_data(tmp_path: Path, day: str, question: str, expected: list[str],
                                                  absent: list[str]) -> None:
    svc = build_services(_settings(tmp_path, FICTIONAL_2027), clock=ManualClock(_at(day)))
    reply = svc.responder.respond(question, "en" if question.isascii() else "zh")
    for piece in expected:
        assert piece in reply.text, reply.text
    for piece in absent:
        assert piece not in reply.text, reply.text


@pytest.mark.parametrize(("question", "expected", "absent"), [
    # Asked between years: the earlier year's makeup (closed), not the coming year's national rule.
    ("今年还能补2025年的吗", ["已于2026年6月1日关闭", "2027年度的继续教育通知尚未发布"], ["2027年度：按全国规定"]),
    # "什么时候开始" asks when the makeup starts, not when the asker started work.
    ("2027年的补学什么时候开始", ["2027年度", "尚未发布"], ["开始从事会计工作"]),
])
def test_between_years_a_makeup_question_is_about_the_year_owed(tmp_path: Path, question: str, expected: list[str],
                                                                absent: list[str]) -> None:
    svc = build_services(_settings(tmp_path), clock=ManualClock(_at("2027-03-15T10:00")))
    reply = svc.responder.respond(question, "zh").text
    for piece in expected:
        assert piece in reply, reply
    for piece in absent:
        assert piece not in reply, reply
