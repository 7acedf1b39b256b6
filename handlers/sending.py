"""The Telegram side of background sending: plain text with inline buttons, PTB errors as domain outcomes.

Which failures may have delivered the message matters: a retry after one of those can repeat it. The transport
(``bot/infra/aiohttp_request.py``) marks the failures that happened before anything was sent (no connection in
time, could not connect); a read time-out or a connection dropped mid-answer may have been processed by Telegram
(unknown). A 5xx answer means Telegram did not process the call.
"""

from __future__ import annotations

from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.ext import Application

from bot.engines.delivery import Blocked, Buttons, RateLimited, SendFailed, SendFn
from bot.infra.aiohttp_request import NOT_SENT, TRANSPORT
from handlers.common import TELEGRAM_TEXT_LIMIT, keyboard, retry_after_seconds

_NOT_SENT_MARKS = (NOT_SENT, "Pool timeout")  # ours, and PTB's own for a pool time-out


def outcome_of(exc: TelegramError) -> Exception:
    """The domain outcome of a failed Bot API call."""
    if isinstance(exc, Forbidden):
        return Blocked(str(exc))
    if isinstance(exc, RetryAfter):
        return RateLimited(retry_after_seconds(exc))
    if isinstance(exc, BadRequest | ChatMigrated):  # a NetworkError subclass in PTB, but permanent
        return SendFailed(exc.message)
    if isinstance(exc, NetworkError):  # includes TimedOut
        reason = f"{type(exc).__name__}: {exc.message}"[:200]
        not_sent = any(mark in exc.message for mark in _NOT_SENT_MARKS) or (
            not isinstance(exc, TimedOut) and not exc.message.startswith(TRANSPORT)  # an HTTP 5xx answer
        )
        return SendFailed(reason, transient=True, unknown=not not_sent)
    return SendFailed(type(exc).__name__)


def telegram_sender(app: Application) -> SendFn:  # type: ignore[type-arg]
    async def send(chat_id: int, text: str, buttons: Buttons = ()) -> None:
        try:
            await app.bot.send_message(chat_id, text[:TELEGRAM_TEXT_LIMIT], reply_markup=keyboard(buttons))
        except TelegramError as exc:
            raise outcome_of(exc) from exc

    return send
