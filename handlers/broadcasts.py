"""/broadcast (draft → preview → 发送/取消), /broadcasts, and the outbox drainer's Telegram side.

The draft lives in SQLite, so a 发送 button from before a restart still works, or is clearly refused. Only the
draft's author may send it, and only while they still hold the role it needs; a contact's recipients are their
own unit's members. Broadcast text goes out as plain text, never as markup.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from telegram import Update
from telegram.error import BadRequest, TelegramError
from telegram.ext import Application, ApplicationHandlerStop, ContextTypes

from bot.answers.reply import Button
from bot.domain.units import (
    BROADCAST_TEXT_MAX,
    Action,
    Actor,
    may_use_draft,
)
from bot.engines.broadcast import Drainer
from bot.services import Services
from bot.services.broadcasts import Opened
from bot.storage.outbox import Broadcast, Claimed, Counts
from handlers.access import current_actor, refuse, requires, with_actor
from handlers.common import BUDGET_KEY, message_text, send_text, services, tr
from handlers.sending import telegram_sender
from handlers.unit_access import edit_query_message, int_arg

log = logging.getLogger(__name__)

DRAINER_KEY = "broadcast_drainer"
# Why a broadcast cannot start or be queued, as catalog keys.
_REFUSALS = {"role": "bc.refused.role", "running": "bc.running", "daily_limit": "bc.daily_limit",
             "no_recipients": "bc.no_recipients"}


# ---------------------------------------------------------------------- /broadcast
@requires(Action.BROADCAST, "bc.refused.role")
async def broadcast_command(update: Update, context: ContextTypes.DEFAULT_TYPE, actor: Actor) -> None:
    """Open a draft (in SQLite); the sender's next text message becomes its body."""
    svc = services(context)
    opened = await svc.broadcast_service.open(actor, svc.clock.now())
    if not isinstance(opened, Opened):
        await refuse(update, context, Action.BROADCAST, _REFUSALS[opened], limit=svc.settings.broadcast_daily_limit)
        return
    draft_id, count = opened.draft_id, opened.recipients
    key = "bc.prompt_all" if opened.scope == "all" else "bc.prompt_unit"
    await send_text(
        update,
        context,
        tr(update, context, key, count=count, limit=BROADCAST_TEXT_MAX),
        ((Button(tr(update, context, "bc.button.cancel"), f"bc:cancel:{draft_id}"),),),
    )


async def draft_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Runs before the question answerer; consumes the text only when the sender has an open draft."""
    user = update.effective_user
    message = update.effective_message
    if user is None or message is None or message.text is None:
        return
    svc = services(context)
    draft = await svc.broadcasts.awaiting_text(user.id)
    if draft is None:
        return  # not ours: the question answerer (group 0) gets the message
    actor = await current_actor(update, context)
    if not may_use_draft(actor, draft.sender_id, draft.scope, draft.unit_id):
        await svc.broadcasts.cancel(draft.id)
        await refuse(update, context, "broadcast_text", "bc.refused.role")
        raise ApplicationHandlerStop
    text = message_text(update)
    if not text or len(text) > BROADCAST_TEXT_MAX:
        await send_text(
            update, context, tr(update, context, "bc.too_long", n=len(text), limit=BROADCAST_TEXT_MAX)
        )
        raise ApplicationHandlerStop
    await svc.broadcasts.set_text(draft.id, text)
    count = await svc.broadcasts.count_recipients(draft.scope, draft.unit_id, user.id)
    await send_text(
        update,
        context,
        tr(update, context, "bc.preview", text=await _label(update, context, draft) + "\n\n" + text, count=count),
        (
            (
                Button(tr(update, context, "bc.button.send"), f"bc:send:{draft.id}"),
                Button(tr(update, context, "bc.button.cancel"), f"bc:cancel:{draft.id}"),
            ),
        ),
    )
    raise ApplicationHandlerStop


@with_actor
async def broadcast_button(update: Update, context: ContextTypes.DEFAULT_TYPE, actor: Actor) -> None:
    """``bc:send:<draft>`` / ``bc:cancel:<draft>``: only the draft's author, only while they hold the role."""
    query = update.callback_query
    assert query is not None and query.data is not None
    svc = services(context)
    parts = query.data.split(":")
    draft_id = int_arg(query.data, 2)
    verb = parts[1] if len(parts) == 3 else ""
    draft = await svc.broadcasts.get(draft_id) if draft_id is not None else None
    if (
        draft is None
        or verb not in {"send", "cancel"}
        or not may_use_draft(actor, draft.sender_id, draft.scope, draft.unit_id)
    ):
        await refuse(update, context, f"broadcast_{verb or 'button'}", "bc.refused.not_yours")
        return
    if verb == "cancel":
        cancelled = await svc.broadcasts.cancel(draft.id)
        await query.answer()
        await edit_query_message(update, tr(update, context, "bc.cancelled" if cancelled else "bc.stale"))
        return
    if draft.status != "preview":
        await query.answer(tr(update, context, "bc.stale"), show_alert=True)
        await edit_query_message(update, tr(update, context, "bc.stale"))
        return
    await query.answer()
    chat = update.effective_chat
    assert chat is not None
    progress = await context.bot.send_message(chat.id, tr(update, context, "bc.queued_progress"))
    result, n = await svc.broadcast_service.queue(actor, draft.id, svc.clock.now(), chat.id, progress.message_id)
    if result != "queued":
        log.warning("broadcast %s by user %s not queued: %s", draft.id, actor.user_id, result)
        key = _REFUSALS.get(result, "bc.stale")
        await progress.edit_text(tr(update, context, key, limit=svc.settings.broadcast_daily_limit))
        return
    log.info("broadcast %s queued by user %s for %d recipients", draft.id, actor.user_id, n)
    await edit_query_message(update, tr(update, context, "bc.confirmed", text=draft.text or "", count=n))
    drainer: Drainer | None = context.bot_data.get(DRAINER_KEY)
    if drainer is not None:
        drainer.wake()


async def broadcasts_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The sender's own history, newest first (anyone may ask; it only ever shows their own)."""
    svc = services(context)
    user = update.effective_user
    assert user is not None
    history = await svc.broadcasts.history(user.id)
    if not history:
        await send_text(update, context, tr(update, context, "bc.history.none"))
        return
    lines = [tr(update, context, "bc.history.title")]
    for b, counts in history:
        when = (
            svc.clock.now()
            .fromtimestamp(b.queued_at or b.created_at, svc.clock.tz)
            .strftime("%Y-%m-%d %H:%M")
        )
        snippet = (b.text or "").replace("\n", " ")
        snippet = snippet[:30] + ("…" if len(snippet) > 30 else "")
        lines.append(
            tr(
                update,
                context,
                "bc.history.line",
                when=when,
                text=snippet,
                status=tr(update, context, f"bc.status.{b.status}"),
                total=counts.total,
                sent=counts.sent,
                blocked=counts.blocked,
                failed=counts.failed,
            )
        )
    await send_text(update, context, "\n".join(lines))


# ---------------------------------------------------------------------- the drainer's Telegram side
def _progress_reporter(app: Application) -> object:  # type: ignore[type-arg]
    svc: Services = app.bot_data["services"]

    async def report(broadcast: Broadcast, counts: Counts, finished: bool) -> None:
        if broadcast.progress_chat_id is None or broadcast.progress_message_id is None:
            return
        record = await svc.users.get(broadcast.sender_id)
        lang = record.language if record else svc.settings.default_language
        key = "bc.report" if finished else "bc.progress"
        text = svc.t(
            lang,
            key,
            done=counts.done,
            total=counts.total,
            sent=counts.sent,
            blocked=counts.blocked,
            failed=counts.failed,
        )
        if counts.unsure:
            text += "\n" + svc.t(lang, "bc.report.unsure", unsure=counts.unsure)
        try:
            await app.bot.edit_message_text(
                text, chat_id=broadcast.progress_chat_id, message_id=broadcast.progress_message_id
            )
        except BadRequest:
            if finished:  # the progress message is gone: the report still reaches the sender
                await app.bot.send_message(broadcast.progress_chat_id, text)
        except TelegramError as exc:
            log.warning("progress edit failed: %s", type(exc).__name__)

    return report


async def _label(update: Update, context: ContextTypes.DEFAULT_TYPE, draft: Broadcast) -> str:
    """The sender label as the preview shows it (recipients see it in their own language)."""
    if draft.scope == "unit" and draft.unit_id is not None:
        unit = await services(context).units.get(draft.unit_id)
        return tr(update, context, "bc.label.unit", unit=unit.name if unit else "")
    return tr(update, context, "bc.label.admin")


def _labelled(svc: Services) -> Callable[[Claimed], str]:
    """Every broadcast says who sent it, in the recipient's language: a unit's contact or the bureau's admins."""

    def compose(row: Claimed) -> str:
        lang = row.language or svc.settings.default_language
        if row.scope == "unit":
            return svc.t(lang, "bc.label.unit", unit=row.unit_name) + "\n\n" + row.text
        return svc.t(lang, "bc.label.admin") + "\n\n" + row.text

    return compose


async def start_drainer(app: Application) -> None:  # type: ignore[type-arg]
    """Called from ``post_init`` once the database is open; idempotent."""
    svc: Services = app.bot_data["services"]
    drainer: Drainer | None = app.bot_data.get(DRAINER_KEY)
    if drainer is None:
        drainer = Drainer(
            outbox=svc.broadcasts,
            send=telegram_sender(app),
            rate=svc.settings.broadcast_rate,
            now_ts=lambda: int(svc.clock.now().timestamp()),
            on_progress=_progress_reporter(app),  # type: ignore[arg-type]
            on_blocked=svc.users.mark_inactive,
            compose=_labelled(svc),
            budget=app.bot_data.get(BUDGET_KEY),
        )
        app.bot_data[DRAINER_KEY] = drainer
    await drainer.start()


async def stop_drainer(app: Application) -> None:  # type: ignore[type-arg]
    """Called from ``post_shutdown`` before the database closes: in-flight sends finish and are recorded."""
    drainer: Drainer | None = app.bot_data.get(DRAINER_KEY)
    if drainer is not None:
        await drainer.stop()
