"""Shared plumbing for the Telegram adapters: the user's language, rendering a ``Reply``, splitting.

Messages go out as plain text (no parse mode), so nothing a user typed — echoed in a reply or broadcast —
is ever interpreted as markup.
"""

from __future__ import annotations

import asyncio
import logging
import warnings
from datetime import timedelta

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import RetryAfter
from telegram.ext import ContextTypes

from bot.answers.i18n import normalize_language
from bot.answers.reply import Button, Reply
from bot.parsing.callbacks import parse as parse_callback
from bot.parsing.commands import strip_command
from bot.parsing.text import clean_input
from bot.services import Services, services_of

TELEGRAM_TEXT_LIMIT = 4096
BUDGET_KEY = "send_budget"  # bot_data: the SendBudget shared with the broadcast drainer
REPLY_TRIES = 3  # a reply that meets RetryAfter is sent again after the wait, at most this many times in all
REPLY_MAX_WAIT = 60.0  # seconds; a longer RetryAfter is not waited out inside a handler

log = logging.getLogger(__name__)


def split_text(text: str, limit: int = TELEGRAM_TEXT_LIMIT) -> list[str]:
    """Cut ``text`` into pieces of at most ``limit`` characters, at paragraph, line or sentence ends."""
    pieces: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        window = rest[:limit]
        cut = max(window.rfind("\n\n"), window.rfind("\n"))
        if cut < limit // 2:
            cut = max(window.rfind(mark) + 1 for mark in ("。", ". ", "；", "! ", "？", "? "))
        if cut < limit // 2:
            cut = limit
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        pieces.append(rest)
    return pieces or [""]


def keyboard(rows: tuple[tuple[Button, ...], ...] | list[list[Button]]) -> InlineKeyboardMarkup | None:
    if not rows:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.label, callback_data=b.data) for b in row] for row in rows]
    )


def language_of(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    """The language settled for this update by the gatekeeper, or Telegram's hint."""
    lang = context.user_data.get("lang") if context.user_data is not None else None
    if lang:
        return str(lang)
    user = update.effective_user
    return normalize_language(user.language_code if user else None,
                              services_of(context).settings.default_language)


def tr(update: Update, context: ContextTypes.DEFAULT_TYPE, key: str, /, **kwargs: object) -> str:
    return services_of(context).t(language_of(update, context), key, **kwargs)


async def send_reply(update: Update, context: ContextTypes.DEFAULT_TYPE, reply: Reply) -> Message | None:
    """Send ``reply`` to the chat of ``update``; the buttons ride on the last piece."""
    chat = update.effective_chat
    if chat is None:
        return None
    pieces = split_text(reply.text)
    sent: Message | None = None
    for i, piece in enumerate(pieces):
        markup = keyboard(reply.buttons) if i == len(pieces) - 1 else None
        sent = await _send_message(context, chat.id, piece, markup)
    return sent


def retry_after_seconds(exc: RetryAfter) -> float:
    with warnings.catch_warnings():  # PTB 22 warns that retry_after becomes a timedelta; both handled
        warnings.simplefilter("ignore")
        wait = exc.retry_after
    return wait.total_seconds() if isinstance(wait, timedelta) else float(wait)


async def _send_message(context: ContextTypes.DEFAULT_TYPE, chat_id: int, text: str,
                        markup: InlineKeyboardMarkup | None) -> Message:
    """One reply: spends from the bot-wide budget without waiting for it, and rides out RetryAfter (bounded),
    pausing background sending meanwhile so the reply gets the next free slot."""
    budget = context.bot_data.get(BUDGET_KEY)
    for attempt in range(1, REPLY_TRIES + 1):
        if budget is not None:
            await budget.spend()
        try:
            return await context.bot.send_message(chat_id, text, reply_markup=markup)
        except RetryAfter as exc:
            wait = retry_after_seconds(exc)
            if attempt == REPLY_TRIES or wait > REPLY_MAX_WAIT:
                raise
            log.warning("a reply met RetryAfter %.0f s; sending it again after the wait", wait)
            if budget is not None:
                budget.pause(wait)
            await asyncio.sleep(wait)
    raise AssertionError("unreachable")


async def send_text(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str,
                    buttons: tuple[tuple[Button, ...], ...] = ()) -> Message | None:
    return await send_reply(update, context, Reply(text=text, buttons=buttons, kind="info"))


async def edit_reply(update: Update, reply: Reply) -> None:
    """Replace the message a button was pressed on (text and buttons)."""
    query = update.callback_query
    if query is None or query.message is None:
        return
    text = split_text(reply.text)[0]
    await query.edit_message_text(text, reply_markup=keyboard(reply.buttons))


def pressed(update: Update) -> tuple[CallbackQuery, str, list[str]]:
    """The pressed button's query, its action and the rest: ``rm:snooze:12:1h`` → ``("snooze", ["12", "1h"])``.

    The gate let only data of a shape the bot makes through (``bot.parsing.callbacks``); the caller still
    checks what the parts mean (whose row, which state).
    """
    query = update.callback_query
    assert query is not None and query.data is not None
    press = parse_callback(query.data)
    if press is None:  # unreachable behind the gate; kept strict for callers outside it
        return query, "", []
    return query, press.action, press.args


def user_id(update: Update) -> int:
    """The acting user's id; every handler registered for private features has one (the gate ensures it)."""
    user = update.effective_user
    assert user is not None
    return user.id


async def answer_stale(update: Update, context: ContextTypes.DEFAULT_TYPE, key: str = "button.stale") -> None:
    """The pressed button no longer applies (restart, undone, someone else's, forged): say so, change nothing."""
    query = update.callback_query
    assert query is not None
    await query.answer(tr(update, context, key), show_alert=True)


def message_text(update: Update) -> str:
    """The text the user sent, cleaned of invisible characters (every handler reads user text through this)."""
    message = update.effective_message
    return clean_input(message.text if message is not None else None).strip()


def command_args(update: Update) -> str:
    """Everything after ``/command`` as one cleaned string (line breaks and spacing kept)."""
    return strip_command(message_text(update)).strip()


def clean_args(context: ContextTypes.DEFAULT_TYPE) -> list[str]:
    """``context.args`` cleaned: ``专\u200b业`` is ``专业``, and an argument made only of invisibles is gone."""
    return clean_input(" ".join(context.args or [])).split()


def services(context: ContextTypes.DEFAULT_TYPE) -> Services:
    return services_of(context)
