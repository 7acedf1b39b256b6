"""Reminder engine benchmark: planning a campaign for 100,000 subscribers, dispatcher overhead, peak memory.

    /work/venv/bin/python -m bench.reminders [--users 100000] [--dispatch-rows 20000]

Prints three numbers the issue sets targets for: the time to plan (register + expand) one campaign for all
users (< 10 s), the dispatcher's own time per 1,000 due rows with sending excluded (a no-op ``send``;
< 50 ms), and the peak RSS of the process (< 300 MB). The knowledge base is not loaded: only what the
dispatcher uses (storage, policy, catalogs, clock) is built, so the memory figure is the engine's.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import resource
import tempfile
import time
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

from bot.answers.i18n import translator
from bot.answers.reply import Button
from bot.domain.clock import SHANGHAI, ManualClock
from bot.domain.reminders import campaigns_for
from bot.engines.dispatch import Dispatcher
from bot.infra.config import Settings
from bot.services.f2f import F2fService
from bot.storage import Database
from bot.storage.credits import CreditRepository
from bot.storage.heartbeat import Heartbeat
from bot.storage.reminders import ReminderRepository
from bot.storage.users import UserRepository
from knowledge.policy import FixedPolicies, policy_for


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


async def populate(db: Database, users: int, now: int) -> None:
    """Subscribers (all enabled), a third with credits recorded, a few institution staff."""
    rng = random.Random(7)
    async with db.transaction() as conn:
        await conn.executemany(
            "INSERT INTO users (id, language, first_seen, last_seen) VALUES (?, ?, ?, ?)",
            [(uid, "en" if uid % 10 == 0 else "zh", now, now) for uid in range(1, users + 1)],
        )
        await conn.executemany(
            "INSERT INTO reminder_settings (user_id, enabled, updated_at) VALUES (?, 1, ?)",
            [(uid, now) for uid in range(1, users + 1)],
        )
        credit_rows = []
        for uid in range(1, users + 1, 3):
            credit_rows.append((uid, 2026, "professional", "set", rng.randint(0, 80) * 10, 1, now))
            credit_rows.append((uid, 2026, "public", "set", rng.randint(0, 40) * 10, 1, now))
        await conn.executemany(
            "INSERT INTO credit_entries (user_id, year, category, kind, tenths, batch, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            credit_rows,
        )


async def main(users: int, dispatch_rows: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(Path(tmp) / "bench.sqlite3")
        await db.open()
        clock = ManualClock(datetime(2026, 11, 30, 23, 0, tzinfo=SHANGHAI))
        policy = policy_for(2026)
        reminders = ReminderRepository(db, SHANGHAI)
        svc = SimpleNamespace(
            settings=Settings(_env_file=None, database_path=db.path),  # type: ignore[call-arg]
            clock=clock,
            policy=policy,
            years=SimpleNamespace(library=FixedPolicies(policy)),
            t=translator(),
            db=db,
            users=UserRepository(db),
            reminders=reminders,
            credits=CreditRepository(db),
            heartbeat=Heartbeat(db),
            f2f=F2fService(reminders, lambda: policy),
        )
        t0 = time.perf_counter()
        await populate(db, users, int(clock.now().timestamp()))
        setup = time.perf_counter() - t0

        # Planning: register the policy's campaigns and expand the one due today for every subscriber.
        clock.set(datetime(2026, 12, 1, 0, 5, tzinfo=SHANGHAI))
        t0 = time.perf_counter()
        await svc.reminders.seed_campaigns(campaigns_for(policy), datetime(2026, 11, 30).date())
        planned = await svc.reminders.expand_due_campaigns(clock.now().date(), clock.now())
        planning = time.perf_counter() - t0

        sent = 0

        async def no_op_send(chat_id: int, text: str, buttons: tuple[tuple[Button, ...], ...]) -> None:
            nonlocal sent
            sent += 1

        dispatcher = Dispatcher(svc, no_op_send, batch_size=1000, max_rows_per_pass=dispatch_rows)  # type: ignore[arg-type]
        clock.set(datetime(2026, 12, 1, 9, 0, tzinfo=SHANGHAI))
        t0 = time.perf_counter()
        stats = await dispatcher.tick()
        dispatch = time.perf_counter() - t0
        await db.close()

    per_1000 = dispatch / max(stats.claimed, 1) * 1000 * 1000
    print(f"users:                          {users:,} (setup {setup:.2f} s, not counted)")
    print(f"planning one campaign:          {planning:.2f} s for {planned:,} delivery rows  (target < 10 s)")
    print(
        f"dispatcher overhead:            {per_1000:.1f} ms per 1,000 due rows "
        f"({stats.claimed:,} claimed: {stats.sent:,} rendered+sent to a no-op, {stats.skipped:,} skipped "
        f"as already met; target < 50 ms)"
    )
    print(f"peak RSS:                       {peak_rss_mb():.0f} MB  (target < 300 MB)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--dispatch-rows", type=int, default=20_000)
    args = parser.parse_args()
    asyncio.run(main(args.users, args.dispatch_rows))
