"""Builds the one ``Application``: services, settings, and every handler, registered in one place.

The same builder serves Telegram (long polling), the terminal chat and the tests; only the ``request``
object differs (network, or an in-process Bot API double).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from telegram import BotCommand, Update
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    Defaults,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import BaseRequest

from bot.answers.i18n import normalize_language
from bot.engines.delivery import SendBudget
from bot.infra.aiohttp_request import AiohttpRequest
from bot.infra.updates import ChatOrderedProcessor
from bot.services import Services
from handlers import admin, cancel, f2f, fallback, gate, questions, reminder_settings, start
from handlers import broadcasts as broadcast_handlers
from handlers import credits as credit_handlers
from handlers import reminders as reminder_handlers
from handlers import units as unit_handlers
from handlers.common import BUDGET_KEY
from handlers.start import START_HOOKS_KEY

log = logging.getLogger(__name__)

_COMMANDS_TASK = "commands_task"  # bot_data: the background publication of the command menu

# The update types the handlers below consume; polling asks for them and the webhook registers them.
ALLOWED_UPDATES: tuple[str, ...] = (Update.MESSAGE, Update.CALLBACK_QUERY)

# Plain text is a conversation with the bot only in a private chat; in a group it is people talking.
PRIVATE_TEXT = filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND


# Every command and its handler; all but the admins' own make the published menu (``COMMANDS``).
COMMAND_HANDLERS = {
    "start": start.start,
    "help": start.help_command,
    "lang": start.lang_command,
    "credits": credit_handlers.credits_command,
    "add": credit_handlers.add_command,
    "history": credit_handlers.history_command,
    "profile": credit_handlers.profile_command,
    "mydata": credit_handlers.mydata_command,
    "forget": credit_handlers.forget_command,
    "stats": admin.stats_command,
    "misses": admin.misses_command,
    "remind": reminder_handlers.remind_command,
    "reminders": reminder_handlers.reminders_command,
    "settings": reminder_settings.settings_command,
    "f2f": f2f.f2f_command,
    "unit": unit_handlers.unit_command,
    "join": unit_handlers.join_command,
    "broadcast": broadcast_handlers.broadcast_command,
    "broadcasts": broadcast_handlers.broadcasts_command,
    "cancel": cancel.cancel_command,
}

ADMIN_COMMANDS = frozenset({"stats", "misses"})
COMMANDS: tuple[str, ...] = tuple(c for c in COMMAND_HANDLERS if c not in ADMIN_COMMANDS)

# Every button, by the prefix its callback data starts with (``rm:ok:12`` → "rm"). A button whose prefix is
# not here — an old version's, or forged — reaches ``fallback.stale_button``.
BUTTON_HANDLERS = {
    "lang": start.lang_button,
    "menu": start.menu_button,
    "faq": questions.topic_button,
    "fb": questions.feedback_button,
    "cr": credit_handlers.credits_button,
    "cs": credit_handlers.save_statement_button,
    "cc": credit_handlers.confirm_button,
    "fg": credit_handlers.forget_button,
    "rm": reminder_handlers.reminder_button,
    "set": reminder_settings.settings_button,
    "ua": unit_handlers.application_button,
    "share": unit_handlers.share_button,
    "um": unit_handlers.member_button,
    "uh": unit_handlers.handover_button,
    "bc": broadcast_handlers.broadcast_button,
}


def register_handlers(app: Application) -> None:  # type: ignore[type-arg]
    """Every handler the bot has, in order. Group -2 gatekeeps; group 0 holds the features.

    Group -1 lets a feature claim a plain text before group 0 sees it (a /broadcast body must not reach the
    question answerer or the reminder parser); its handler returns without consuming when the text is not
    its own, and raises ``ApplicationHandlerStop`` when it is. In group 0 commands, buttons and texts never
    compete (``PRIVATE_TEXT`` excludes commands); among texts the first match wins, so "提醒我…" reaches the
    reminder parser before the question answerer.
    """
    app.add_handler(TypeHandler(Update, gate.gate), group=-2)
    app.add_handler(MessageHandler(PRIVATE_TEXT, broadcast_handlers.draft_text), group=-1)

    for command, handler in COMMAND_HANDLERS.items():
        app.add_handler(CommandHandler(command, handler))
    for prefix, button in BUTTON_HANDLERS.items():
        app.add_handler(CallbackQueryHandler(button, pattern=rf"^{prefix}:"))
    app.add_handler(MessageHandler(PRIVATE_TEXT & filters.Regex(reminder_handlers.FREE_TEXT_PATTERN),
                                   reminder_handlers.remind_text))
    app.add_handler(MessageHandler(PRIVATE_TEXT, questions.text_message))

    app.add_handler(MessageHandler(filters.COMMAND, fallback.unknown_command))
    app.add_handler(MessageHandler(filters.ChatType.PRIVATE & ~filters.TEXT & ~filters.StatusUpdate.ALL,
                                   fallback.non_text))
    app.add_handler(CallbackQueryHandler(fallback.stale_button))
    app.add_error_handler(fallback.on_error)

    app.bot_data.setdefault(START_HOOKS_KEY, []).append(unit_handlers.join_start_hook)
    app.bot_data["menu_actions"] = {
        "faq": questions.faq_menu,
        "credits": credit_handlers.show_status,
        "lang": start.show_language_menu,
        "reminders": reminder_handlers.reminders_menu,
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
        .post_stop(_on_halt)
        .post_shutdown(_on_stop)
    )
    if settings.telegram_base_url:
        builder = builder.base_url(settings.telegram_base_url)
        builder = builder.base_file_url(
            settings.telegram_base_file_url or settings.telegram_base_url.replace("/bot", "/file/bot")
        )
    if request is None:  # Telegram itself: aiohttp, a fraction of httpx's CPU per call (bot/infra/aiohttp_request.py)
        request, updates_request = AiohttpRequest(), AiohttpRequest(connection_pool_size=1)
    builder = builder.request(request).get_updates_request(updates_request or request)
    processor = ChatOrderedProcessor()
    builder = builder.concurrent_updates(processor)
    app = builder.build()
    app.bot_data["services"] = services
    app.bot_data[BUDGET_KEY] = SendBudget(settings.broadcast_rate)
    processor.on_flood = lambda update: _flood_notice(app, update)
    register_handlers(app)
    return app


async def _flood_notice(app: Application, update: Update) -> None:  # type: ignore[type-arg]
    """The one "slow down" a flooding user gets; their excess updates are dropped by the processor."""
    svc: Services = app.bot_data["services"]
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None or chat.type != "private":
        return
    lang = normalize_language(user.language_code, svc.settings.default_language)
    await app.bot.send_message(chat.id, svc.t(lang, "flood.slow_down"))


async def _on_start(app: Application) -> None:  # type: ignore[type-arg]
    svc: Services = app.bot_data["services"]
    await svc.db.open()
    # The command menu is cosmetic: it is published beside the first poll, not before it (three calls, about
    # half a second at Telegram's round trip, that nobody should wait for).
    app.bot_data[_COMMANDS_TASK] = asyncio.get_running_loop().create_task(_publish_commands(app))
    reminder_handlers.install_dispatcher(app)  # one repeating job; SQLite holds the reminders
    await broadcast_handlers.start_drainer(app)  # the broadcast outbox drainer (one task, see bot/engines/broadcast.py)


async def _on_halt(app: Application) -> None:  # type: ignore[type-arg]
    """post_stop: the bot can still send, so in-flight broadcast messages finish and are recorded."""
    await broadcast_handlers.stop_drainer(app)


async def _on_stop(app: Application) -> None:  # type: ignore[type-arg]
    svc: Services = app.bot_data["services"]
    publishing: asyncio.Task[None] | None = app.bot_data.pop(_COMMANDS_TASK, None)
    if publishing is not None and not publishing.done():
        publishing.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await publishing
    await broadcast_handlers.stop_drainer(app)  # idempotent; already stopped in post_stop when run_polling ran
    await svc.db.close()
    log.info("stopped: handlers and broadcast sends finished, database closed")



async def start_application(app: Application, *, poll: bool = False) -> None:  # type: ignore[type-arg]
    """What ``run_polling`` does before serving, for callers that drive the loop themselves
    (the terminal chat, tests): initialize, the post-init hook, optionally the Updater, then start."""
    await app.initialize()
    if app.post_init is not None:
        await app.post_init(app)
    if poll and app.updater is not None:
        await app.updater.start_polling(poll_interval=0.0, timeout=1)
    await app.start()


async def stop_application(app: Application) -> None:  # type: ignore[type-arg]
    """The mirror of :func:`start_application`, hooks included."""
    if app.updater is not None and app.updater.running:
        await app.updater.stop()
    if app.running:
        await app.stop()
        if app.post_stop is not None:
            await app.post_stop(app)
    await app.shutdown()
    if app.post_shutdown is not None:
        await app.post_shutdown(app)
