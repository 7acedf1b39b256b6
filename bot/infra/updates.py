"""How updates reach the handlers: concurrent across chats, in order within a chat, floods dropped cheaply.

Why not ``concurrent_updates(True)``: it lets two updates of one chat run at once, so a user races their own
state (a draft and its confirmation, a button pressed twice; PTB issue #3575). Why not one at a time: with
Telegram's ~150 ms per call a crowd of 100 waits half a minute. This processor gives each chat a lock (held
only while that chat has work queued), so one chat's updates run in arrival order while different chats run
concurrently, at most ``max_concurrent`` at once (256, PTB's own bound for ``concurrent_updates(True)``:
an update mostly waits for Telegram, so a slot costs little). The slot is taken *after* the chat's lock, so a chat that
floods queues behind itself without keeping anybody else's update waiting.

Flood limit: a chat may have at most ``max_backlog`` updates waiting behind the one being handled. An update
beyond that is dropped before it takes a lock or a slot: its coroutine is closed unawaited, and the user gets
one polite notice per flood (``on_flood``), not one per dropped update. Why a backlog and not a rate: someone
who waits for each answer (a person, or a scripted scenario through an emulator) is never a flood however fast
they type, while 300 messages sent at once are, and only a backlog tells the two apart.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

log = logging.getLogger(__name__)

FloodNotice = Callable[[Update], Awaitable[None]]

# PTB's own semaphore wraps do_process_update; ours bounds the real work, so theirs only caps queued tasks.
_QUEUED_LIMIT = 100_000


class ChatOrderedProcessor(BaseUpdateProcessor):
    """Per-chat order, bounded concurrency across chats, and a per-user flood limit."""

    def __init__(self, max_concurrent: int = 256, *, max_backlog: int = 10,
                 on_flood: FloodNotice | None = None) -> None:
        super().__init__(_QUEUED_LIMIT)
        self.max_concurrent = max_concurrent
        self.max_backlog = max_backlog
        self.on_flood = on_flood
        self._slots = asyncio.Semaphore(max_concurrent)
        self._chats: dict[int, tuple[asyncio.Lock, int]] = {}  # chat -> (lock, updates holding or awaiting it)
        self._noticed: set[int] = set()  # users told to slow down during their current flood
        self.dropped = 0

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        self._chats.clear()
        self._noticed.clear()

    # ------------------------------------------------------------------ flood limit
    async def _drop(self, update: Update, coroutine: Awaitable[Any]) -> None:
        self.dropped += 1
        if asyncio.iscoroutine(coroutine):
            coroutine.close()
        user = update.effective_user
        if user is None or user.id in self._noticed or self.on_flood is None:
            return
        self._noticed.add(user.id)
        try:
            await self.on_flood(update)
        except Exception:
            log.warning("could not send a flood notice", exc_info=True)

    # ------------------------------------------------------------------ processing
    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        if not isinstance(update, Update):
            async with self._slots:
                await coroutine
            return
        user = update.effective_user
        chat = update.effective_chat
        key = chat.id if chat is not None else (user.id if user is not None else 0)
        lock, waiting = self._chats.get(key) or (asyncio.Lock(), 0)
        if waiting > self.max_backlog:  # one in hand and max_backlog queued behind it already
            await self._drop(update, coroutine)
            return
        self._chats[key] = (lock, waiting + 1)
        try:
            async with lock, self._slots:
                await coroutine
        finally:
            lock, waiting = self._chats[key]
            if waiting <= 1:
                del self._chats[key]
                if user is not None:
                    self._noticed.discard(user.id)  # the flood is over: a new one gets a new notice
            else:
                self._chats[key] = (lock, waiting - 1)
