"""Logging that never leaks the token or what users wrote.

httpx logs every request URL at INFO, and Telegram URLs contain the bot token, so httpx is held at
WARNING and a filter blanks the token from any record that still carries it. At DEBUG, PTB logs whole
updates ("Processing update …") and the parameters and results of every Bot API call, which carry what users
wrote and what the bot answered; :class:`_RedactUpdates` keeps the line and replaces those values. aiosqlite
logs SQL parameters at DEBUG, so it is held at WARNING like httpx (and aiohttp, which carries the bot's calls).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable


class _RedactToken(logging.Filter):
    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self.token in message:
            record.msg = message.replace(self.token, "<token>")
            record.args = None
        return True


class _RedactUpdates(logging.Filter):
    """In PTB's own records, keep numbers and method names; replace everything else (updates, parameter and
    result dicts, message text) with ``<redacted>``."""

    @staticmethod
    def _safe(value: object) -> bool:
        if isinstance(value, bool | int | float):
            return True
        return isinstance(value, str) and len(value) <= 64 and value.replace("_", "").isalnum() and value.isascii()

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith("telegram") and record.args:
            args = record.args if isinstance(record.args, tuple) else (record.args,)
            record.args = tuple(a if self._safe(a) else "<redacted>" for a in args)
        return True


def configure_logging(level: str, token: str | None) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(_RedactUpdates())
    if token:
        handler.addFilter(_RedactToken(token))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # aiosqlite logs every statement with its parameters at DEBUG: users' words among them
    for noisy in ("httpx", "httpcore", "aiohttp", "apscheduler", "jieba", "aiosqlite"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


class Throttle:
    """Lets one log line per ``key`` through every ``seconds``: a locked or full database fails every update,
    and one line a minute says so as well as thousands would."""

    def __init__(self, seconds: float = 60.0, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self._mono = monotonic
        self._last: dict[str, float] = {}
        self.suppressed: dict[str, int] = {}

    def allow(self, key: str) -> bool:
        now = self._mono()
        last = self._last.get(key)
        if last is not None and now - last < self.seconds:
            self.suppressed[key] = self.suppressed.get(key, 0) + 1
            return False
        self._last[key] = now
        return True

    def reset(self) -> None:
        """Forget what was let through (a new Application in the same process, e.g. in tests)."""
        self._last.clear()
        self.suppressed.clear()

    def take_suppressed(self, key: str) -> int:
        """How many lines for ``key`` were held back since the last one let through."""
        return self.suppressed.pop(key, 0)


storage_throttle = Throttle()
