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
from bot.services.units import ContactLeft
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


async def language_of_user(context: ContextTypes.DEFAULT_TYPE, user_id: int) -> str:
    svc = services(context)
    record = await svc.users.get(user_id)
    return record.language if record else svc.settings.default_language


def share_buttons(context: ContextTypes.DEFAULT_TYPE, lang: str) -> tuple[tuple[Button, ...], ...]:
    t = services(context).t
    return ((Button(t(lang, "unit.button.share_yes"), "share:y"), Button(t(lang, "unit.button.share_no"), "share:n")),)


async def announce_contact_left(context: ContextTypes.DEFAULT_TYPE, left: ContactLeft, how: str, *,
                                new_contact: str | None = None, skip_admin: int | None = None) -> None:
    """Tell the members (their sharing with that person was withdrawn) and the admins."""
    svc = services(context)
    for member in left.members:
        if new_contact is None:
            await tell(context, member, "unit.contact_left.member", unit=left.unit.name)
        else:
            await tell(context, member, "unit.contact_changed.member",
                       share_buttons(context, await language_of_user(context, member)),
                       unit=left.unit.name, contact=new_contact)
    for admin_id in sorted(svc.settings.admin_ids - {skip_admin}):
        await tell(context, admin_id, f"unit.contact_left.admin.{how}", unit=left.unit.name,
                   members=len(left.members), contact=new_contact or "")
