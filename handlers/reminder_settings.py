"""/settings for reminders: policy reminders on/off (also the one tap on /start), the daily time, quiet
hours, and the training-institution flag; text forms (``/settings 时间 8:30``) and buttons (``set:…``)."""

from __future__ import annotations

import logging
import re

from telegram import Update
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from bot.answers.credits_view import fmt_date
from bot.answers.reply import Button, Reply
from bot.domain.reminders import delivery_minute, hhmm, parse_clock
from bot.storage.reminders import ReminderSettings
from handlers.common import (
    answer_stale,
    clean_args,
    edit_reply,
    language_of,
    pressed,
    send_text,
    services,
    tr,
    user_id,
)

log = logging.getLogger(__name__)

TIME_CHOICES = ("07:30", "08:00", "09:00", "12:00", "18:00", "20:00")
QUIET_CHOICES = ("2200-0800", "2300-0700", "2100-0900", "off")


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
    if prefs.quiet.contains(prefs.remind_at):
        text += "\n" + tr(update, context, "set.quiet_warning", time=hhmm(prefs.remind_at), quiet=quiet,
                          delivery=hhmm(delivery_minute(prefs.remind_at, prefs.quiet)))
    state = services(context).year_state()
    if prefs.enabled and state.between:  # the year's deadline passed and no newer policy: nothing to remind
        lang = language_of(update, context)
        text += "\n" + tr(update, context, "set.paused", year=state.policy.year,
                          deadline=fmt_date(state.policy.deadline, lang))
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


async def is_institution(context: ContextTypes.DEFAULT_TYPE, uid: int) -> bool:
    profile = await services(context).profiles.get(uid)
    return bool(profile and profile.is_institution)


_QUIET_ARG = re.compile(r"^(\d{1,2}(?::\d{2})?)\s*[-–~至到]\s*(\d{1,2}(?::\d{2})?)$")


async def settings_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/settings · /settings 时间 8:30 · /settings 免打扰 23:00-07:00 | 关 · /settings 开 | 关"""
    svc = services(context)
    uid = user_id(update)
    now = svc.clock.now()
    args = [a.lower() for a in clean_args(context)]
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
        update, context, await svc.reminders.get_settings(uid), await is_institution(context, uid)
    )
    await send_text(update, context, reply.text, reply.buttons)


async def settings_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """set:show · set:on · set:off · set:time[:HHMM] · set:quiet[:HHMM-HHMM|off] · set:inst:0|1"""
    query, action, args = pressed(update)
    value = args[0] if len(args) == 1 else None
    if value is None and action in _PICKERS:
        await query.answer()
        await edit_reply(update, _PICKERS[action](update, context))
        return
    toast = await _apply_setting(context, user_id(update), action, value)
    if toast is None:
        await answer_stale(update, context, "rm.stale")
        return
    await query.answer(tr(update, context, toast) if toast else None)
    uid = user_id(update)
    prefs = await services(context).reminders.get_settings(uid)
    reply = _settings_reply(update, context, prefs, await is_institution(context, uid))
    try:
        await edit_reply(update, reply)
    except BadRequest:  # "message is not modified" or the message is gone: show a fresh panel
        await send_text(update, context, reply.text, reply.buttons)


def _time_picker(update: Update, context: ContextTypes.DEFAULT_TYPE) -> Reply:
    return Reply(
        tr(update, context, "set.pick_time"),
        buttons=(
            tuple(Button(c, f"set:time:{c.replace(':', '')}") for c in TIME_CHOICES[:3]),
            tuple(Button(c, f"set:time:{c.replace(':', '')}") for c in TIME_CHOICES[3:]),
        ),
    )


def _quiet_picker(update: Update, context: ContextTypes.DEFAULT_TYPE) -> Reply:
    labels = [
        tr(update, context, "set.quiet_off") if c == "off" else f"{c[:2]}:{c[2:4]}–{c[5:7]}:{c[7:]}"
        for c in QUIET_CHOICES
    ]
    return Reply(
        tr(update, context, "set.pick_quiet"),
        buttons=tuple((Button(label, f"set:quiet:{c}"),) for label, c in zip(labels, QUIET_CHOICES, strict=True)),
    )


_PICKERS = {"time": _time_picker, "quiet": _quiet_picker}
_TIME_VALUES = frozenset(c.replace(":", "") for c in TIME_CHOICES)


async def _apply_setting(
    context: ContextTypes.DEFAULT_TYPE, uid: int, action: str, value: str | None
) -> str | None:
    """Save what the pressed button says; the toast's catalog key ("" for none), ``None`` if it is stale."""
    repo = services(context).reminders
    now = services(context).clock.now()
    if action == "show" and value is None:
        return ""
    if action in ("on", "off") and value is None:
        await repo.update_settings(uid, now, enabled=action == "on")
        return "set.enabled_toast" if action == "on" else "set.disabled_toast"
    if action == "time" and value in _TIME_VALUES:
        assert value is not None
        await repo.update_settings(uid, now, remind_at=int(value[:2]) * 60 + int(value[2:]))
        return "set.saved_toast"
    if action == "quiet" and value in QUIET_CHOICES:
        assert value is not None
        off = value == "off"
        quiet = (0, 0) if off else (int(value[:2]) * 60 + int(value[2:4]), int(value[5:7]) * 60 + int(value[7:]))
        await repo.update_settings(uid, now, quiet=quiet)
        return "set.saved_toast"
    if action == "inst" and value in ("0", "1"):
        await services(context).profiles.set_institution(uid, value == "1", now)
        if value == "1":
            await repo.enroll_today(uid, now)
        return "set.saved_toast"
    return None


async def start_buttons(update: Update, context: ContextTypes.DEFAULT_TYPE) -> tuple[tuple[Button, ...], ...]:
    """The welcome's one-tap "开启提醒" row, unless the user already has reminders on."""
    prefs = await services(context).reminders.get_settings(user_id(update))
    if prefs.enabled:
        return ()
    return ((Button(tr(update, context, "rm.btn.enable"), "set:on"),),)
