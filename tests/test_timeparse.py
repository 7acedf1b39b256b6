"""The time-expression grammar, as a table: phrase + now → "YYYY-MM-DD HH:MM" or a reason code.

The default now is Friday 2026-11-27 10:00 Asia/Shanghai. Other nows exercise the policy anchors (before the
makeup window closes), year rollover and leap days.
"""

from __future__ import annotations

import shutil
import time as wall
from datetime import date, datetime, time
from pathlib import Path

import pytest

from bot.answers.i18n import Translator
from bot.answers.time_view import format_when, reason_text
from bot.domain.clock import SHANGHAI
from bot.parsing.timeparse import REASONS, TimeParse, parse_time, read_day, split_reminder
from bot.parsing.timeparse.grammar import num
from knowledge.policy import policy_for

NOW = datetime(2026, 11, 27, 10, 0, tzinfo=SHANGHAI)  # a Friday
MARCH = datetime(2026, 3, 1, 10, 0, tzinfo=SHANGHAI)  # a Sunday, before the makeup window
DEC25 = datetime(2026, 12, 25, 10, 0, tzinfo=SHANGHAI)  # a Friday near the year's end
MONDAY = datetime(2026, 11, 23, 10, 0, tzinfo=SHANGHAI)
FRI_EVENING = datetime(2026, 11, 27, 16, 0, tzinfo=SHANGHAI)
POLICY = policy_for(2026)

CASES: list[tuple[str, datetime, str]] = [
    # --- absolute dates, with and without a year
    ("12月20日", NOW, "2026-12-20 09:00"),
    ("12月20号", NOW, "2026-12-20 09:00"),
    ("十二月二十日", NOW, "2026-12-20 09:00"),
    ("二〇二六年十二月二十日", NOW, "2026-12-20 09:00"),
    ("二零二六年十二月二十日", NOW, "2026-12-20 09:00"),
    ("2026年12月20日", NOW, "2026-12-20 09:00"),
    ("12/20", NOW, "2026-12-20 09:00"),
    ("12-20", NOW, "2026-12-20 09:00"),
    ("2026-12-20", NOW, "2026-12-20 09:00"),
    ("2026-12-20 09:00", NOW, "2026-12-20 09:00"),
    ("2026-12-20T14:30", NOW, "2026-12-20 14:30"),
    ("2026/12/20", NOW, "2026-12-20 09:00"),
    ("明年1月5日", NOW, "2027-01-05 09:00"),
    ("1月5日", NOW, "2027-01-05 09:00"),  # already past this year → next year
    ("11月27日下午3点", NOW, "2026-11-27 15:00"),  # today with a time still ahead stays today
    ("11月27日", NOW, "past"),  # today, default 09:00 already gone: not silently next year
    ("12月20日", DEC25, "2027-12-20 09:00"),
    ("12月31日前", NOW, "2026-12-31 09:00"),
    ("１２月２０日", NOW, "2026-12-20 09:00"),  # full-width digits
    ("２０２６－１２－２０", NOW, "2026-12-20 09:00"),
    ("12月20日上午9点", NOW, "2026-12-20 09:00"),
    ("12月20日晚上8点", NOW, "2026-12-20 20:00"),
    ("12月20日3点", NOW, "2026-12-20 15:00"),  # bare 1–6 o'clock is the afternoon
    ("2月29日", NOW, "2028-02-29 09:00"),  # the next leap year
    # --- relative days
    ("今天", NOW, "past"),
    ("今天", datetime(2026, 11, 27, 8, 0, tzinfo=SHANGHAI), "2026-11-27 09:00"),
    ("明天", NOW, "2026-11-28 09:00"),
    ("后天", NOW, "2026-11-29 09:00"),
    ("大后天", NOW, "2026-11-30 09:00"),
    ("明天下午", NOW, "2026-11-28 15:00"),
    ("明早", NOW, "2026-11-28 08:00"),
    ("三天后", NOW, "2026-11-30 09:00"),
    ("3天后", NOW, "2026-11-30 09:00"),
    ("两周后", NOW, "2026-12-11 09:00"),
    ("一周后", NOW, "2026-12-04 09:00"),
    ("两个星期后", NOW, "2026-12-11 09:00"),
    ("一个月后", NOW, "2026-12-27 09:00"),
    ("3天后下午2点", NOW, "2026-11-30 14:00"),
    ("下个月1号", NOW, "2026-12-01 09:00"),
    ("下月5号", NOW, "2026-12-05 09:00"),
    ("5号", NOW, "2026-12-05 09:00"),
    ("30号", NOW, "2026-11-30 09:00"),
    ("31号", NOW, "2026-12-31 09:00"),  # November has no 31st
    ("月底", NOW, "2026-11-30 09:00"),
    ("本月底", NOW, "2026-11-30 09:00"),
    ("下个月底", NOW, "2026-12-31 09:00"),
    ("年底", NOW, "2026-12-31 09:00"),
    ("明年年底", NOW, "2027-12-31 09:00"),
    ("下周末", NOW, "2026-12-05 09:00"),
    ("周末", NOW, "2026-11-28 09:00"),
    # --- weekdays (now is a Friday)
    ("周五", NOW, "2026-12-04 09:00"),  # today is excluded without a time
    ("周五下午3点", NOW, "2026-11-27 15:00"),  # … and included with a time later today
    ("周五上午9点", NOW, "2026-12-04 09:00"),  # that time today is gone → next Friday
    ("下周一", NOW, "2026-11-30 09:00"),
    ("本周日", NOW, "2026-11-29 09:00"),
    ("这周三", NOW, "past"),
    ("上周五", NOW, "past"),
    ("星期三", NOW, "2026-12-02 09:00"),
    ("礼拜五", NOW, "2026-12-04 09:00"),
    ("星期天", NOW, "2026-11-29 09:00"),
    ("下下周二", NOW, "2026-12-08 09:00"),
    ("下周五", MONDAY, "2026-12-04 09:00"),  # the Friday of next week, not this week's
    ("周五", MONDAY, "2026-11-27 09:00"),
    ("下周一上午10点", NOW, "2026-11-30 10:00"),
    ("下周三14:00", NOW, "2026-12-02 14:00"),
    ("周3", NOW, "2026-12-02 09:00"),
    # --- times of day (no date: the next such moment)
    ("上午9点", NOW, "2026-11-28 09:00"),
    ("下午3点", NOW, "2026-11-27 15:00"),
    ("下午3点", FRI_EVENING, "2026-11-28 15:00"),
    ("晚上8点半", NOW, "2026-11-27 20:30"),
    ("中午12点", NOW, "2026-11-27 12:00"),
    ("今晚8点", NOW, "2026-11-27 20:00"),
    ("今晚", NOW, "2026-11-27 20:00"),
    ("9:30", NOW, "2026-11-28 09:30"),  # a written clock is 24-hour from 7 on: 09:30 is gone, so tomorrow
    ("3:30", NOW, "2026-11-27 15:30"),  # 1–6 read like 3点: the afternoon
    ("09:30", NOW, "2026-11-28 09:30"),  # a leading zero is a 24-hour clock
    ("14:30", NOW, "2026-11-27 14:30"),
    ("９：３０", NOW, "2026-11-28 09:30"),
    ("早上8点", NOW, "2026-11-28 08:00"),
    ("12.20", NOW, "2026-12-20 09:00"),  # hurried 12月20日, not 12:20
    ("12.20 上午10点", NOW, "2026-12-20 10:00"),
    ("1.5小时后", NOW, "2026-11-27 11:30"),
    ("0.5小时后", NOW, "2026-11-27 10:30"),
    ("2.5天后", NOW, "unrecognized"),  # not silently "5天后"
    ("元旦", NOW, "2027-01-01 09:00"),
    ("圣诞节晚上8点", NOW, "2026-12-25 20:00"),
    ("8点15分", NOW, "2026-11-27 20:15"),
    ("9点整", NOW, "2026-11-27 21:00"),
    ("凌晨2点", NOW, "2026-11-28 02:00"),
    ("傍晚6点", NOW, "2026-11-27 18:00"),
    ("下午三点一刻", NOW, "2026-11-27 15:15"),
    ("下午三点三刻", NOW, "2026-11-27 15:45"),
    ("3点45", NOW, "2026-11-27 15:45"),
    ("十点半", NOW, "2026-11-27 10:30"),
    ("两点", NOW, "2026-11-27 14:00"),
    ("明天两点", NOW, "2026-11-28 14:00"),
    ("晚上12点", NOW, "2026-11-28 00:00"),
    ("明天早上八点零五分", NOW, "2026-11-28 08:05"),
    ("15点", NOW, "2026-11-27 15:00"),
    # --- durations
    ("10分钟后", NOW, "2026-11-27 10:10"),
    ("半小时后", NOW, "2026-11-27 10:30"),
    ("两个小时后", NOW, "2026-11-27 12:00"),
    ("1小时30分钟后", NOW, "2026-11-27 11:30"),
    ("一个半小时后", NOW, "2026-11-27 11:30"),
    ("三个钟头以后", NOW, "2026-11-27 13:00"),
    ("再过20分钟", NOW, "2026-11-27 10:20"),
    ("20分钟", NOW, "unrecognized"),  # a quantity, not a time: a duration needs 后 or 过
    # --- English
    ("tomorrow 9am", NOW, "2026-11-28 09:00"),
    ("tomorrow at 9:30", NOW, "2026-11-28 09:30"),
    ("Tomorrow at 3", NOW, "2026-11-28 15:00"),
    ("in 3 days", NOW, "2026-11-30 09:00"),
    ("in 2 hours", NOW, "2026-11-27 12:00"),
    ("in 10 minutes", NOW, "2026-11-27 10:10"),
    ("in half an hour", NOW, "2026-11-27 10:30"),
    ("in 1 hour and 30 minutes", NOW, "2026-11-27 11:30"),
    ("in a week", NOW, "2026-12-04 09:00"),
    ("3 days later", NOW, "2026-11-30 09:00"),
    ("Dec 20", NOW, "2026-12-20 09:00"),
    ("December 20 9am", NOW, "2026-12-20 09:00"),
    ("dec 20th, 2026", NOW, "2026-12-20 09:00"),
    ("20 Dec", NOW, "2026-12-20 09:00"),
    ("next friday", NOW, "2026-12-04 09:00"),
    ("next friday", MONDAY, "2026-11-27 09:00"),  # the first Friday after today
    ("friday 3pm", NOW, "2026-11-27 15:00"),
    ("fri 3pm", NOW, "2026-11-27 15:00"),
    ("monday", NOW, "2026-11-30 09:00"),
    ("tonight 8pm", NOW, "2026-11-27 20:00"),
    ("tonight", NOW, "2026-11-27 20:00"),
    ("tomorrow morning", NOW, "2026-11-28 08:00"),
    ("tomorrow noon", NOW, "2026-11-28 12:00"),
    ("12am tomorrow", NOW, "2026-11-28 00:00"),
    ("2026-12-20", NOW, "2026-12-20 09:00"),
    ("yesterday", NOW, "past"),
    ("in a fortnight", NOW, "2026-12-11 09:00"),  # dateparser fallback, with our default time
    # --- policy anchors
    ("截止前一周", NOW, "2026-12-24 09:00"),
    ("截止前3天", NOW, "2026-12-28 09:00"),
    ("截止日", NOW, "2026-12-31 09:00"),
    ("截止日下午3点", NOW, "2026-12-31 15:00"),
    ("补学截止前3天", NOW, "past"),
    ("补学截止前3天", MARCH, "2026-05-29 09:00"),
    ("补学截止", MARCH, "2026-06-01 09:00"),
    ("补学开始", NOW, "past"),
    ("补学开始", MARCH, "2026-04-01 09:00"),
    ("网络学习开始", MARCH, "2026-04-01 09:00"),
    ("网络学习开始", NOW, "past"),
    # --- rejections
    ("2月30日", NOW, "impossible_date"),
    ("13月1日", NOW, "impossible_date"),
    ("2026-02-30", NOW, "impossible_date"),
    ("2027年2月29日", NOW, "impossible_date"),
    ("25点", NOW, "impossible_date"),
    ("明天25点", NOW, "impossible_date"),
    ("明天9点70分", NOW, "impossible_date"),
    ("下个月31号", NOW, "2026-12-31 09:00"),
    ("下下个月31号", NOW, "2027-01-31 09:00"),
    ("下下个月31号", DEC25, "impossible_date"),  # February 2027 has no 31st
    ("13pm", NOW, "impossible_date"),
    ("昨天", NOW, "past"),
    ("前天下午", NOW, "past"),
    ("2025年1月1日", NOW, "past"),
    ("今天早上6点", NOW, "past"),
    ("2062年1月1日", NOW, "too_far"),
    ("2029年1月1日", NOW, "too_far"),
    ("asdfgh", NOW, "unrecognized"),
    ("你好", NOW, "unrecognized"),
    ("我还差多少学分", NOW, "unrecognized"),
    ("开始", NOW, "unrecognized"),
    ("", NOW, "empty"),
    ("   ", NOW, "empty"),
]


def _show(result: TimeParse) -> str:
    if result.when is None:
        assert result.reason in REASONS
        return result.reason
    assert result.reason is None
    assert result.when.tzinfo is not None and result.when.utcoffset() == SHANGHAI.utcoffset(result.when)
    return result.when.strftime("%Y-%m-%d %H:%M")


@pytest.mark.parametrize(("text", "now", "expected"), CASES, ids=[f"{i}:{c[0]}" for i, c in enumerate(CASES)])
def test_table(text: str, now: datetime, expected: str) -> None:
    assert _show(parse_time(text, now, policy=POLICY)) == expected


def test_table_is_large() -> None:
    assert len(CASES) >= 70


def test_policy_anchor_needs_policy() -> None:
    assert parse_time("截止前一周", NOW).reason == "unrecognized"


def test_december_31_wrap_for_past_window() -> None:
    # 下下个月31号 seen from 25 Dec: February 2027 has no 31st
    assert parse_time("下下个月31号", DEC25, policy=POLICY).reason == "impossible_date"


def test_default_time_is_used() -> None:
    result = parse_time("12月20日", NOW, default_time=time(8, 30))
    assert result.when == datetime(2026, 12, 20, 8, 30, tzinfo=SHANGHAI)


def test_naive_now_is_shanghai() -> None:
    result = parse_time("明天", NOW.replace(tzinfo=None))
    assert result.when == datetime(2026, 11, 28, 9, 0, tzinfo=SHANGHAI)


def test_utc_now_is_converted() -> None:
    from zoneinfo import ZoneInfo

    utc_now = NOW.astimezone(ZoneInfo("UTC"))  # 02:00 UTC, still 27 Nov in Shanghai
    assert parse_time("明天", utc_now).when == datetime(2026, 11, 28, 9, 0, tzinfo=SHANGHAI)


def test_matched_and_rest() -> None:
    result = parse_time("12月20日上午9点提醒我去会计之星选课", NOW)
    assert result.matched == "12月20日上午9点"
    assert result.rest == "提醒我去会计之星选课"


@pytest.mark.parametrize(
    ("text", "when", "subject"),
    [
        ("12月20日上午9点提醒我去会计之星选课", "2026-12-20 09:00", "去会计之星选课"),
        ("提醒我明天下午3点交材料", "2026-11-28 15:00", "交材料"),
        ("/remind 3天后 测试", "2026-11-30 09:00", "测试"),
        ("/remind@accbot_bot 明天 交学费", "2026-11-28 09:00", "交学费"),
        ("明天下午3点的时候提醒我交材料", "2026-11-28 15:00", "交材料"),
        ("请在12月20日前提醒我完成90学分", "2026-12-20 09:00", "完成90学分"),
        ("记得下周一上午10点报名面授", "2026-11-30 10:00", "报名面授"),
        ("截止前一周提醒我检查学分", "2026-12-24 09:00", "检查学分"),
        ("周五下午三点一刻去财政局", "2026-11-27 15:15", "去财政局"),
        ("明天9点，提醒我开会。", "2026-11-28 09:00", "开会"),
        ("叫我 10分钟后 喝水", "2026-11-27 10:10", "喝水"),
        ("提醒我去1号楼开会 明天", "2026-11-28 09:00", "去1号楼开会"),
        ("remind me to call mom tomorrow at 9am", "2026-11-28 09:00", "call mom"),
        ("tomorrow 9am remind me to pay the fee", "2026-11-28 09:00", "pay the fee"),
        ("/remind in 2 hours check credits", "2026-11-27 12:00", "check credits"),
    ],
)
def test_split_reminder(text: str, when: str, subject: str) -> None:
    result = split_reminder(text, NOW, policy=POLICY)
    assert _show(result) == when
    assert result.rest == subject


def test_split_reminder_without_time() -> None:
    result = split_reminder("提醒我交材料", NOW)
    assert result.reason == "unrecognized"
    assert result.rest == "交材料"


def test_split_reminder_empty() -> None:
    assert split_reminder("/remind", NOW).reason == "empty"
    assert split_reminder("", NOW).reason == "empty"


def test_early_a_bit_is_not_one_oclock() -> None:
    result = split_reminder("明天提醒我早一点交材料", NOW)
    assert _show(result) == "2026-11-28 09:00"
    assert result.rest == "早一点交材料"


@pytest.mark.parametrize(
    ("numeral", "value"),
    [("两", 2), ("二〇二六", 2026), ("二零二六", 2026), ("十二", 12), ("二十", 20), ("廿五", 25), ("零五", 5),
     ("十", 10), ("〇", 0), ("两千零二十六", 2026), ("26", 26), ("刻", None)],
)
def test_cn2an_numerals(numeral: str, value: int | None) -> None:
    assert num(numeral) == value


def test_chinese_never_reaches_dateparser(monkeypatch: pytest.MonkeyPatch) -> None:
    import bot.parsing.timeparse as tp

    def boom(*args: object, **kwargs: object) -> None:
        raise AssertionError("dateparser used for Chinese")

    monkeypatch.setattr(tp, "_dateparser_fallback", boom)
    for text, now, _ in CASES:
        if any("\u4e00" <= ch <= "\u9fff" for ch in text):
            parse_time(text, now, policy=POLICY)


def test_speed() -> None:
    texts = ["12月20日上午9点提醒我去会计之星选课", "提醒我明天下午3点交材料", "下周一", "3点45",
             "tomorrow 9am", "截止前一周", "一个半小时后", "二〇二六年十二月二十日"]
    for text in texts:  # warm the caches
        parse_time(text, NOW, policy=POLICY)
    rounds = 200
    start = wall.perf_counter()
    for _ in range(rounds):
        for text in texts:
            parse_time(text, NOW, policy=POLICY)
    per_parse = (wall.perf_counter() - start) / (rounds * len(texts))
    assert per_parse < 0.001, f"{per_parse * 1e6:.0f} µs per parse"


# ---------------------------------------------------------------------------------------------- output


@pytest.fixture(scope="module")
def t(tmp_path_factory: pytest.TempPathFactory) -> Translator:
    """A translator over this feature's catalogs only, so other features' work in progress cannot break us."""
    root = tmp_path_factory.mktemp("locale")
    repo = Path(__file__).resolve().parent.parent / "locale"
    for folder in ("zh_CN", "en"):
        target = root / folder / "LC_MESSAGES"
        target.mkdir(parents=True)
        shutil.copy(repo / folder / "LC_MESSAGES" / "timeparse.po", target / "timeparse.po")
    return Translator(root)


def test_format_when(t: Translator) -> None:
    when = datetime(2026, 12, 20, 9, 0, tzinfo=SHANGHAI)
    assert format_when(when, "zh", t) == "2026年12月20日（周日）09:00"
    assert format_when(when, "en", t) == "Sun 20 Dec 2026 09:00"


def test_format_when_converts_to_shanghai(t: Translator) -> None:
    from zoneinfo import ZoneInfo

    when = datetime(2026, 12, 20, 1, 0, tzinfo=ZoneInfo("UTC"))
    assert format_when(when, "zh", t) == "2026年12月20日（周日）09:00"


def test_every_reason_has_text(t: Translator) -> None:
    for lang in ("zh", "en"):
        for reason in REASONS:
            assert t.has(f"time.reason.{reason}", lang)
            assert reason_text(reason, lang, t) != f"time.reason.{reason}"
        for i in range(7):
            assert t.has(f"time.weekday.{i}", lang)
        for month in range(1, 13):
            assert t.has(f"time.month.{month}", lang)


def test_cli_when(capsys: pytest.CaptureFixture[str]) -> None:
    from bot.cli import main

    assert main(["when", "截止前一周", "--now", "2026-11-27T10:00"]) == 0
    assert capsys.readouterr().out.strip() == "2026-12-24 09:00"
    assert main(["when", "--now", "2026-11-27T10:00", "明天", "下午3点"]) == 0
    assert capsys.readouterr().out.strip() == "2026-11-28 15:00"
    assert main(["when", "明天", "--now", "2026-11-27T10:00", "下午3点"]) == 0  # --now in any position
    assert capsys.readouterr().out.strip() == "2026-11-28 15:00"
    assert main(["when", "昨天", "--now", "2026-11-27T10:00", "--lang", "en"]) == 1
    assert capsys.readouterr().out.strip() != ""


def test_cli_when_help(capsys: pytest.CaptureFixture[str]) -> None:
    from bot.cli import main

    with pytest.raises(SystemExit) as exc:
        main(["when", "--help"])
    assert exc.value.code == 0
    assert "--now" in capsys.readouterr().out


# ---- festivals, shifts, ends of periods, past phrases and words the grammar cannot use (issue 10)

SAT = datetime(2026, 11, 28, 10, 0, tzinfo=SHANGHAI)


@pytest.mark.parametrize(("text", "expected"), [
    ("元旦前一天", "2026-12-31 09:00"), ("12月30日前一天", "2026-12-29 09:00"), ("12月31日前3天", "2026-12-28 09:00"),
    ("一周后的周五", "2026-12-04 09:00"), ("除夕上午10点", "2027-02-05 10:00"), ("春节", "2027-02-06 09:00"),
    ("元宵节", "2027-02-20 09:00"), ("明年端午", "2027-06-09 09:00"), ("中秋节前一天晚上8点", "2027-09-14 20:00"),
    ("清明节", "2027-04-05 09:00"), ("2027年春节", "2027-02-06 09:00"), ("12月最后一天", "2026-12-31 09:00"),
    ("本月最后一天", "2026-11-30 09:00"), ("年底", "2026-12-31 09:00"), ("end of month", "2026-11-30 09:00"),
    ("end of the year", "2026-12-31 09:00"), ("Christmas", "2026-12-25 09:00"),
    ("the day before christmas", "2026-12-24 09:00"), ("christmas eve 8pm", "2026-12-24 20:00"),
])
def test_festivals_shifts_and_period_ends(text: str, expected: str) -> None:
    result = parse_time(text, SAT)
    assert result.when is not None, result
    assert result.when.strftime("%Y-%m-%d %H:%M") == expected
    if "周五" in text:
        assert result.when.weekday() == 4


@pytest.mark.parametrize(("text", "reason"), [
    ("3天前", "past"), ("3 days ago", "past"), ("两小时前", "past"), ("晚上3点", "period_conflict"),
    ("下个月中旬", "vague"), ("年前", "vague"), ("每周五", "unused"), ("3点前", "unused"),
    ("明天上午9点之前", "unused"), ("前一天", "unrecognized"),
])
def test_phrases_are_refused_rather_than_read_without_a_word(text: str, reason: str, t: Translator) -> None:
    from bot.answers.time_view import explain

    result = parse_time(text, SAT)
    assert result.when is None and result.reason == reason
    message = explain(result, "zh", t)
    assert not message.startswith("time.reason")
    if reason == "past":
        assert "已经过去" in message
    if reason in ("unused", "vague"):
        assert result.unused and result.unused in message


@pytest.mark.parametrize(("text", "expected"), [
    ("下个月月底", "2026-12-31 09:00"), ("年底前一周", "2026-12-24 09:00"),
    ("明天下午3点和同事开会", "2026-11-29 15:00"), ("tomorrow at 9 to call mom", "2026-11-29 09:00"),
])
def test_connected_words_that_do_not_change_the_time(text: str, expected: str) -> None:
    result = parse_time(text, SAT)
    assert result.when is not None and result.when.strftime("%Y-%m-%d %H:%M") == expected


@pytest.mark.parametrize("text", ["下午5点到6点", "明天或后天", "每天早上8点", "周一到周五", "last friday"])
def test_ranges_recurrences_and_the_past_are_not_read_as_one_future_time(text: str) -> None:
    assert parse_time(text, SAT).when is None


@pytest.mark.parametrize(("text", "expected"), [
    ("中秋节当天下午", "2027-09-15 15:00"), ("除夕夜", "2027-02-05 20:00"), ("New Year", "2027-01-01 09:00"),
])
def test_festival_with_its_part_of_the_day(text: str, expected: str) -> None:
    result = parse_time(text, SAT)
    assert result.when is not None and result.when.strftime("%Y-%m-%d %H:%M") == expected


def test_a_second_time_phrase_is_not_silently_dropped() -> None:
    result = parse_time("明天下午3点和同事开会，后天再说", SAT)
    assert result.when is None and result.reason == "unused" and result.unused == "后天"


@pytest.mark.parametrize(("text", "today", "past", "year", "day", "after"), [
    ("我6月5号才补的2025年学分算吗", "2026-11-28", True, None, "2026-06-05", False),
    ("1月2号再学算今年的吗", "2026-12-30", False, None, "2027-01-02", False),
    ("我1月3号学的课算2026年度的吗", "2027-01-05", True, None, "2027-01-03", False),
    ("元旦后还能学2026的吗", "2026-11-28", False, None, "2027-01-01", True),
    ("过了元旦还能补吗", "2026-11-28", False, None, "2027-01-01", True),
    ("12月31号晚上12点前学完算吗", "2026-11-28", False, None, "2026-12-31", False),
    ("12月31号晚上12点以后还能学吗", "2026-11-28", False, None, "2026-12-31", True),
    ("3月30号补学2025年的学分算不算", "2026-11-28", False, 2026, "2026-03-30", False),
    ("If I finish on December 31, does it still count?", "2026-11-28", False, None, "2026-12-31", False),
])
def test_read_day_reads_the_day_a_question_names(text: str, today: str, past: bool, year: int | None, day: str,
                                                  after: bool) -> None:
    named = read_day(text, date.fromisoformat(today), past=past, year=year)
    assert named is not None and (named.day.isoformat(), named.after) == (day, after)


@pytest.mark.parametrize("text", ["今年什么时候截止", "周末能学吗", "年底前能学完吗", "2月30号补的算吗",
                                  "每年要多少学分"])
def test_read_day_reads_no_day_from_anchors_weekdays_or_impossible_dates(text: str) -> None:
    assert read_day(text, date(2026, 11, 28)) is None
