"""/stats and /misses for finance-bureau admins: usage, broadcasts, reminders, and the questions the bot could
not answer."""

from __future__ import annotations

from datetime import timedelta

from telegram import Update
from telegram.ext import ContextTypes

from bot.answers.usage_view import render_usage
from bot.domain.units import Action, Actor
from bot.services import Services
from bot.services.misses import misses
from bot.services.usage import usage_report
from bot.storage.unanswered import UnansweredLog
from handlers.access import requires
from handlers.common import language_of, send_text, services, tr

TOP_MISSES = 10


@requires(Action.VIEW_STATS, "admin.refused")
async def stats_command(update: Update, context: ContextTypes.DEFAULT_TYPE, _actor: Actor) -> None:
    """The same report ``accbot stats`` prints on the server (bot/services/usage.py)."""
    svc = services(context)
    report = await usage_report(svc, svc.clock.now())
    await send_text(update, context, render_usage(report, svc.t, language_of(update, context)))


def _kind(svc: Services, update: Update, context: ContextTypes.DEFAULT_TYPE, kind: str) -> str:
    """Why a question is listed, in words (a kind without words of its own is shown as it is)."""
    key = f"admin.kind.{kind}"
    return tr(update, context, key) if svc.t.has(key) else kind


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
                 verdict=m.verdict_now, why=tr(update, context, "admin.misses.why_separator").join(
                     _kind(svc, update, context, kind) for kind in m.kinds)) for m in found]
    await send_text(update, context, "\n".join(lines))
