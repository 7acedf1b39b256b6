"""Free text: policy questions (and whatever else the responder recognises), and topic buttons."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatAction
from telegram.ext import ContextTypes

from bot.answers import qa
from handlers.common import language_of, message_text, send_reply, services, tr


async def text_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is None or message.text is None:
        return
    text = message_text(update)
    svc = services(context)
    lang = language_of(update, context)
    if update.effective_chat is not None:
        await context.bot.send_chat_action(update.effective_chat.id, ChatAction.TYPING)
    reply = svc.responder.respond(text, lang)
    if reply.kind in ("not_found", "unsure"):
        await svc.unanswered.add(text, lang, reply.kind, svc.clock.now())
    await send_reply(update, context, reply)


async def topic_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A pressed "did you mean" topic: answer it, or say the button is stale."""
    query = update.callback_query
    assert query is not None and query.data is not None
    svc = services(context)
    reply = qa.answer_topic(svc.kb, query.data, language_of(update, context), svc.t)
    if reply is None:
        await query.answer(tr(update, context, "qa.topic_unknown"), show_alert=True)
        return
    await query.answer()
    await send_reply(update, context, reply)


async def faq_menu(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = services(context)
    await send_reply(update, context, qa.topics_menu(svc.kb, language_of(update, context), svc.t))
