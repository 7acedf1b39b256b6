"""`accbot run` rides out Bot API errors at start-up: 502s on getMe and deleteWebhook, then it comes up and answers."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path
from typing import Any

from bot.infra.botapi_double import BotApiDouble
from bot.infra.botapi_http import BotApiHttpServer

ROOT = Path(__file__).resolve().parents[1]


async def test_start_up_survives_bad_gateways_and_answers(tmp_path: Path) -> None:
    double = BotApiDouble()
    failures = {"getMe": 2, "deleteWebhook": 2}

    def fault(method: str, params: dict[str, Any]) -> str | None:
        if failures.get(method, 0) > 0:
            failures[method] -= 1
            return "5xx"
        return None

    double.fault = fault
    async with BotApiHttpServer(double) as server:
        env = {**os.environ, "TELEGRAM_BOT_TOKEN": "123:TEST", "TELEGRAM_BASE_URL": server.base_url,
               "DATABASE_PATH": str(tmp_path / "bot.sqlite3"), "LOG_LEVEL": "WARNING", "PYTHONPATH": str(ROOT)}
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", cwd=tmp_path, env=env, start_new_session=True,
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)
        try:
            for _ in range(600):  # at most 60 s to come up
                if double.polls or proc.returncode is not None:
                    break
                await asyncio.sleep(0.1)
            assert proc.returncode is None, "the bot exited on a transient error"
            assert double.polls and failures == {"getMe": 0, "deleteWebhook": 0}
            await double.updates.put(double.message_update(4321, "每年需要多少学分"))
            for _ in range(300):
                if double.chat(4321):
                    break
                await asyncio.sleep(0.1)
            assert "90" in double.last(4321).text
        finally:
            if proc.returncode is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    await asyncio.wait_for(proc.wait(), 20)
                except TimeoutError:
                    os.killpg(proc.pid, signal.SIGKILL)
                    await proc.wait()
        log = (await proc.stderr.read()).decode() if proc.stderr else ""
        assert log.count("not answering yet") >= 2, "each failed try is logged"
