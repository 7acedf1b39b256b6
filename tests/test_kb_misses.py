"""`accbot kb misses`: what the bot could not answer, grouped by normalised text with counts and best topic."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

from bot.domain.clock import SHANGHAI
from bot.storage import Database
from bot.storage.unanswered import UnansweredLog

ROOT = Path(__file__).resolve().parents[1]


async def test_misses_are_grouped_across_scripts_widths_and_fillers(tmp_path: Path) -> None:
    path = tmp_path / "m.sqlite3"
    db = Database(path)
    await db.open()
    log = UnansweredLog(db)
    old = datetime(2026, 1, 5, 9, 0, tzinfo=SHANGHAI)
    new = datetime(2026, 11, 20, 9, 0, tzinfo=SHANGHAI)
    for text in ("會計之星密碼忘了", "请问 会计之星密码忘了？", "会计之星密码忘了"):
        await log.add(text, "zh", "not_found", new)
    await log.add("帮我写一首诗", "zh", "not_found", new)
    await log.add("去年的问题", "zh", "unsure", old)
    await db.close()

    env = {**os.environ, "DATABASE_PATH": str(path), "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-m", "bot", "kb", "misses", "--since", "2026-11-01"],
                          capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert len(lines) == 2, lines
    count, kinds, best, text = lines[0].split("\t")
    assert (count, kinds, text) == ("3", "not_found", "会计之星密码忘了")
    assert best.startswith("login-help")
    assert "去年的问题" not in proc.stdout


async def test_the_log_drops_questions_not_asked_again_for_90_days(tmp_path: Path) -> None:
    db = Database(tmp_path / "r.sqlite3")
    await db.open()
    log = UnansweredLog(db)
    start = datetime(2026, 1, 1, 9, 0, tzinfo=SHANGHAI)
    await log.add("很久以前的问题", "zh", "not_found", start)
    await log.add("九十天内的问题", "zh", "not_found", start.replace(month=3))
    assert {e.text for e in await log.since(start)} == {"很久以前的问题", "九十天内的问题"}
    await log.add("新问题", "zh", "down", start.replace(month=4, day=5))  # 94 days after the first
    assert {e.text for e in await log.since(start)} == {"九十天内的问题", "新问题"}
    await db.close()
