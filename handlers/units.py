"""Units (单位): /unit, /unit apply, /join and its deep link, /broadcast, /broadcasts, and their buttons.

Security model: every privileged step — command or button — rebuilds the user's roles from SQLite
(:meth:`UnitRepository.actor`) and asks :func:`bot.units.may` before doing anything. Callback data only
says *which* application, member or draft is meant (``ua:ok:<id>``, ``um:rm:<member>``, ``bc:send:<id>``); a
forged id is checked like any other: the draft must be the presser's own, the member must be in the presser's
own unit, the approver must be an admin now. Refusals get a clear answer and a ``log.warning`` with the user
id and action (never message text). Broadcast text is sent as plain text (no parse mode), so it is never
interpreted as markup.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import Application, ApplicationHandlerStop, ContextTypes

from bot.broadcast import Drainer
from bot.credits import assess
from bot.reply import Button
from bot.services import Services
from bot.storage.outbox import Broadcast, Counts
from bot.units import (
    BROADCAST_TEXT_MAX,
    JOIN_PREFIX,
    Action,
    Actor,
    MemberStanding,
    MemberStatus,
    broadcast_scope,
    clean_unit_name,
    daily_limit_applies,
    day_start,
    invite_link,
    is_valid_invite_code,
    may,
    may_use_draft,
    summarize,
)
from handlers.common import keyboard, send_text, services, tr
from handlers.sending import telegram_sender

log = logging.getLogger(__name__)

DRAINER_KEY = "broadcast_drainer"
MEMBER_BUTTONS_MAX = 40


# ---------------------------------------------------------------------- helpers
def _display_name(update: Update) -> str:
    user = update.effective_user
    if user is None:
        return ""
    name = user.full_name or ""
    if user.username:
        name = f"{name} (@{user.username})" if name else f"@{user.username}"
    return name or str(user.id)


async def _actor(update: Update, context: ContextTypes.DEFAULT_TYPE) -> Actor:
    user = update.effective_user
    assert user is not None
    svc = services(context)
    return await svc.units.actor(user.id, svc.is_admin(user.id))


async def _refuse(
    update: Update, context: ContextTypes.DEFAULT_TYPE, action: str, key: str, **kwargs: object
) -> None:
    """Say no clearly (a toast for a button, a message for a command) and log who tried what."""
    user = update.effective_user
    log.warning("refused %s for user %s (%s)", action, user.id if user else "?", key)
    text = tr(update, context, key, **kwargs)
    query = update.callback_query
    if query is not None:
        await query.answer(text, show_alert=True)
    else:
        await send_text(update, context, text)


async def _tell(
    context: ContextTypes.DEFAULT_TYPE,
    recipient: int,
    key: str,
    buttons: tuple[tuple[Button, ...], ...] = (),
    /,
    **kwargs: object,
) -> None:
    """A message to another user, in their language; a user who blocked the bot is marked inactive."""
    svc = services(context)
    record = await svc.users.get(recipient)
    lang = record.language if record else svc.settings.default_language
    try:
        await context.bot.send_message(recipient, svc.t(lang, key, **kwargs), reply_markup=keyboard(buttons))
    except Forbidden:
        await svc.users.mark_inactive(recipient)
    except TelegramError as exc:
        log.warning("could not notify user %s: %s", recipient, type(exc).__name__)


def _link(context: ContextTypes.DEFAULT_TYPE, code: str) -> str:
    return invite_link(context.bot.username, code)


async def _edit_query_message(
    update: Update, text: str, buttons: tuple[tuple[Button, ...], ...] = ()
) -> None:
    query = update.callback_query
    if query is None or query.message is None:
        return
    try:
        await query.edit_message_text(text, reply_markup=keyboard(buttons))
    except BadRequest:  # "message is not modified" and the like are harmless
        log.debug("edit skipped", exc_info=True)


def _int_arg(data: str, index: int) -> int | None:
    parts = data.split(":")
    try:
        return int(parts[index])
    except (IndexError, ValueError):
        return None


# ---------------------------------------------------------------------- /unit
async def unit_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """``/unit`` shows where the user stands; ``apply NAME | members | rotate | leave`` act."""
    args = context.args or []
    sub = args[0].lower() if args else ""
    if sub in {"apply", "申请"}:
        await _apply(update, context, " ".join(args[1:]))
    elif sub in {"members", "成员"}:
        await _list_members(update, context)
    elif sub in {"rotate", "换码"}:
        await _rotate(update, context)
    elif sub in {"leave", "退出"}:
        await _leave(update, context)
    else:
        await _overview(update, context)


async def _overview(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = services(context)
    actor = await _actor(update, context)
    parts: list[str] = []
    buttons: list[tuple[Button, ...]] = []
    if actor.is_admin:
        parts.append(tr(update, context, "unit.admin_view"))
    if actor.contact_unit_id is not None:
        text, rows = await _contact_view(update, context, actor.contact_unit_id)
        parts.append(text)
        buttons.extend(rows)
    if actor.member_unit_id is not None:
        unit = await svc.units.get(actor.member_unit_id)
        member = await svc.units.membership(actor.user_id)
        shared = bool(member and member.share)
        parts.append(
            tr(
                update,
                context,
                "unit.member_view",
                unit=unit.name if unit else "?",
                share=tr(update, context, "unit.share_on" if shared else "unit.share_off"),
            )
        )
        buttons.append(
            (
                Button(
                    tr(update, context, "unit.button.share_off" if shared else "unit.button.share_on"),
                    "share:n" if shared else "share:y",
                ),
                Button(tr(update, context, "unit.button.leave"), "um:leave"),
            )
        )
    if not parts:
        pending = await svc.units.pending_application(actor.user_id)
        parts.append(
            tr(update, context, "unit.pending", unit=pending.unit_name)
            if pending
            else tr(update, context, "unit.outsider_view")
        )
    await send_text(update, context, "\n\n".join(parts), tuple(buttons))


async def _member_statuses(context: ContextTypes.DEFAULT_TYPE, unit_id: int) -> list[MemberStatus]:
    """Each member's standing for the policy year; figures are computed only for members who share."""
    svc = services(context)
    today = svc.clock.now().date()
    out: list[MemberStatus] = []
    for m in await svc.units.members(unit_id):
        if not m.share:
            out.append(MemberStatus(m.user_id, m.display_name, False, MemberStanding.UNKNOWN))
            continue
        profile = await svc.credits.get_profile(m.user_id)
        totals = await svc.credits.totals_by_year(m.user_id)
        a = assess(svc.policy, profile, totals, today)
        standing = MemberStanding.MET if a.met else MemberStanding.SHORT
        if not a.has_record:
            standing = MemberStanding.UNKNOWN
        out.append(
            MemberStatus(
                m.user_id,
                m.display_name,
                True,
                standing,
                f"{a.total:g}",
                f"{a.professional:g}",
                f"{a.min_additional:g}",
            )
        )
    return out


async def _contact_view(
    update: Update, context: ContextTypes.DEFAULT_TYPE, unit_id: int
) -> tuple[str, list[tuple[Button, ...]]]:
    svc = services(context)
    unit = await svc.units.get(unit_id)
    assert unit is not None
    summary = summarize(await _member_statuses(context, unit_id))
    lines = [
        tr(
            update,
            context,
            "unit.contact_view",
            unit=unit.name,
            members=summary.total,
            link=_link(context, unit.invite_code),
            code=unit.invite_code,
        ),
        tr(
            update,
            context,
            "unit.summary",
            year=svc.policy.year,
            met=summary.met,
            short=summary.short,
            unknown=summary.unknown,
        ),
    ]
    for s in summary.shared:
        key = {MemberStanding.MET: "unit.shared_met", MemberStanding.SHORT: "unit.shared_short"}.get(
            s.standing, "unit.shared_unknown"
        )
        lines.append(
            tr(
                update,
                context,
                key,
                name=s.name,
                total=s.total,
                professional=s.professional,
                missing=s.missing,
            )
        )
    if not summary.shared and summary.total:
        lines.append(tr(update, context, "unit.none_shared"))
    rows = [
        (
            Button(tr(update, context, "unit.button.members"), "um:list"),
            Button(tr(update, context, "unit.button.rotate"), "um:rot"),
        )
    ]
    return "\n".join(lines), rows


async def _apply(update: Update, context: ContextTypes.DEFAULT_TYPE, raw_name: str) -> None:
    svc = services(context)
    actor = await _actor(update, context)
    if not may(actor, Action.APPLY):
        await _refuse(update, context, "apply", "unit.apply.already_contact")
        return
    name = clean_unit_name(raw_name)
    if name is None:
        await send_text(update, context, tr(update, context, "unit.apply.usage"))
        return
    if await svc.units.pending_application(actor.user_id):
        await send_text(update, context, tr(update, context, "unit.apply.already_pending"))
        return
    if await svc.units.name_has_contact(name):
        await send_text(update, context, tr(update, context, "unit.apply.name_taken", unit=name))
        return
    if not svc.settings.admin_ids:
        await send_text(update, context, tr(update, context, "unit.apply.no_admins"))
        return
    applicant = _display_name(update)
    app_id = await svc.units.apply(actor.user_id, name, applicant, svc.clock.now())
    for admin_id in sorted(svc.settings.admin_ids):
        record = await svc.users.get(admin_id)
        lang = record.language if record else svc.settings.default_language
        await _tell(
            context,
            admin_id,
            "unit.apply.to_admin",
            (
                (
                    Button(svc.t(lang, "unit.button.approve"), f"ua:ok:{app_id}"),
                    Button(svc.t(lang, "unit.button.reject"), f"ua:no:{app_id}"),
                ),
            ),
            unit=name,
            applicant=applicant,
            user_id=actor.user_id,
            id=app_id,
        )
    await send_text(update, context, tr(update, context, "unit.apply.sent", unit=name))


async def application_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """``ua:ok:<id>`` / ``ua:no:<id>``: admins only, checked now, whoever's chat the button sits in."""
    query = update.callback_query
    assert query is not None and query.data is not None
    svc = services(context)
    actor = await _actor(update, context)
    if not may(actor, Action.DECIDE_APPLICATION):
        await _refuse(update, context, "decide_application", "unit.refused.admin_only")
        return
    verb = query.data.split(":")[1] if query.data.count(":") == 2 else ""
    app_id = _int_arg(query.data, 2)
    if verb not in {"ok", "no"} or app_id is None:
        await _refuse(update, context, "decide_application", "button.stale")
        return
    outcome, unit = await svc.units.decide(app_id, verb == "ok", actor.user_id, svc.clock.now())
    app = await svc.units.get_application(app_id)
    if outcome in {"missing", "not_pending"} or app is None:
        await query.answer(tr(update, context, "unit.decide.already"), show_alert=True)
        await _edit_query_message(update, tr(update, context, "unit.decide.already"))
        return
    if outcome in {"name_taken", "already_contact"}:
        await query.answer(tr(update, context, f"unit.decide.{outcome}"), show_alert=True)
        return
    await query.answer()
    log.info("application %s %s by admin %s", app_id, outcome, actor.user_id)
    if outcome == "approved" and unit is not None:
        await _edit_query_message(
            update,
            tr(update, context, "unit.decide.approved_admin", unit=app.unit_name, applicant=app.applicant),
        )
        await _tell(
            context,
            app.user_id,
            "unit.decide.approved",
            unit=unit.name,
            link=_link(context, unit.invite_code),
            code=unit.invite_code,
        )
    else:
        await _edit_query_message(
            update,
            tr(update, context, "unit.decide.rejected_admin", unit=app.unit_name, applicant=app.applicant),
        )
        await _tell(context, app.user_id, "unit.decide.rejected", unit=app.unit_name)


# ---------------------------------------------------------------------- joining
async def _join(update: Update, context: ContextTypes.DEFAULT_TYPE, code: str) -> None:
    svc = services(context)
    user = update.effective_user
    assert user is not None
    if not is_valid_invite_code(code):
        await send_text(update, context, tr(update, context, "unit.join.unknown"))
        return
    result, unit = await svc.units.join(user.id, code, _display_name(update), svc.clock.now())
    if result == "unknown_code" or unit is None:
        log.info("join with an unknown code by user %s", user.id)
        await send_text(update, context, tr(update, context, "unit.join.unknown"))
        return
    if result == "own_unit":
        await send_text(update, context, tr(update, context, "unit.join.own_unit", unit=unit.name))
        return
    if result == "already":
        await send_text(update, context, tr(update, context, "unit.join.already", unit=unit.name))
        return
    key = "unit.join.switched" if result == "switched" else "unit.join.joined"
    await send_text(
        update,
        context,
        tr(update, context, key, unit=unit.name),
        (
            (
                Button(tr(update, context, "unit.button.share_yes"), "share:y"),
                Button(tr(update, context, "unit.button.share_no"), "share:n"),
            ),
        ),
    )


async def join_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if not context.args:
        await send_text(update, context, tr(update, context, "unit.join.usage"))
        return
    code = context.args[0].strip()
    if code.startswith(JOIN_PREFIX):
        code = code[len(JOIN_PREFIX) :]
    await _join(update, context, code)


async def join_start_hook(update: Update, context: ContextTypes.DEFAULT_TYPE, payload: str) -> bool:
    """``/start join_<code>`` from the invite link ``t.me/<bot>?start=join_<code>``."""
    if not payload.startswith(JOIN_PREFIX):
        return False
    await _join(update, context, payload[len(JOIN_PREFIX) :])
    return True


async def share_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """``share:y`` / ``share:n``: a member decides for themselves only (the user id is the presser's)."""
    query = update.callback_query
    assert query is not None and query.data is not None
    svc = services(context)
    actor = await _actor(update, context)
    if not may(actor, Action.SHARE) or query.data not in {"share:y", "share:n"}:
        await _refuse(update, context, "share", "unit.refused.member_only")
        return
    share = query.data == "share:y"
    await svc.units.set_share(actor.user_id, share)
    await query.answer()
    await _edit_query_message(
        update, tr(update, context, "unit.share.saved_on" if share else "unit.share.saved_off")
    )


async def _leave(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = services(context)
    actor = await _actor(update, context)
    if not may(actor, Action.LEAVE):
        await _refuse(update, context, "leave", "unit.refused.member_only")
        return
    unit = await svc.units.get(actor.member_unit_id or 0)
    await svc.units.leave(actor.user_id)
    text = tr(update, context, "unit.left", unit=unit.name if unit else "?")
    if update.callback_query is not None:
        await update.callback_query.answer()
        await _edit_query_message(update, text)
    else:
        await send_text(update, context, text)


# ---------------------------------------------------------------------- contact's tools
async def _list_members(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = services(context)
    actor = await _actor(update, context)
    if not may(actor, Action.LIST_MEMBERS):
        await _refuse(update, context, "list_members", "unit.refused.contact_only")
        return
    assert actor.contact_unit_id is not None
    members = await svc.units.members(actor.contact_unit_id)
    if update.callback_query is not None:
        await update.callback_query.answer()
    if not members:
        await send_text(update, context, tr(update, context, "unit.members.none"))
        return
    lines = [tr(update, context, "unit.members.title", count=len(members))]
    for i, m in enumerate(members, 1):
        lines.append(
            tr(
                update,
                context,
                "unit.members.line",
                n=i,
                name=m.display_name or m.user_id,
                share=tr(update, context, "unit.share_on" if m.share else "unit.share_off"),
            )
        )
    rows = tuple(
        (Button(tr(update, context, "unit.button.remove", n=i), f"um:rm:{m.user_id}"),)
        for i, m in enumerate(members[:MEMBER_BUTTONS_MAX], 1)
    )
    await send_text(update, context, "\n".join(lines), rows)


async def _remove_member(update: Update, context: ContextTypes.DEFAULT_TYPE, member_id: int | None) -> None:
    svc = services(context)
    actor = await _actor(update, context)
    if not may(actor, Action.REMOVE_MEMBER) or member_id is None:
        await _refuse(update, context, "remove_member", "unit.refused.contact_only")
        return
    assert actor.contact_unit_id is not None
    member = await svc.units.membership(member_id)
    # The member must be in the presser's own unit: a forged id of anyone else is refused, not ignored.
    if member is None or not may(actor, Action.REMOVE_MEMBER, unit_id=member.unit_id):
        await _refuse(update, context, "remove_member", "unit.refused.not_your_member")
        return
    await svc.units.remove_member(actor.contact_unit_id, member_id)
    unit = await svc.units.get(actor.contact_unit_id)
    if update.callback_query is not None:
        await update.callback_query.answer(tr(update, context, "unit.removed", name=member.display_name))
    await send_text(update, context, tr(update, context, "unit.removed", name=member.display_name))
    await _tell(context, member_id, "unit.removed_notice", unit=unit.name if unit else "?")


async def _rotate(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = services(context)
    actor = await _actor(update, context)
    if not may(actor, Action.ROTATE_INVITE):
        await _refuse(update, context, "rotate_invite", "unit.refused.contact_only")
        return
    assert actor.contact_unit_id is not None
    code = await svc.units.rotate_code(actor.contact_unit_id)
    if update.callback_query is not None:
        await update.callback_query.answer()
    await send_text(
        update, context, tr(update, context, "unit.rotated", link=_link(context, code), code=code)
    )


async def member_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """``um:list`` / ``um:rot`` / ``um:rm:<member>`` (contact) and ``um:leave`` (member)."""
    query = update.callback_query
    assert query is not None and query.data is not None
    data = query.data
    if data == "um:list":
        await _list_members(update, context)
    elif data == "um:rot":
        await _rotate(update, context)
    elif data == "um:leave":
        await _leave(update, context)
    elif data.startswith("um:rm:"):
        await _remove_member(update, context, _int_arg(data, 2))
    else:
        await _refuse(update, context, "member_button", "button.stale")


# ---------------------------------------------------------------------- /broadcast
async def broadcast_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Open a draft (in SQLite); the sender's next text message becomes its body."""
    svc = services(context)
    actor = await _actor(update, context)
    scope = broadcast_scope(actor)
    if scope is None or not may(actor, Action.BROADCAST):
        await _refuse(update, context, "broadcast", "bc.refused.role")
        return
    running = await svc.broadcasts.running(actor.user_id)
    if running is not None:
        await send_text(update, context, tr(update, context, "bc.running"))
        return
    if daily_limit_applies(actor):
        used = await svc.broadcasts.queued_since(actor.user_id, day_start(svc.clock.now()))
        if used >= svc.settings.broadcast_daily_limit:
            await _refuse(
                update, context, "broadcast", "bc.daily_limit", limit=svc.settings.broadcast_daily_limit
            )
            return
    count = await svc.broadcasts.count_recipients(scope[0], scope[1], actor.user_id)
    if count == 0:
        await send_text(update, context, tr(update, context, "bc.no_recipients"))
        return
    draft_id = await svc.broadcasts.open_draft(actor.user_id, scope[0], scope[1], svc.clock.now())
    key = "bc.prompt_all" if scope[0] == "all" else "bc.prompt_unit"
    await send_text(
        update,
        context,
        tr(update, context, key, count=count, limit=BROADCAST_TEXT_MAX),
        ((Button(tr(update, context, "bc.button.cancel"), f"bc:cancel:{draft_id}"),),),
    )


async def draft_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Runs before the question answerer; consumes the text only when the sender has an open draft."""
    user = update.effective_user
    message = update.effective_message
    if user is None or message is None or message.text is None:
        return
    svc = services(context)
    draft = await svc.broadcasts.awaiting_text(user.id)
    if draft is None:
        return  # not ours: the question answerer (group 0) gets the message
    actor = await _actor(update, context)
    if not may_use_draft(actor, draft.sender_id, draft.scope, draft.unit_id):
        await svc.broadcasts.cancel(draft.id)
        await _refuse(update, context, "broadcast_text", "bc.refused.role")
        raise ApplicationHandlerStop
    text = message.text.strip()
    if not text or len(text) > BROADCAST_TEXT_MAX:
        await send_text(
            update, context, tr(update, context, "bc.too_long", n=len(text), limit=BROADCAST_TEXT_MAX)
        )
        raise ApplicationHandlerStop
    await svc.broadcasts.set_text(draft.id, text)
    count = await svc.broadcasts.count_recipients(draft.scope, draft.unit_id, user.id)
    await send_text(
        update,
        context,
        tr(update, context, "bc.preview", text=text, count=count),
        (
            (
                Button(tr(update, context, "bc.button.send"), f"bc:send:{draft.id}"),
                Button(tr(update, context, "bc.button.cancel"), f"bc:cancel:{draft.id}"),
            ),
        ),
    )
    raise ApplicationHandlerStop


async def broadcast_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """``bc:send:<draft>`` / ``bc:cancel:<draft>``: only the draft's author, only while they hold the role."""
    query = update.callback_query
    assert query is not None and query.data is not None
    svc = services(context)
    parts = query.data.split(":")
    draft_id = _int_arg(query.data, 2)
    verb = parts[1] if len(parts) == 3 else ""
    draft = await svc.broadcasts.get(draft_id) if draft_id is not None else None
    actor = await _actor(update, context)
    if (
        draft is None
        or verb not in {"send", "cancel"}
        or not may_use_draft(actor, draft.sender_id, draft.scope, draft.unit_id)
    ):
        await _refuse(update, context, f"broadcast_{verb or 'button'}", "bc.refused.not_yours")
        return
    if verb == "cancel":
        cancelled = await svc.broadcasts.cancel(draft.id)
        await query.answer()
        await _edit_query_message(update, tr(update, context, "bc.cancelled" if cancelled else "bc.stale"))
        return
    if draft.status != "preview":
        await query.answer(tr(update, context, "bc.stale"), show_alert=True)
        await _edit_query_message(update, tr(update, context, "bc.stale"))
        return
    await query.answer()
    chat = update.effective_chat
    assert chat is not None
    progress = await context.bot.send_message(chat.id, tr(update, context, "bc.queued_progress"))
    limit = svc.settings.broadcast_daily_limit if daily_limit_applies(actor) else None
    result, n = await svc.broadcasts.queue(
        draft.id,
        svc.clock.now(),
        since=day_start(svc.clock.now()),
        daily_limit=limit,
        progress_chat_id=chat.id,
        progress_message_id=progress.message_id,
    )
    if result != "queued":
        log.warning("broadcast %s by user %s not queued: %s", draft.id, actor.user_id, result)
        key = {
            "running": "bc.running",
            "daily_limit": "bc.daily_limit",
            "no_recipients": "bc.no_recipients",
        }.get(result, "bc.stale")
        await progress.edit_text(tr(update, context, key, limit=svc.settings.broadcast_daily_limit))
        return
    log.info("broadcast %s queued by user %s for %d recipients", draft.id, actor.user_id, n)
    await _edit_query_message(update, tr(update, context, "bc.confirmed", text=draft.text or "", count=n))
    drainer: Drainer | None = context.bot_data.get(DRAINER_KEY)
    if drainer is not None:
        drainer.wake()


async def broadcasts_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The sender's own history, newest first (anyone may ask; it only ever shows their own)."""
    svc = services(context)
    user = update.effective_user
    assert user is not None
    history = await svc.broadcasts.history(user.id)
    if not history:
        await send_text(update, context, tr(update, context, "bc.history.none"))
        return
    lines = [tr(update, context, "bc.history.title")]
    for b, counts in history:
        when = (
            svc.clock.now()
            .fromtimestamp(b.queued_at or b.created_at, svc.clock.tz)
            .strftime("%Y-%m-%d %H:%M")
        )
        snippet = (b.text or "").replace("\n", " ")
        snippet = snippet[:30] + ("…" if len(snippet) > 30 else "")
        lines.append(
            tr(
                update,
                context,
                "bc.history.line",
                when=when,
                text=snippet,
                status=tr(update, context, f"bc.status.{b.status}"),
                total=counts.total,
                sent=counts.sent,
                blocked=counts.blocked,
                failed=counts.failed,
            )
        )
    await send_text(update, context, "\n".join(lines))


# ---------------------------------------------------------------------- the drainer's Telegram side
def _progress_reporter(app: Application) -> object:  # type: ignore[type-arg]
    svc: Services = app.bot_data["services"]

    async def report(broadcast: Broadcast, counts: Counts, finished: bool) -> None:
        if broadcast.progress_chat_id is None or broadcast.progress_message_id is None:
            return
        record = await svc.users.get(broadcast.sender_id)
        lang = record.language if record else svc.settings.default_language
        key = "bc.report" if finished else "bc.progress"
        text = svc.t(
            lang,
            key,
            done=counts.done,
            total=counts.total,
            sent=counts.sent,
            blocked=counts.blocked,
            failed=counts.failed,
        )
        try:
            await app.bot.edit_message_text(
                text, chat_id=broadcast.progress_chat_id, message_id=broadcast.progress_message_id
            )
        except BadRequest:
            if finished:  # the progress message is gone: the report still reaches the sender
                await app.bot.send_message(broadcast.progress_chat_id, text)
        except TelegramError as exc:
            log.warning("progress edit failed: %s", type(exc).__name__)

    return report


async def start_drainer(app: Application) -> None:  # type: ignore[type-arg]
    """Called from ``post_init`` once the database is open; idempotent."""
    svc: Services = app.bot_data["services"]
    drainer: Drainer | None = app.bot_data.get(DRAINER_KEY)
    if drainer is None:
        drainer = Drainer(
            outbox=svc.broadcasts,
            send=telegram_sender(app),
            rate=svc.settings.broadcast_rate,
            now_ts=lambda: int(svc.clock.now().timestamp()),
            on_progress=_progress_reporter(app),  # type: ignore[arg-type]
            on_blocked=svc.users.mark_inactive,
        )
        app.bot_data[DRAINER_KEY] = drainer
    await drainer.start()


async def stop_drainer(app: Application) -> None:  # type: ignore[type-arg]
    """Called from ``post_shutdown`` before the database closes: in-flight sends finish and are recorded."""
    drainer: Drainer | None = app.bot_data.get(DRAINER_KEY)
    if drainer is not None:
        await drainer.stop()
