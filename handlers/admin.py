"""/stats for finance-bureau admins: usage, and the questions the bot could not answer."""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram import Update
from telegram.ext import ContextTypes

from handlers.common import send_text, services, tr

log = logging.getLogger(__name__)

RECENT_UNANSWERED = 15


async def stats_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = services(context)
    user = update.effective_user
    assert user is not None
    if not svc.is_admin(user.id):
        log.warning("refused /stats for a non-admin")
        await send_text(update, context, tr(update, context, "admin.refused"))
        return
    now = svc.clock.now()
    total, active, blocked = await svc.users.usage(now - timedelta(days=30))
    week = await svc.unanswered.count_since(now - timedelta(days=7))
    lines = [tr(update, context, "admin.stats", total=total, active=active, blocked=blocked, unanswered=week)]
    recent = await svc.unanswered.recent(RECENT_UNANSWERED)
    if recent:
        lines.append(tr(update, context, "admin.unanswered.title"))
        lines += [f"• [{kind}] {text}" for kind, text in recent]
    await send_text(update, context, "\n".join(lines))
