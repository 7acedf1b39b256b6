"""/start, /help, /lang and the main menu."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot.answers.i18n import LANGUAGES
from bot.answers.reply import Button
from handlers import reminder_settings
from handlers.common import clean_args, send_text, services, tr

START_HOOKS_KEY = "start_payload_hooks"


def main_menu(update: Update, context: ContextTypes.DEFAULT_TYPE) -> tuple[tuple[Button, ...], ...]:
    return (
        (Button(tr(update, context, "menu.faq"), "menu:faq"),
         Button(tr(update, context, "menu.credits"), "menu:credits")),
        (Button(tr(update, context, "menu.reminders"), "menu:reminders"),
         Button(tr(update, context, "menu.language"), "menu:lang")),
    )


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A short welcome with the main menu; a deep-link payload goes to whichever feature owns it."""
    if clean_args(context):
        for hook in context.bot_data.get(START_HOOKS_KEY, ()):
            if await hook(update, context, clean_args(context)[0]):
                return
    svc = services(context)
    text = tr(update, context, "start.welcome", **svc.policy.as_format_args())
    extra = await reminder_settings.start_buttons(update, context)  # one tap "开启提醒" while reminders are off
    await send_text(update, context, text, main_menu(update, context) + extra)


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = services(context)
    await send_text(update, context, tr(update, context, "help.text", **svc.policy.as_format_args()))


def _language_buttons(update: Update, context: ContextTypes.DEFAULT_TYPE) -> tuple[tuple[Button, ...], ...]:
    return (tuple(Button(tr(update, context, f"lang.name.{code}"), f"lang:{code}") for code in LANGUAGES),)


async def lang_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if clean_args(context) and clean_args(context)[0].lower() in LANGUAGES:
        await _set_language(update, context, clean_args(context)[0].lower())
        await send_text(update, context, tr(update, context, "lang.set"))
        return
    await send_text(update, context, tr(update, context, "lang.choose"), _language_buttons(update, context))


async def _set_language(update: Update, context: ContextTypes.DEFAULT_TYPE, code: str) -> None:
    user = update.effective_user
    assert user is not None
    await services(context).users.set_language(user.id, code)
    if context.user_data is not None:
        context.user_data["lang"] = code


async def lang_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    code = query.data.split(":", 1)[1]
    if code not in LANGUAGES:
        await query.answer(tr(update, context, "button.stale"))
        return
    await _set_language(update, context, code)
    await query.answer()
    await send_text(update, context, tr(update, context, "lang.set"), main_menu(update, context))


async def menu_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Main-menu buttons: each behaves like the command it stands for."""
    query = update.callback_query
    assert query is not None and query.data is not None
    target = query.data.split(":", 1)[1]
    action = context.bot_data.get("menu_actions", {}).get(target)
    if action is None:
        await query.answer(tr(update, context, "button.stale"))
        return
    await query.answer()
    await action(update, context)


async def show_language_menu(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await send_text(update, context, tr(update, context, "lang.choose"), _language_buttons(update, context))
