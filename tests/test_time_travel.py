"""The real Application walked day by day from 2026-11-28 to 2027-04-30 on a ManualClock.

Two subscribers: one who met 2026 and one who did not. Reminders are delivered by the real dispatcher, /credits
and questions go through the real handlers. On 2027-03-20 an admin drops the (fictional, tests/fixtures) 2027
notice into a knowledge folder; nothing else changes, no restart.
"""

from __future__ import annotations

import re
import shutil
from datetime import date, datetime, timedelta
from pathlib import Path

from bot.bootstrap import build_services
from bot.domain.clock import SHANGHAI, ManualClock
from bot.infra.botapi_double import BotApiDouble
from bot.infra.config import Settings
from handlers.reminders import DISPATCHER_KEY
from tests.auxil.harness import ChatHarness, running_chat

MET, SHORT, NIGHT = 7001, 7002, 7003
FICTIONAL_2027 = Path(__file__).parent / "fixtures" / "year2027"


def _reminders(chat: ChatHarness, user: int) -> list[str]:
    return [t for t in chat.texts(user) if t.startswith("⏰") or "截止。通知写明" in t]


async def test_walk_from_november_2026_to_april_2027(tmp_path: Path) -> None:
    extra = tmp_path / "knowledge"
    extra.mkdir()
    settings = Settings(_env_file=None, database_path=tmp_path / "db.sqlite3",  # type: ignore[call-arg]
                        knowledge_dirs=(extra,))
    clock = ManualClock(datetime(2026, 11, 28, 8, 0, tzinfo=SHANGHAI))
    services = build_services(settings, clock=clock)
    async with running_chat(services, BotApiDouble()) as chat:
        dispatcher = chat.app.bot_data[DISPATCHER_KEY]
        for user in (MET, SHORT, NIGHT):
            await chat.send(user, "/start")
            await chat.press(user, "开启提醒")
        await chat.send(MET, "/credits 专业 60 公需 30")
        await chat.send(SHORT, "/credits 专业 20 公需 10")
        await chat.send(NIGHT, "/credits 专业 20")
        [night] = await chat.send(NIGHT, "/settings 时间 23:00")
        assert "免打扰" in night.text and "21:45" in night.text  # warned: delivered before quiet hours

        seen: dict[date, dict[int, list[str]]] = {}
        answers: dict[date, str] = {}
        day = date(2026, 11, 28)
        while day <= date(2027, 4, 30):
            if day == date(2027, 3, 20):  # the (fictional) 2027 notice arrives as data
                shutil.copytree(FICTIONAL_2027, extra, dirs_exist_ok=True)
            before = {u: len(_reminders(chat, u)) for u in (MET, SHORT, NIGHT)}
            for hour, minute in ((9, 0), (21, 50), (23, 30)):
                clock.set(datetime.combine(day, datetime.min.time(), SHANGHAI).replace(hour=hour, minute=minute))
                await dispatcher.tick(wait=True)
            seen[day] = {u: _reminders(chat, u)[before[u]:] for u in (MET, SHORT, NIGHT)}
            if day in (date(2026, 12, 31), date(2027, 1, 5), date(2027, 3, 19), date(2027, 3, 20)):
                [reply] = await chat.send(SHORT, "还有几天截止")
                answers[day] = reply.text
            day += timedelta(days=1)

        def days_with(user: int) -> list[date]:
            return [d for d, by in seen.items() if by[user]]

        # The one who met 2026 hears nothing about the 2026 deadline; the one who did not hears it on each
        # planned day, counted as /credits counts, and on the deadline day itself.
        assert [d for d in days_with(MET) if d.year == 2026] == []
        short_2026 = {d: by[SHORT] for d, by in seen.items() if by[SHORT] and d <= date(2027, 1, 1)}
        assert sorted(short_2026) == [date(2026, 12, 1), date(2026, 12, 17), date(2026, 12, 24), date(2026, 12, 28),
                                      date(2026, 12, 30), date(2026, 12, 31), date(2027, 1, 1)]
        assert "还剩31天（含今天）" in short_2026[date(2026, 12, 1)][0]
        assert "还剩2天（含今天）" in short_2026[date(2026, 12, 30)][0]
        assert "最后一天" in short_2026[date(2026, 12, 31)][0]
        [after] = short_2026[date(2027, 1, 1)]  # one note the day after, then silence
        assert "已于2026年12月31日截止" in after and "暂停" in after
        # The night owl's reminders come before quiet hours on their own day, never the next morning.
        assert sorted(d for d in days_with(NIGHT) if d <= date(2027, 1, 1)) == sorted(short_2026)
        # Between years: no reminder to anyone until the next policy.
        assert [d for d in seen if date(2027, 1, 2) <= d < date(2027, 3, 20) and any(seen[d].values())] == []
        # Never a negative day count.
        assert not any(re.search(r"-\d+\s*天", t) for by in seen.values() for ts in by.values() for t in ts)
        # The fictional 2027 policy's first campaign (online study opens 2027-04-10) reaches everyone.
        assert all(seen[date(2027, 4, 10)][u] for u in (MET, SHORT, NIGHT))

        assert "最后一天" in answers[date(2026, 12, 31)]
        assert "已于2026年12月31日截止" in answers[date(2027, 1, 5)]
        assert "已于2026年12月31日截止" in answers[date(2027, 3, 19)]
        assert "2027年12月31日前完成" in answers[date(2027, 3, 20)]  # switched with no code change

        clock.set(datetime(2027, 4, 30, 10, 0, tzinfo=SHANGHAI))
        [status] = await chat.send(SHORT, "/credits")
        assert "2027年度" in status.text and "尚未收录" not in status.text  # 2027 is in force now
