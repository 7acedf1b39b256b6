"""/f2f for training-institution staff: record when a face-to-face course ended and get reminded before the
"report within N working days" date (``bot.services.f2f`` reads the date and computes the due date)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot.answers.credits_view import fmt_date
from bot.answers.reply import Button
from bot.services.f2f import MAX_TITLE
from handlers.common import clean_args, language_of, send_text, services, tr, user_id
from handlers.reminder_settings import is_institution


async def f2f_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/f2f 11月20日 课程名: record when a face-to-face course ended; remind before the report is due."""
    svc = services(context)
    uid = user_id(update)
    if not await is_institution(context, uid):
        await send_text(
            update,
            context,
            tr(update, context, "f2f.not_institution"),
            ((Button(tr(update, context, "set.btn.inst_on"), "set:inst:1"),),),
        )
        return
    result = await svc.f2f.record(uid, " ".join(clean_args(context)), svc.clock.now())
    if isinstance(result, str):
        await send_text(update, context, tr(update, context, f"f2f.{result}", max=MAX_TITLE))
        return
    lang = language_of(update, context)
    key = "f2f.recorded_past" if result.due_passed else "f2f.recorded"
    reply = tr(update, context, key, title=result.title or tr(update, context, "rm.f2f.untitled"),
               ended=fmt_date(result.ended, lang), due=fmt_date(result.report.due, lang), days=result.days)
    if result.report.approximate:
        years = "、".join(str(y) for y in result.report.estimated_years)
        reply += "\n" + tr(update, context, "rm.f2f.approximate", years=years)
    await send_text(update, context, reply)
