"""/cancel: leave whatever multi-step flow the user is in — a broadcast being written or previewed, reminder
drafts waiting for 确认, a hand-over offered to a member — and say what was cancelled (or that nothing was)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from handlers.common import send_text, services, tr, user_id


async def cancel_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = services(context)
    uid = user_id(update)
    cancelled: list[str] = []
    if await svc.broadcasts.cancel_drafts(uid):
        cancelled.append(tr(update, context, "cancel.what.broadcast"))
    if await svc.reminders.cancel_drafts(uid):
        cancelled.append(tr(update, context, "cancel.what.reminder"))
    actor = await svc.units.actor(uid, False)
    if actor.contact_unit_id is not None and await svc.units.cancel_handover(actor.contact_unit_id):
        cancelled.append(tr(update, context, "cancel.what.handover"))
    if cancelled:
        what = tr(update, context, "cancel.separator").join(cancelled)
        await send_text(update, context, tr(update, context, "cancel.done", what=what))
    else:
        await send_text(update, context, tr(update, context, "cancel.nothing"))
