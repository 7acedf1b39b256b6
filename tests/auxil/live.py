"""A real ``accbot run`` subprocess against the Bot API double served over HTTP on 127.0.0.1.

Used by the production tests (webhook, health, backups, clean shutdown): the process is the one an operator
starts, signals are real signals, and everything it does is visible in the double and the SQLite file.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "123:LIVE"


def bot_env(db_path: Path, base_url: str | None = None, **extra: str) -> dict[str, str]:
    """The process environment: nothing inherited from the developer's TELEGRAM_* or .env settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WEBHOOK_"))}
    env.update({"DATABASE_PATH": str(db_path), "PYTHONPATH": str(ROOT), "LOG_LEVEL": "INFO",
                "TELEGRAM_BOT_TOKEN": TOKEN, **extra})
    if base_url is not None:
        env["TELEGRAM_BASE_URL"] = base_url
    return env


async def wait_until(predicate: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        await asyncio.sleep(0.05)


class LiveBot:
    """``python -m bot run`` in ``cwd`` (a temporary folder, so no .env is read); log kept for failures."""

    def __init__(self, env: dict[str, str], cwd: Path, name: str = "bot") -> None:
        self.env = env
        self.cwd = cwd
        self.log = cwd / f"{name}.log"
        self.proc: asyncio.subprocess.Process | None = None

    async def start(self) -> LiveBot:
        with self.log.open("ab") as out:
            self.proc = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "run", cwd=str(self.cwd), env=self.env,
                stdout=out, stderr=asyncio.subprocess.STDOUT,
            )
        return self

    async def terminate(self, sig: int = signal.SIGTERM, timeout: float = 30.0) -> int:
        """Send ``sig`` and wait for the exit status (a hang past ``timeout`` fails the test)."""
        assert self.proc is not None
        self.proc.send_signal(sig)
        try:
            return await asyncio.wait_for(self.proc.wait(), timeout)
        except TimeoutError:
            self.proc.kill()
            await self.proc.wait()
            raise AssertionError(f"the bot did not stop within {timeout:g} s:\n{self.output()}") from None

    async def stop_quietly(self) -> None:
        if self.proc is not None and self.proc.returncode is None:
            self.proc.kill()
            await self.proc.wait()

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-4000:] if self.log.exists() else ""

    async def __aenter__(self) -> LiveBot:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop_quietly()


async def accbot(env: dict[str, str], cwd: Path, *args: str) -> tuple[int, str]:
    """Run one ``accbot`` command (health, db …, stats) beside the live bot; (exit status, stdout+stderr)."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, cwd=str(cwd), env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await asyncio.wait_for(proc.communicate(), 120)
    return int(proc.returncode or 0), out.decode()
