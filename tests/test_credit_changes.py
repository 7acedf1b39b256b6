"""Figures never change silently: a category the user did not name keeps its figure, and a change that lowers a
recorded figure or replaces /add courses is shown as before → after and happens only after a yes. One set of
limits (stated in the README) refuses bad figures everywhere — commands, free text and buttons."""

from __future__ import annotations

import asyncio
import re
import tempfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.app import build_application, start_application, stop_application
from bot.bootstrap import build_services
from bot.domain.clock import SHANGHAI, ManualClock
from bot.infra.botapi_double import BotApiDouble, DoubleRequest
from bot.infra.config import Settings
from bot.parsing.numbers import fmt_number
from bot.services import Services
from knowledge.policy import policy_for
from tests.auxil.harness import ADMIN_ID, ChatHarness

USER = 4242
ROOT = Path(__file__).resolve().parents[1]


async def _stored(services: Services, user: int = USER) -> dict[int, tuple[str, str]]:
    totals = await services.credits.totals_by_year(user)
    return {y: (fmt_number(t.professional), fmt_number(t.public)) for y, t in totals.items()}


async def test_credits_with_one_category_keeps_the_other(chat: ChatHarness, services: Services) -> None:
    await chat.send(USER, "/credits 专业 80 公需 40")
    [reply] = await chat.send(USER, "/credits 专业 90")
    assert "已保存" in reply.text
    assert await _stored(services) == {2026: ("90", "40")}, "the public figure was not named, so it stays"


async def test_lowering_a_figure_is_shown_and_needs_a_yes(chat: ChatHarness, services: Services) -> None:
    await chat.send(USER, "/credits 专业 200 公需 200")
    [ask] = await chat.send(USER, "/credits 专业 40")
    assert "专业科目：200 → 40" in ask.text and "合计：400 → 240" in ask.text
    assert await _stored(services) == {2026: ("200", "200")}, "nothing changes before the yes"
    await chat.press(USER, "保持不变")
    assert "保持不变" in chat.texts(USER)[-1]
    assert await _stored(services) == {2026: ("200", "200")}
    await chat.send(USER, "/credits 专业 40")
    [done] = await chat.press(USER, "确认修改")
    assert "已保存" in done.text
    assert await _stored(services) == {2026: ("40", "200")}


async def test_replacing_added_courses_is_confirmed(chat: ChatHarness, services: Services) -> None:
    for _ in range(4):
        await chat.send(USER, "/add 专业 31 课程")
    [ask] = await chat.send(USER, "/credits 总 95 专业 50")
    assert "专业科目：124 → 50" in ask.text and "课程将被这个数字取代" in ask.text
    assert await _stored(services) == {2026: ("124", "0")}
    old_message, old_data = chat.find_button(USER, "确认修改")
    await chat.send(USER, "/add 公需 2 课程")
    await chat.press(USER, data=old_data, message=old_message)
    assert "失效" in (chat.last_answer(USER) or ""), "a confirmation shown before another change is stale"
    assert await _stored(services) == {2026: ("124", "2")}


async def test_a_confirmation_cannot_be_forged_past_the_limits(chat: ChatHarness, services: Services) -> None:
    await chat.send(USER, "/credits 专业 40")
    stamp = (await services.credits.entries(USER, limit=1))[0].batch
    [told] = await chat.press(USER, data=f"cc:{stamp}:2026:-5:-")
    assert "负数" in told.text
    await chat.press(USER, data="cc:x:2026:5:5")
    assert "失效" in (chat.last_answer(USER) or "")
    assert await _stored(services) == {2026: ("40", "0")}


async def test_negative_nan_and_out_of_range_statements_offer_nothing_to_save(chat: ChatHarness) -> None:
    for text, rule in (("我专业课修了-40分，公需30分，够吗", "不能是负数"),
                       ("我专业课修了NaN分，公需30分", "不是有效的数字"),
                       ("我专业课修了999分", "最多200学分")):
        [reply] = await chat.send(USER, text)
        assert rule in reply.text, text
        assert not reply.buttons, text


async def test_add_beyond_the_yearly_maximum_is_refused_clearly(chat: ChatHarness, services: Services) -> None:
    for _ in range(5):
        await chat.send(USER, "/add 专业 200 课程")
    [reply] = await chat.send(USER, "/add 公需 1 课程")
    assert "共1001学分" in reply.text and "1000" in reply.text and "抱歉" not in reply.text
    assert await _stored(services) == {2026: ("1000", "0")}


async def test_statement_uses_the_saved_profile_and_records(chat: ChatHarness) -> None:
    await chat.send(USER, "/profile 中级 2026")
    [reply] = await chat.send(USER, "我专业课修了40分，公需30分，够吗")
    assert "还没有你的资格" not in reply.text
    assert "2027" in reply.text, "qualified this year: studying starts next year"
    await chat.send(USER + 1, "/credits 公需 30")
    [reply] = await chat.send(USER + 1, "我专业课修了60分")
    assert "共90" in reply.text or "90学分" in reply.text, "the recorded public figure counts"


async def test_profile_hint_is_given_once(chat: ChatHarness) -> None:
    [first] = await chat.send(USER, "/credits")
    assert "/profile" in first.text
    [second] = await chat.send(USER, "/credits 专业 40")
    [third] = await chat.send(USER, "我专业课修了50分，公需30分")
    assert "还没有你的资格" not in second.text and "还没有你的资格" not in third.text


async def test_invisible_characters_and_long_titles(chat: ChatHarness, services: Services) -> None:
    [reply] = await chat.send(USER, "/credits 专\u200b业 40")
    assert "已保存" in reply.text
    [too_long] = await chat.send(USER, "/add 专业 6 " + "长" * 5000)
    assert "100" in too_long.text and "已添加" not in too_long.text
    assert await _stored(services) == {2026: ("40", "0")}


def test_readme_states_the_limits_the_code_enforces() -> None:
    policy = policy_for(2026)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    line = next(ln for ln in readme.splitlines() if "负数" in ln and "拒绝" in ln)
    assert f"超过 {policy.credits.max_per_entry}" in line and f"超过 {policy.credits.max_per_year}" in line
    assert f"{policy.credits.valid_year_min}–{policy.credits.valid_year_max}" in line
    english = " ".join(readme.split("# accbot (English)")[1].split())
    limits = english[english.index("negative figures"):][:300]
    assert f"over {policy.credits.max_per_entry}" in limits and f"over {policy.credits.max_per_year}" in limits


# ---------------------------------------------------------------------- the property
FIGURE = st.sampled_from(["0", "5", "30", "60", "95", "150", "200"])
CATEGORY = st.sampled_from(["专业", "公需"])
STEP = st.one_of(
    st.tuples(st.just("credits"), st.dictionaries(CATEGORY, FIGURE, min_size=1, max_size=2)),
    st.tuples(st.just("add"), st.tuples(CATEGORY, st.sampled_from(["3", "20", "200"]))),
    st.tuples(st.just("statement"), st.dictionaries(CATEGORY, FIGURE, min_size=1, max_size=2)),
    st.tuples(st.just("undo"), st.none()),
)
WORD = {"专业": "professional", "公需": "public"}


async def _run_steps(steps: list[tuple[str, object]], db: Path) -> None:
    settings_ = Settings(_env_file=None, database_path=db, admin_ids=frozenset({ADMIN_ID}),  # type: ignore[call-arg]
                         telegram_bot_token=None)
    svc = build_services(settings_, clock=ManualClock(datetime(2026, 11, 27, 10, 0, tzinfo=SHANGHAI)))
    double = BotApiDouble()
    app = build_application(svc, request=DoubleRequest(double))
    await start_application(app)
    chat = ChatHarness(app, double)
    history: list[dict[str, Decimal]] = []

    async def state() -> dict[str, Decimal]:
        t = (await svc.credits.totals_by_year(USER)).get(2026)
        return {"专业": t.professional if t else Decimal(0), "公需": t.public if t else Decimal(0)}

    try:
        for kind, arg in steps:
            before = await state()
            stamp = await svc.recorder.stamp(USER)
            named: set[str] = set()
            if kind == "credits":
                assert isinstance(arg, dict)
                named = set(arg)
                await chat.send(USER, "/credits " + " ".join(f"{c} {v}" for c, v in arg.items()))
            elif kind == "add":
                assert isinstance(arg, tuple)
                named = {arg[0]}
                await chat.send(USER, f"/add {arg[0]} {arg[1]} 课程")
            elif kind == "statement":
                assert isinstance(arg, dict)
                named = set(arg)
                replies = await chat.send(USER, "我" + "，".join(f"{c}课修了{v}分" for c, v in arg.items()))
                if replies and any("cs:" in data for _, data in replies[-1].buttons):
                    await chat.press(USER, "保存")
            else:
                buttons = [d for m in double.chat(USER)[-1:] for _, d in m.buttons if d.startswith("cr:undo:")]
                if buttons:
                    await chat.press(USER, data=buttons[0])
                    after = await state()
                    assert history and after == history.pop(), "undo restores exactly the state before"
                continue
            after = await state()
            for category in ("专业", "公需"):
                if category not in named:
                    assert after[category] == before[category], (kind, arg, "changed a figure not named")
                elif kind != "add":
                    assert after[category] >= before[category], (kind, arg, "lowered without a confirmation")
            if await svc.recorder.stamp(USER) != stamp:  # something was written: undo must bring `before` back
                history.append(before)
            last = double.chat(USER)[-1].text
            assert "抱歉" not in last, last
            assert not re.search(r"\{\w+\}", last), last
    finally:
        await stop_application(app)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(STEP, min_size=1, max_size=8))
def test_no_sequence_changes_an_unnamed_figure_without_confirmation(steps: list[tuple[str, object]]) -> None:
    """Through the real Application: /credits, /add, undo and statement saves, in any order, never change a
    category the user did not name, never lower one without the confirmation (never pressed here), and undo
    always restores the state before the change it undoes."""
    with tempfile.TemporaryDirectory() as tmp:
        asyncio.run(_run_steps(steps, Path(tmp) / "p.sqlite3"))


async def test_smaller_things(chat: ChatHarness, services: Services) -> None:
    [usage] = await chat.send(USER, "/add")
    assert "/add 专业 6" in usage.text and "/credits 专业 40" not in usage.text, "/add alone explains /add"
    [saved] = await chat.send(USER, "/add public face-to-face 8 hours Ethics training", lang="en")
    assert "Ethics training" in saved.text and "hours Ethics" not in saved.text
    [profile] = await chat.send(USER, "/profile 中级 2019", lang="en")
    assert "intermediate" in profile.text and "中级" not in profile.text, "English screens fully English"
    await chat.send(USER, "/lang zh", lang="en")
    [reply] = await chat.send(USER, "<b>x</b>", lang="en")
    assert any("\u4e00" <= ch <= "\u9fff" for ch in reply.text), "after /lang zh a tag-only text is answered in Chinese"


async def test_an_untitled_course_reads_the_same_in_reminders(chat: ChatHarness) -> None:
    await chat.send(USER, "/profile 机构")
    recorded = await chat.send(USER, "/f2f 11月25日")
    assert any("面授课程" in m.text for m in recorded), [m.text for m in recorded]
    [listing] = await chat.send(USER, "/reminders")
    assert "面授报送：面授课程" in listing.text


async def test_a_long_face_to_face_title_is_refused_not_cut(chat: ChatHarness, services: Services) -> None:
    await chat.send(USER, "/profile 机构")
    [refused] = await chat.send(USER, "/f2f 11月25日 " + "培" * 150)
    assert "最长100个字" in refused.text
    assert await services.reminders.f2f_courses_since(date(2026, 1, 1)) == []
