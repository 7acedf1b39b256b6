"""The Telegram side of background sending: plain text with inline buttons, PTB errors as domain outcomes."""

from __future__ import annotations

import warnings
from datetime import timedelta

from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import Application

from bot.engines.delivery import Blocked, Buttons, RateLimited, SendFailed, SendFn
from handlers.common import TELEGRAM_TEXT_LIMIT, keyboard


def telegram_sender(app: Application) -> SendFn:  # type: ignore[type-arg]
    async def send(chat_id: int, text: str, buttons: Buttons = ()) -> None:
        try:
            await app.bot.send_message(chat_id, text[:TELEGRAM_TEXT_LIMIT], reply_markup=keyboard(buttons))
        except Forbidden as exc:
            raise Blocked(str(exc)) from exc
        except RetryAfter as exc:
            with warnings.catch_warnings():  # PTB 22 warns that retry_after becomes a timedelta; both handled
                warnings.simplefilter("ignore")
                wait = exc.retry_after
            raise RateLimited(wait.total_seconds() if isinstance(wait, timedelta) else float(wait)) from exc
        except BadRequest as exc:  # a NetworkError subclass in PTB, but retrying will not help
            raise SendFailed(exc.message) from exc
        except NetworkError as exc:  # includes TimedOut
            raise SendFailed(type(exc).__name__, transient=True) from exc
        except TelegramError as exc:
            raise SendFailed(type(exc).__name__) from exc

    return send
