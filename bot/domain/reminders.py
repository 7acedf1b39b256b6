"""Reminder planning: which built-in reminders the year's policy implies and who gets them.

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
from typing import Literal
from zoneinfo import ZoneInfo

from bot.domain.clock import at_minute
from bot.domain.credits import Assessment, Profile
from knowledge.policy import Policy

__all__ = [
    "DEFAULT_QUIET",
    "DEFAULT_REMIND_AT",
    "SNOOZES",
    "CampaignSpec",
    "QuietHours",
    "about_day",
    "campaign_concerns",
    "campaigns_for",
    "defer_for_quiet",
    "delivery_minute",
    "parse_clock",
    "snooze_until",
]

CampaignKind = Literal["online_open", "makeup_open", "makeup_close", "deadline", "deadline_passed", "plan_due"]
Audience = Literal["all", "institution"]

DEFAULT_REMIND_AT = 9 * 60  # 09:00, minutes after midnight
DEFAULT_QUIET = (22 * 60, 8 * 60)  # 22:00–08:00
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
    """Every built-in reminder the policy implies, in date order; keys are stable across restarts.

    The last one is the day after the deadline: one message to those who had not met it, after which the
    policy has nothing more to remind about, so reminders pause until the next year's policy is loaded.
    """
    y = policy.year
    offsets = policy.reminders
    specs = [CampaignSpec(f"{y}:online_open", "online_open", "all", policy.online_study.start)]
    if policy.makeup is not None:
        specs.append(CampaignSpec(f"{y}:makeup_open", "makeup_open", "all", policy.makeup.start))
        for d in offsets.makeup_close_days_before:
            day = policy.makeup.end - timedelta(days=d)
            specs.append(CampaignSpec(f"{y}:makeup_close:{d}", "makeup_close", "all", day, d))
    for d in offsets.deadline_days_before:
        specs.append(CampaignSpec(f"{y}:deadline:{d}", "deadline", "all", policy.deadline - timedelta(days=d), d))
    specs.append(CampaignSpec(f"{y}:deadline_passed", "deadline_passed", "all", policy.deadline + timedelta(days=1)))
    for d in offsets.plan_due_days_before:
        day = policy.plan_due - timedelta(days=d)
        specs.append(CampaignSpec(f"{y}:plan_due:{d}", "plan_due", "institution", day, d))
    return sorted(specs, key=lambda s: (s.fire_day, s.key))


def about_day(kind: str, policy: Policy) -> date | None:
    """The policy date a campaign is about (a reminder must not arrive after it), or ``None``."""
    if kind == "deadline":
        return policy.deadline
    if kind == "makeup_close" and policy.makeup is not None:
        return policy.makeup.end
    if kind == "plan_due":
        return policy.plan_due
    return None


def campaign_concerns(kind: str, assessment: Assessment, profile: Profile | None) -> bool:
    """Whether this user still needs the reminder, judged on the dispatch date.

    Deadline and online-study reminders go to users not yet met or unknown (nothing recorded counts as
    not met) unless their profile shows they need not study this year; makeup reminders only to users
    with a recorded or unknown gap in a makeup year; the plan reminder to every institution user.
    """
    if kind == "plan_due":
        return profile is not None and profile.is_institution
    if kind == "deadline_passed":  # only to those who had to study and did not make it
        return assessment.required is not False and not assessment.met
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


def delivery_minute(remind_at: int, quiet: QuietHours) -> int:
    """When on its day the bot delivers its own reminder: the preferred time, unless quiet hours cover it.

    A reminder is about a day ("还有1天", "due 12-04"); waiting for the quiet hours to end would push it to the
    next day, so it goes out before the quiet hours begin instead (15 minutes ahead), still on its day. Only
    when the quiet hours cover the start of the day (00:00–08:00 and a 07:00 preference) does it wait for
    them to end, which is later the same day.
    """
    if not quiet.contains(remind_at):
        return remind_at
    start, end = quiet.start, quiet.end
    if start < end:  # a daytime window, e.g. 12:00–14:00
        return start - 15 if start >= 15 else end
    if remind_at >= start:  # the evening part of a window across midnight
        return max(start - 15, end)
    return end  # the early-morning part: when it ends, the same day


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
        return at_minute(tomorrow, remind_at, tz)
    return None


def hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"
