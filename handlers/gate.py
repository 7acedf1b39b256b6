"""Runs before every other handler (group -2, ahead of the draft claimer in -1 and the features in 0): records
the visit and settles the user's language.

Updates without a user (channel posts) stop here. When the database cannot record the visit (locked by
another process, disk full), the user gets one apology and the update stops here too: the features after
the gate would fail on the same database and answer a second time. A pressed button whose data is not
exactly the shape of one the bot makes (``bot.parsing.callbacks``) is answered "no longer valid" here, so no
handler ever parses forged data.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot.answers.i18n import normalize_language
from bot.infra.logsetup import storage_throttle
from bot.parsing.callbacks import parse as parse_callback
from bot.parsing.callbacks import stale_key
from bot.storage import StorageUnavailable
from handlers.common import send_text, services

log = logging.getLogger(__name__)


async def gate(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    user = update.effective_user
    if user is None or user.is_bot:
        raise ApplicationHandlerStop
    svc = services(context)
    hinted = normalize_language(user.language_code, svc.settings.default_language)
    query = update.callback_query
    if query is not None and parse_callback(query.data) is None:  # forged, or from an older version
        lang = (context.user_data or {}).get("lang") or hinted
        await query.answer(svc.t(str(lang), stale_key(query.data)), show_alert=True)
        raise ApplicationHandlerStop
    try:
        record = await svc.users.touch(user.id, hinted, svc.clock.now())
    except StorageUnavailable as exc:
        if storage_throttle.allow("gate"):
            log.error("database unavailable, updates are refused with an apology (%s; %d more since the last "
                      "line)", exc, storage_throttle.take_suppressed("gate"))
        if context.user_data is not None:
            context.user_data.setdefault("lang", hinted)
        await apologise(update, context)
        raise ApplicationHandlerStop from None
    if context.user_data is not None:
        context.user_data["lang"] = record.language


async def apologise(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """One "database unavailable" answer: an alert on a pressed button, a message otherwise."""
    svc = services(context)
    lang = (context.user_data or {}).get("lang") or svc.settings.default_language
    text = svc.t(str(lang), "error.storage")
    if update.callback_query is not None:
        await update.callback_query.answer(text, show_alert=True)
    elif update.effective_chat is not None and update.effective_chat.type == "private":
        await send_text(update, context, text)
