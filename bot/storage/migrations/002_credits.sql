-- Profiles and credit records. Deleting a user (/forget) cascades to everything here.
CREATE TABLE profiles (
    user_id            INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    qualification      TEXT,                 -- 初级 | 中级 | 高级 | NULL
    qualification_year INTEGER,
    work_start_year    INTEGER,
    is_institution     INTEGER NOT NULL DEFAULT 0,  -- staff of a face-to-face training institution
    updated_at         INTEGER NOT NULL
);

-- One row per recorded fact. kind 'set' is a total the user stated (/credits 专业 40 公需 30): it replaces
-- everything earlier in that year and category; kind 'course' adds on top of the latest 'set'.
-- Undo removes the newest row, which restores the state before it.
CREATE TABLE credit_entries (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    year        INTEGER NOT NULL,
    category    TEXT    NOT NULL CHECK (category IN ('professional', 'public')),
    kind        TEXT    NOT NULL CHECK (kind IN ('set', 'course')),
    credits     REAL    NOT NULL CHECK (credits >= 0),
    title       TEXT    NOT NULL DEFAULT '',
    studied_on  TEXT,                        -- ISO date, courses only
    batch       INTEGER NOT NULL,            -- rows written by one command share a batch (undo as one)
    created_at  INTEGER NOT NULL
);
CREATE INDEX credit_entries_user_year ON credit_entries (user_id, year, id);
