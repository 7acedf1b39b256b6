"""Units (单位): /unit, /unit apply, /join and its deep link, membership and the contact's tools, with buttons.

Security model: every privileged step — command or button — is decorated with ``@requires(Action…)`` from
:mod:`handlers.access`, which rebuilds the user's roles from SQLite and asks :func:`bot.domain.units.may`
before the handler runs. Callback data only
says *which* application or member is meant (``ua:ok:<id>``, ``um:rm:<member>``); a forged id is checked like
any other: the member must be in the presser's own unit, the approver must be an admin now. Refusals get a
clear answer and a ``log.warning`` with the user id and action (never message text).
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import ContextTypes

from bot.answers.reply import Button
from bot.domain.credits import assess
from bot.domain.units import (
    JOIN_PREFIX,
    Action,
    Actor,
    MemberStanding,
    MemberStatus,
    clean_unit_name,
    is_valid_invite_code,
    may,
    summarize,
)
from handlers.access import refuse, requires, with_actor
from handlers.common import send_text, services, tr
from handlers.unit_access import display_name, edit_query_message, int_arg, link_for, tell

log = logging.getLogger(__name__)

MEMBER_BUTTONS_MAX = 40


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


@with_actor
async def _overview(update: Update, context: ContextTypes.DEFAULT_TYPE, actor: Actor) -> None:
    svc = services(context)
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
            link=link_for(context, unit.invite_code),
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


@requires(Action.APPLY, "unit.apply.already_contact")
async def _apply(update: Update, context: ContextTypes.DEFAULT_TYPE, actor: Actor, raw_name: str) -> None:
    svc = services(context)
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
    applicant = display_name(update)
    app_id = await svc.units.apply(actor.user_id, name, applicant, svc.clock.now())
    for admin_id in sorted(svc.settings.admin_ids):
        record = await svc.users.get(admin_id)
        lang = record.language if record else svc.settings.default_language
        await tell(
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


@requires(Action.DECIDE_APPLICATION, "unit.refused.admin_only")
async def application_button(update: Update, context: ContextTypes.DEFAULT_TYPE, actor: Actor) -> None:
    """``ua:ok:<id>`` / ``ua:no:<id>``: admins only, checked now, whoever's chat the button sits in."""
    query = update.callback_query
    assert query is not None and query.data is not None
    svc = services(context)
    verb = query.data.split(":")[1] if query.data.count(":") == 2 else ""
    app_id = int_arg(query.data, 2)
    if verb not in {"ok", "no"} or app_id is None:
        await refuse(update, context, Action.DECIDE_APPLICATION, "button.stale")
        return
    outcome, unit = await svc.units.decide(app_id, verb == "ok", actor.user_id, svc.clock.now())
    app = await svc.units.get_application(app_id)
    if outcome in {"missing", "not_pending"} or app is None:
        await query.answer(tr(update, context, "unit.decide.already"), show_alert=True)
        await edit_query_message(update, tr(update, context, "unit.decide.already"))
        return
    if outcome in {"name_taken", "already_contact"}:
        await query.answer(tr(update, context, f"unit.decide.{outcome}"), show_alert=True)
        return
    await query.answer()
    log.info("application %s %s by admin %s", app_id, outcome, actor.user_id)
    if outcome == "approved" and unit is not None:
        await edit_query_message(
            update,
            tr(update, context, "unit.decide.approved_admin", unit=app.unit_name, applicant=app.applicant),
        )
        await tell(
            context,
            app.user_id,
            "unit.decide.approved",
            unit=unit.name,
            link=link_for(context, unit.invite_code),
            code=unit.invite_code,
        )
    else:
        await edit_query_message(
            update,
            tr(update, context, "unit.decide.rejected_admin", unit=app.unit_name, applicant=app.applicant),
        )
        await tell(context, app.user_id, "unit.decide.rejected", unit=app.unit_name)


# ---------------------------------------------------------------------- joining
async def _join(update: Update, context: ContextTypes.DEFAULT_TYPE, code: str) -> None:
    svc = services(context)
    user = update.effective_user
    assert user is not None
    if not is_valid_invite_code(code):
        await send_text(update, context, tr(update, context, "unit.join.unknown"))
        return
    result, unit = await svc.units.join(user.id, code, display_name(update), svc.clock.now())
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


@requires(Action.SHARE, "unit.refused.member_only")
async def share_button(update: Update, context: ContextTypes.DEFAULT_TYPE, actor: Actor) -> None:
    """``share:y`` / ``share:n``: a member decides for themselves only (the user id is the presser's)."""
    query = update.callback_query
    assert query is not None and query.data is not None
    svc = services(context)
    if query.data not in {"share:y", "share:n"}:
        await refuse(update, context, Action.SHARE, "unit.refused.member_only")
        return
    share = query.data == "share:y"
    await svc.units.set_share(actor.user_id, share)
    await query.answer()
    await edit_query_message(
        update, tr(update, context, "unit.share.saved_on" if share else "unit.share.saved_off")
    )


@requires(Action.LEAVE, "unit.refused.member_only")
async def _leave(update: Update, context: ContextTypes.DEFAULT_TYPE, actor: Actor) -> None:
    svc = services(context)
    unit = await svc.units.get(actor.member_unit_id or 0)
    await svc.units.leave(actor.user_id)
    text = tr(update, context, "unit.left", unit=unit.name if unit else "?")
    if update.callback_query is not None:
        await update.callback_query.answer()
        await edit_query_message(update, text)
    else:
        await send_text(update, context, text)


# ---------------------------------------------------------------------- contact's tools
def _managed_unit(actor: Actor) -> int:
    """The unit a contact manages; only called behind ``@requires`` of a contact's action."""
    assert actor.contact_unit_id is not None
    return actor.contact_unit_id


async def _ack(update: Update, toast: str | None = None) -> None:
    """Answer the pressed button when the step came from one (the same steps also run as commands)."""
    if update.callback_query is not None:
        await update.callback_query.answer(toast)


@requires(Action.LIST_MEMBERS, "unit.refused.contact_only")
async def _list_members(update: Update, context: ContextTypes.DEFAULT_TYPE, actor: Actor) -> None:
    members = await services(context).units.members(_managed_unit(actor))
    await _ack(update)
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


@requires(Action.REMOVE_MEMBER, "unit.refused.contact_only")
async def _remove_member(
    update: Update, context: ContextTypes.DEFAULT_TYPE, actor: Actor, member_id: int | None
) -> None:
    svc = services(context)
    unit_id = _managed_unit(actor)
    if member_id is None:
        await refuse(update, context, Action.REMOVE_MEMBER, "unit.refused.contact_only")
        return
    member = await svc.units.membership(member_id)
    # The member must be in the presser's own unit: a forged id of anyone else is refused, not ignored.
    if member is None or not may(actor, Action.REMOVE_MEMBER, unit_id=member.unit_id):
        await refuse(update, context, Action.REMOVE_MEMBER, "unit.refused.not_your_member")
        return
    await svc.units.remove_member(unit_id, member_id)
    unit = await svc.units.get(unit_id)
    await _ack(update, tr(update, context, "unit.removed", name=member.display_name))
    await send_text(update, context, tr(update, context, "unit.removed", name=member.display_name))
    await tell(context, member_id, "unit.removed_notice", unit=unit.name if unit else "?")


@requires(Action.ROTATE_INVITE, "unit.refused.contact_only")
async def _rotate(update: Update, context: ContextTypes.DEFAULT_TYPE, actor: Actor) -> None:
    code = await services(context).units.rotate_code(_managed_unit(actor))
    await _ack(update)
    await send_text(
        update, context, tr(update, context, "unit.rotated", link=link_for(context, code), code=code)
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
        await _remove_member(update, context, int_arg(data, 2))
    else:
        await refuse(update, context, "member_button", "button.stale")
