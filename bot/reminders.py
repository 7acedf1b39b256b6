"""Reminder planning: which built-in reminders the year's policy implies, who gets them, and their text.

Everything here is pure: it takes the policy, an assessment, a ``now`` and a translator, never the clock
or the database, so the rules can be tested with values.

Why campaigns and not one row per user up front: 100,000 subscribers × a dozen policy dates would be over
a million rows that mostly go stale as people earn their credits. A *campaign* is one row per policy date
(``2026:deadline:30``); on its day the dispatcher expands it into one delivery row per subscribed user with
a single ``INSERT … SELECT`` (each at that user's preferred time), and whether the user is still concerned
(not met, gap in a makeup year, institution staff) is decided at dispatch, on the dispatch date, with the
user's credits as they are then. Nothing here holds a date: every day comes from the policy.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Literal
from zoneinfo import ZoneInfo

from bot.credits import Assessment, Profile
from bot.credits_view import fmt_date, render_makeup_line
from bot.i18n import Translator
from bot.numbers import fmt_number
from bot.policy import Policy
from bot.reply import Button

__all__ = [
    "DEFAULT_QUIET",
    "DEFAULT_REMIND_AT",
    "PLAN_DUE_DAYS_BEFORE",
    "SNOOZES",
    "CampaignSpec",
    "QuietHours",
    "campaign_concerns",
    "campaigns_for",
    "day_start",
    "defer_for_quiet",
    "parse_clock",
    "render_campaign",
    "render_f2f",
    "render_missed_summary",
    "render_personal",
    "shortfall_line",
    "snooze_until",
]

CampaignKind = Literal["online_open", "makeup_open", "makeup_close", "deadline", "plan_due"]
Audience = Literal["all", "institution"]

DEFAULT_REMIND_AT = 9 * 60  # 09:00, minutes after midnight
DEFAULT_QUIET = (22 * 60, 8 * 60)  # 22:00–08:00
# The notice fixes the plan-submission day (institutions.plan_due_*) but not when to remind; a week
# ahead and on the day mirrors the makeup-window close reminders. Used unless the policy says otherwise.
PLAN_DUE_DAYS_BEFORE: tuple[int, ...] = (7, 0)
# After a face-to-face course: remind this many calendar days before the report is due, and on the day.
F2F_DAYS_BEFORE: tuple[int, ...] = (3, 0)
SNOOZES: tuple[str, ...] = ("1h", "tm", "3d")


@dataclass(frozen=True, slots=True)
class CampaignSpec:
    """One built-in reminder date of the policy."""

    key: str
    kind: CampaignKind
    audience: Audience
    fire_day: date
    arg: int = 0  # days before the date the reminder is about


def campaigns_for(policy: Policy) -> list[CampaignSpec]:
    """Every built-in reminder the policy implies, in date order; keys are stable across restarts."""
    y = policy.year
    specs = [
        CampaignSpec(f"{y}:online_open", "online_open", "all", policy.online_study.start),
        CampaignSpec(f"{y}:makeup_open", "makeup_open", "all", policy.makeup.start),
    ]
    for d in policy.reminders.makeup_close_days_before:
        specs.append(
            CampaignSpec(
                f"{y}:makeup_close:{d}", "makeup_close", "all", policy.makeup.end - timedelta(days=d), d
            )
        )
    for d in policy.reminders.deadline_days_before:
        specs.append(
            CampaignSpec(f"{y}:deadline:{d}", "deadline", "all", policy.deadline - timedelta(days=d), d)
        )
    plan_offsets = getattr(policy.reminders, "plan_due_days_before", PLAN_DUE_DAYS_BEFORE)
    for d in plan_offsets:
        specs.append(
            CampaignSpec(
                f"{y}:plan_due:{d}", "plan_due", "institution", policy.plan_due - timedelta(days=d), d
            )
        )
    return sorted(specs, key=lambda s: (s.fire_day, s.key))


def campaign_concerns(kind: str, assessment: Assessment, profile: Profile | None) -> bool:
    """Whether this user still needs the reminder, judged on the dispatch date.

    Deadline and online-study reminders go to users not yet met or unknown (nothing recorded counts as
    not met) unless their profile shows they need not study this year; makeup reminders only to users
    with a recorded or unknown gap in a makeup year; the plan reminder to every institution user.
    """
    if kind == "plan_due":
        return profile is not None and profile.is_institution
    if kind in ("makeup_open", "makeup_close"):
        return any(m.required is not False and m.gap is not False for m in assessment.makeup)
    return assessment.required is not False and not assessment.met


# ------------------------------------------------------------------------------------------ time of day


@dataclass(frozen=True, slots=True)
class QuietHours:
    """A daily window (minutes after midnight) in which the bot's own reminders wait; may wrap midnight."""

    start: int
    end: int

    def contains(self, minute: int) -> bool:
        if self.start == self.end:
            return False
        if self.start < self.end:
            return self.start <= minute < self.end
        return minute >= self.start or minute < self.end


def parse_clock(text: str) -> int | None:
    """``"9:30"`` / ``"09:30"`` / ``"21点"`` → minutes after midnight, or ``None``."""
    s = text.strip().replace("：", ":").replace("点", ":").rstrip(":")
    hh, _, mm = s.partition(":")
    if not hh.isdigit() or (mm and not mm.isdigit()):
        return None
    h, m = int(hh), int(mm or 0)
    if not (0 <= h <= 23 and 0 <= m <= 59):
        return None
    return h * 60 + m


def day_start(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=tz)


def defer_for_quiet(when: datetime, quiet: QuietHours, tz: ZoneInfo) -> datetime | None:
    """The end of the quiet hours ``when`` falls in, or ``None`` when it is outside them."""
    local = when.astimezone(tz)
    minute = local.hour * 60 + local.minute
    if not quiet.contains(minute):
        return None
    end = datetime.combine(local.date(), time(quiet.end // 60, quiet.end % 60), tzinfo=tz)
    if end <= local:
        end += timedelta(days=1)
    return end


def snooze_until(choice: str, now: datetime, remind_at: int, tz: ZoneInfo) -> datetime | None:
    """1h → an hour from now; tm → tomorrow at the user's preferred time; 3d → three days from now."""
    if choice == "1h":
        return now + timedelta(hours=1)
    if choice == "3d":
        return now + timedelta(days=3)
    if choice == "tm":
        tomorrow = now.astimezone(tz).date() + timedelta(days=1)
        return day_start(tomorrow, tz) + timedelta(minutes=remind_at)
    return None


def hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


# ----------------------------------------------------------------------------------------------- texts


def _n(value: Decimal | int | None) -> str:
    return fmt_number(value if value is not None else 0)


def shortfall_line(a: Assessment, lang: str, t: Translator) -> str:
    """What this user personally still misses this year, in one sentence."""
    if a.met:
        return t(lang, "rm.short.met", year=a.year, total=_n(a.total))
    if not a.has_record:
        return t(
            lang, "rm.short.unknown", year=a.year, min_total=a.min_total, min_professional=a.min_professional
        )
    if a.min_additional_professional:
        return t(
            lang,
            "rm.short.missing_pro",
            year=a.year,
            total=_n(a.total),
            missing=_n(a.min_additional),
            missing_professional=_n(a.min_additional_professional),
        )
    return t(lang, "rm.short.missing", year=a.year, total=_n(a.total), missing=_n(a.min_additional))


def render_campaign(
    kind: str, arg: int, policy: Policy, a: Assessment, lang: str, t: Translator, today: date
) -> str:
    """The text of one built-in reminder for one user: the event, then that user's own shortfall."""
    args = dict(policy.as_format_args())
    args.update(
        deadline_text=fmt_date(policy.deadline, lang),
        makeup_end_text=fmt_date(policy.makeup.end, lang),
        makeup_start_text=fmt_date(policy.makeup.start, lang),
        online_start_text=fmt_date(policy.online_study.start, lang),
        plan_due_text=fmt_date(policy.plan_due, lang),
        days=arg,
    )
    if kind == "deadline":
        head = t(lang, "rm.campaign.deadline", **args)
    elif kind == "makeup_close":
        head = t(lang, "rm.campaign.makeup_last_day" if arg == 0 else "rm.campaign.makeup_close", **args)
    elif kind == "plan_due":
        head = t(lang, "rm.campaign.plan_due_today" if arg == 0 else "rm.campaign.plan_due", **args)
        return head
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


def render_f2f(
    title: str, ended_on: date, report_due: date, approximate: bool, days: int, lang: str, t: Translator
) -> str:
    text = t(
        lang,
        "rm.f2f.delivered",
        title=title or t(lang, "rm.f2f.untitled"),
        ended=fmt_date(ended_on, lang),
        due=fmt_date(report_due, lang),
        days=days,
    )
    if approximate:
        text += "\n" + t(lang, "rm.f2f.approximate")
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
