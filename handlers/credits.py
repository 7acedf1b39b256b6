"""/credits, /add, /history, /profile, /mydata, /forget and their buttons.

Every button acts on the pressing user's own data only (the user id comes from Telegram, never from the
callback data), and carries what it needs so it still works — or is clearly refused — after a restart.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from telegram import Update
from telegram.ext import ContextTypes

from bot.answers.credit_answers import CONFIRM_PREFIX, SAVE_PREFIX, confirm_button_data, decode_figures
from bot.answers.credits_view import fmt_date, qualification_name, render_assessment, render_between, render_error
from bot.answers.mydata_view import MyDataView
from bot.answers.reply import Button, Reply
from bot.domain.credits import Category, Profile, assess
from bot.domain.years import recording_policy
from bot.parsing.credit_parse import ParseError, parse_add_args, parse_credit_args
from bot.parsing.numbers import fmt_number
from bot.parsing.profile_parse import parse_profile_args
from bot.services.credits import Change
from bot.storage.credits import CreditEntry
from handlers.common import (
    answer_stale,
    command_args,
    edit_reply,
    language_of,
    pressed,
    send_text,
    services,
    split_text,
    tr,
    user_id,
)
from handlers.unit_access import announce_contact_left

FORGET_WINDOW = timedelta(minutes=10)


def _args_text(update: Update) -> str:
    return command_args(update)


async def _status_text(update: Update, context: ContextTypes.DEFAULT_TYPE, year: int | None = None) -> str:
    """This year's standing; between years the finished year as final, then the current calendar year."""
    svc = services(context)
    uid = user_id(update)
    state = svc.year_state()
    policy = recording_policy(state)
    totals = await svc.credits.totals_by_year(uid)
    profile = await svc.profiles.get(uid)
    lang = language_of(update, context)
    if state.between and year is None:
        final = assess(policy, profile, totals, state.today, year=policy.year)
        current = assess(policy, profile, totals, state.today, year=state.record_year)
        return render_between(final, current, lang, svc.t)
    assessment = assess(policy, profile, totals, state.today, year=year)
    hint = assessment.required is not None or await svc.users.first_profile_hint(uid)
    text = render_assessment(assessment, lang, svc.t, profile_hint=hint)
    if assessment.year > policy.year:
        text += "\n" + svc.t(lang, "credits.between.caveat", year=assessment.year)
    return text


def _status_buttons(update: Update, context: ContextTypes.DEFAULT_TYPE) -> tuple[tuple[Button, ...], ...]:
    return ((Button(tr(update, context, "cr.button.how_set"), "cr:how:set"),
             Button(tr(update, context, "cr.button.how_add"), "cr:how:add")),
            (Button(tr(update, context, "cr.button.history"), "cr:hist"),))


async def _undo_buttons(update: Update, context: ContextTypes.DEFAULT_TYPE) -> tuple[tuple[Button, ...], ...]:
    entries = await services(context).credits.entries(user_id(update), limit=1)
    if not entries:
        return ()
    return ((Button(tr(update, context, "cr.button.undo"), f"cr:undo:{entries[0].batch}"),),)


async def _send_with_status(
    update: Update, context: ContextTypes.DEFAULT_TYPE, head: str, year: int | None
) -> None:
    """After a change: what changed, the year's standing now, and the undo button for the newest entry."""
    text = head + "\n\n" + await _status_text(update, context, year)
    await send_text(update, context, text, await _undo_buttons(update, context))


async def _send_error(update: Update, context: ContextTypes.DEFAULT_TYPE, error: ParseError) -> None:
    await send_text(update, context, render_error(error, language_of(update, context), services(context).t))


async def credits_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """No arguments: this year's status. With figures: set that year's totals."""
    svc = services(context)
    state = svc.year_state()
    parsed = parse_credit_args(_args_text(update), recording_policy(state), default_year=state.record_year)
    if isinstance(parsed, ParseError) and parsed.code == "empty":
        year = parsed.params.get("year")
        text = await _status_text(update, context, int(year) if isinstance(year, int) else None)
        await send_text(update, context, text, _status_buttons(update, context))
        return
    if isinstance(parsed, ParseError):
        await _send_error(update, context, parsed)
        return
    await _record(update, context, parsed.year, parsed.figures())


async def _record(update: Update, context: ContextTypes.DEFAULT_TYPE, year: int, figures: dict[Category, Decimal],
                  *, confirmed_stamp: int | None = None) -> None:
    """Record stated figures — from /credits, a statement's 💾, or a confirmation — the one way.

    Only the named categories change. A change that lowers a recorded figure or replaces /add courses is shown
    as before → after with a confirmation button; ``confirmed_stamp`` is that button's stamp, and applies the
    change only if nothing was recorded since it was shown.
    """
    svc = services(context)
    uid = user_id(update)
    change = await svc.recorder.plan(uid, year, figures, recording_policy(svc.year_state()))
    if isinstance(change, ParseError):
        await _ack(update, tr(update, context, "cr.refused.toast"))
        await _send_error(update, context, change)
        return
    if confirmed_stamp is not None and confirmed_stamp != change.stamp:
        await answer_stale(update, context, "cr.confirm.stale")
        return
    if change.needs_confirmation and confirmed_stamp is None:
        await _ack(update)
        await send_text(update, context, _change_text(update, context, change), (
            (Button(tr(update, context, "cr.button.confirm"), confirm_button_data(change.stamp, year, figures)),
             Button(tr(update, context, "cr.button.keep"), "cc:no")),))
        return
    await svc.recorder.apply(change, svc.clock.now())
    await _ack(update, tr(update, context, "cr.saved.toast"))
    await _send_with_status(update, context, tr(update, context, "cr.saved_totals", year=year), year)


def _change_text(update: Update, context: ContextTypes.DEFAULT_TYPE, change: Change) -> str:
    """Before → after for each category the change touches, and what it would replace."""
    lines = [tr(update, context, "cr.confirm.title", year=change.year)]
    for category in Category:
        if category in change.figures:
            lines.append(tr(update, context, "cr.confirm.line", category=_category_label(update, context, category),
                            before=fmt_number(change.before.value(category)),
                            after=fmt_number(change.after.value(category))))
    lines.append(tr(update, context, "cr.confirm.total", before=fmt_number(change.before.total),
                    after=fmt_number(change.after.total)))
    for category in change.replaced_courses:
        lines.append(tr(update, context, "cr.confirm.courses", category=_category_label(update, context, category)))
    lines.append(tr(update, context, "cr.confirm.ask"))
    return "\n".join(lines)


async def _ack(update: Update, toast: str | None = None) -> None:
    """Answer the pressed button, when the step came from one."""
    if update.callback_query is not None:
        await update.callback_query.answer(toast)


async def show_status(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The main menu's "my credits"."""
    await send_text(update, context, await _status_text(update, context), _status_buttons(update, context))


def _category_label(update: Update, context: ContextTypes.DEFAULT_TYPE, category: Category) -> str:
    key = "credits.category.professional" if category is Category.PROFESSIONAL else "credits.category.public"
    return tr(update, context, key)


async def add_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = services(context)
    uid = user_id(update)
    state = svc.year_state()
    policy = recording_policy(state)
    parsed = parse_add_args(_args_text(update), policy, state.today)
    if isinstance(parsed, ParseError):
        await _send_error(update, context, parsed)
        return
    refused = await svc.recorder.add_course(uid, parsed, policy, svc.clock.now())
    if refused is not None:
        await _send_error(update, context, refused)
        return
    saved = tr(update, context, "cr.saved_course", year=parsed.year,
               category=_category_label(update, context, parsed.category),
               credits=fmt_number(parsed.credits), title=parsed.title or "—")
    await _send_with_status(update, context, saved, parsed.year)


def _describe(update: Update, context: ContextTypes.DEFAULT_TYPE, entry: CreditEntry) -> str:
    lang = language_of(update, context)
    key = "cr.history.set" if entry.kind == "set" else "cr.history.course"
    return tr(update, context, key, year=entry.year, category=_category_label(update, context, entry.category),
              credits=fmt_number(entry.credits), title=entry.title or "—",
              day=fmt_date(entry.studied_on, lang) if entry.studied_on else "")


async def history_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    entries = await services(context).credits.entries(user_id(update), limit=30)
    if not entries:
        await send_text(update, context, tr(update, context, "cr.history.empty"))
        return
    lines = [tr(update, context, "cr.history.title")]
    lines += [f"• {_describe(update, context, e)}" for e in entries]
    await send_text(update, context, "\n".join(lines), await _undo_buttons(update, context))


async def credits_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query, action, args = pressed(update)
    if action == "how" and len(args) == 1 and args[0] in {"set", "add"}:
        await query.answer()
        await send_text(update, context, tr(update, context, f"cr.how.{args[0]}"))
    elif action == "hist":
        await query.answer()
        await history_command(update, context)
    elif action == "undo" and len(args) == 1 and args[0].isdigit():
        await _undo(update, context, int(args[0]))
    else:
        await answer_stale(update, context)


async def _undo(update: Update, context: ContextTypes.DEFAULT_TYPE, batch: int) -> None:
    """Undo only if the button's batch is still the newest: an old button must not undo something else."""
    svc = services(context)
    query = update.callback_query
    assert query is not None
    uid = user_id(update)
    newest = await svc.credits.entries(uid, limit=1)
    if not newest or newest[0].batch != batch:
        await answer_stale(update, context)
        return
    removed = await svc.credits.undo_last(uid)
    await query.answer(tr(update, context, "cr.undone.toast"))
    year = removed[0].year if removed else None
    text = tr(update, context, "cr.undone", what="；".join(_describe(update, context, e) for e in removed))
    await _send_with_status(update, context, text, year)


async def save_statement_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """``cs:<year>:<professional|->:<public|->``: save a statement's figures (validated again: it may be forged)."""
    query = update.callback_query
    assert query is not None and query.data is not None
    decoded = decode_figures(query.data[len(SAVE_PREFIX):].split(":"))
    if decoded is None:
        await answer_stale(update, context)
        return
    await _record(update, context, *decoded)


async def confirm_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """``cc:<stamp>:<year>:<professional|->:<public|->`` confirms a shown before → after; ``cc:no`` keeps all."""
    query = update.callback_query
    assert query is not None and query.data is not None
    if query.data == "cc:no":
        await query.answer()
        await edit_reply(update, Reply(tr(update, context, "cr.confirm.kept")))
        return
    fields = query.data[len(CONFIRM_PREFIX):].split(":")
    decoded = decode_figures(fields[1:]) if fields and fields[0].isdigit() else None
    if decoded is None:
        await answer_stale(update, context)
        return
    await _record(update, context, *decoded, confirmed_stamp=int(fields[0]))


async def profile_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = services(context)
    uid = user_id(update)
    current = await svc.profiles.get(uid)
    parsed = parse_profile_args(_args_text(update), current, svc.clock.now().date())
    if parsed == "empty":
        await send_text(update, context, _profile_text(update, context, current) + "\n\n"
                        + tr(update, context, "profile.usage"))
        return
    if isinstance(parsed, str):
        await send_text(update, context, tr(update, context, f"profile.error.{parsed}"))
        return
    await svc.profiles.set(uid, parsed, svc.clock.now())
    text = tr(update, context, "profile.saved") + "\n" + _profile_text(update, context, parsed)
    await send_text(update, context, text + "\n\n" + await _status_text(update, context))


def _profile_text(update: Update, context: ContextTypes.DEFAULT_TYPE, profile: Profile | None) -> str:
    """No profile yet: everything "not given"; a saved profile without a qualification: "none"."""
    unknown = tr(update, context, "profile.unknown")
    p = profile or Profile()
    qualification = unknown if profile is None else \
        qualification_name(p.qualification, language_of(update, context), services(context).t)
    return tr(update, context, "profile.show", qualification=qualification,
              qualification_year=p.qualification_year or unknown,
              work_start_year=p.work_start_year or unknown,
              institution=tr(update, context, "profile.yes" if p.is_institution else "profile.no"))


async def mydata_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Everything stored about the user as a readable summary in local time (no internal fields)."""
    svc = services(context)
    data = await svc.personal.export(user_id(update))
    unit_ids = {int(str(r["unit_id"])) for r in data.get("unit_members", [])}
    names = {u.id: u.name for u in [await svc.units.get(i) for i in unit_ids] if u is not None}
    text = MyDataView(svc.t, language_of(update, context), svc.clock.tz, names).render(data)
    for piece in split_text(text):
        await send_text(update, context, piece)


async def forget_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = services(context)
    stamp = int(svc.clock.now().timestamp())
    buttons = ((Button(tr(update, context, "forget.button.yes"), f"fg:yes:{stamp}"),
                Button(tr(update, context, "forget.button.no"), "fg:no")),)
    text = tr(update, context, "forget.confirm")
    actor = await svc.units.actor(user_id(update), False)
    if actor.contact_unit_id is not None:
        unit = await svc.units.get(actor.contact_unit_id)
        text += "\n\n" + tr(update, context, "forget.contact_note", unit=unit.name if unit else "?")
    await send_text(update, context, text, buttons)


async def forget_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Delete everything, but only from a fresh confirmation (an old button must not wipe newer data)."""
    svc = services(context)
    query, action, args = pressed(update)
    if action == "no":
        await query.answer()
        await query.edit_message_text(tr(update, context, "forget.cancelled"))
        return
    now = svc.clock.now()
    fresh = action == "yes" and len(args) == 1 and args[0].isdigit() and \
        timedelta(0) <= now - now.fromtimestamp(int(args[0]), now.tzinfo) <= FORGET_WINDOW
    if not fresh:
        await answer_stale(update, context)
        return
    uid = user_id(update)
    # A contact's role ends first: consents given to them are withdrawn, the code rotated, members told.
    left = await svc.unit_service.contact_leaves(uid, "forget", now)
    await svc.personal.forget(uid)
    svc.users.drop_cached(uid)
    if left is not None:
        await announce_contact_left(context, left, "forget")
    if context.user_data is not None:
        context.user_data.clear()
    chat = update.effective_chat
    if context.chat_data is not None and chat is not None and chat.type == "private":
        context.chat_data.clear()  # the questions kept in memory for follow-ups and 👎 (handlers/questions.py)
    await query.answer()
    await query.edit_message_text(tr(update, context, "forget.done"))
