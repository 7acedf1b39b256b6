"""Runs before every other handler (group -2, ahead of the draft claimer in -1 and the features in 0): records
the visit and settles the user's language.

Updates without a user (channel posts) stop here.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot.answers.i18n import normalize_language
from handlers.common import services


async def gate(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    user = update.effective_user
    if user is None or user.is_bot:
        raise ApplicationHandlerStop
    svc = services(context)
    hinted = normalize_language(user.language_code, svc.settings.default_language)
    record = await svc.users.touch(user.id, hinted, svc.clock.now())
    if context.user_data is not None:
        context.user_data["lang"] = record.language
