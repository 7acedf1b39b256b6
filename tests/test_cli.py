"""The command line as a user runs it: `accbot ask`, and `accbot run` with no token opening the terminal chat."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _run(args: list[str], tmp_path: Path, stdin: str = "", **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
    environment.update({"DATABASE_PATH": str(tmp_path / "cli.sqlite3"), "PYTHONPATH": str(ROOT), **env})
    return subprocess.run([sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, text=True,
                          timeout=120, cwd=tmp_path, env=environment)


def test_ask_answers_like_the_chat_and_stores_nothing(tmp_path: Path) -> None:
    proc = _run(["ask", "每年需要多少学分"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "90" in proc.stdout and "60" in proc.stdout
    assert not (tmp_path / "cli.sqlite3").exists()


def test_ask_json_reads_questions_from_stdin(tmp_path: Path) -> None:
    proc = _run(["ask", "--json", "--lang", "en"], tmp_path, stdin="How many credits do I need?\n\n今天天气如何\n")
    assert proc.returncode == 0, proc.stderr
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [line["question"] for line in lines] == ["How many credits do I need?", "今天天气如何"]
    first, second = lines
    assert "90" in first["answer"] and first["sources"] and {"id", "title", "citation"} <= set(first["sources"][0])
    assert isinstance(first["score"], float)
    assert second["sources"] == []


def test_ask_now_answers_as_on_that_day_with_now_anywhere(tmp_path: Path) -> None:
    proc = _run(["ask", "--json", "还有几天截止", "--now", "2027-01-05T10:00", "How many days are left?"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    zh, en = (json.loads(line) for line in proc.stdout.splitlines())
    assert "已于2026年12月31日截止" in zh["answer"] and "2027" in zh["answer"]
    assert "closed on 31 December 2026" in en["answer"]
    before = json.loads(_run(["ask", "--json", "--now", "2026-11-28", "还有几天截止"], tmp_path).stdout)
    assert "还剩34天" in before["answer"]


@pytest.mark.parametrize(("now", "knowledge", "expected"), [
    ("2026-12-30", False, ["还剩2天", "已在补学端口关闭（2026年6月1日）之后", "没有提到更早的年度"]),
    ("2026-12-31T20:00", False, ["最后一天", "已在补学端口关闭（2026年6月1日）之后", "没有提到更早的年度"]),
    ("2027-01-01", False, ["已于2026年12月31日截止", "已在补学端口关闭（2026年6月1日）之后", "尚未发布"]),
    # A (fictional) 2027 notice given as a knowledge folder: 2027's own deadline and its lack of any makeup window.
    ("2027-05-01", True, ["2027年12月31日", "测试〔2027〕1号（虚构）", "没有安排补学端口"]),
])
def test_ask_sets_named_days_and_years_against_the_windows_of_the_day(tmp_path: Path, now: str, knowledge: bool,
                                                                      expected: list[str]) -> None:
    env = {"KNOWLEDGE_DIRS": str(ROOT / "tests" / "fixtures" / "year2027")} if knowledge else {}
    proc = _run(["ask", "--json", "--now", now], tmp_path,
                stdin="还剩几天\n我6月5号才补的2025年学分算吗\n2023年的学分没学还能补吗\n", **env)
    assert proc.returncode == 0, proc.stderr
    answers = "\n".join(json.loads(line)["answer"] for line in proc.stdout.splitlines())
    for piece in expected:
        assert piece in answers, answers
    assert "-1天" not in answers and "还剩0天" not in answers


def test_a_second_time_zone_is_refused(tmp_path: Path) -> None:
    proc = _run(["ask", "每年需要多少学分"], tmp_path, TIMEZONE="Europe/Berlin")
    assert proc.returncode == 2 and "TIMEZONE" in proc.stderr


@pytest.mark.parametrize("command", [["run"], ["chat"]])
def test_terminal_chat_answers_and_shows_numbered_buttons(tmp_path: Path, command: list[str]) -> None:
    proc = _run(command, tmp_path, stdin="/start\n1\n每年需要多少学分\n/quit\n")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    if command == ["run"]:
        assert "TELEGRAM_BOT_TOKEN" in out and "BotFather" in out
    assert "[1]" in out
    assert "90" in out and "60" in out
    assert (tmp_path / "cli.sqlite3").exists()


def test_terminal_chat_reads_a_follow_up_with_the_previous_question_and_ask_does_not(tmp_path: Path) -> None:
    proc = _run(["chat"], tmp_path, stdin="公需课要多少学分\n那专业课呢\n/quit\n")
    assert proc.returncode == 0, proc.stderr
    assert "（接着上一个问题，按“专业课要多少学分”回答）" in proc.stdout
    single = _run(["ask", "公需课要多少学分", "那专业课呢"], tmp_path)  # each argument is a question of its own
    assert single.returncode == 0, single.stderr
    assert "接着上一个问题" not in single.stdout


def test_terminal_chat_number_without_such_button_is_not_a_question(tmp_path: Path) -> None:
    proc = _run(["chat"], tmp_path, stdin="/start\n9\n/quit\n")
    assert proc.returncode == 0, proc.stderr
    assert "没有第 9 个按钮" in proc.stdout
    with sqlite3.connect(tmp_path / "cli.sqlite3") as db:
        assert db.execute("SELECT COUNT(*) FROM unanswered_questions").fetchone()[0] == 0
