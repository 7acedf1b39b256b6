"""A crowd and a flood through Telegram's latency, for accbot and a plain PTB echo bot in the same run.

Run: ``python bench/load.py [--lat 0.15] [--users 100] [--flood 300] [--others 20]``.

Each bot runs as its own process (``accbot run``, and a 15-line python-telegram-bot echo bot with
``concurrent_updates(True)``) against the project's Bot API double served over HTTP on 127.0.0.1, which
answers every call but getUpdates after ``--lat`` seconds, as Telegram does (50–300 ms).

* crowd: ``--users`` users send one question at the same instant;
* flood: one user sends ``--flood`` messages, then ``--others`` users one each.

Printed per bot and case: time until every user had a reply, p50/p99 time to first reply, CPU ms per
answered message, peak RSS; then the ratios accbot/echo. Not a test: numbers vary by machine.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import statistics
import sys
import tempfile
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.infra.botapi_double import BotApiDouble, SentMessage  # noqa: E402
from bot.infra.botapi_http import BotApiHttpServer  # noqa: E402

QUESTION = "每年需要多少学分"
ECHO_BOT = textwrap.dedent("""
    import os
    from telegram.ext import ApplicationBuilder, MessageHandler, filters
    async def echo(update, context):
        await update.message.reply_text(update.message.text)
    app = (ApplicationBuilder().token(os.environ["TELEGRAM_BOT_TOKEN"]).base_url(os.environ["TELEGRAM_BASE_URL"])
           .concurrent_updates(True).build())
    app.add_handler(MessageHandler(filters.TEXT, echo))
    app.run_polling()
""")


@dataclass
class Result:
    all_replied: float
    p50: float
    p99: float
    cpu_ms: float
    rss_mb: float
    replies: int


def _proc_stat(pid: int) -> tuple[float, float]:
    """(CPU seconds, peak RSS in MB) of a process, from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        status = Path(f"/proc/{pid}/status").read_text()
        peak = next((int(ln.split()[1]) for ln in status.splitlines() if ln.startswith("VmHWM:")), 0)
        return cpu, peak / 1024
    except (OSError, ValueError, IndexError):
        return 0.0, 0.0


class Run:
    """One bot process against one Bot API double on 127.0.0.1."""

    def __init__(self, cmd: list[str], lat: float) -> None:
        self.cmd = cmd
        self.double = BotApiDouble(latency=lat)
        self.first: dict[int, float] = {}
        self.double.on_event = self._seen

    def _seen(self, kind: str, payload: SentMessage | dict[str, object]) -> None:
        if kind == "message" and isinstance(payload, SentMessage):
            self.first.setdefault(payload.chat_id, time.perf_counter())

    async def __aenter__(self) -> Run:
        self.server = BotApiHttpServer(self.double)
        await self.server.start()
        self.work = tempfile.mkdtemp(prefix="bench-load-")
        env = dict(os.environ, TELEGRAM_BOT_TOKEN="123456:BENCH", TELEGRAM_BASE_URL=self.server.base_url,
                   DATABASE_PATH=os.path.join(self.work, "bot.sqlite3"), LOG_LEVEL="WARNING",
                   PYTHONPATH=str(ROOT))
        self.log = open(os.path.join(self.work, "bot.log"), "w")  # noqa: SIM115 — closed in __aexit__
        self.proc = await asyncio.create_subprocess_exec(*self.cmd, cwd=self.work, env=env, stdout=self.log,
                                                         stderr=self.log, start_new_session=True)
        for _ in range(900):
            if self.double.polls:
                break
            await asyncio.sleep(0.1)
        else:
            raise SystemExit(f"{self.cmd[0]} never polled; see {self.work}/bot.log")
        await asyncio.sleep(2.0)  # start-up calls (setMyCommands …) drain
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self.proc.returncode is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                await asyncio.wait_for(self.proc.wait(), 20)
            except TimeoutError:
                os.killpg(self.proc.pid, signal.SIGKILL)
                await self.proc.wait()
        self.log.close()
        await self.server.stop()

    async def measure(self, senders: list[int], watched: list[int], *, flood: int = 0,
                      limit: float = 300) -> Result:
        """Push one message per entry of ``senders`` at once (after ``flood`` messages from one user, 0.2 s
        ahead); time the first reply to each ``watched`` chat. CPU counts per message the bot sent."""
        cpu0, _ = _proc_stat(self.proc.pid)
        sent0 = len(self.double.messages)
        if flood:
            for _ in range(flood):
                self.double.updates.put_nowait(self.double.message_update(4_000_000, QUESTION))
            await asyncio.sleep(0.2)  # the flood is on its way first
        t0 = time.perf_counter()
        for user in senders:
            self.double.updates.put_nowait(self.double.message_update(user, QUESTION))
        while time.perf_counter() - t0 < limit and not all(c in self.first for c in watched):
            await asyncio.sleep(0.01)
        waits = sorted(self.first[c] - t0 for c in watched if c in self.first)
        if len(waits) < len(watched):
            raise SystemExit(f"only {len(waits)}/{len(watched)} chats got a reply within {limit:.0f} s")
        await asyncio.sleep(0.5)  # replies still on their way count for CPU
        cpu1, rss = _proc_stat(self.proc.pid)
        replies = len(self.double.messages) - sent0
        return Result(waits[-1], statistics.median(waits), waits[min(len(waits) - 1, int(len(waits) * 0.99))],
                      (cpu1 - cpu0) * 1000 / max(1, replies), rss, replies)


async def _case(cmd: list[str], lat: float, case: str, a: argparse.Namespace) -> Result:
    async with Run(cmd, lat) as run:
        if case == "crowd":
            users = [5_000_000 + i for i in range(a.users)]
            return await run.measure(users, users)
        others = [5_000_000 + i for i in range(a.others)]
        return await run.measure(others, others, flood=a.flood)


def _line(name: str, case: str, r: Result) -> str:
    return (f"{name:<7} {case:<6} all replied {r.all_replied:6.2f} s   p50 {r.p50:5.2f} s   p99 {r.p99:5.2f} s   "
            f"CPU {r.cpu_ms:5.1f} ms/message   peak RSS {r.rss_mb:6.1f} MB")


async def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lat", type=float, default=0.15, help="Bot API latency in seconds (default 0.15)")
    ap.add_argument("--users", type=int, default=100, help="crowd: users sending at once")
    ap.add_argument("--flood", type=int, default=300, help="flood: messages from one user")
    ap.add_argument("--others", type=int, default=20, help="flood: other users, one message each")
    a = ap.parse_args()
    echo_file = Path(tempfile.mkdtemp(prefix="bench-echo-")) / "echo_bot.py"
    echo_file.write_text(ECHO_BOT)
    bots = {"echo": [sys.executable, str(echo_file)], "accbot": [sys.executable, "-m", "bot", "run"]}
    print(f"Bot API double on 127.0.0.1 with {a.lat * 1000:.0f} ms latency; crowd {a.users} users, "
          f"flood {a.flood} messages + {a.others} others")
    results: dict[tuple[str, str], Result] = {}
    for case in ("crowd", "flood"):
        for name, cmd in bots.items():
            results[name, case] = r = await _case(cmd, a.lat, case, a)
            print(_line(name, case, r), flush=True)
    for case in ("crowd", "flood"):
        echo, bot = results["echo", case], results["accbot", case]
        print(f"{case}: ratio echo/accbot (all replied) {echo.all_replied / bot.all_replied:.2f}; "
              f"CPU accbot/echo {bot.cpu_ms / max(echo.cpu_ms, 1e-9):.2f}")


if __name__ == "__main__":
    asyncio.run(main())
