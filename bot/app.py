"""Builds the one ``Application``: services, settings, and every handler, registered in one place.

The same builder serves Telegram (long polling), the terminal chat and the tests; only the ``request``
object differs (network, or an in-process Bot API double).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from telegram import BotCommand, Update
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import BaseRequest

from bot.services import Services
from handlers import fallback, gate, questions, start

log = logging.getLogger(__name__)

MenuAction = Callable[[Update, ContextTypes.DEFAULT_TYPE], Awaitable[None]]

COMMANDS: tuple[str, ...] = ("start", "help", "lang")


def register_handlers(app: Application) -> None:  # type: ignore[type-arg]
    """Every handler the bot has, in order. Group -1 gatekeeps; group 0 holds the features."""
    app.add_handler(TypeHandler(Update, gate.gate), group=-1)

    app.add_handler(CommandHandler("start", start.start))
    app.add_handler(CommandHandler("help", start.help_command))
    app.add_handler(CommandHandler("lang", start.lang_command))

    app.add_handler(CallbackQueryHandler(start.lang_button, pattern=r"^lang:"))
    app.add_handler(CallbackQueryHandler(start.menu_button, pattern=r"^menu:"))
    app.add_handler(CallbackQueryHandler(questions.topic_button, pattern=r"^faq:"))

    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, questions.text_message))
    app.add_handler(MessageHandler(filters.COMMAND, fallback.unknown_command))
    app.add_handler(MessageHandler(~filters.TEXT & ~filters.StatusUpdate.ALL, fallback.non_text))
    app.add_handler(CallbackQueryHandler(fallback.stale_button))
    app.add_error_handler(fallback.on_error)

    app.bot_data["menu_actions"] = {
        "faq": questions.faq_menu,
        "lang": start.show_language_menu,
    }


async def _publish_commands(app: Application) -> None:  # type: ignore[type-arg]
    """Command menus in both languages; cosmetic, so a failure is logged and the bot carries on."""
    svc: Services = app.bot_data["services"]
    for lang, code in (("zh", None), ("zh", "zh"), ("en", "en")):
        commands = [BotCommand(c, svc.t(lang, f"command.{c}")) for c in COMMANDS]
        try:
            await app.bot.set_my_commands(commands, language_code=code)
        except TelegramError as exc:
            log.warning("setMyCommands failed (%s); carrying on", type(exc).__name__)


def build_application(services: Services, *, request: BaseRequest | None = None,
                      updates_request: BaseRequest | None = None) -> Application:  # type: ignore[type-arg]
    settings = services.settings
    builder = (
        ApplicationBuilder()
        .token(settings.token or "0:local")
        .defaults(Defaults(tzinfo=settings.tz))
        .post_init(_on_start)
        .post_shutdown(_on_stop)
    )
    if settings.telegram_base_url:
        builder = builder.base_url(settings.telegram_base_url)
        builder = builder.base_file_url(
            settings.telegram_base_file_url or settings.telegram_base_url.replace("/bot", "/file/bot")
        )
    if request is not None:
        builder = builder.request(request).get_updates_request(updates_request or request)
    app = builder.build()
    app.bot_data["services"] = services
    register_handlers(app)
    return app


async def _on_start(app: Application) -> None:  # type: ignore[type-arg]
    svc: Services = app.bot_data["services"]
    await svc.db.open()
    await _publish_commands(app)


async def _on_stop(app: Application) -> None:  # type: ignore[type-arg]
    svc: Services = app.bot_data["services"]
    await svc.db.close()

