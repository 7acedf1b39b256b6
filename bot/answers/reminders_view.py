"""The text and buttons of delivered reminders: the event, then the user's own shortfall.

Planning (who gets what, when) is ``bot.domain.reminders``; this module only renders, through the catalogs.
"""

from __future__ import annotations

from datetime import date, datetime

from bot.answers.credits_view import fmt_credits, fmt_date, render_makeup_line
from bot.answers.i18n import Translator
from bot.answers.reply import Button
from bot.domain.credits import Assessment
from bot.domain.reminders import hhmm
from bot.domain.workdays import WorkdayResult
from knowledge.policy import Policy


def shortfall_line(a: Assessment, lang: str, t: Translator) -> str:
    """What this user personally still misses this year, in one sentence."""
    if a.met:
        return t(lang, "rm.short.met", year=a.year, total=fmt_credits(a.total))
    if not a.has_record:
        return t(
            lang, "rm.short.unknown", year=a.year, min_total=a.min_total, min_professional=a.min_professional
        )
    if a.missing_professional:
        return t(
            lang,
            "rm.short.missing_pro",
            year=a.year,
            total=fmt_credits(a.total),
            missing=fmt_credits(a.min_additional),
            missing_professional=fmt_credits(a.missing_professional),
        )
    return t(lang, "rm.short.missing", year=a.year, total=fmt_credits(a.total), missing=fmt_credits(a.min_additional))


def render_campaign(
    kind: str, arg: int, policy: Policy, a: Assessment, lang: str, t: Translator, today: date
) -> str:
    """The text of one built-in reminder for one user on ``today``: the event, then the user's own shortfall.

    Day counts are computed now, the way /credits counts them (today and the last day both count), so a
    reminder delivered late or re-sent never disagrees with /credits.
    """
    args = dict(policy.as_format_args())
    args.update(
        deadline_text=fmt_date(policy.deadline, lang),
        online_start_text=fmt_date(policy.online_study.start, lang),
        plan_due_text=fmt_date(policy.plan_due, lang),
        next_year=policy.year + 1,
        days=arg,
    )
    if policy.makeup is not None:
        args.update(makeup_end_text=fmt_date(policy.makeup.end, lang),
                    makeup_start_text=fmt_date(policy.makeup.start, lang))
    if kind == "deadline":
        args["days"] = (policy.deadline - today).days + 1
        head = t(lang, "rm.campaign.deadline_today" if today == policy.deadline else "rm.campaign.deadline", **args)
    elif kind == "deadline_passed":
        return t(lang, "rm.campaign.deadline_passed", **args) + "\n\n" + shortfall_line(a, lang, t)
    elif kind == "makeup_close" and policy.makeup is not None:
        args["days"] = (policy.makeup.end - today).days + 1
        last = today == policy.makeup.end
        head = t(lang, "rm.campaign.makeup_last_day" if last else "rm.campaign.makeup_close", **args)
    elif kind == "plan_due":
        args["days"] = (policy.plan_due - today).days
        return t(lang, "rm.campaign.plan_due_today" if today == policy.plan_due else "rm.campaign.plan_due", **args)
    else:
        head = t(lang, f"rm.campaign.{kind}", **args)
    lines = [head]
    if kind in ("makeup_open", "makeup_close"):
        for m in a.makeup:
            line = render_makeup_line(m, lang, t)
            if line:
                lines.append(line)
    else:
        lines.append(shortfall_line(a, lang, t))
    lines.append(t(lang, "rm.campaign.footer", **args))
    return "\n\n".join(lines)


def render_personal(subject: str, lang: str, t: Translator) -> str:
    return t(lang, "rm.personal.delivered", subject=subject or t(lang, "rm.personal.no_subject"))


def render_f2f(title: str, ended_on: date, report: WorkdayResult, days: int, lang: str, t: Translator) -> str:
    text = t(
        lang,
        "rm.f2f.delivered",
        title=title or t(lang, "rm.f2f.untitled"),
        ended=fmt_date(ended_on, lang),
        due=fmt_date(report.due, lang),
        days=days,
    )
    if report.approximate:
        text += "\n" + t(lang, "rm.f2f.approximate", years="、".join(str(y) for y in report.estimated_years))
    return text


def render_missed_summary(items: list[tuple[str, datetime]], lang: str, t: Translator) -> str:
    """One message listing what fell due while the bot was away too long to deliver it late."""
    lines = [t(lang, "rm.missed.head", count=len(items))]
    for what, when in items[:10]:
        lines.append(t(lang, "rm.missed.item", what=what, when=when.strftime("%m-%d %H:%M")))
    if len(items) > 10:
        lines.append(t(lang, "rm.missed.more", count=len(items) - 10))
    lines.append(t(lang, "rm.missed.tail"))
    return "\n".join(lines)


def delivered_buttons(
    reminder_id: int, kind: str, remind_at: int, lang: str, t: Translator
) -> tuple[tuple[Button, ...], ...]:
    """完成 and the three snoozes on personal and face-to-face reminders; settings on built-in ones."""
    if kind in ("personal", "f2f"):
        return (
            (Button(t(lang, "rm.btn.done"), f"rm:done:{reminder_id}"),),
            (
                Button(t(lang, "rm.btn.snooze_1h"), f"rm:snooze:{reminder_id}:1h"),
                Button(t(lang, "rm.btn.snooze_tm", time=hhmm(remind_at)), f"rm:snooze:{reminder_id}:tm"),
                Button(t(lang, "rm.btn.snooze_3d"), f"rm:snooze:{reminder_id}:3d"),
            ),
        )
    if kind == "campaign":
        return (
            (
                Button(t(lang, "rm.btn.credits"), "menu:credits"),
                Button(t(lang, "rm.btn.settings"), "set:show"),
            ),
        )
    return ()
