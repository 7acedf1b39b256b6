"""/stats for finance-bureau admins: usage, and the questions the bot could not answer."""

from __future__ import annotations

from datetime import timedelta

from telegram import Update
from telegram.ext import ContextTypes

from bot.domain.units import Action, Actor
from bot.services.misses import misses
from bot.storage.unanswered import UnansweredLog
from handlers.access import requires
from handlers.common import send_text, services, tr

RECENT_UNANSWERED = 15
TOP_MISSES = 10


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
        lines += [tr(update, context, "admin.unanswered.line", text=text,
                     kind=tr(update, context, f"admin.kind.{kind}")) for kind, text in recent]
    await send_text(update, context, "\n".join(lines))


@requires(Action.VIEW_STATS, "admin.refused")
async def misses_command(update: Update, context: ContextTypes.DEFAULT_TYPE, _actor: Actor) -> None:
    """The ten most asked questions the bot missed (or was 👎'd on) in the kept 90 days, grouped."""
    svc = services(context)
    since = svc.clock.now() - timedelta(days=UnansweredLog.KEEP_DAYS)
    found = await misses(svc.unanswered, svc.kb, since, TOP_MISSES)
    if not found:
        await send_text(update, context, tr(update, context, "admin.misses.none"))
        return
    lines = [tr(update, context, "admin.misses.title", days=UnansweredLog.KEEP_DAYS)]
    lines += [tr(update, context, "admin.misses.line", count=m.count, text=m.text, topic=m.best_topic or "-",
                 verdict=m.verdict_now) for m in found]
    await send_text(update, context, "\n".join(lines))
