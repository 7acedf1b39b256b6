"""The outbox drainer: delivers queued broadcasts at Telegram's pace, one recipient row at a time.

Why one long-running asyncio task (started in ``post_init``, stopped in ``post_shutdown``) and not a
repeating JobQueue job: pacing at 25 messages/s means a decision every 40 ms, finer than a JobQueue tick is
meant for; a job that drains a 10,000-recipient broadcast runs for minutes and would overlap its own next
run; and the pacing state (the budget, when each chat last got a message, a RetryAfter pause) must live
across sends in one place. The task wakes at once when a broadcast is queued (:meth:`Drainer.wake`) and
otherwise polls every second for rows parked until later. SQLite stays the source of truth, so a restart
loses nothing: the in-memory state is only pacing.

Pacing:

* overall: the bot-wide :class:`~bot.engines.delivery.SendBudget` (an ``aiolimiter`` leaky bucket at
  ``rate`` messages/s with a burst of a tenth of a second's worth). Replies to users spend from the same
  budget without waiting for it, so a broadcast yields to interactive traffic; progress edits spend too;
* per chat: at least ``per_chat_interval`` (1 s) between two messages to the same chat, and never two in
  flight to one chat — rows for a busy chat are skipped, not waited for;
* at most ``max_in_flight`` requests at once, so a slow network still reaches the rate, while the number of
  rows whose fate a crash leaves unknown stays small.

Outcomes (see :mod:`bot.engines.delivery`):

* Blocked (403) → row ``blocked``, user marked inactive, never retried;
* RateLimited(n) → the row is parked until now + n, and the budget pauses background sending for n seconds
  (Telegram's 429 does not say which limit was hit; the drain already keeps every chat under 1 message/s, so
  it means the bot-wide budget is spent). Rows in flight finish; handlers are never stalled;
* a transient failure (5xx, network error, time-out) → parked with exponential back-off
  (:class:`~bot.engines.delivery.RetryPolicy`: 5 s doubling to 10 min, about 16 hours in all) — an outage
  delays a broadcast, it does not lose it;
* an unknown outcome (time-out after the request was sent): the message may have arrived. The row is
  marked ``unsure`` and retried once; a second unknown outcome ends it as sent, unconfirmed. Such rows are
  reported as "possibly duplicated", never as failed;
* a permanent failure (400 chat not found, text rejected) → ``failed``.

Delivery guarantee: each row is claimed ``pending → sending`` and committed *before* the request, then
recorded right after. After a crash, rows still in ``sending`` are treated as unknown outcomes (sent again
once, counted as possibly duplicated) — at most ``max_in_flight`` recipients per crash. A graceful stop lets
in-flight sends finish first, so it repeats nothing.

The module has no Telegram import: the handler layer injects ``send`` and ``on_progress``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from bot.engines.delivery import Blocked, RateLimited, RetryPolicy, SendBudget, SendFailed, SendFn, SleepFn
from bot.storage.outbox import Broadcast, BroadcastRepository, Claimed, Counts

log = logging.getLogger(__name__)

ProgressFn = Callable[[Broadcast, Counts, bool], Awaitable[None]]
BlockedFn = Callable[[int], Awaitable[None]]


@dataclass
class Drainer:
    outbox: BroadcastRepository
    send: SendFn
    rate: float
    now_ts: Callable[[], int]  # wall clock, Unix seconds (the injected Clock)
    on_progress: ProgressFn | None = None
    on_blocked: BlockedFn | None = None
    compose: Callable[[Claimed], str] | None = None  # the text as the recipient sees it (sender label)
    per_chat_interval: float = 1.0
    max_in_flight: int = 8
    progress_interval: float = 3.0
    idle_poll: float = 1.0
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    monotonic: Callable[[], float] = time.monotonic
    sleep: SleepFn = asyncio.sleep
    budget: SendBudget | None = None  # shared with interactive replies; its own when not given

    def __post_init__(self) -> None:
        if self.budget is None:
            self.budget = SendBudget(self.rate, sleep=self.sleep)
        self._wake = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None
        self._slots = asyncio.Semaphore(self.max_in_flight)
        self._inflight: dict[int, int] = {}  # chat -> number of requests in flight
        self._last_sent: dict[int, float] = {}  # chat -> monotonic time of the last request
        self._sends: set[asyncio.Task[None]] = set()
        self._dirty: set[int] = set()  # broadcasts with news for their sender
        self._last_progress: dict[int, float] = {}

    @property
    def pacer(self) -> SendBudget:
        assert self.budget is not None
        return self.budget

    # ------------------------------------------------------------------ lifecycle
    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    async def start(self) -> None:
        """Requeue rows a crash left in flight (as unknown outcomes), then drain in the background."""
        if self.running:
            return
        repeated = await self.outbox.reset_inflight()
        if repeated:
            log.warning("broadcast: %d message(s) were in flight at the last stop; their outcome is unknown, "
                        "so each is sent again once and counted as possibly duplicated", repeated)
        self._stopping = False
        for b in await self.outbox.active():
            self._dirty.add(b.id)
        self._task = asyncio.create_task(self._run(), name="broadcast-drainer")

    async def stop(self, timeout: float = 10.0) -> None:
        """Stop claiming, let in-flight sends finish (so they are recorded and never repeated), then end."""
        self._stopping = True
        self._wake.set()
        task, self._task = self._task, None
        if task is None:
            return
        done, _ = await asyncio.wait({task}, timeout=timeout)
        if not done:
            log.warning("broadcast: in-flight sends did not finish within %.0f s; stopping anyway", timeout)
            task.cancel()
            await asyncio.wait({task})
        if not task.cancelled() and task.exception() is not None:
            log.error("broadcast: the drainer had failed", exc_info=task.exception())

    def wake(self) -> None:
        """Something was queued: look at the outbox now rather than at the next poll."""
        self._wake.set()

    # ------------------------------------------------------------------ the loop
    def _busy_chats(self) -> list[int]:
        now = self.monotonic()
        for chat in [c for c, t in self._last_sent.items() if now - t >= self.per_chat_interval]:
            del self._last_sent[chat]
        return sorted(set(self._last_sent) | set(self._inflight))

    async def _run(self) -> None:
        try:
            while not self._stopping:
                await self.pacer.acquire()
                if self._stopping:
                    break
                await self._slots.acquire()
                if self._stopping:
                    self._slots.release()
                    break
                self._wake.clear()  # before the claim: a wake-up after it is never lost
                try:
                    claimed = await self.outbox.claim_next(self.now_ts(), self._busy_chats())
                except Exception:
                    self._slots.release()
                    log.exception("broadcast: claiming from the outbox failed; retrying shortly")
                    await self.sleep(self.idle_poll)
                    continue
                if claimed is None:
                    self._slots.release()
                    await self._report(idle=True)
                    await self._idle()
                    continue
                chat = claimed.user_id
                self._inflight[chat] = self._inflight.get(chat, 0) + 1
                self._last_sent[chat] = self.monotonic()
                task = asyncio.create_task(self._deliver(claimed))
                self._sends.add(task)
                task.add_done_callback(self._sends.discard)
                await self._report(idle=False)
        finally:
            if self._sends:
                await asyncio.gather(*self._sends, return_exceptions=True)
            try:
                await self._report(idle=True)
            except Exception:
                log.exception("broadcast: the last progress report failed")

    async def _idle(self) -> None:
        """Nothing claimable. If only busy chats hold rows back, wait (on the injected clock) until the first
        frees; otherwise sleep until woken (queued, or a send finished) or for at most ``idle_poll``."""
        if self._last_sent and not self._inflight:
            free_at = min(self._last_sent.values()) + self.per_chat_interval
            await self.sleep(max(0.0, min(free_at - self.monotonic(), self.idle_poll)))
            return
        timeout = min(self.idle_poll, 0.05) if self._inflight else self.idle_poll
        with contextlib.suppress(TimeoutError):  # the poll interval passed: look again
            await asyncio.wait_for(self._wake.wait(), timeout)

    async def _deliver(self, row: Claimed) -> None:
        chat = row.user_id
        try:
            await self._attempt(row)
        except Exception:  # recording the outcome failed (database trouble): the row stays 'sending'
            log.exception("broadcast: could not record the outcome for row %d; it is retried after a restart",
                          row.row_id)
        finally:
            left = self._inflight.get(chat, 1) - 1
            if left > 0:
                self._inflight[chat] = left
            else:
                self._inflight.pop(chat, None)
            self._slots.release()
            self._dirty.add(row.broadcast_id)
            if not self._inflight:
                self._wake.set()

    async def _attempt(self, row: Claimed) -> None:
        """Send one row and record what became of it."""
        chat, now = row.user_id, self.now_ts()
        try:
            await self.send(chat, self.compose(row) if self.compose is not None else row.text, ())
        except Blocked:
            await self.outbox.finish_row(row.row_id, "blocked", now, "forbidden")
            if self.on_blocked is not None:
                try:
                    await self.on_blocked(chat)
                except Exception:
                    log.exception("broadcast: could not mark a blocked recipient inactive")
        except RateLimited as exc:
            wait = max(1.0, float(exc.retry_after))
            log.warning("broadcast: Telegram asked to retry after %.0f s; pausing the drain", wait)
            self.pacer.pause(wait)
            await self.outbox.park(row.row_id, now + int(wait + 0.999), now, "retry_after")
        except SendFailed as exc:
            await self._failed(row, exc, now)
        except Exception as exc:  # a bug in the sender: recorded, the drain goes on
            log.exception("broadcast: unexpected send error")
            await self.outbox.finish_row(row.row_id, "failed", now, type(exc).__name__)
        else:
            await self.outbox.finish_row(row.row_id, "sent", now)

    async def _failed(self, row: Claimed, exc: SendFailed, now: int) -> None:
        reason = str(exc)[:200]
        if exc.unknown:
            if row.unsure:  # retried once already after an unknown outcome: most likely it arrived
                await self.outbox.finish_row(row.row_id, "sent", now, f"unconfirmed: {reason}", unsure=True)
                return
            await self.outbox.park(row.row_id, now + int(self.retry.delay(row.attempts)), now, reason,
                                   unsure=True)
        elif exc.transient and not self.retry.gives_up(row.attempts):
            await self.outbox.park(row.row_id, now + int(self.retry.delay(row.attempts)), now, reason)
        else:
            if exc.transient:
                log.error("broadcast: row %d still failing after %d attempts; giving up", row.row_id,
                          row.attempts)
            await self.outbox.finish_row(row.row_id, "failed", now, reason)

    # ------------------------------------------------------------------ progress for the senders
    async def _report(self, idle: bool) -> None:
        """Edit each sender's progress message at most every ``progress_interval``; close finished ones.

        A broadcast is closed (marked done, final report) only when the outbox has nothing pending or in
        flight for it, checked in SQL, so a report never precedes the last delivery.
        """
        if not self._dirty:
            return
        now = self.monotonic()
        for broadcast_id in list(self._dirty):
            last = self._last_progress.get(broadcast_id)
            throttled = last is not None and now - last < self.progress_interval
            if throttled and not idle:
                continue
            finished = False
            try:
                finished = await self.outbox.mark_done(broadcast_id, self.now_ts())
                if throttled and not finished:
                    continue  # stays dirty: reported once the interval has passed
                self._dirty.discard(broadcast_id)
                self._last_progress[broadcast_id] = now
                broadcast = await self.outbox.get(broadcast_id)
                if broadcast is None or (broadcast.status == "done" and not finished):
                    continue
                counts = await self.outbox.counts(broadcast_id)
                if self.on_progress is not None:
                    await self.pacer.acquire()
                    await self.on_progress(broadcast, counts, finished)
            except Exception:
                self._dirty.discard(broadcast_id)
                log.exception("broadcast: progress report for %d failed", broadcast_id)
            if finished:
                self._last_progress.pop(broadcast_id, None)
