"""Reminder wave benchmark: how fast the real bot process delivers N due reminders through a Bot API with latency.

    python bench/wave.py [--reminders 600] [--lat 0.15]

Seeds a fresh SQLite file with N users, each with one personal reminder due now, serves the Bot API double on
127.0.0.1 answering every call after LAT seconds (Telegram's round trip is typically 50-300 ms), runs
``python -m bot run`` against it and times the deliveries. Prints the delivery rate (reminders/s between the
first and the last) and what that rate means for a wave to 100,000 and to 1,000,000 users, beside the same waves
at Telegram's ~30 messages/s (see docs/scaling.md).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.domain.clock import SystemClock  # noqa: E402
from bot.infra.botapi_double import BotApiDouble, SentMessage  # noqa: E402
from bot.infra.botapi_http import BotApiHttpServer  # noqa: E402
from bot.storage.db import Database  # noqa: E402

FIRST = 500_000
SUBJECT = "基准测试提醒"


async def seed(path: Path, n: int) -> None:
    db = Database(path)
    await db.open()
    ts = int(SystemClock().now().timestamp())
    async with db.transaction() as conn:
        await conn.executemany("INSERT INTO users (id, language, first_seen, last_seen) VALUES (?, 'zh', ?, ?)",
                               [(uid, ts, ts) for uid in range(FIRST, FIRST + n)])
        await conn.executemany(
            "INSERT INTO reminders (user_id, kind, text, due_at, status, created_at) "
            "VALUES (?, 'personal', ?, ?, 'pending', ?)",
            [(uid, SUBJECT, ts - 5, ts - 60) for uid in range(FIRST, FIRST + n)],
        )
    await db.close()


def human(seconds: float) -> str:
    return f"{seconds / 3600:.1f} h" if seconds >= 3600 else f"{seconds / 60:.0f} min"


async def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reminders", type=int, default=600)
    ap.add_argument("--lat", type=float, default=0.15, help="Bot API latency per call, seconds")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="accbot-wave-"))
    db_path = work / "wave.sqlite3"
    await seed(db_path, args.reminders)
    stamps: list[float] = []

    def record(kind: str, payload: SentMessage | dict[str, Any]) -> None:
        if kind == "message" and isinstance(payload, SentMessage) and SUBJECT in payload.text:
            stamps.append(time.monotonic())

    double = BotApiDouble(on_event=record)
    async with BotApiHttpServer(double, latency=args.lat) as server:
        env = {**os.environ, "TELEGRAM_BOT_TOKEN": "123:WAVE", "TELEGRAM_BASE_URL": server.base_url,
               "DATABASE_PATH": str(db_path), "LOG_LEVEL": "WARNING", "DISPATCH_INTERVAL_SECONDS": "1"}
        bot = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", "run", cwd=str(work), env=env,
                                                   stdout=(work / "bot.log").open("ab"),
                                                   stderr=asyncio.subprocess.STDOUT)
        deadline = time.monotonic() + args.reminders * max(args.lat, 0.01) * 3 + 120
        while len(stamps) < args.reminders and time.monotonic() < deadline:
            await asyncio.sleep(0.2)
        bot.send_signal(signal.SIGTERM)
        await asyncio.wait_for(bot.wait(), 60)
    delivered = len(stamps)
    rate = (delivered - 1) / (stamps[-1] - stamps[0]) if delivered > 1 and stamps[-1] > stamps[0] else 0.0
    print(f"reminders due          {args.reminders} (delivered {delivered})")
    print(f"Bot API latency        {args.lat * 1000:.0f} ms per call")
    print(f"delivery rate          {rate:.1f} reminders/s (measured)")
    for users in (100_000, 1_000_000):
        at_rate = human(users / rate) if rate else "-"
        print(f"wave to {users:>9,} users  {at_rate} at the measured rate; {human(users / 30)} at Telegram's 30/s")
    return 0 if delivered == args.reminders else 1


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
