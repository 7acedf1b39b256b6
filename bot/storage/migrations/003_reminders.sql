-- Reminders. SQLite is the source of truth: the JobQueue only runs one repeating dispatcher that reads
-- due rows from here, so nothing is lost on restart. Deleting a user (/forget) cascades to everything.

-- Per-user reminder settings. A row exists once the user touched reminders; no row = reminders off.
-- Times of day are minutes after local midnight (Asia/Shanghai).
CREATE TABLE reminder_settings (
    user_id      INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    enabled      INTEGER NOT NULL DEFAULT 0,      -- built-in reminders on/off
    remind_at    INTEGER NOT NULL DEFAULT 540,    -- preferred time, 09:00
    quiet_start  INTEGER NOT NULL DEFAULT 1320,   -- 22:00
    quiet_end    INTEGER NOT NULL DEFAULT 480,    -- 08:00 (quiet_start == quiet_end: no quiet hours)
    updated_at   INTEGER NOT NULL
);
CREATE INDEX reminder_settings_enabled ON reminder_settings (enabled, user_id);

-- Built-in campaigns derived from the policy (one row per campaign key, e.g. 'deadline:2026:30').
-- They are expanded into per-user delivery rows on their day, in one INSERT … SELECT.
CREATE TABLE reminder_campaigns (
    key          TEXT    PRIMARY KEY,
    kind         TEXT    NOT NULL,                -- online_open | makeup_open | makeup_close | deadline | plan_due
    audience     TEXT    NOT NULL,                -- all | institution
    fire_day     TEXT    NOT NULL,                -- ISO date, each user's delivery is at their preferred time
    arg          INTEGER NOT NULL DEFAULT 0,      -- days before (deadline / makeup close / plan)
    expanded_at  INTEGER                          -- NULL until the per-user rows exist
);
CREATE INDEX reminder_campaigns_pending ON reminder_campaigns (fire_day) WHERE expanded_at IS NULL;

-- Face-to-face courses recorded by training-institution staff; each yields a "report due" reminder.
CREATE TABLE f2f_courses (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    title        TEXT    NOT NULL DEFAULT '',
    ended_on     TEXT    NOT NULL,                -- ISO date
    report_due   TEXT    NOT NULL,                -- ISO date, end + N working days
    approximate  INTEGER NOT NULL DEFAULT 0,      -- 1: no holiday data for that year, Monday–Friday used
    created_at   INTEGER NOT NULL
);
CREATE INDEX f2f_courses_user ON f2f_courses (user_id, id);

-- Every delivery: personal reminders (kind 'personal'), one row per user of an expanded campaign
-- (kind 'campaign'), face-to-face report reminders ('f2f') and the once-only missed summary ('missed_summary').
-- status: draft (echoed, awaiting 确认) → pending → sending (claimed by one dispatcher pass) → sent,
--         or cancelled | done | missed | skipped (user no longer concerned at dispatch) | failed.
CREATE TABLE reminders (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind         TEXT    NOT NULL,
    campaign_key TEXT,                            -- campaign rows only
    ref_id       INTEGER,                         -- f2f: f2f_courses.id, otherwise NULL
    text         TEXT    NOT NULL DEFAULT '',     -- personal subject
    due_at       INTEGER NOT NULL,                -- Unix seconds, moved by quiet hours, snooze, RetryAfter
    status       TEXT    NOT NULL,
    claim_token  TEXT,
    claimed_at   INTEGER,
    sent_at      INTEGER,
    attempts     INTEGER NOT NULL DEFAULT 0,
    summary_id   INTEGER,                         -- missed rows: the summary row that told the user
    created_at   INTEGER NOT NULL
);
CREATE UNIQUE INDEX reminders_campaign_user ON reminders (campaign_key, user_id) WHERE campaign_key IS NOT NULL;
CREATE INDEX reminders_due ON reminders (due_at) WHERE status = 'pending';
CREATE INDEX reminders_user ON reminders (user_id, status, due_at);
CREATE INDEX reminders_sending ON reminders (claim_token) WHERE status = 'sending';
