"""Outcomes of sending one message, as the domain sees them.

The reminder dispatcher and the broadcast drainer both send through an injected function; the Telegram
adapter (``handlers/sending.py``) turns PTB's errors into these, so neither engine imports ``telegram``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.answers.reply import Button

Buttons = tuple[tuple[Button, ...], ...]
SendFn = Callable[[int, str, Buttons], Awaitable[None]]


class Blocked(Exception):
    """The recipient blocked the bot or is gone (Telegram: 403 Forbidden); never retried."""


class RateLimited(Exception):
    """Telegram asked us to wait (429 RetryAfter)."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(f"retry after {retry_after} s")
        self.retry_after = retry_after


class SendFailed(Exception):
    """Any other failure; ``transient`` ones (network, timeout) are worth retrying."""

    def __init__(self, reason: str, transient: bool = False) -> None:
        super().__init__(reason)
        self.transient = transient
