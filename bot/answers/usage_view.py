"""The admins' usage report, rendered the same for ``/stats`` in the chat and ``accbot stats`` on the server."""

from __future__ import annotations

from dataclasses import dataclass

from bot.answers.i18n import Translator


@dataclass(frozen=True, slots=True)
class UsageReport:
    users: int
    active: int  # seen in the last 30 days
    blocked: int  # blocked the bot (marked inactive)
    unanswered: int  # questions not answered in the last 7 days
    broadcasts_sending: int
    broadcasts_done: int  # finished in the last 30 days
    messages_queued: int  # broadcast messages still to send
    reminders_due: int  # due and not yet sent
    reminders_next_day: int  # falling due in the next 24 hours
    recent_unanswered: tuple[tuple[str, str], ...] = ()  # (kind, text), newest first


def render_usage(report: UsageReport, t: Translator, lang: str) -> str:
    lines = [t(lang, "admin.stats", total=report.users, active=report.active, blocked=report.blocked,
               unanswered=report.unanswered, sending=report.broadcasts_sending, done=report.broadcasts_done,
               queued=report.messages_queued, due=report.reminders_due, soon=report.reminders_next_day)]
    if report.recent_unanswered:
        lines.append(t(lang, "admin.unanswered.title"))
        lines += [t(lang, "admin.unanswered.line", text=text, kind=t(lang, f"admin.kind.{kind}"))
                  for kind, text in report.recent_unanswered]
    return "\n".join(lines)
