"""Logging that never leaks the token or what users wrote.

httpx logs every request URL at INFO, and Telegram URLs contain the bot token, so httpx is held at
WARNING and a filter blanks the token from any record that still carries it.
"""

from __future__ import annotations

import logging


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


def configure_logging(level: str, token: str | None) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    if token:
        handler.addFilter(_RedactToken(token))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("httpx", "httpcore", "apscheduler", "jieba"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
