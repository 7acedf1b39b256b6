"""/stats for finance-bureau admins: usage, and the questions the bot could not answer."""

from __future__ import annotations

from datetime import timedelta

from telegram import Update
from telegram.ext import ContextTypes

from bot.domain.units import Action, Actor
from handlers.access import requires
from handlers.common import send_text, services, tr

RECENT_UNANSWERED = 15


@requires(Action.VIEW_STATS, "admin.refused")
async def stats_command(update: Update, context: ContextTypes.DEFAULT_TYPE, _actor: Actor) -> None:
    svc = services(context)
    now = svc.clock.now()
    total, active, blocked = await svc.users.usage(now - timedelta(days=30))
    week = await svc.unanswered.count_since(now - timedelta(days=7))
    lines = [tr(update, context, "admin.stats", total=total, active=active, blocked=blocked, unanswered=week)]
    recent = await svc.unanswered.recent(RECENT_UNANSWERED)
    if recent:
        lines.append(tr(update, context, "admin.unanswered.title"))
        lines += [f"• [{kind}] {text}" for kind, text in recent]
    await send_text(update, context, "\n".join(lines))
