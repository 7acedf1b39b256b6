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
from datetime import datetime

from telegram import Update
from telegram.ext import ContextTypes

from bot.answers.reply import Button
from bot.domain.units import (
    JOIN_PREFIX,
    Action,
    Actor,
    MemberStanding,
    clean_unit_name,
    is_valid_invite_code,
    may,
)
from bot.storage.units import Application, Member
from handlers.access import refuse, requires, with_actor
from handlers.common import clean_args, language_of, send_text, services, tr
from handlers.unit_access import (
    announce_contact_left,
    display_name,
    edit_query_message,
    int_arg,
    language_of_user,
    link_for,
    share_buttons,
    tell,
)

log = logging.getLogger(__name__)

MEMBER_BUTTONS_MAX = 40


# ---------------------------------------------------------------------- /unit
async def unit_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """``/unit`` shows where the user stands; ``apply NAME | members | rotate | leave | stepdown | handover |
    pending | units`` act."""
    args = clean_args(context)
    sub = args[0].lower() if args else ""
    if sub in {"apply", "申请"}:
        await _apply(update, context, " ".join(args[1:]))
    elif sub in {"members", "成员"}:
        await _list_members(update, context)
    elif sub in {"rotate", "换码"}:
        await _rotate(update, context)
    elif sub in {"leave", "退出"}:
        await _leave_or_step_down(update, context)
    elif sub in {"stepdown", "卸任"}:
        await _ask_step_down(update, context)
    elif sub in {"handover", "移交"}:
        await _handover_choices(update, context)
    elif sub in {"pending", "待审批", "审批"}:
        await _pending(update, context)
    elif sub in {"units", "单位"}:
        await _units_list(update, context)
    else:
        await _overview(update, context)


@with_actor
async def _overview(update: Update, context: ContextTypes.DEFAULT_TYPE, actor: Actor) -> None:
    svc = services(context)
    parts: list[str] = []
    buttons: list[tuple[Button, ...]] = []
    if actor.is_admin:
        pending = len(await svc.units.pending_applications())
        parts.append(tr(update, context, "unit.admin_view") + "\n" + tr(update, context, "unit.admin.pending_count",
                                                                         count=pending))
        buttons.append((Button(tr(update, context, "unit.button.pending"), "ua:list"),
                        Button(tr(update, context, "unit.button.units"), "ua:units")))
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
        row = [Button(tr(update, context, "unit.button.leave"), "um:leave")]
        if unit is not None and unit.contact_id is None:
            parts.append(tr(update, context, "unit.no_contact"))
        else:
            row.insert(0, Button(tr(update, context, "unit.button.share_off" if shared else "unit.button.share_on"),
                                 "share:n" if shared else "share:y"))
        buttons.append(tuple(row))
    if not parts:
        pending = await svc.units.pending_application(actor.user_id)
        parts.append(
            tr(update, context, "unit.pending", unit=pending.unit_name)
            if pending
            else tr(update, context, "unit.outsider_view")
        )
    await send_text(update, context, "\n\n".join(parts), tuple(buttons))


async def _contact_view(
    update: Update, context: ContextTypes.DEFAULT_TYPE, unit_id: int
) -> tuple[str, list[tuple[Button, ...]]]:
    svc = services(context)
    unit = await svc.units.get(unit_id)
    assert unit is not None
    summary = await svc.unit_service.summary(unit_id, svc.clock.now().date())
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
        ),
        (
            Button(tr(update, context, "unit.button.handover"), "um:ho"),
            Button(tr(update, context, "unit.button.step_down"), "um:quit"),
        ),
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
    application = await svc.units.get_application(app_id)
    assert application is not None
    for admin_id in sorted(svc.settings.admin_ids):
        lang = await language_of_user(context, admin_id)
        await tell(context, admin_id, "unit.apply.to_admin.full", _decision_buttons(context, lang, app_id),
                   text=await _application_text(context, lang, application))
    await send_text(update, context, tr(update, context, "unit.apply.sent", unit=name))


def _decision_buttons(context: ContextTypes.DEFAULT_TYPE, lang: str, app_id: int) -> tuple[tuple[Button, ...], ...]:
    t = services(context).t
    return ((Button(t(lang, "unit.button.approve"), f"ua:ok:{app_id}"),
             Button(t(lang, "unit.button.reject"), f"ua:no:{app_id}")),)


async def _application_text(context: ContextTypes.DEFAULT_TYPE, lang: str, app: Application) -> str:
    """An application as an admin needs it: who, which unit, and whether that unit already has members and a
    past contact (approving hands those members to a new person, who sees nothing until they agree again)."""
    svc = services(context)
    history = await svc.units.history(app.unit_name)
    head = svc.t(lang, "unit.apply.to_admin", unit=app.unit_name, applicant=app.applicant,
                 user_id=app.user_id, id=app.id)
    if not history.exists:
        return head + "\n" + svc.t(lang, "unit.apply.history.new")
    before = svc.t(lang, "unit.apply.history.never")
    if history.left_at is not None and history.left_how:
        when = datetime.fromtimestamp(history.left_at, svc.clock.tz).strftime("%Y-%m-%d")
        if history.left_name:
            before = svc.t(lang, f"unit.apply.history.left_named.{history.left_how}", date=when,
                           name=history.left_name)
        else:
            before = svc.t(lang, f"unit.apply.history.left.{history.left_how}", date=when)
    return head + "\n" + svc.t(lang, "unit.apply.history.existing", members=history.members, before=before)


@requires(Action.DECIDE_APPLICATION, "unit.refused.admin_only")
async def application_button(update: Update, context: ContextTypes.DEFAULT_TYPE, actor: Actor) -> None:
    """``ua:ok:<id>`` / ``ua:no:<id>``: admins only, checked now, whoever's chat the button sits in.

    Also the admins' lists: ``ua:list`` (pending applications), ``ua:units`` (units with a contact),
    ``ua:drop:<unit>`` (ask) and ``ua:drop:<unit>:y`` (remove that unit's contact).
    """
    query = update.callback_query
    assert query is not None and query.data is not None
    svc = services(context)
    if query.data == "ua:list":
        await query.answer()
        await _send_pending(update, context)
        return
    if query.data == "ua:units":
        await query.answer()
        await _send_units(update, context)
        return
    if query.data.startswith("ua:drop:"):
        await _drop_contact(update, context, actor, int_arg(query.data, 2), query.data.endswith(":y"))
        return
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
        for member in await svc.units.members(unit.id):
            await tell(context, member.user_id, "unit.new_contact", share_buttons(context, await language_of_user(
                context, member.user_id)), unit=unit.name, contact=app.applicant)
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
    if unit.contact_id is None:  # nobody to share with yet: the member is asked when a contact arrives
        await send_text(update, context, tr(update, context, key, unit=unit.name).split("\n")[0] + "\n"
                        + tr(update, context, "unit.no_contact"))
        return
    await send_text(update, context, tr(update, context, key, unit=unit.name),
                    share_buttons(context, language_of(update, context)))


async def join_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    args = clean_args(context)
    if not args:
        await send_text(update, context, tr(update, context, "unit.join.usage"))
        return
    code = args[0]
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
    if not await svc.units.set_share(actor.user_id, share):
        await refuse(update, context, Action.SHARE, "unit.no_contact")
        return
    await query.answer()
    await edit_query_message(
        update, tr(update, context, "unit.share.saved_on" if share else "unit.share.saved_off")
    )


@with_actor
async def _leave_or_step_down(update: Update, context: ContextTypes.DEFAULT_TYPE, actor: Actor) -> None:
    """``/unit leave``: a member leaves (after confirming); a contact is offered to step down instead."""
    if actor.member_unit_id is None and actor.contact_unit_id is not None:
        await _ask_step_down(update, context)
    else:
        await _leave(update, context, False)


@requires(Action.LEAVE, "unit.refused.member_only")
async def _leave(update: Update, context: ContextTypes.DEFAULT_TYPE, actor: Actor, confirmed: bool) -> None:
    svc = services(context)
    unit = await svc.units.get(actor.member_unit_id or 0)
    name = unit.name if unit else "?"
    if not confirmed:
        await _ack(update)
        await send_text(update, context, tr(update, context, "unit.leave.confirm", unit=name),
                        _confirm_buttons(update, context, "um:leave:y", "unit.button.leave_yes"))
        return
    await svc.units.leave(actor.user_id)
    await _ack(update)
    await edit_query_message(update, tr(update, context, "unit.left", unit=name))


def _confirm_buttons(update: Update, context: ContextTypes.DEFAULT_TYPE, data: str,
                     label: str) -> tuple[tuple[Button, ...], ...]:
    """A destructive step's two buttons: do it, or keep everything as it is (``um:keep``)."""
    return ((Button(tr(update, context, label), data), Button(tr(update, context, "unit.button.keep"), "um:keep")),)


# ---------------------------------------------------------------------- contact's tools
def _managed_unit(actor: Actor) -> int:
    """The unit a contact manages; only called behind ``@requires`` of a contact's action."""
    assert actor.contact_unit_id is not None
    return actor.contact_unit_id


async def _ack(update: Update, toast: str | None = None) -> None:
    """Answer the pressed button when the step came from one (the same steps also run as commands)."""
    if update.callback_query is not None:
        await update.callback_query.answer(toast)


async def _members_or_say(
    update: Update, context: ContextTypes.DEFAULT_TYPE, actor: Actor, none_key: str
) -> list[Member]:
    """The contact's members, the button answered; with none, ``none_key`` is said instead."""
    members = await services(context).units.members(_managed_unit(actor))
    await _ack(update)
    if not members:
        await send_text(update, context, tr(update, context, none_key))
    return members


@requires(Action.LIST_MEMBERS, "unit.refused.contact_only")
async def _list_members(update: Update, context: ContextTypes.DEFAULT_TYPE, actor: Actor) -> None:
    members = await _members_or_say(update, context, actor, "unit.members.none")
    if not members:
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
    update: Update, context: ContextTypes.DEFAULT_TYPE, actor: Actor, member_id: int | None, confirmed: bool
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
    if not confirmed:
        await _ack(update)
        await send_text(update, context, tr(update, context, "unit.remove.confirm", name=member.display_name),
                        _confirm_buttons(update, context, f"um:rm:{member_id}:y", "unit.button.remove_yes"))
        return
    await svc.units.remove_member(unit_id, member_id)
    unit = await svc.units.get(unit_id)
    await _ack(update)
    await edit_query_message(update, tr(update, context, "unit.removed", name=member.display_name))
    await tell(context, member_id, "unit.removed_notice", unit=unit.name if unit else "?")


@requires(Action.ROTATE_INVITE, "unit.refused.contact_only")
async def _rotate(update: Update, context: ContextTypes.DEFAULT_TYPE, actor: Actor) -> None:
    code = await services(context).units.rotate_code(_managed_unit(actor))
    await _ack(update)
    await send_text(
        update, context, tr(update, context, "unit.rotated", link=link_for(context, code), code=code)
    )


async def member_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """``um:list`` / ``um:rot`` / ``um:rm:<member>[:y]`` / ``um:ho[:<member>]`` / ``um:quit[:y]`` (contact),
    ``um:leave[:y]`` (member), ``um:keep`` (a confirmation declined). ``:y`` is the confirmed step."""
    query = update.callback_query
    assert query is not None and query.data is not None
    data = query.data
    if data == "um:list":
        await _list_members(update, context)
    elif data == "um:rot":
        await _rotate(update, context)
    elif data in {"um:leave", "um:leave:y"}:
        await _leave(update, context, data.endswith(":y"))
    elif data.startswith("um:rm:") and data.count(":") in (2, 3):
        await _remove_member(update, context, int_arg(data, 2), data.count(":") == 3 and data.endswith(":y"))
    elif data == "um:ho":
        await _handover_choices(update, context)
    elif data.startswith("um:ho:"):
        await _offer_handover(update, context, int_arg(data, 2))
    elif data in {"um:quit", "um:quit:y"}:
        if data.endswith(":y"):
            await _step_down(update, context)
        else:
            await _ask_step_down(update, context)
    elif data == "um:keep":
        await query.answer()
        await edit_query_message(update, tr(update, context, "unit.kept"))
    else:
        await refuse(update, context, "member_button", "button.stale")


# ---------------------------------------------------------------------- leaving the contact role
@requires(Action.STEP_DOWN, "unit.refused.contact_only")
async def _ask_step_down(update: Update, context: ContextTypes.DEFAULT_TYPE, actor: Actor) -> None:
    unit = await services(context).units.get(_managed_unit(actor))
    await _ack(update)
    await send_text(update, context, tr(update, context, "unit.step_down.confirm", unit=unit.name if unit else "?"),
                    _confirm_buttons(update, context, "um:quit:y", "unit.button.step_down_yes"))


@requires(Action.STEP_DOWN, "unit.refused.contact_only")
async def _step_down(update: Update, context: ContextTypes.DEFAULT_TYPE, actor: Actor) -> None:
    svc = services(context)
    left = await svc.unit_service.contact_leaves(actor.user_id, "stepped_down", svc.clock.now())
    await _ack(update)
    if left is None:
        return
    await edit_query_message(update, tr(update, context, "unit.step_down.done", unit=left.unit.name,
                                        members=len(left.members)))
    await announce_contact_left(context, left, "stepped_down")


@requires(Action.STEP_DOWN, "unit.refused.contact_only")
async def _handover_choices(update: Update, context: ContextTypes.DEFAULT_TYPE, actor: Actor) -> None:
    members = await _members_or_say(update, context, actor, "unit.handover.no_members")
    if not members:
        return
    rows = tuple((Button(f"{i}. {m.display_name or m.user_id}", f"um:ho:{m.user_id}"),)
                 for i, m in enumerate(members[:MEMBER_BUTTONS_MAX], 1))
    await send_text(update, context, tr(update, context, "unit.handover.choose"), rows)


@requires(Action.STEP_DOWN, "unit.refused.contact_only")
async def _offer_handover(update: Update, context: ContextTypes.DEFAULT_TYPE, actor: Actor,
                          member_id: int | None) -> None:
    svc = services(context)
    unit_id = _managed_unit(actor)
    member = await svc.units.membership(member_id) if member_id is not None else None
    if member is None or member.unit_id != unit_id or not await svc.units.offer_handover(unit_id, member.user_id):
        await refuse(update, context, Action.STEP_DOWN, "unit.refused.not_your_member")
        return
    unit = await svc.units.get(unit_id)
    assert unit is not None
    await _ack(update)
    await edit_query_message(update, tr(update, context, "unit.handover.offered", name=member.display_name,
                                        unit=unit.name))
    lang = await language_of_user(context, member.user_id)
    buttons = ((Button(svc.t(lang, "unit.button.accept"), f"uh:y:{unit_id}"),
                Button(svc.t(lang, "unit.button.decline"), f"uh:n:{unit_id}")),)
    await tell(context, member.user_id, "unit.handover.offer", buttons, unit=unit.name)


async def handover_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """``uh:y:<unit>`` / ``uh:n:<unit>``: only the member the offer names may answer it (checked in SQL)."""
    query = update.callback_query
    assert query is not None and query.data is not None
    svc = services(context)
    parts = query.data.split(":")
    unit_id = int_arg(query.data, 2)
    unit = await svc.units.get(unit_id) if unit_id is not None and len(parts) == 3 else None
    user = update.effective_user
    assert user is not None
    if unit is None or unit.handover_to != user.id or parts[1] not in {"y", "n"}:
        await refuse(update, context, "handover", "unit.handover.stale")
        return
    await query.answer()
    if parts[1] == "n":
        await svc.units.cancel_handover(unit.id)
        await edit_query_message(update, tr(update, context, "unit.handover.declined_self", unit=unit.name))
        if unit.contact_id is not None:
            await tell(context, unit.contact_id, "unit.handover.declined", name=display_name(update), unit=unit.name)
        return
    result = await svc.unit_service.accept_handover(unit.id, user.id, svc.clock.now())
    if result is None:
        await edit_query_message(update, tr(update, context, "unit.handover.stale"))
        return
    previous, left = result
    fresh = await svc.units.get(unit.id)
    assert fresh is not None
    await edit_query_message(update, tr(update, context, "unit.decide.approved", unit=unit.name,
                                        link=link_for(context, fresh.invite_code), code=fresh.invite_code))
    await tell(context, previous, "unit.handover.done_previous", name=display_name(update), unit=unit.name)
    await announce_contact_left(context, left, "handed_over", new_contact=display_name(update))


# ---------------------------------------------------------------------- the admins' lists
@requires(Action.DECIDE_APPLICATION, "unit.refused.admin_only")
async def _pending(update: Update, context: ContextTypes.DEFAULT_TYPE, actor: Actor) -> None:
    await _send_pending(update, context)


async def _send_pending(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Each pending application as its own message with 批准 / 拒绝 (only called behind an admin check)."""
    svc = services(context)
    pending = await svc.units.pending_applications()
    if not pending:
        await send_text(update, context, tr(update, context, "unit.admin.no_pending"))
        return
    lang = language_of(update, context)
    await send_text(update, context, tr(update, context, "unit.admin.pending_title", count=len(pending)))
    for app in pending:
        await send_text(update, context, await _application_text(context, lang, app),
                        _decision_buttons(context, lang, app.id))


@requires(Action.DECIDE_APPLICATION, "unit.refused.admin_only")
async def _units_list(update: Update, context: ContextTypes.DEFAULT_TYPE, actor: Actor) -> None:
    await _send_units(update, context)


async def _send_units(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    units = await services(context).units.with_contacts()
    if not units:
        await send_text(update, context, tr(update, context, "unit.admin.no_units"))
        return
    rows = tuple((Button(tr(update, context, "unit.button.drop", unit=u.name), f"ua:drop:{u.id}"),)
                 for u in units[:MEMBER_BUTTONS_MAX])
    await send_text(update, context, tr(update, context, "unit.admin.units_title", count=len(units)), rows)


async def _drop_contact(update: Update, context: ContextTypes.DEFAULT_TYPE, actor: Actor, unit_id: int | None,
                        confirmed: bool) -> None:
    """An admin removes a unit's contact (after confirming); the contact and the members are told."""
    svc = services(context)
    unit = await svc.units.get(unit_id) if unit_id is not None else None
    if unit is None or unit.contact_id is None:
        await refuse(update, context, Action.DECIDE_APPLICATION, "unit.admin.drop_stale")
        return
    assert update.callback_query is not None
    await update.callback_query.answer()
    if not confirmed:
        await send_text(update, context, tr(update, context, "unit.admin.drop_confirm", unit=unit.name),
                        _confirm_buttons(update, context, f"ua:drop:{unit.id}:y", "unit.button.drop_yes"))
        return
    contact = unit.contact_id
    left = await svc.unit_service.contact_leaves(contact, "removed", svc.clock.now())
    if left is None:
        return
    log.info("contact of unit %s removed by admin %s", unit.id, actor.user_id)
    await edit_query_message(update, tr(update, context, "unit.admin.dropped", unit=unit.name,
                                        members=len(left.members)))
    await tell(context, contact, "unit.removed_contact", unit=unit.name)
    await announce_contact_left(context, left, "removed", skip_admin=actor.user_id)
