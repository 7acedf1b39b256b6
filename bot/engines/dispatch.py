"""The reminder dispatcher: one repeating job that sends whatever SQLite says is due.

Why one job and not one JobQueue job per reminder: JobQueue jobs live in memory and vanish on restart
(PTB #974, #700, #4080), and 100,000 scheduler entries would cost memory and start-up time. Instead every
``dispatch_interval_seconds`` a :class:`Dispatcher` pass

0. stamps the heartbeat row that ``accbot health`` reads (also after every batch of a long pass);
1. on its first pass in this process, returns rows a crashed process left in ``sending`` to ``pending``
   and registers the policy's campaigns;
2. expands campaigns whose day has come into per-user rows (one ``INSERT … SELECT``);
3. marks rows that fell due longer ago than the grace period as ``missed`` and queues one summary per user;
4. claims due rows in batches (``pending → sending`` under a fresh claim token), renders each for its user
   (language, current shortfall, quiet hours), sends them through the injected ``send`` and records every
   outcome of the batch in one transaction.

Delivery guarantee: in normal operation a row is sent once (a claimed row belongs to one pass; its outcome
is recorded before the next claim). Transient failures (5xx, network errors, time-outs before sending) are
retried with back-off (1 minute doubling to 30, about 16 hours in all); only permanent answers (403 blocked,
400 chat not found) end a row. A send whose outcome is unknown (a time-out after the request went out) may
have been delivered: it is retried once (marked ``unsure``), and a second unknown outcome ends it as sent.
If the process dies after sending but before recording, the rows of that one in-flight batch (at most
``batch_size``) are still ``sending``; the next start treats them as unknown outcomes in the same way.
We prefer a rare, counted duplicate to a silently lost deadline reminder.

This module does not import ``telegram``: ``send`` raises :class:`Blocked`, :class:`RateLimited` or
:class:`SendFailed`, and the Telegram adapter (``handlers/reminders.py``) translates PTB's errors into them.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from bot.answers.reminders_view import (
    delivered_buttons,
    render_campaign,
    render_f2f,
    render_missed_summary,
    render_personal,
)
from bot.domain.credits import Assessment, Profile, YearTotals, assess
from bot.domain.reminders import QuietHours, about_day, campaign_concerns, campaigns_for, defer_for_quiet
from bot.engines.delivery import Blocked, Buttons, RateLimited, RetryPolicy, SendBudget, SendFailed, SendFn
from bot.services import Services
from bot.storage.reminders import ClaimedRow, Reminder, Resolution
from knowledge.policy import Policy

log = logging.getLogger(__name__)


MIN_GRACE_SECONDS = 120  # below this, normal dispatch latency would count as "missed"


@dataclass
class DispatchStats:
    claimed: int = 0
    sent: int = 0
    skipped: int = 0
    deferred: int = 0
    missed: int = 0
    blocked: int = 0
    retried: int = 0
    failed: int = 0
    unsure: int = 0  # sends whose outcome was unknown (time-out after sending): possibly duplicated
    sent_ids: list[int] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Outgoing:
    row: ClaimedRow
    text: str
    buttons: Buttons


class Dispatcher:
    """Holds what must survive between passes of one process: first-pass flag, RetryAfter back-off, a lock."""

    def __init__(
        self, svc: Services, send: SendFn, *, batch_size: int = 100, max_rows_per_pass: int = 500,
        retry: RetryPolicy | None = None, budget: SendBudget | None = None, concurrency: int = 16,
    ) -> None:
        self.svc = svc
        self.send = send
        self.budget = budget  # the bot-wide ~30/s shared with replies and broadcasts; None: unpaced (tests)
        self.concurrency = concurrency
        self.batch_size = batch_size
        self.max_rows_per_pass = max_rows_per_pass
        self.retry = retry or RetryPolicy(base=60.0, cap=1800.0, max_attempts=40)  # about 16 hours
        self.resume_at: datetime | None = None
        self._started = False
        self._seeded: set[int] = set()
        self._by_year: dict[str, Policy] = {}
        self._today_policy: Policy | None = None
        self._planned_day: date | None = None
        self._lock = asyncio.Lock()

    @property
    def grace(self) -> timedelta:
        return timedelta(seconds=max(self.svc.settings.reminder_grace_hours * 3600, MIN_GRACE_SECONDS))

    async def tick(self, *, wait: bool = False) -> DispatchStats:
        """One pass. The repeating job does not wait: a pass still running (slow sends) makes the next one a
        no-op instead of a second sender. ``wait=True`` (tests, CLI) queues behind a running pass instead."""
        stats = DispatchStats()
        if self._lock.locked() and not wait:
            return stats
        async with self._lock:
            await self._tick(stats)
        return stats

    async def _tick(self, stats: DispatchStats) -> None:
        svc, repo = self.svc, self.svc.reminders
        now = svc.clock.now()
        await self._beat()
        if self.resume_at is not None and now < self.resume_at:
            return
        self.resume_at = None
        today = now.astimezone(svc.clock.tz).date()
        if not self._started:
            recovered = await repo.recover()
            if recovered:
                log.warning("re-queued %d reminders left in flight by the previous run", recovered)
            self._started = True
        policy = svc.policy  # today's: a newer year's campaigns are registered the day its notice counts
        if policy.year not in self._seeded:
            await repo.seed_campaigns(campaigns_for(policy), today)
            self._seeded.add(policy.year)
        if self._planned_day != today:  # face-to-face due dates, recomputed with today's holiday data
            await svc.f2f.plan_reminders(today, now)
            self._planned_day = today
        await repo.expand_due_campaigns(today, now)
        missed = await repo.sweep_missed(int((now - self.grace).timestamp()), int(now.timestamp()))
        stats.missed = sum(len(v) for v in missed.values())

        while stats.claimed < self.max_rows_per_pass:
            token = uuid.uuid4().hex
            limit = min(self.batch_size, self.max_rows_per_pass - stats.claimed)
            rows = await repo.claim_due(int(now.timestamp()), limit, token)
            if not rows:
                break
            stats.claimed += len(rows)
            results, outgoing = await self.prepare(rows, now, today, stats)
            stop = await self._send_all(outgoing, results, now, stats)
            await repo.resolve(token, results, int(now.timestamp()))
            await self._beat()
            if stop or len(rows) < limit:
                break

    async def _beat(self) -> None:
        """The heartbeat ``accbot health`` reads: at every pass, and after every batch so that a long pass (a
        reminder wave at Telegram's pace, during which the job's next runs are skipped) still looks alive."""
        await self.svc.heartbeat.beat(int(self.svc.clock.now().timestamp()))

    async def prepare(
        self, rows: list[ClaimedRow], now: datetime, today: date, stats: DispatchStats
    ) -> tuple[list[Resolution], list[Outgoing]]:
        """Decide each row without sending: skip, defer for quiet hours, or render its text and buttons."""
        svc = self.svc
        tz = svc.clock.tz
        self._by_year = {str(p.year): p for p in svc.years.library.policies}
        self._today_policy = svc.policy
        report_days = self._today_policy.face_to_face.report_within_working_days
        results: list[Resolution] = []
        outgoing: list[Outgoing] = []
        campaign_users = [r.user_id for r in rows
                          if ((r.kind == "campaign" and r.enabled) or r.kind == "missed_summary") and r.active]
        totals = await svc.credits.totals_for_users(campaign_users) if campaign_users else {}
        summaries = await svc.reminders.missed_for_summary([r.id for r in rows if r.kind == "missed_summary"])
        # Most users of a campaign share a profile and totals (often: nothing recorded), so one pass assesses
        # and renders each distinct situation once; values are frozen, hence usable as keys.
        assessed: dict[object, Assessment] = {}
        rendered: dict[object, str] = {}
        campaign_buttons: dict[str, Buttons] = {}
        for row in rows:
            if not row.active or (row.kind == "campaign" and not row.enabled):
                results.append(Resolution(row.id, "skipped"))
                stats.skipped += 1
                continue
            if row.kind != "personal":
                # Personal reminders fire at the time the user confirmed; the bot's own wait for quiet hours.
                later = defer_for_quiet(now, QuietHours(row.quiet_start, row.quiet_end), tz)
                if later is not None:
                    results.append(Resolution(row.id, "pending", due_at=int(later.timestamp())))
                    stats.deferred += 1
                    continue
            lang = row.language
            if row.kind == "campaign":
                user_totals = totals.get(row.user_id, {})
                policy = self._policy_of(row.campaign_key)
                situation = (policy.year, row.profile, tuple(sorted(user_totals.items())))
                assessment = assessed.get(situation)
                if assessment is None:
                    assessment = assessed[situation] = assess(policy, row.profile, user_totals, today)
                kind = row.campaign_kind
                if kind is None or not self._concerns(kind, policy, assessment, row.profile, today):
                    results.append(Resolution(row.id, "skipped"))
                    stats.skipped += 1
                    continue
                text_key = (kind, row.campaign_arg, lang, assessment, today)
                text = rendered.get(text_key) or rendered.setdefault(
                    text_key,
                    render_campaign(kind, row.campaign_arg, policy, assessment, lang, svc.t, today),
                )
            elif row.kind == "f2f" and row.f2f_ended:
                ended = date.fromisoformat(row.f2f_ended)
                report = svc.f2f.due(ended)  # computed now: a schedule published since corrects it
                if report.due < today:
                    results.append(Resolution(row.id, "skipped"))  # never a reminder about a past due date
                    stats.skipped += 1
                    continue
                text = render_f2f(row.f2f_title or "", ended, report, report_days, lang, svc.t)
            elif row.kind == "missed_summary":
                user_totals = totals.get(row.user_id, {})
                items = [m for m in summaries.get(row.id, [])
                         if self._still_concerns(m, row.profile, user_totals, today)]
                if not items:
                    results.append(Resolution(row.id, "skipped"))
                    stats.skipped += 1
                    continue
                text = render_missed_summary(
                    [(self.describe(m, lang), self._local(m.due_at)) for m in items], lang, svc.t
                )
            else:
                text = render_personal(row.text, lang, svc.t)
            if row.kind == "campaign":  # the same buttons for every campaign row in a language
                buttons = campaign_buttons.get(lang) or campaign_buttons.setdefault(
                    lang, delivered_buttons(row.id, row.kind, row.remind_at, lang, svc.t)
                )
            else:
                buttons = delivered_buttons(row.id, row.kind, row.remind_at, lang, svc.t)
            outgoing.append(Outgoing(row, text, buttons))
        return results, outgoing

    async def _send_all(
        self, outgoing: list[Outgoing], results: list[Resolution], now: datetime, stats: DispatchStats
    ) -> bool:
        """Send a batch; returns True when Telegram asked us to back off (what is unsent goes back to pending).

        Different users are sent to at once (up to ``concurrency`` calls in flight, paced by the shared budget):
        one at a time, Telegram's ~150 ms per call would hold a wave to about 6 messages/s, five hours for
        100,000 people. One user's reminders still go one after another, in order.
        """
        per_user: dict[int, list[int]] = {}
        for index, item in enumerate(outgoing):
            per_user.setdefault(item.row.user_id, []).append(index)
        outcome: list[Resolution | None] = [None] * len(outgoing)
        slots = asyncio.Semaphore(self.concurrency)
        backing_off = asyncio.Event()
        blocked_users: set[int] = set()

        async def one_user(indices: list[int]) -> None:
            for index in indices:
                row = outgoing[index].row
                if backing_off.is_set():
                    outcome[index] = Resolution(row.id, "pending", due_at=row.due_at)
                elif row.user_id in blocked_users:
                    outcome[index] = Resolution(row.id, "skipped")
                    stats.skipped += 1
                else:
                    async with slots:
                        outcome[index] = await self._send_one(outgoing[index], now, stats, backing_off,
                                                              blocked_users)

        await asyncio.gather(*(one_user(indices) for indices in per_user.values()))
        results.extend(r for r in outcome if r is not None)
        return backing_off.is_set()

    async def _send_one(self, item: Outgoing, now: datetime, stats: DispatchStats,
                        backing_off: asyncio.Event, blocked_users: set[int]) -> Resolution:
        """One reminder through the budget, and what became of it."""
        row = item.row
        if self.budget is not None:
            await self.budget.acquire()
        if backing_off.is_set():  # Telegram said wait while this one queued for the budget
            return Resolution(row.id, "pending", due_at=row.due_at)
        try:
            await self.send(row.user_id, item.text, item.buttons)
        except Blocked:
            blocked_users.add(row.user_id)
            await self.svc.users.mark_inactive(row.user_id)
            stats.blocked += 1
            return Resolution(row.id, "failed")
        except RateLimited as exc:
            wait = timedelta(seconds=max(float(exc.retry_after), 1.0))
            self.resume_at = now + wait
            if self.budget is not None:
                self.budget.pause(wait.total_seconds())
            stats.retried += 1
            if not backing_off.is_set():
                log.warning("Telegram asked to wait %.0f s; dispatch paused", wait.total_seconds())
            backing_off.set()
            return Resolution(row.id, "pending", due_at=int((now + wait).timestamp()), bump_attempts=True)
        except SendFailed as exc:
            return self._after_failure(row, exc, now, stats)
        except Exception:  # a bug in the sender: one bad row must not stop the others or lose their results
            log.exception("sending reminder %d failed unexpectedly", row.id)
            stats.failed += 1
            return Resolution(row.id, "failed")
        stats.sent += 1
        stats.sent_ids.append(row.id)
        return Resolution(row.id, "sent")

    def _policy_of(self, campaign_key: str | None) -> Policy:
        """The policy a campaign belongs to (its key starts with the year), else today's. The library is read
        once per pass (``_by_year``), not once per row."""
        year = (campaign_key or "").split(":", 1)[0]
        return self._by_year.get(year) or self._today_policy or self.svc.policy

    @staticmethod
    def _concerns(kind: str, policy: Policy, a: Assessment, profile: Profile | None, today: date) -> bool:
        """Still worth sending today: not about a day already gone, and about this user's situation."""
        about = about_day(kind, policy)
        if about is not None and about < today:
            return False
        return campaign_concerns(kind, a, profile)

    def _still_concerns(self, m: Reminder, profile: Profile | None, totals: dict[int, YearTotals],
                        today: date) -> bool:
        """Whether a missed reminder is still worth mentioning: its day is not gone and it is still about
        this user (a deadline met since, or a deadline already past, is left out of the summary)."""
        if m.kind == "personal":
            return True
        if m.kind == "f2f":
            return True  # the institution's own report: still due (the reminder rows skip a past due date)
        parts = (m.campaign_key or "").split(":")
        kind = parts[1] if len(parts) > 1 else ""
        policy = self._policy_of(m.campaign_key)
        return self._concerns(kind, policy, assess(policy, profile, totals, today), profile, today)

    def _after_failure(self, row: ClaimedRow, exc: SendFailed, now: datetime, stats: DispatchStats) -> Resolution:
        """Transient failures are retried with back-off for hours; an unknown outcome once; the rest end."""
        attempt = row.attempts + 1
        later = int((now + timedelta(seconds=self.retry.delay(attempt))).timestamp())
        if exc.unknown:
            stats.unsure += 1
            if row.unsure:  # already the retry after an unknown outcome: most likely it arrived
                log.warning("reminder %d: outcome unknown again (%s); counted as sent, unconfirmed", row.id, exc)
                stats.sent += 1
                return Resolution(row.id, "sent", unsure=True)
            stats.retried += 1
            return Resolution(row.id, "pending", due_at=later, bump_attempts=True, unsure=True)
        if exc.transient and not self.retry.gives_up(attempt):
            stats.retried += 1
            return Resolution(row.id, "pending", due_at=later, bump_attempts=True)
        log.warning("reminder %d could not be delivered (%s, attempt %d); giving up", row.id, exc, attempt)
        stats.failed += 1
        return Resolution(row.id, "failed")

    def describe(self, m: Reminder, lang: str) -> str:
        """A short name for a missed row in the summary."""
        t = self.svc.t
        if m.kind == "personal":
            return m.text or t(lang, "rm.personal.no_subject")
        if m.kind == "f2f":
            return t(lang, "rm.kind.f2f", title=m.text or t(lang, "rm.f2f.untitled"))
        key = m.campaign_key or ""
        parts = key.split(":")
        kind = parts[1] if len(parts) > 1 else "deadline"
        days = int(parts[2]) if len(parts) > 2 and parts[2].isdigit() else 0
        if days == 0 and kind == "makeup_close":
            kind = "makeup_last_day"
        elif days == 0 and kind == "deadline":
            kind = "deadline_today"
        elif days == 0 and kind == "plan_due":
            kind = "plan_due_today"
        return t(lang, f"rm.kind.{kind}", days=days)

    def _local(self, ts: int) -> datetime:
        return datetime.fromtimestamp(ts, self.svc.clock.tz)
