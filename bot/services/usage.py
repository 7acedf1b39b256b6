"""The usage report behind ``/stats`` and ``accbot stats``: one query path, so both show the same numbers."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.answers.usage_view import UsageReport
from bot.services.container import Services

RECENT_UNANSWERED = 15


async def usage_report(svc: Services, now: datetime) -> UsageReport:
    ts = int(now.timestamp())
    total, active, blocked = await svc.users.usage(now - timedelta(days=30))
    sending, done, queued = await svc.broadcasts.activity(int((now - timedelta(days=30)).timestamp()))
    due, soon = await svc.reminders.due_counts(ts, 24 * 3600)
    return UsageReport(
        users=total,
        active=active,
        blocked=blocked,
        unanswered=await svc.unanswered.count_since(now - timedelta(days=7)),
        broadcasts_sending=sending,
        broadcasts_done=done,
        messages_queued=queued,
        reminders_due=due,
        reminders_next_day=soon,
        recent_unanswered=tuple(await svc.unanswered.recent(RECENT_UNANSWERED)),
    )
