"""What the bot says to everything no feature handled: non-text, unknown commands, stale buttons."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.infra.logsetup import storage_throttle
from bot.storage import StorageUnavailable
from handlers.common import send_text, tr
from handlers.gate import apologise

log = logging.getLogger(__name__)


async def non_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stickers, photos, voice, files, locations …: ask for a typed question."""
    await send_text(update, context, tr(update, context, "nontext.hint"))


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await send_text(update, context, tr(update, context, "command.unknown"))


async def stale_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Buttons from before a restart or from an older version whose action no longer exists."""
    query = update.callback_query
    if query is None:
        return
    await query.answer(tr(update, context, "button.stale"), show_alert=True)
    try:
        await query.edit_message_reply_markup(reply_markup=None)
    except TelegramError:
        log.debug("could not clear a stale keyboard", exc_info=True)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the failure (without message text or tokens) and apologise to the user if there is one."""
    if isinstance(context.error, StorageUnavailable):  # expected trouble: one line a minute, no traceback
        if storage_throttle.allow("handler"):
            log.error("database unavailable in a handler (%s; %d more since the last line)", context.error,
                      storage_throttle.take_suppressed("handler"))
        if isinstance(update, Update):
            try:
                await apologise(update, context)
            except Exception:
                log.warning("could not send the database apology", exc_info=True)
        return
    log.error("handler failed: %s", type(context.error).__name__, exc_info=context.error)
    if isinstance(update, Update) and update.effective_chat is not None:
        try:
            await send_text(update, context, tr(update, context, "error.generic"))
        except Exception:  # the apology itself must never raise
            log.warning("could not send the error apology", exc_info=True)
