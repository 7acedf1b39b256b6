"""Outcomes of sending one message, the retry policy, and the bot-wide sending budget.

The reminder dispatcher and the broadcast drainer both send through an injected function; the Telegram
adapter (``handlers/sending.py``) turns PTB's errors into these outcomes, so neither engine imports
``telegram``:

* :class:`Blocked` — 403: the user blocked the bot or is gone. Permanent.
* :class:`RateLimited` — 429: wait ``retry_after`` seconds, then try again.
* :class:`SendFailed` — anything else. ``transient`` failures (5xx, network errors, time-outs) are retried
  with back-off for hours (:class:`RetryPolicy`); the rest (400 chat not found, text rejected) are permanent.
  ``unknown`` marks a failure after the request may have reached Telegram (a read time-out, a dropped
  connection): the message may have been delivered, so it is retried at most once and counted as possibly
  duplicated.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiolimiter import AsyncLimiter

from bot.answers.reply import Button

Buttons = tuple[tuple[Button, ...], ...]
SendFn = Callable[[int, str, Buttons], Awaitable[None]]
SleepFn = Callable[[float], Awaitable[None]]


class Blocked(Exception):
    """The recipient blocked the bot or is gone (Telegram: 403 Forbidden); never retried."""


class RateLimited(Exception):
    """Telegram asked us to wait (429 RetryAfter)."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(f"retry after {retry_after} s")
        self.retry_after = retry_after


class SendFailed(Exception):
    """Any other failure; ``transient`` ones are worth retrying, ``unknown`` ones may have been delivered."""

    def __init__(self, reason: str, transient: bool = False, unknown: bool = False) -> None:
        super().__init__(reason)
        self.transient = transient or unknown
        self.unknown = unknown


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Exponential back-off from ``base`` seconds, capped at ``cap``; ``max_attempts`` with the defaults is
    about 16 hours of trying, long enough to ride out any Telegram outage seen so far."""

    base: float = 5.0
    cap: float = 600.0
    max_attempts: int = 100

    def delay(self, attempt: int) -> float:
        """Seconds to wait after the ``attempt``-th failed try (1-based)."""
        return min(self.cap, self.base * 2 ** min(max(attempt - 1, 0), 30))

    def gives_up(self, attempt: int) -> bool:
        return attempt >= self.max_attempts


class SendBudget:
    """Telegram's bot-wide budget (about 30 messages/s), shared by interactive replies and background sends.

    A leaky bucket (``aiolimiter``) at ``rate`` messages/s with a burst of a tenth of a second's worth, and an
    :class:`asyncio.Event` that holds background sending while Telegram's RetryAfter lasts — the shape of
    PTB's own ``AIORateLimiter``, but only background sending waits: a reply to a user never queues behind a
    broadcast. Replies take what capacity is free (:meth:`spend`), so a busy hour of questions leaves less
    for the broadcast, and the total stays within the budget.
    """

    def __init__(self, rate: float, *, sleep: SleepFn = asyncio.sleep) -> None:
        self.rate = rate
        self.limiter = AsyncLimiter(max(1.0, rate / 10), max(1.0, rate / 10) / rate)
        self._sleep = sleep
        self._open = asyncio.Event()
        self._open.set()
        self._pause: asyncio.Task[None] | None = None
        self._pause_left = 0.0

    @property
    def paused(self) -> bool:
        return not self._open.is_set()

    async def acquire(self) -> None:
        """Background sending: wait out a RetryAfter pause, then for capacity."""
        await self._open.wait()
        await self.limiter.acquire()

    async def spend(self) -> None:
        """An interactive reply: take capacity if there is any, never wait."""
        if self.limiter.has_capacity():
            await self.limiter.acquire()  # returns at once when there is capacity

    def pause(self, seconds: float) -> None:
        """Hold background sending for ``seconds`` (Telegram said so); a longer pause replaces a shorter."""
        if self._pause is not None and not self._pause.done() and seconds <= self._pause_left:
            return
        if self._pause is not None:
            self._pause.cancel()
        self._open.clear()
        self._pause_left = seconds
        self._pause = asyncio.get_running_loop().create_task(self._resume_after(seconds))

    async def _resume_after(self, seconds: float) -> None:
        await self._sleep(seconds)
        self._pause_left = 0.0
        self._open.set()

    async def wait_open(self) -> None:
        await self._open.wait()
