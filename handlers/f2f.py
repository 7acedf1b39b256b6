"""/f2f for training-institution staff: record when a face-to-face course ended and get reminded before the
"report within N working days" date (statutory holidays and 调休 counted by ``bot.domain.workdays``)."""

from __future__ import annotations

import logging
import re
from datetime import date, timedelta

from telegram import Update
from telegram.ext import ContextTypes

from bot.answers.credits_view import fmt_date
from bot.answers.reply import Button
from bot.domain.reminders import F2F_DAYS_BEFORE
from bot.domain.workdays import add_working_days
from handlers.common import clean_args, language_of, send_text, services, tr, user_id
from handlers.reminder_settings import is_institution

log = logging.getLogger(__name__)

MAX_TITLE = 200


_F2F_DATE = re.compile(r"^(?:(\d{4})[年./-])?(\d{1,2})[月./-](\d{1,2})[日号]?\s*(.*)$")


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
    now = svc.clock.now()
    text = " ".join(clean_args(context))
    today = now.date()
    m = _F2F_DATE.match(text)
    ended: date | None = None
    title = ""
    if text.startswith(("今天", "today")):
        ended, title = today, text.split(maxsplit=1)[1] if " " in text else text[2:].strip()
    elif text.startswith(("昨天", "yesterday")):
        ended, title = (
            today - timedelta(days=1),
            text.split(maxsplit=1)[1] if " " in text else text[2:].strip(),
        )
    elif m:
        try:
            ended = date(int(m.group(1) or today.year), int(m.group(2)), int(m.group(3)))
        except ValueError:
            ended = None
        title = m.group(4).strip()
    if ended is None or abs((ended - today).days) > 366:
        await send_text(update, context, tr(update, context, "f2f.usage"))
        return
    days = svc.policy.face_to_face.report_within_working_days
    result = add_working_days(ended, days)
    prefs = await svc.reminders.get_settings(uid)
    remind_days = sorted({result.due - timedelta(days=d) for d in F2F_DAYS_BEFORE})
    await svc.reminders.add_f2f_course(
        uid, title[:MAX_TITLE], ended, result.due, result.approximate, remind_days, prefs.remind_at, now
    )
    lang = language_of(update, context)
    reply = tr(
        update,
        context,
        "f2f.recorded",
        title=title or tr(update, context, "rm.f2f.untitled"),
        ended=fmt_date(ended, lang),
        due=fmt_date(result.due, lang),
        days=days,
    )
    if result.approximate:
        reply += "\n" + tr(update, context, "rm.f2f.approximate")
    await send_text(update, context, reply)
