"""Reminder storage: settings, campaigns, face-to-face courses and every delivery row.

SQLite is the source of truth (PTB's JobQueue forgets everything on restart). A delivery row moves
``draft → pending → sending → sent`` (or ``cancelled | done | missed | skipped | failed``); the dispatcher
claims rows by flipping ``pending`` to ``sending`` under a claim token in one statement, so two passes can
never hold the same row. Plain dataclasses instead of pydantic models here: the dispatcher builds
thousands per second and validation would dominate its cost.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain.clock import at_minute
from bot.domain.credits import Profile
from bot.domain.reminders import DEFAULT_QUIET, DEFAULT_REMIND_AT, CampaignSpec, QuietHours, delivery_minute
from bot.storage.db import Database

__all__ = ["ClaimedRow", "Reminder", "ReminderRepository", "ReminderSettings", "Resolution"]

@dataclass(frozen=True, slots=True)
class ReminderSettings:
    user_id: int
    enabled: bool = False
    remind_at: int = DEFAULT_REMIND_AT
    quiet_start: int = DEFAULT_QUIET[0]
    quiet_end: int = DEFAULT_QUIET[1]
    stored: bool = False  # False: defaults, the user never touched reminders

    @property
    def quiet(self) -> QuietHours:
        return QuietHours(self.quiet_start, self.quiet_end)


@dataclass(frozen=True, slots=True)
class Reminder:
    id: int
    user_id: int
    kind: str
    text: str
    due_at: int
    status: str
    campaign_key: str | None = None
    ref_id: int | None = None


@dataclass(frozen=True, slots=True)
class ClaimedRow:
    """A row claimed by one dispatcher pass, with everything needed to render it (no further queries)."""

    id: int
    user_id: int
    kind: str
    campaign_key: str | None
    ref_id: int | None
    text: str
    due_at: int
    attempts: int
    language: str
    active: bool
    enabled: bool
    remind_at: int
    quiet_start: int
    quiet_end: int
    profile: Profile | None
    campaign_kind: str | None
    campaign_arg: int
    f2f_title: str | None
    f2f_ended: str | None
    f2f_due: str | None
    f2f_approx: bool
    unsure: bool = False  # an earlier send's outcome was unknown: this is its one retry


@dataclass(frozen=True, slots=True)
class Resolution:
    """What became of a claimed row: sent, skipped, failed, missed or back to pending at ``due_at``."""

    id: int
    status: str
    due_at: int | None = None
    bump_attempts: bool = False
    unsure: bool = False  # the send may have been delivered (unknown outcome)


def _reminder(r: object) -> Reminder:
    row = dict(r)  # type: ignore[call-overload]
    return Reminder(
        id=row["id"],
        user_id=row["user_id"],
        kind=row["kind"],
        text=row["text"],
        due_at=row["due_at"],
        status=row["status"],
        campaign_key=row["campaign_key"],
        ref_id=row["ref_id"],
    )


_CLAIMED_SQL = """
SELECT r.id, r.user_id, r.kind, r.campaign_key, r.ref_id, r.text, r.due_at, r.attempts, r.unsure,
       u.language, u.active,
       COALESCE(s.enabled, 0) AS enabled, COALESCE(s.remind_at, ?) AS remind_at,
       COALESCE(s.quiet_start, ?) AS quiet_start, COALESCE(s.quiet_end, ?) AS quiet_end,
       p.user_id AS p_user, p.qualification, p.qualification_year, p.work_start_year, p.is_institution,
       c.kind AS c_kind, c.arg AS c_arg,
       f.title AS f_title, f.ended_on AS f_ended, f.report_due AS f_due, f.approximate AS f_approx
FROM reminders r
JOIN users u ON u.id = r.user_id
LEFT JOIN reminder_settings s ON s.user_id = r.user_id
LEFT JOIN profiles p ON p.user_id = r.user_id
LEFT JOIN reminder_campaigns c ON c.key = r.campaign_key
LEFT JOIN f2f_courses f ON r.kind = 'f2f' AND f.id = r.ref_id
WHERE r.status = 'sending' AND r.claim_token = ?
ORDER BY r.due_at, r.id
"""


class ReminderRepository:
    def __init__(self, db: Database, tz: ZoneInfo) -> None:
        self.db = db
        self.tz = tz

    # ------------------------------------------------------------------------------------- settings
    async def get_settings(self, user_id: int) -> ReminderSettings:
        row = await self.db.fetchone("SELECT * FROM reminder_settings WHERE user_id = ?", (user_id,))
        if row is None:
            return ReminderSettings(user_id)
        return ReminderSettings(
            user_id, bool(row["enabled"]), row["remind_at"], row["quiet_start"], row["quiet_end"], stored=True
        )

    async def update_settings(
        self,
        user_id: int,
        now: datetime,
        *,
        enabled: bool | None = None,
        remind_at: int | None = None,
        quiet: tuple[int, int] | None = None,
    ) -> ReminderSettings:
        """Change some settings; the user's pending built-in deliveries follow a new preferred time."""
        ts = int(now.timestamp())
        async with self.db.transaction() as conn:
            await conn.execute(
                "INSERT INTO reminder_settings (user_id, updated_at) VALUES (?, ?) ON CONFLICT(user_id) DO "
                "NOTHING",
                (user_id, ts),
            )
            if enabled is not None:
                await conn.execute(
                    "UPDATE reminder_settings SET enabled = ?, updated_at = ? WHERE user_id = ?",
                    (int(enabled), ts, user_id),
                )
            if remind_at is not None:
                await conn.execute(
                    "UPDATE reminder_settings SET remind_at = ?, updated_at = ? WHERE user_id = ?",
                    (remind_at, ts, user_id),
                )
            if quiet is not None:
                await conn.execute(
                    "UPDATE reminder_settings SET quiet_start = ?, quiet_end = ?, updated_at = ? WHERE "
                    "user_id = ?",
                    (quiet[0], quiet[1], ts, user_id),
                )
            if remind_at is not None or quiet is not None:
                await self._refit(conn, user_id, ts)
        if enabled:
            await self.enroll_today(user_id, now)
        return await self.get_settings(user_id)

    async def _refit(self, conn: Any, user_id: int, ts: int) -> None:
        """The user's pending built-in rows move to the new delivery time of their own day (still ahead)."""
        async with conn.execute(
            "SELECT remind_at, quiet_start, quiet_end FROM reminder_settings WHERE user_id = ?", (user_id,)
        ) as cur:
            prefs = await cur.fetchone()
        minute = delivery_minute(prefs["remind_at"], QuietHours(prefs["quiet_start"], prefs["quiet_end"]))
        async with conn.execute(
            "SELECT id, due_at FROM reminders WHERE user_id = ? AND status = 'pending' "
            "AND kind IN ('campaign', 'f2f')",
            (user_id,),
        ) as cur:
            rows = list(await cur.fetchall())
        moved = []
        for r in rows:
            day = datetime.fromtimestamp(r["due_at"], self.tz).date()
            new = int(at_minute(day, minute, self.tz).timestamp())
            if new > ts:
                moved.append((new, r["id"]))
        await conn.executemany("UPDATE reminders SET due_at = ? WHERE id = ?", moved)

    # ------------------------------------------------------------------------------------ personal
    async def create(
        self,
        user_id: int,
        kind: str,
        text: str,
        due: datetime,
        now: datetime,
        *,
        status: str = "draft",
        ref_id: int | None = None,
    ) -> int:
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                "INSERT INTO reminders (user_id, kind, ref_id, text, due_at, status, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (user_id, kind, ref_id, text, int(due.timestamp()), status, int(now.timestamp())),
            )
            return int(cur.lastrowid or 0)

    async def get(self, reminder_id: int) -> Reminder | None:
        row = await self.db.fetchone("SELECT * FROM reminders WHERE id = ?", (reminder_id,))
        return _reminder(row) if row else None

    async def transition(
        self,
        user_id: int,
        reminder_id: int,
        from_status: Sequence[str],
        to_status: str,
        *,
        due_at: int | None = None,
    ) -> Reminder | None:
        """Move the user's own row from one of ``from_status`` to ``to_status``; ``None`` if not possible.

        Ownership and state are checked in the same UPDATE, so a forged or stale button changes nothing.
        """
        marks = ",".join("?" for _ in from_status)
        sets = "status = ?, claim_token = NULL"
        params: list[object] = [to_status]
        if due_at is not None:
            sets += ", due_at = ?, attempts = 0"
            params.append(due_at)
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                f"UPDATE reminders SET {sets} WHERE id = ? AND user_id = ? AND status IN ({marks})",
                (*params, reminder_id, user_id, *from_status),
            )
            if cur.rowcount != 1:
                return None
            async with conn.execute("SELECT * FROM reminders WHERE id = ?", (reminder_id,)) as c2:
                row = await c2.fetchone()
        return _reminder(row)

    async def upcoming(self, user_id: int, limit: int = 20) -> list[Reminder]:
        rows = await self.db.fetchall(
            "SELECT * FROM reminders WHERE user_id = ? AND status = 'pending' AND kind IN ('personal', "
            "'f2f') "
            "ORDER BY due_at, id LIMIT ?",
            (user_id, limit),
        )
        return [_reminder(r) for r in rows]

    async def count_upcoming(self, user_id: int) -> int:
        row = await self.db.fetchone(
            "SELECT COUNT(*) FROM reminders WHERE user_id = ? AND status IN ('pending', 'draft') "
            "AND kind = 'personal'",
            (user_id,),
        )
        return int(row[0]) if row else 0

    async def cancel_drafts(self, user_id: int) -> int:
        """/cancel: the user's reminder drafts still waiting for 确认."""
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                "UPDATE reminders SET status = 'cancelled' WHERE user_id = ? AND status = 'draft'", (user_id,)
            )
            return cur.rowcount

    # ------------------------------------------------------------------------------ face to face
    async def add_f2f_course(
        self, user_id: int, title: str, ended_on: date, report_due: date, approximate: bool, now: datetime
    ) -> int:
        """Record a course. ``report_due`` is the estimate shown at the time; reminders recompute it on their
        day (``f2f_courses_since``), so a holiday schedule published later corrects them."""
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                "INSERT INTO f2f_courses (user_id, title, ended_on, report_due, approximate, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (user_id, title, ended_on.isoformat(), report_due.isoformat(), int(approximate),
                 int(now.timestamp())),
            )
            return int(cur.lastrowid or 0)

    async def f2f_courses_since(self, earliest: date) -> list[tuple[int, int, str, date]]:
        """(course id, user id, title, ended on) of courses that ended on or after ``earliest``."""
        rows = await self.db.fetchall(
            "SELECT f.id, f.user_id, f.title, f.ended_on FROM f2f_courses f JOIN users u ON u.id = f.user_id "
            "WHERE f.ended_on >= ? AND u.active = 1 ORDER BY f.id",
            (earliest.isoformat(),),
        )
        return [(r["id"], r["user_id"], r["title"], date.fromisoformat(r["ended_on"])) for r in rows]

    async def plan_f2f_reminders(self, items: Iterable[tuple[int, int, str, str, date]], now: datetime) -> int:
        """Pending rows for (course id, user id, title, key, day), each at its user's delivery time on ``day``.

        The key (``f2f:<course>:<days before>``) identifies a row: planning again moves a still-pending row to
        its recomputed day (a holiday schedule published since) instead of adding a second one.
        """
        ts = int(now.timestamp())
        rows = []
        for course_id, user_id, title, key, day in items:
            prefs = await self.get_settings(user_id)
            due = int(at_minute(day, delivery_minute(prefs.remind_at, prefs.quiet), self.tz).timestamp())
            if due > ts:
                rows.append((user_id, course_id, key, title, due, ts))
        async with self.db.transaction() as conn:
            cur = await conn.executemany(
                "INSERT INTO reminders (user_id, kind, ref_id, campaign_key, text, due_at, status, created_at) "
                "VALUES (?, 'f2f', ?, ?, ?, ?, 'pending', ?) "
                "ON CONFLICT(campaign_key, user_id) WHERE campaign_key IS NOT NULL "
                "DO UPDATE SET due_at = excluded.due_at WHERE status = 'pending'",
                rows,
            )
            return cur.rowcount

    # --------------------------------------------------------------------------------- campaigns
    async def seed_campaigns(self, specs: Iterable[CampaignSpec], today: date) -> int:
        """Register the policy's campaigns whose day is today or later (idempotent).

        Past days are never registered: a bot first deployed in November must not flood everyone with
        "missed" April reminders. Campaigns registered earlier stay, so downtime across a campaign day
        is caught up (or summarized as missed) after a restart.
        """
        rows = [
            (s.key, s.kind, s.audience, s.fire_day.isoformat(), s.arg) for s in specs if s.fire_day >= today
        ]
        async with self.db.transaction() as conn:
            cur = await conn.executemany(
                "INSERT OR IGNORE INTO reminder_campaigns (key, kind, audience, fire_day, arg) VALUES (?, "
                "?, ?, ?, ?)",
                rows,
            )
            return cur.rowcount

    async def expand_due_campaigns(self, today: date, now: datetime) -> int:
        """Turn each campaign whose day has come into one pending row per subscribed, active user."""
        rows = await self.db.fetchall(
            "SELECT key, audience, fire_day FROM reminder_campaigns WHERE expanded_at IS NULL AND fire_day "
            "<= ?",
            (today.isoformat(),),
        )
        total = 0
        for r in rows:
            total += await self._expand(r["key"], r["audience"], date.fromisoformat(r["fire_day"]), now)
        return total

    async def _expand(
        self, key: str, audience: str, day: date, now: datetime, user_id: int | None = None
    ) -> int:
        """Insert the campaign's rows, each at its user's delivery time on ``day``.

        Users are grouped by (preferred time, quiet hours): a handful of distinct settings, each turned into a
        wall-clock moment of ``day`` in Python (aware arithmetic), then one ``INSERT … SELECT`` per group.
        """
        ts = int(now.timestamp())
        where = "s.enabled = 1 AND u.active = 1"
        params: list[object] = []
        if audience == "institution":
            where += (
                " AND EXISTS (SELECT 1 FROM profiles p WHERE p.user_id = s.user_id AND p.is_institution = 1)"
            )
        if user_id is not None:
            where += " AND s.user_id = ?"
            params.append(user_id)
        total = 0
        async with self.db.transaction() as conn:
            async with conn.execute(
                "SELECT DISTINCT s.remind_at, s.quiet_start, s.quiet_end FROM reminder_settings s "
                f"JOIN users u ON u.id = s.user_id WHERE {where}",
                params,
            ) as cur:
                groups = list(await cur.fetchall())
            for g in groups:
                minute = delivery_minute(g["remind_at"], QuietHours(g["quiet_start"], g["quiet_end"]))
                due = int(at_minute(day, minute, self.tz).timestamp())
                if user_id is not None and due <= ts:
                    continue  # subscribing today after today's time: nothing late
                cur2 = await conn.execute(
                    "INSERT OR IGNORE INTO reminders (user_id, kind, campaign_key, due_at, status, created_at) "
                    "SELECT s.user_id, 'campaign', ?, ?, 'pending', ? "
                    f"FROM reminder_settings s JOIN users u ON u.id = s.user_id WHERE {where} "
                    "AND s.remind_at = ? AND s.quiet_start = ? AND s.quiet_end = ?",
                    [key, due, ts, *params, g["remind_at"], g["quiet_start"], g["quiet_end"]],
                )
                total += cur2.rowcount
            if user_id is None:
                await conn.execute("UPDATE reminder_campaigns SET expanded_at = ? WHERE key = ?", (ts, key))
        return total

    async def enroll_today(self, user_id: int, now: datetime) -> int:
        """A user who subscribes on a campaign day still gets today's reminder if their time is ahead."""
        today = now.astimezone(self.tz).date()
        rows = await self.db.fetchall(
            "SELECT key, audience FROM reminder_campaigns WHERE expanded_at IS NOT NULL AND fire_day = ?",
            (today.isoformat(),),
        )
        total = 0
        for r in rows:
            total += await self._expand(r["key"], r["audience"], today, now, user_id)
        return total

    # -------------------------------------------------------------------------------- dispatching
    async def recover(self) -> int:
        """Rows left in 'sending' by a process that died: unknown outcomes. Each goes back to pending once
        (marked ``unsure``; it may repeat), or, if it already was the retry of an unknown outcome, ends as sent."""
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                "UPDATE reminders SET status = CASE WHEN unsure THEN 'sent' ELSE 'pending' END, unsure = 1, "
                "claim_token = NULL WHERE status = 'sending'"
            )
            return cur.rowcount

    async def sweep_missed(self, cutoff: int, now: int) -> dict[int, list[Reminder]]:
        """Rows due before ``cutoff`` become 'missed'; each affected user gets one summary row.

        Marking and creating the summary happen in one transaction, so a user is told exactly once.
        Summaries themselves are never swept (they are due now and are always delivered), nor is the note after
        a deadline: it is the one thing those who missed the deadline are told, so it goes out late instead.
        """
        async with self.db.transaction() as conn:
            async with conn.execute(
                "SELECT * FROM reminders WHERE status = 'pending' AND due_at < ? AND kind != "
                "'missed_summary' AND (campaign_key IS NULL OR campaign_key NOT LIKE '%:deadline_passed') "
                "ORDER BY user_id, due_at",
                (cutoff,),
            ) as cur:
                rows = [_reminder(r) for r in await cur.fetchall()]
            by_user: dict[int, list[Reminder]] = {}
            for r in rows:
                by_user.setdefault(r.user_id, []).append(r)
            for user_id, items in by_user.items():
                cur2 = await conn.execute(
                    "INSERT INTO reminders (user_id, kind, due_at, status, created_at) "
                    "VALUES (?, 'missed_summary', ?, 'pending', ?)",
                    (user_id, now, now),
                )
                summary_id = int(cur2.lastrowid or 0)
                await conn.executemany(
                    "UPDATE reminders SET status = 'missed', summary_id = ? WHERE id = ?",
                    [(summary_id, r.id) for r in items],
                )
        return by_user

    async def missed_for_summary(self, summary_ids: Sequence[int]) -> dict[int, list[Reminder]]:
        if not summary_ids:
            return {}
        marks = ",".join("?" for _ in summary_ids)
        rows = await self.db.fetchall(
            f"SELECT *, summary_id AS sid FROM reminders WHERE summary_id IN ({marks}) ORDER BY due_at",
            tuple(summary_ids),
        )
        out: dict[int, list[Reminder]] = {}
        for r in rows:
            out.setdefault(int(r["sid"]), []).append(_reminder(r))
        return out

    async def claim_due(self, now: int, limit: int, token: str) -> list[ClaimedRow]:
        """Flip up to ``limit`` due rows to 'sending' under ``token`` and return them with their context."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE reminders SET status = 'sending', claim_token = ?, claimed_at = ? WHERE id IN ("
                "SELECT id FROM reminders WHERE status = 'pending' AND due_at <= ? ORDER BY due_at, id "
                "LIMIT ?)",
                (token, now, now, limit),
            )
            async with conn.execute(_CLAIMED_SQL, (DEFAULT_REMIND_AT, *DEFAULT_QUIET, token)) as cur:
                rows = await cur.fetchall()
        out = []
        for r in rows:
            profile = None
            if r["p_user"] is not None:
                profile = Profile(
                    r["qualification"],
                    r["qualification_year"],
                    r["work_start_year"],
                    bool(r["is_institution"]),
                )
            out.append(
                ClaimedRow(
                    r["id"],
                    r["user_id"],
                    r["kind"],
                    r["campaign_key"],
                    r["ref_id"],
                    r["text"],
                    r["due_at"],
                    r["attempts"],
                    r["language"],
                    bool(r["active"]),
                    bool(r["enabled"]),
                    r["remind_at"],
                    r["quiet_start"],
                    r["quiet_end"],
                    profile,
                    r["c_kind"],
                    r["c_arg"] or 0,
                    r["f_title"],
                    r["f_ended"],
                    r["f_due"],
                    bool(r["f_approx"]),
                    bool(r["unsure"]),
                )
            )
        return out

    async def resolve(self, token: str, results: Sequence[Resolution], now: int) -> None:
        """Record the outcome of a claimed batch in one transaction (only rows still under ``token``)."""
        sent = [(now, int(r.unsure), r.id, token) for r in results if r.status == "sent"]
        final = [(r.status, r.id, token) for r in results if r.status not in ("sent", "pending")]
        again = [(r.due_at, int(r.bump_attempts), int(r.unsure), r.id, token)
                 for r in results if r.status == "pending"]
        async with self.db.transaction() as conn:
            await conn.executemany(
                "UPDATE reminders SET status = 'sent', sent_at = ?, unsure = MAX(unsure, ?), claim_token = NULL "
                "WHERE id = ? AND claim_token = ?",
                sent,
            )
            await conn.executemany(
                "UPDATE reminders SET status = ?, claim_token = NULL WHERE id = ? AND claim_token = ?", final
            )
            await conn.executemany(
                "UPDATE reminders SET status = 'pending', due_at = ?, attempts = attempts + ?, "
                "unsure = MAX(unsure, ?), claim_token = NULL WHERE id = ? AND claim_token = ?",
                again,
            )

    async def status_counts(self, user_id: int | None = None) -> dict[str, int]:
        sql = "SELECT status, COUNT(*) AS n FROM reminders"
        params: tuple[object, ...] = ()
        if user_id is not None:
            sql += " WHERE user_id = ?"
            params = (user_id,)
        rows = await self.db.fetchall(sql + " GROUP BY status", params)
        return {r["status"]: int(r["n"]) for r in rows}

    async def due_counts(self, now: int, horizon: int) -> tuple[int, int]:
        """(reminders due and not yet sent at ``now``, reminders falling due in the following ``horizon`` s).

        Campaign rows exist from their day on (expanded then), so a campaign further away is not counted yet."""
        row = await self.db.fetchone(
            "SELECT COALESCE(SUM(due_at <= ?), 0), COALESCE(SUM(due_at > ?), 0) FROM reminders"
            " WHERE status = 'pending' AND due_at <= ?",  # the partial index reminders_due
            (now, now, now + horizon),
        )
        return (int(row[0]), int(row[1])) if row else (0, 0)
