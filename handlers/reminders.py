"""Reminders in the chat: /remind and "提醒我…", /reminders, and the reminder buttons (``rm:…``).

Thin adapters: parsing is ``bot.parsing.timeparse``, planning ``bot.domain.reminders``, state ``bot.storage.reminders``.
An unconfirmed reminder is a 'draft' row in SQLite (not ``user_data``), so 确认 still works after a restart.
Every button names a row id; the repository checks in the same UPDATE that the presser owns the row and
that it is in the expected state, so a forged, foreign or stale button gets "已失效" and changes nothing.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from datetime import datetime, time

from telegram import Update
from telegram.ext import Application, ContextTypes

from bot.answers.reply import Button, Reply
from bot.answers.time_view import explain, format_when
from bot.domain.reminders import snooze_until
from bot.engines.dispatch import Dispatcher
from bot.parsing.timeparse import split_reminder
from bot.services.drafts import MAX_SUBJECT, MAX_UPCOMING, Confirmation, Refusal
from bot.storage.reminders import Reminder, ReminderSettings
from handlers.common import (
    BUDGET_KEY,
    answer_stale,
    clean_args,
    edit_reply,
    language_of,
    message_text,
    pressed,
    send_text,
    services,
    tr,
    user_id,
)
from handlers.sending import telegram_sender

log = logging.getLogger(__name__)

DISPATCHER_KEY = "rm_dispatcher"
FREE_TEXT_PATTERN = r"提醒我|(?i:remind me)"


# ------------------------------------------------------------------------------------- the sender


def install_dispatcher(app: Application) -> Dispatcher:  # type: ignore[type-arg]
    """Create the process's one dispatcher and its one repeating job (called from post_init)."""
    existing = app.bot_data.get(DISPATCHER_KEY)
    if isinstance(existing, Dispatcher):  # post_init may run twice (tests); keep one job
        return existing
    svc = app.bot_data["services"]
    dispatcher = Dispatcher(svc, telegram_sender(app), budget=app.bot_data.get(BUDGET_KEY))
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


def _local(ts: int, update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    svc = services(context)
    return format_when(datetime.fromtimestamp(ts, svc.clock.tz), language_of(update, context), svc.t)


# ---------------------------------------------------------------------------------- /remind, 提醒我


async def remind_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if not context.args:
        await send_text(update, context, tr(update, context, "rm.usage"))
        return
    await _draft(update, context, " ".join(clean_args(context)), explicit=True)


async def remind_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is None or not message.text:
        return
    await _draft(update, context, message_text(update))


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
    uid = user_id(update)
    lang = language_of(update, context)
    prefs = await svc.reminders.get_settings(uid)
    now = svc.clock.now()
    parsed = split_reminder(
        text, now, default_time=time(prefs.remind_at // 60, prefs.remind_at % 60), policy=svc.policy
    )
    if parsed.when is None:
        reason = explain(parsed, lang, svc.t)
        await send_text(update, context, tr(update, context, "rm.parse_failed", reason=reason))
        return
    subject = _explicit_subject(text, parsed.matched, parsed.rest) if explicit else parsed.rest.strip()
    rid = await svc.drafts.open(uid, subject, parsed.when, now)
    if isinstance(rid, Refusal):
        limit = MAX_SUBJECT if rid is Refusal.TOO_LONG else MAX_UPCOMING
        await send_text(update, context, tr(update, context, f"rm.{rid}", limit=limit))
        return
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
            what = r.text if r.kind == "personal" else \
                tr(update, context, "rm.kind.f2f", title=r.text or tr(update, context, "rm.f2f.untitled"))
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
    uid = user_id(update)
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
    query, action, args = pressed(update)
    if action == "list" and not args:
        await query.answer()
        await reminders_command(update, context)
        return
    step = _BUTTON_STEPS.get((action, len(args)))
    if step is None or not args[0].isdigit():
        await answer_stale(update, context, "rm.stale")
        return
    await step(update, context, int(args[0]), args[1:])


async def _transition(
    update: Update, context: ContextTypes.DEFAULT_TYPE, rid: int, before: tuple[str, ...], after: str, **kw: int
) -> Reminder | None:
    """Move the presser's reminder ``rid`` from one of ``before`` to ``after``; a stale button is told so."""
    row = await services(context).reminders.transition(user_id(update), rid, before, after, **kw)
    if row is None:
        await answer_stale(update, context, "rm.stale")
    return row


async def _answer_and_edit(update: Update, toast: str | None, reply: Reply) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer(toast)
    await edit_reply(update, reply)


async def _confirm(update: Update, context: ContextTypes.DEFAULT_TYPE, rid: int, _rest: list[str]) -> None:
    """确认 on the echo: the draft becomes pending, unless its time has passed meanwhile."""
    svc = services(context)
    outcome, row = await svc.drafts.confirm(user_id(update), rid, svc.clock.now())
    if outcome is Confirmation.EXPIRED:
        await _answer_and_edit(update, None, Reply(tr(update, context, "rm.expired")))
        return
    if row is None:
        await answer_stale(update, context, "rm.stale")
        return
    await _answer_and_edit(
        update,
        tr(update, context, "rm.saved_toast"),
        Reply(
            tr(update, context, "rm.saved", when=_local(row.due_at, update, context), subject=row.text),
            ((Button(tr(update, context, "rm.btn.list"), "rm:list"),),),
        ),
    )


async def _cancel(update: Update, context: ContextTypes.DEFAULT_TYPE, rid: int, _rest: list[str]) -> None:
    """取消 on the echo (said in place) or on the /reminders list (the list is shown without it)."""
    svc = services(context)
    uid = user_id(update)
    before = await svc.reminders.get(rid)
    row = await _transition(update, context, rid, ("draft", "pending"), "cancelled")
    if row is None or before is None:
        return
    if before.status == "draft":
        reply = Reply(tr(update, context, "rm.cancelled", subject=row.text))
    else:
        reply = _list_reply(
            update,
            context,
            await svc.reminders.upcoming(uid, MAX_UPCOMING),
            await svc.reminders.get_settings(uid),
        )
    await _answer_and_edit(update, tr(update, context, "rm.cancelled_toast"), reply)


async def _done(update: Update, context: ContextTypes.DEFAULT_TYPE, rid: int, _rest: list[str]) -> None:
    row = await _transition(update, context, rid, ("sent",), "done")
    if row is not None:
        await _answer_and_edit(
            update, tr(update, context, "rm.done_toast"), Reply(tr(update, context, "rm.done", subject=row.text))
        )


async def _snooze(update: Update, context: ContextTypes.DEFAULT_TYPE, rid: int, rest: list[str]) -> None:
    svc = services(context)
    prefs = await svc.reminders.get_settings(user_id(update))
    until = snooze_until(rest[0], svc.clock.now(), prefs.remind_at, svc.clock.tz)
    if until is None:
        await answer_stale(update, context, "rm.stale")
        return
    row = await _transition(update, context, rid, ("sent",), "pending", due_at=int(until.timestamp()))
    if row is not None:
        when = format_when(until, language_of(update, context), svc.t)
        await _answer_and_edit(
            update,
            tr(update, context, "rm.snoozed_toast"),
            Reply(tr(update, context, "rm.snoozed", subject=row.text or "", when=when)),
        )


ButtonStep = Callable[[Update, ContextTypes.DEFAULT_TYPE, int, list[str]], Awaitable[None]]
# (action, number of arguments after it) → the step; anything else is a stale or forged button.
_BUTTON_STEPS: dict[tuple[str, int], ButtonStep] = {
    ("ok", 1): _confirm,
    ("cancel", 1): _cancel,
    ("done", 1): _done,
    ("snooze", 2): _snooze,
}


async def reminders_menu(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The main menu's ⏰ button: the list, which offers to turn reminders on when they are off."""
    await reminders_command(update, context)
