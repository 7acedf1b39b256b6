"""The outbox drainer: delivers queued broadcasts at Telegram's pace, one recipient row at a time.

Why one long-running asyncio task (started in ``post_init``, stopped in ``post_shutdown``) and not a
repeating JobQueue job: pacing at 25 messages/s means a decision every 40 ms, finer than a JobQueue tick is
meant for; a job that drains a 10,000-recipient broadcast runs for minutes and would overlap its own next
run; and the pacing state (the token bucket, when each chat last got a message, a RetryAfter pause) must live
across sends in one place. The task wakes at once when a broadcast is queued (:meth:`Drainer.wake`) and
otherwise polls every second for rows parked until later. SQLite stays the source of truth, so a restart
loses nothing: the in-memory state is only pacing.

Pacing:

* overall: a token bucket at ``rate`` messages/s with a small burst (``max(1, rate/10)``), so any one-second
  window stays under Telegram's ~30/s; progress edits for the senders take tokens too;
* per chat: at least ``per_chat_interval`` (1 s) between two messages to the same chat, and never two in
  flight to one chat — rows for a busy chat are skipped, not waited for;
* at most ``max_in_flight`` requests at once, so a slow network still reaches the rate, while the number of
  rows whose fate a crash leaves unknown stays small.

Failures (the send function raises; see :class:`~bot.engines.delivery.Blocked`,
:class:`~bot.engines.delivery.RateLimited`,
:class:`~bot.engines.delivery.SendFailed`):

* Forbidden (blocked the bot, deactivated) → row ``blocked``, user marked inactive, never retried;
* RetryAfter(n) → the row is parked until now + n, **and the whole drain pauses for n seconds**. Telegram's
  429 does not say which limit was hit; the drain already keeps every chat under 1 message/s, so a 429 it
  still gets means the bot-wide budget is spent (other traffic, such as answers to users, shares it), and
  sending to other chats would only earn more 429s. The pause ends exactly when Telegram said, not later:
  rows in flight finish, nothing new starts, and other work of the bot (handlers) is not stalled at all,
  unlike ``AIORateLimiter`` which halts every request;
* a transient error (network, timeout) → parked for ``retry_delay`` and retried up to ``max_attempts``;
  anything else (e.g. BadRequest) → ``failed``.

Delivery guarantee: each row is claimed ``pending → sending`` and committed *before* the request, then
recorded right after. After a crash, rows still in ``sending`` are sent again: a recipient gets a broadcast
at most twice, and only if the crash fell between Telegram accepting the message and our commit — at most
``max_in_flight`` recipients per crash. A graceful stop lets in-flight sends finish first, so it repeats
nothing.

The module has no Telegram import: the handler layer injects ``send`` and ``on_progress``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.engines.delivery import Blocked, RateLimited, SendFailed, SendFn
from bot.storage.outbox import Broadcast, BroadcastRepository, Claimed, Counts

log = logging.getLogger(__name__)

ProgressFn = Callable[[Broadcast, Counts, bool], Awaitable[None]]
BlockedFn = Callable[[int], Awaitable[None]]


class TokenBucket:
    """``rate`` tokens per second, holding at most ``burst``; ``pause`` stops refills until a moment."""

    def __init__(self, rate: float, burst: float, monotonic: Callable[[], float]) -> None:
        self.rate = rate
        self.burst = max(1.0, burst)
        self._mono = monotonic
        self._tokens = 1.0
        self._stamp = monotonic()
        self._paused_until = 0.0

    def _refill(self) -> float:
        now = self._mono()
        if now < self._paused_until:
            self._stamp = now
            return now
        start = max(self._stamp, self._paused_until)
        self._tokens = min(self.burst, self._tokens + (now - start) * self.rate)
        self._stamp = now
        return now

    def delay(self) -> float:
        """Seconds until a token is available (0 if one is)."""
        now = self._refill()
        if now < self._paused_until:
            return self._paused_until - now + max(0.0, 1.0 - self._tokens) / self.rate
        return 0.0 if self._tokens >= 1.0 else (1.0 - self._tokens) / self.rate

    def take(self) -> None:
        self._refill()
        self._tokens -= 1.0

    def pause(self, seconds: float) -> None:
        """No tokens for ``seconds`` from now; tokens already held are dropped (Telegram said stop)."""
        self._refill()
        self._paused_until = max(self._paused_until, self._mono() + seconds)
        self._tokens = min(self._tokens, 0.0)


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
    retry_delay: int = 5
    max_attempts: int = 3
    monotonic: Callable[[], float] = time.monotonic
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep

    def __post_init__(self) -> None:
        self.bucket = TokenBucket(self.rate, max(1.0, self.rate / 10), self.monotonic)
        self._wake = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None
        self._slots = asyncio.Semaphore(self.max_in_flight)
        self._inflight: dict[int, int] = {}  # chat -> number of requests in flight
        self._last_sent: dict[int, float] = {}  # chat -> monotonic time of the last request
        self._sends: set[asyncio.Task[None]] = set()
        self._dirty: set[int] = set()  # broadcasts with news for their sender
        self._last_progress: dict[int, float] = {}

    # ------------------------------------------------------------------ lifecycle
    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    async def start(self) -> None:
        """Requeue rows a crash left in flight, then drain in the background (idempotent)."""
        if self.running:
            return
        repeated = await self.outbox.reset_inflight()
        if repeated:
            log.warning(
                "broadcast: %d message(s) were in flight at the last stop; sending them again", repeated
            )
        self._stopping = False
        for b in await self.outbox.active():
            self._dirty.add(b.id)
        self._task = asyncio.create_task(self._run(), name="broadcast-drainer")

    async def stop(self, timeout: float = 10.0) -> None:
        """Stop claiming, let in-flight sends finish (so they are recorded and never repeated), then end."""
        self._stopping = True
        self._wake.set()
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError, TimeoutError):
                await asyncio.wait_for(asyncio.shield(self._task), timeout)
            if not self._task.done():
                self._task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await self._task
            self._task = None

    def wake(self) -> None:
        """Something was queued: look at the outbox now rather than at the next poll."""
        self._wake.set()

    # ------------------------------------------------------------------ the loop
    def _busy_chats(self) -> list[int]:
        now = self.monotonic()
        for chat in [c for c, t in self._last_sent.items() if now - t >= self.per_chat_interval]:
            del self._last_sent[chat]
        return sorted(set(self._last_sent) | set(self._inflight))

    async def _wait_token(self) -> None:
        while not self._stopping:
            delay = self.bucket.delay()
            if delay <= 0:
                return
            await self.sleep(delay)

    async def _run(self) -> None:
        try:
            while not self._stopping:
                await self._wait_token()
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
                self.bucket.take()
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
            with contextlib.suppress(Exception):
                await self._report(idle=True)

    async def _idle(self) -> None:
        """Sleep until woken (queued, or a send finished) or for at most ``idle_poll`` seconds."""
        timeout = self.idle_poll
        if self._inflight:
            timeout = min(timeout, 0.05)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), timeout)

    async def _deliver(self, row: Claimed) -> None:
        chat = row.user_id
        try:
            await self.send(chat, self.compose(row) if self.compose is not None else row.text, ())
        except Blocked:
            await self.outbox.finish_row(row.row_id, "blocked", self.now_ts(), "forbidden")
            if self.on_blocked is not None:
                with contextlib.suppress(Exception):
                    await self.on_blocked(chat)
        except RateLimited as exc:
            wait = max(1.0, float(exc.retry_after))
            log.warning("broadcast: Telegram asked to retry after %ss; pausing the drain", wait)
            self.bucket.pause(wait)
            await self.outbox.park(
                row.row_id, self.now_ts() + int(wait + 0.999), self.now_ts(), "retry_after"
            )
        except SendFailed as exc:
            if exc.transient and row.attempts < self.max_attempts:
                await self.outbox.park(
                    row.row_id, self.now_ts() + self.retry_delay, self.now_ts(), str(exc)[:200]
                )
            else:
                await self.outbox.finish_row(row.row_id, "failed", self.now_ts(), str(exc)[:200])
        except Exception as exc:  # an unexpected error must not kill the drain
            log.exception("broadcast: unexpected send error")
            await self.outbox.finish_row(row.row_id, "failed", self.now_ts(), type(exc).__name__)
        else:
            await self.outbox.finish_row(row.row_id, "sent", self.now_ts())
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
                    await self._wait_token()
                    self.bucket.take()
                    await self.on_progress(broadcast, counts, finished)
            except Exception:
                self._dirty.discard(broadcast_id)
                log.exception("broadcast: progress report for %d failed", broadcast_id)
            if finished:
                self._last_progress.pop(broadcast_id, None)
