"""Waiting for the Bot API at start-up, for as long as it takes, saying so in the log.

PTB's own bootstrap loop (``run_polling(bootstrap_retries=-1)``) retries getMe and deleteWebhook forever,
but logs each failure only at DEBUG, so an operator sees a silent bot. This loop runs first: getMe with
exponential back-off (1 s doubling to 60 s, or what a RetryAfter asks), one WARNING line per failure. Only an
invalid token ends it, since no retry can fix that.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from telegram import Bot
from telegram.error import InvalidToken, RetryAfter, TelegramError

log = logging.getLogger(__name__)


async def wait_for_bot_api(token: str, base_url: str | None = None, *,
                           sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
                           max_delay: float = 60.0) -> int:
    """Return once getMe succeeds (the number of failed tries before it); raise ``InvalidToken``."""
    delay, failures = 1.0, 0
    while True:
        bot = Bot(token, base_url=base_url) if base_url else Bot(token)
        try:
            async with bot:  # initialize() calls getMe
                return failures
        except InvalidToken:
            raise
        except TelegramError as exc:
            failures += 1
            wait = delay
            if isinstance(exc, RetryAfter):
                retry = exc.retry_after
                wait = float(retry.total_seconds() if hasattr(retry, "total_seconds") else retry)
            log.warning("Telegram's Bot API is not answering yet (%s: %s); trying again in %.0f s (try %d)",
                        type(exc).__name__, exc, wait, failures)
            await sleep(wait)
            delay = min(delay * 2, max_delay)
