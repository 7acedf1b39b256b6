"""Shared by the unit and broadcast adapters: telling another user something in their language, display
names, invite links, editing the pressed message, and small callback-data helpers (permissions are in
:mod:`handlers.access`)."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import ContextTypes

from bot.answers.reply import Button
from bot.domain.units import invite_link
from handlers.common import keyboard, services

log = logging.getLogger(__name__)


def display_name(update: Update) -> str:
    user = update.effective_user
    if user is None:
        return ""
    name = user.full_name or ""
    if user.username:
        name = f"{name} (@{user.username})" if name else f"@{user.username}"
    return name or str(user.id)


async def tell(
    context: ContextTypes.DEFAULT_TYPE,
    recipient: int,
    key: str,
    buttons: tuple[tuple[Button, ...], ...] = (),
    /,
    **kwargs: object,
) -> None:
    """A message to another user, in their language; a user who blocked the bot is marked inactive."""
    svc = services(context)
    record = await svc.users.get(recipient)
    lang = record.language if record else svc.settings.default_language
    try:
        await context.bot.send_message(recipient, svc.t(lang, key, **kwargs), reply_markup=keyboard(buttons))
    except Forbidden:
        await svc.users.mark_inactive(recipient)
    except TelegramError as exc:
        log.warning("could not notify user %s: %s", recipient, type(exc).__name__)


def link_for(context: ContextTypes.DEFAULT_TYPE, code: str) -> str:
    return invite_link(context.bot.username, code)


async def edit_query_message(
    update: Update, text: str, buttons: tuple[tuple[Button, ...], ...] = ()
) -> None:
    query = update.callback_query
    if query is None or query.message is None:
        return
    try:
        await query.edit_message_text(text, reply_markup=keyboard(buttons))
    except BadRequest:  # "message is not modified" and the like are harmless
        log.debug("edit skipped", exc_info=True)


def int_arg(data: str, index: int) -> int | None:
    parts = data.split(":")
    try:
        return int(parts[index])
    except (IndexError, ValueError):
        return None
