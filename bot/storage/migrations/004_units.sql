-- Units (单位), their contacts and members, and the broadcast outbox.
-- Rows about one user cascade on /forget. A contact who forgets loses the role (contact_id becomes NULL):
-- the unit and its members stay, and a later approved application for the same name takes it over.
CREATE TABLE units (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    name         TEXT    NOT NULL UNIQUE,
    contact_id   INTEGER UNIQUE REFERENCES users(id) ON DELETE SET NULL,
    invite_code  TEXT    NOT NULL UNIQUE,             -- secrets.token_urlsafe(12): 96 random bits
    created_at   INTEGER NOT NULL
);

-- One unit per member. share = 1 once the member agreed to show their credit status to the contact.
CREATE TABLE unit_members (
    user_id    INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    unit_id    INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,
    share         INTEGER NOT NULL DEFAULT 0,
    display_name  TEXT    NOT NULL DEFAULT '',         -- Telegram name at joining, shown to the contact
    joined_at     INTEGER NOT NULL
);
CREATE INDEX unit_members_unit ON unit_members (unit_id);

CREATE TABLE unit_applications (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    unit_name   TEXT    NOT NULL,
    applicant   TEXT    NOT NULL DEFAULT '',           -- Telegram name, shown to the admins
    status      TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
    created_at  INTEGER NOT NULL,
    decided_at  INTEGER,
    decided_by  INTEGER                                -- admin id, kept for the audit trail
);
CREATE INDEX unit_applications_user ON unit_applications (user_id, status);

-- A broadcast is born as a draft awaiting its text, shows a preview, then is queued into the outbox.
-- scope 'unit' reaches the members of unit_id, scope 'all' (admins only) every active user.
CREATE TABLE broadcasts (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    sender_id            INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    scope                TEXT    NOT NULL CHECK (scope IN ('unit', 'all')),
    unit_id              INTEGER REFERENCES units(id) ON DELETE CASCADE,
    text                 TEXT,
    status               TEXT    NOT NULL CHECK (status IN ('awaiting_text', 'preview', 'cancelled', 'queued', 'done')),
    created_at           INTEGER NOT NULL,
    queued_at            INTEGER,
    finished_at          INTEGER,
    progress_chat_id     INTEGER,
    progress_message_id  INTEGER
);
CREATE INDEX broadcasts_sender ON broadcasts (sender_id, status);

-- Per-recipient delivery state: pending -> sending -> sent | blocked | failed.
-- A row found in 'sending' after a restart is the in-flight message whose fate is unknown: it is sent again.
CREATE TABLE outbox (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    broadcast_id  INTEGER NOT NULL REFERENCES broadcasts(id) ON DELETE CASCADE,
    user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    state         TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sending', 'sent', 'blocked', 'failed')),
    attempts      INTEGER NOT NULL DEFAULT 0,
    not_before    INTEGER NOT NULL DEFAULT 0,          -- parked until then after a RetryAfter
    updated_at    INTEGER NOT NULL,
    error         TEXT,
    UNIQUE (broadcast_id, user_id)
);
CREATE INDEX outbox_due ON outbox (state, id);
CREATE INDEX outbox_broadcast ON outbox (broadcast_id, state);
