"""Reminders in the chat: /remind and "提醒我…", /reminders, /settings, /f2f and their buttons.

Thin adapters: parsing is ``bot.timeparse``, planning ``bot.reminders``, state ``bot.storage.reminders``.
An unconfirmed reminder is a 'draft' row in SQLite (not ``user_data``), so 确认 still works after a restart.
Every button names a row id; the repository checks in the same UPDATE that the presser owns the row and
that it is in the expected state, so a forged, foreign or stale button gets "已失效" and changes nothing.
"""

from __future__ import annotations

import logging
import re
from datetime import date, datetime, time, timedelta

from telegram import Update
from telegram.error import BadRequest
from telegram.ext import Application, ContextTypes

from bot.credits_view import fmt_date
from bot.dispatch import Dispatcher
from bot.reminders import F2F_DAYS_BEFORE, hhmm, parse_clock, snooze_until
from bot.reply import Button, Reply
from bot.storage.reminders import Reminder, ReminderSettings
from bot.timeparse import format_when, reason_text, split_reminder
from bot.workdays import add_working_days
from handlers.common import edit_reply, language_of, send_text, services, tr
from handlers.sending import telegram_sender

log = logging.getLogger(__name__)

DISPATCHER_KEY = "rm_dispatcher"
FREE_TEXT_PATTERN = r"提醒我|(?i:remind me)"
MAX_SUBJECT = 200
MAX_UPCOMING = 50
TIME_CHOICES = ("07:30", "08:00", "09:00", "12:00", "18:00", "20:00")
QUIET_CHOICES = ("2200-0800", "2300-0700", "2100-0900", "off")


# ------------------------------------------------------------------------------------- the sender


def install_dispatcher(app: Application) -> Dispatcher:  # type: ignore[type-arg]
    """Create the process's one dispatcher and its one repeating job (called from post_init)."""
    existing = app.bot_data.get(DISPATCHER_KEY)
    if isinstance(existing, Dispatcher):  # post_init may run twice (tests); keep one job
        return existing
    svc = app.bot_data["services"]
    dispatcher = Dispatcher(svc, telegram_sender(app))
    app.bot_data[DISPATCHER_KEY] = dispatcher
    if app.job_queue is not None:
        app.job_queue.run_repeating(
            dispatch_job, interval=svc.settings.dispatch_interval_seconds, first=0, name="reminder-dispatcher"
        )
    return dispatcher


async def dispatch_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    dispatcher: Dispatcher = context.bot_data[DISPATCHER_KEY]
    stats = await dispatcher.tick()
    if stats.claimed or stats.missed:
        log.info(
            "dispatch: claimed=%d sent=%d skipped=%d deferred=%d missed=%d blocked=%d retried=%d",
            stats.claimed,
            stats.sent,
            stats.skipped,
            stats.deferred,
            stats.missed,
            stats.blocked,
            stats.retried,
        )


# ------------------------------------------------------------------------------------------ helpers


def _uid(update: Update) -> int:
    user = update.effective_user
    assert user is not None
    return user.id


def _local(ts: int, update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    svc = services(context)
    return format_when(datetime.fromtimestamp(ts, svc.clock.tz), language_of(update, context), svc.t)


async def _stale(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer(tr(update, context, "rm.stale"), show_alert=True)


def _ids(data: str, parts: int) -> list[str] | None:
    pieces = data.split(":")
    return pieces if len(pieces) == parts else None


# ---------------------------------------------------------------------------------- /remind, 提醒我


async def remind_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if not context.args:
        await send_text(update, context, tr(update, context, "rm.usage"))
        return
    await _draft(update, context, " ".join(context.args), explicit=True)


async def remind_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is None or not message.text:
        return
    await _draft(update, context, message.text)


def _explicit_subject(text: str, matched: str, fallback: str) -> str:
    """/remind TIME WHAT: the subject is everything but the time, as typed ("测试提醒" stays whole;
    the free-text splitter would drop a trailing 提醒 as a filler)."""
    if not matched or matched not in text:
        return fallback
    raw = _LEAD_WORDS.sub("", text.replace(matched, " ", 1).strip(" ，,:：、.。"))
    return raw.strip() or fallback


_LEAD_WORDS = re.compile(r"^(?:提醒我|提醒|remind me to|remind me|to)\s*", re.IGNORECASE)


async def _draft(
    update: Update, context: ContextTypes.DEFAULT_TYPE, text: str, *, explicit: bool = False
) -> None:
    """Parse, store a draft and echo the absolute time with 确认 / 取消 (nothing fires before 确认)."""
    svc = services(context)
    uid = _uid(update)
    lang = language_of(update, context)
    prefs = await svc.reminders.get_settings(uid)
    now = svc.clock.now()
    parsed = split_reminder(
        text, now, default_time=time(prefs.remind_at // 60, prefs.remind_at % 60), policy=svc.policy
    )
    if parsed.when is None:
        reason = reason_text(parsed.reason or "unrecognized", lang, svc.t)
        await send_text(update, context, tr(update, context, "rm.parse_failed", reason=reason))
        return
    subject = _explicit_subject(text, parsed.matched, parsed.rest) if explicit else parsed.rest.strip()
    if not subject:
        await send_text(update, context, tr(update, context, "rm.no_subject"))
        return
    if len(subject) > MAX_SUBJECT:
        await send_text(update, context, tr(update, context, "rm.too_long", limit=MAX_SUBJECT))
        return
    if await svc.reminders.count_upcoming(uid) >= MAX_UPCOMING:
        await send_text(update, context, tr(update, context, "rm.too_many", limit=MAX_UPCOMING))
        return
    rid = await svc.reminders.create(uid, "personal", subject, parsed.when, now)
    echo = tr(update, context, "rm.echo", when=format_when(parsed.when, lang, svc.t), subject=subject)
    await send_text(
        update,
        context,
        echo,
        (
            (
                Button(tr(update, context, "rm.btn.confirm"), f"rm:ok:{rid}"),
                Button(tr(update, context, "rm.btn.cancel"), f"rm:cancel:{rid}"),
            ),
        ),
    )


# ------------------------------------------------------------------------------------- /reminders


def _list_reply(
    update: Update, context: ContextTypes.DEFAULT_TYPE, rows: list[Reminder], prefs: ReminderSettings
) -> Reply:
    lines = [tr(update, context, "rm.list.builtin_on" if prefs.enabled else "rm.list.builtin_off")]
    buttons: list[tuple[Button, ...]] = []
    if rows:
        lines.append(tr(update, context, "rm.list.head", count=len(rows)))
        for i, r in enumerate(rows, 1):
            what = r.text if r.kind == "personal" else tr(update, context, "rm.kind.f2f", title=r.text)
            lines.append(
                tr(update, context, "rm.list.item", n=i, when=_local(r.due_at, update, context), what=what)
            )
            buttons.append((Button(tr(update, context, "rm.btn.cancel_n", n=i), f"rm:cancel:{r.id}"),))
    else:
        lines.append(tr(update, context, "rm.list.empty"))
    if not prefs.enabled:
        buttons.append((Button(tr(update, context, "rm.btn.enable"), "set:on"),))
    return Reply(text="\n".join(lines), buttons=tuple(buttons), kind="reminder")


async def reminders_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = services(context)
    uid = _uid(update)
    reply = _list_reply(
        update,
        context,
        await svc.reminders.upcoming(uid, MAX_UPCOMING),
        await svc.reminders.get_settings(uid),
    )
    await send_text(update, context, reply.text, reply.buttons)


# ---------------------------------------------------------------------------------------- buttons


async def reminder_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """rm:ok:<id> · rm:cancel:<id> · rm:done:<id> · rm:snooze:<id>:1h|tm|3d · rm:list"""
    query = update.callback_query
    assert query is not None and query.data is not None
    svc = services(context)
    uid = _uid(update)
    lang = language_of(update, context)
    parts = query.data.split(":")
    action = parts[1] if len(parts) > 1 else ""
    if action == "list" and len(parts) == 2:
        await query.answer()
        await reminders_command(update, context)
        return
    if len(parts) < 3 or not parts[2].isdigit():
        await _stale(update, context)
        return
    rid = int(parts[2])
    now = svc.clock.now()

    if action == "ok" and len(parts) == 3:
        row = await svc.reminders.get(rid)
        if (
            row is not None
            and row.user_id == uid
            and row.status == "draft"
            and row.due_at <= int(now.timestamp())
        ):
            await svc.reminders.transition(uid, rid, ("draft",), "cancelled")
            await query.answer()
            await edit_reply(update, Reply(tr(update, context, "rm.expired")))
            return
        row = await svc.reminders.transition(uid, rid, ("draft",), "pending")
        if row is None:
            await _stale(update, context)
            return
        await query.answer(tr(update, context, "rm.saved_toast"))
        await edit_reply(
            update,
            Reply(
                tr(update, context, "rm.saved", when=_local(row.due_at, update, context), subject=row.text),
                ((Button(tr(update, context, "rm.btn.list"), "rm:list"),),),
            ),
        )
        return

    if action == "cancel" and len(parts) == 3:
        before = await svc.reminders.get(rid)
        row = await svc.reminders.transition(uid, rid, ("draft", "pending"), "cancelled")
        if row is None or before is None:
            await _stale(update, context)
            return
        await query.answer(tr(update, context, "rm.cancelled_toast"))
        if before.status == "draft":  # the echo: say so in place
            await edit_reply(update, Reply(tr(update, context, "rm.cancelled", subject=row.text)))
        else:  # a saved reminder is cancelled from the /reminders list: show the list without it
            await edit_reply(
                update,
                _list_reply(
                    update,
                    context,
                    await svc.reminders.upcoming(uid, MAX_UPCOMING),
                    await svc.reminders.get_settings(uid),
                ),
            )
        return

    if action == "done" and len(parts) == 3:
        row = await svc.reminders.transition(uid, rid, ("sent",), "done")
        if row is None:
            await _stale(update, context)
            return
        await query.answer(tr(update, context, "rm.done_toast"))
        await edit_reply(update, Reply(tr(update, context, "rm.done", subject=row.text)))
        return

    if action == "snooze" and len(parts) == 4:
        prefs = await svc.reminders.get_settings(uid)
        until = snooze_until(parts[3], now, prefs.remind_at, svc.clock.tz)
        if until is None:
            await _stale(update, context)
            return
        row = await svc.reminders.transition(uid, rid, ("sent",), "pending", due_at=int(until.timestamp()))
        if row is None:
            await _stale(update, context)
            return
        await query.answer(tr(update, context, "rm.snoozed_toast"))
        await edit_reply(
            update,
            Reply(
                tr(
                    update,
                    context,
                    "rm.snoozed",
                    subject=row.text or "",
                    when=format_when(until, lang, svc.t),
                )
            ),
        )
        return
    await _stale(update, context)


# ---------------------------------------------------------------------------------------- /settings


def _settings_reply(
    update: Update, context: ContextTypes.DEFAULT_TYPE, prefs: ReminderSettings, institution: bool
) -> Reply:
    quiet = (
        tr(update, context, "set.quiet_off")
        if prefs.quiet_start == prefs.quiet_end
        else f"{hhmm(prefs.quiet_start)}–{hhmm(prefs.quiet_end)}"
    )
    text = tr(
        update,
        context,
        "set.panel",
        state=tr(update, context, "set.on" if prefs.enabled else "set.off"),
        time=hhmm(prefs.remind_at),
        quiet=quiet,
        institution=tr(update, context, "set.yes" if institution else "set.no"),
    )
    toggle = (
        Button(tr(update, context, "set.btn.off"), "set:off")
        if prefs.enabled
        else Button(tr(update, context, "set.btn.on"), "set:on")
    )
    return Reply(
        text=text,
        kind="info",
        buttons=(
            (toggle,),
            (
                Button(tr(update, context, "set.btn.time"), "set:time"),
                Button(tr(update, context, "set.btn.quiet"), "set:quiet"),
            ),
            (
                Button(
                    tr(update, context, "set.btn.inst_off" if institution else "set.btn.inst_on"),
                    f"set:inst:{0 if institution else 1}",
                ),
            ),
        ),
    )


async def _institution(context: ContextTypes.DEFAULT_TYPE, uid: int) -> bool:
    profile = await services(context).credits.get_profile(uid)
    return bool(profile and profile.is_institution)


_QUIET_ARG = re.compile(r"^(\d{1,2}(?::\d{2})?)\s*[-–~至到]\s*(\d{1,2}(?::\d{2})?)$")


async def settings_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/settings · /settings 时间 8:30 · /settings 免打扰 23:00-07:00 | 关 · /settings 开 | 关"""
    svc = services(context)
    uid = _uid(update)
    now = svc.clock.now()
    args = [a.lower() for a in (context.args or [])]
    if args:
        head, rest = args[0], "".join(args[1:]).replace("：", ":")
        if head in ("on", "开", "开启", "打开") and not rest:
            await svc.reminders.update_settings(uid, now, enabled=True)
        elif head in ("off", "关", "关闭") and not rest:
            await svc.reminders.update_settings(uid, now, enabled=False)
        elif head in ("time", "时间", "提醒时间"):
            minute = parse_clock(rest)
            if minute is None:
                await send_text(update, context, tr(update, context, "set.bad_time"))
                return
            await svc.reminders.update_settings(uid, now, remind_at=minute)
        elif head in ("quiet", "免打扰", "勿扰"):
            if rest in ("off", "关", "关闭", "无"):
                await svc.reminders.update_settings(uid, now, quiet=(0, 0))
            else:
                m = _QUIET_ARG.match(rest)
                start = parse_clock(m.group(1)) if m else None
                end = parse_clock(m.group(2)) if m else None
                if start is None or end is None or start == end:
                    await send_text(update, context, tr(update, context, "set.bad_quiet"))
                    return
                await svc.reminders.update_settings(uid, now, quiet=(start, end))
        else:
            await send_text(update, context, tr(update, context, "set.usage"))
            return
    reply = _settings_reply(
        update, context, await svc.reminders.get_settings(uid), await _institution(context, uid)
    )
    await send_text(update, context, reply.text, reply.buttons)


async def settings_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """set:show · set:on · set:off · set:time[:HHMM] · set:quiet[:HHMM-HHMM|off] · set:inst:0|1"""
    query = update.callback_query
    assert query is not None and query.data is not None
    svc = services(context)
    uid = _uid(update)
    now = svc.clock.now()
    parts = query.data.split(":")
    action = parts[1] if len(parts) > 1 else ""
    value = parts[2] if len(parts) == 3 else None
    repo = svc.reminders
    fresh_panel = True
    if action == "show" and value is None:
        fresh_panel = False
    elif action in ("on", "off") and value is None:
        await repo.update_settings(uid, now, enabled=action == "on")
        await query.answer(
            tr(update, context, "set.enabled_toast" if action == "on" else "set.disabled_toast")
        )
    elif action == "time" and value is None:
        await query.answer()
        await edit_reply(
            update,
            Reply(
                tr(update, context, "set.pick_time"),
                buttons=(
                    tuple(Button(c, f"set:time:{c.replace(':', '')}") for c in TIME_CHOICES[:3]),
                    tuple(Button(c, f"set:time:{c.replace(':', '')}") for c in TIME_CHOICES[3:]),
                ),
            ),
        )
        return
    elif action == "time" and value is not None and value in {c.replace(":", "") for c in TIME_CHOICES}:
        await repo.update_settings(uid, now, remind_at=int(value[:2]) * 60 + int(value[2:]))
        await query.answer(tr(update, context, "set.saved_toast"))
    elif action == "quiet" and value is None:
        await query.answer()
        labels = [
            tr(update, context, "set.quiet_off") if c == "off" else f"{c[:2]}:{c[2:4]}–{c[5:7]}:{c[7:]}"
            for c in QUIET_CHOICES
        ]
        await edit_reply(
            update,
            Reply(
                tr(update, context, "set.pick_quiet"),
                buttons=tuple(
                    (Button(label, f"set:quiet:{c}"),) for label, c in zip(labels, QUIET_CHOICES, strict=True)
                ),
            ),
        )
        return
    elif action == "quiet" and value in QUIET_CHOICES:
        quiet = (
            (0, 0)
            if value == "off"
            else (int(value[:2]) * 60 + int(value[2:4]), int(value[5:7]) * 60 + int(value[7:]))
        )
        await repo.update_settings(uid, now, quiet=quiet)
        await query.answer(tr(update, context, "set.saved_toast"))
    elif action == "inst" and value in ("0", "1"):
        await repo.set_institution(uid, value == "1", now)
        if value == "1":
            await repo.enroll_today(uid, now)
        await query.answer(tr(update, context, "set.saved_toast"))
    else:
        await _stale(update, context)
        return
    if not fresh_panel:
        await query.answer()
    reply = _settings_reply(update, context, await repo.get_settings(uid), await _institution(context, uid))
    try:
        await edit_reply(update, reply)
    except BadRequest:  # "message is not modified" or the message is gone: show a fresh panel
        await send_text(update, context, reply.text, reply.buttons)


async def reminders_menu(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The main menu's ⏰ button: the list, which offers to turn reminders on when they are off."""
    await reminders_command(update, context)


async def start_buttons(update: Update, context: ContextTypes.DEFAULT_TYPE) -> tuple[tuple[Button, ...], ...]:
    """The welcome's one-tap "开启提醒" row, unless the user already has reminders on."""
    prefs = await services(context).reminders.get_settings(_uid(update))
    if prefs.enabled:
        return ()
    return ((Button(tr(update, context, "rm.btn.enable"), "set:on"),),)


# -------------------------------------------------------------------------------------------- /f2f

_F2F_DATE = re.compile(r"^(?:(\d{4})[年./-])?(\d{1,2})[月./-](\d{1,2})[日号]?\s*(.*)$")


async def f2f_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/f2f 11月20日 课程名: record when a face-to-face course ended; remind before the report is due."""
    svc = services(context)
    uid = _uid(update)
    if not await _institution(context, uid):
        await send_text(
            update,
            context,
            tr(update, context, "f2f.not_institution"),
            ((Button(tr(update, context, "set.btn.inst_on"), "set:inst:1"),),),
        )
        return
    now = svc.clock.now()
    text = " ".join(context.args or []).strip()
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
        uid, title[:MAX_SUBJECT], ended, result.due, result.approximate, remind_days, prefs.remind_at, now
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
