"""Reminder drafts: what ``/remind`` may save, and what 确认 does with a draft whose time has already passed.

A draft is a row in SQLite (status ``draft``), so 确认 still works after a restart, and nothing fires before it.
A draft confirmed after its time is cancelled, never delivered late; the presser is told it expired. Every
step names the user, so a forged or foreign button changes nothing (the repository checks ownership and
state in the same UPDATE).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.storage.reminders import Reminder, ReminderRepository

MAX_SUBJECT = 200  # characters of "what to remind"
MAX_UPCOMING = 50  # pending and draft personal reminders per user


class Refusal(StrEnum):
    """Why a draft was not opened; the value names the catalog message ``rm.<value>``."""

    NO_SUBJECT = "no_subject"
    TOO_LONG = "too_long"
    TOO_MANY = "too_many"


class Confirmation(StrEnum):
    SAVED = "saved"  # now pending: it will fire
    EXPIRED = "expired"  # its time passed before 确认: cancelled
    STALE = "stale"  # not the presser's draft, or no longer a draft


@dataclass(frozen=True, slots=True)
class ReminderDrafts:
    reminders: ReminderRepository

    async def open(self, user_id: int, subject: str, when: datetime, now: datetime) -> int | Refusal:
        """Store a draft of ``subject`` at ``when``; its id, or why not."""
        if not subject:
            return Refusal.NO_SUBJECT
        if len(subject) > MAX_SUBJECT:
            return Refusal.TOO_LONG
        if await self.reminders.count_upcoming(user_id) >= MAX_UPCOMING:
            return Refusal.TOO_MANY
        return await self.reminders.create(user_id, "personal", subject, when, now)

    async def confirm(
        self, user_id: int, reminder_id: int, now: datetime
    ) -> tuple[Confirmation, Reminder | None]:
        """确认: the user's draft becomes pending, unless its time has passed meanwhile (then it is cancelled)."""
        row = await self.reminders.get(reminder_id)
        if row is not None and row.user_id == user_id and row.status == "draft" and row.due_at <= now.timestamp():
            await self.reminders.transition(user_id, reminder_id, ("draft",), "cancelled")
            return Confirmation.EXPIRED, row
        row = await self.reminders.transition(user_id, reminder_id, ("draft",), "pending")
        return (Confirmation.SAVED, row) if row is not None else (Confirmation.STALE, None)
