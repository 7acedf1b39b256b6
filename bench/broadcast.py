"""Broadcast benchmark: N recipients through the real bot process against the Bot API double over HTTP.

    /work/venv/bin/python bench/broadcast.py [--recipients 10000] [--rate 25]

What it does: seeds a fresh SQLite file with N users and one queued admin broadcast to all of them, serves
the Bot API double on 127.0.0.1 (``bot.infra.botapi_http``), and runs ``python -m bot run`` against it with
``BROADCAST_RATE=L``. When half the recipients have their message it kills the bot with SIGKILL (no
graceful stop), starts it again on the same database, and waits until everyone has it.

Prints: the achieved rate of each run (messages/s between its first and last message) divided by L (target
≥ 0.95), duplicates (recipients who got it more than once; target 0 — a SIGKILL can repeat at most the
messages in flight at the kill, see bot/engines/broadcast.py), and the total delivered (target exactly N).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.domain.clock import SystemClock  # noqa: E402
from bot.infra.botapi_double import BotApiDouble, SentMessage  # noqa: E402
from bot.infra.botapi_http import BotApiHttpServer  # noqa: E402
from bot.storage.db import Database  # noqa: E402
from bot.storage.outbox import BroadcastRepository  # noqa: E402

SENDER = 1
FIRST = 100_000
TEXT = "【基准测试】请于12月31日前完成2026年继续教育学习。"


async def seed(path: Path, n: int) -> None:
    db = Database(path)
    await db.open()
    now = SystemClock().now()
    ts = int(now.timestamp())
    async with db.transaction() as conn:
        await conn.executemany(
            "INSERT INTO users (id, language, first_seen, last_seen) VALUES (?, 'zh', ?, ?)",
            [(uid, ts, ts) for uid in [SENDER, *range(FIRST, FIRST + n)]],
        )
    repo = BroadcastRepository(db)
    draft = await repo.open_draft(SENDER, "all", None, now)
    await repo.set_text(draft, TEXT)
    result, count = await repo.queue(
        draft, now, since=0, daily_limit=None, progress_chat_id=SENDER, progress_message_id=999_999
    )
    assert result == "queued" and count == n, (result, count)
    await db.close()


class Recorder:
    """Every broadcast message the double receives, with its arrival time."""

    def __init__(self) -> None:
        self.arrivals: list[tuple[int, float]] = []

    def __call__(self, kind: str, payload: SentMessage | dict[str, Any]) -> None:
        if kind == "message" and isinstance(payload, SentMessage) and payload.text == TEXT:
            self.arrivals.append((payload.chat_id, time.monotonic()))


async def spawn(env: dict[str, str], log: Path) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=str(ROOT), env=env,
        stdout=log.open("ab"), stderr=asyncio.subprocess.STDOUT,
    )


async def wait_for(pred: Any, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while not pred():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.05)
    return True


def rate_of(stamps: list[float]) -> float:
    return (len(stamps) - 1) / (stamps[-1] - stamps[0]) if len(stamps) > 1 and stamps[-1] > stamps[0] else 0.0


async def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--recipients", type=int, default=10_000)
    ap.add_argument("--rate", type=float, default=25.0, help="L, messages/s (the bot's BROADCAST_RATE, ≤ 30)")
    args = ap.parse_args()
    n, rate = args.recipients, args.rate
    work = Path(tempfile.mkdtemp(prefix="accbot-bench-"))
    db_path = work / "bench.sqlite3"
    await seed(db_path, n)
    double = BotApiDouble()
    recorder = Recorder()
    double.on_event = recorder
    async with BotApiHttpServer(double) as server:
        env = {**os.environ, "TELEGRAM_BOT_TOKEN": "123:BENCH", "TELEGRAM_BASE_URL": server.base_url,
               "DATABASE_PATH": str(db_path), "BROADCAST_RATE": str(rate), "ADMIN_IDS": str(SENDER),
               "LOG_LEVEL": "WARNING"}
        log = work / "bot.log"
        budget = n / rate * 1.5 + 60

        bot = await spawn(env, log)
        await wait_for(lambda: len(recorder.arrivals) >= n // 2, budget)
        bot.send_signal(signal.SIGKILL)  # a kill, not a graceful stop
        await bot.wait()
        first_run = [t for _, t in recorder.arrivals]
        killed_at = len(first_run)

        bot = await spawn(env, log)
        await wait_for(lambda: len({c for c, _ in recorder.arrivals}) >= n, budget)
        await asyncio.sleep(2)  # anything still to come (a duplicate) arrives now
        bot.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(bot.wait(), 20)
        except TimeoutError:
            bot.kill()
        second_run = [t for _, t in recorder.arrivals[killed_at:]]

    per_chat = Counter(c for c, _ in recorder.arrivals)
    unique = len(per_chat)
    duplicates = sum(v - 1 for v in per_chat.values())
    r1, r2 = rate_of(first_run), rate_of(second_run)
    print(f"recipients            {n}")
    print(f"pacing L              {rate:g} messages/s")
    print(f"run 1 (killed)        {len(first_run)} messages, {r1:.2f}/s, ratio {r1 / rate:.3f}")
    print(f"run 2 (resumed)       {len(second_run)} messages, {r2:.2f}/s, ratio {r2 / rate:.3f}")
    print(f"achieved rate / L     {min(r1, r2) / rate:.3f} (worst run; target >= 0.95)")
    print(f"duplicates            {duplicates} (target 0)")
    print(f"delivered (unique)    {unique} of {n} (target exactly {n})")
    print(f"work dir              {work}")
    ok = min(r1, r2) / rate >= 0.95 and duplicates == 0 and unique == n
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
