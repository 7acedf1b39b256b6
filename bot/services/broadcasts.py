"""Broadcast use cases: who may open a draft, the daily limit, and queueing a confirmed draft.

The rules live here, not in the Telegram handler: a contact reaches only their own unit, an admin everyone;
one broadcast at a time per sender; a contact's ``daily_limit`` counts the broadcasts queued since local
midnight (admins are trusted to pace themselves). Queueing re-checks the limit inside the repository's
transaction, so two presses of 发送 cannot both slip under it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from bot.domain.units import Actor, broadcast_scope, daily_limit_applies, today_began
from bot.storage.outbox import BroadcastRepository

Refusal = Literal["role", "running", "daily_limit", "no_recipients"]


@dataclass(frozen=True, slots=True)
class Opened:
    draft_id: int
    scope: str  # 'all' | 'unit'
    recipients: int


class BroadcastService:
    def __init__(self, broadcasts: BroadcastRepository, daily_limit: int) -> None:
        self.broadcasts = broadcasts
        self.daily_limit = daily_limit

    async def open(self, actor: Actor, now: datetime) -> Opened | Refusal:
        """A draft awaiting its text, or why the actor may not start one now."""
        scope = broadcast_scope(actor)
        if scope is None:
            return "role"
        if await self.broadcasts.running(actor.user_id) is not None:
            return "running"
        if daily_limit_applies(actor) and \
                await self.broadcasts.queued_since(actor.user_id, today_began(now)) >= self.daily_limit:
            return "daily_limit"
        count = await self.broadcasts.count_recipients(scope[0], scope[1], actor.user_id)
        if count == 0:
            return "no_recipients"
        draft_id = await self.broadcasts.open_draft(actor.user_id, scope[0], scope[1], now)
        return Opened(draft_id, scope[0], count)

    async def queue(self, actor: Actor, draft_id: int, now: datetime, progress_chat_id: int,
                    progress_message_id: int) -> tuple[str, int]:
        """Queue a previewed draft for delivery: ('queued', recipients) or (why not, 0)."""
        return await self.broadcasts.queue(
            draft_id, now, since=today_began(now),
            daily_limit=self.daily_limit if daily_limit_applies(actor) else None,
            progress_chat_id=progress_chat_id, progress_message_id=progress_message_id,
        )
