-- Credits stored exactly: integer tenths of a credit (7.5 → 75) instead of REAL, so that sums never drift
-- (0.1 + 0.2) and the Decimal reasoning of bot/parsing/numbers.py holds in the database too.
-- Existing REAL rows are converted by rounding to the nearest tenth, which is what the bot always displayed.
CREATE TABLE credit_entries_new (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    year        INTEGER NOT NULL,
    category    TEXT    NOT NULL CHECK (category IN ('professional', 'public')),
    kind        TEXT    NOT NULL CHECK (kind IN ('set', 'course')),
    tenths      INTEGER NOT NULL CHECK (tenths >= 0),     -- credits × 10
    title       TEXT    NOT NULL DEFAULT '',
    studied_on  TEXT,
    batch       INTEGER NOT NULL,
    created_at  INTEGER NOT NULL
);
INSERT INTO credit_entries_new (id, user_id, year, category, kind, tenths, title, studied_on, batch, created_at)
    SELECT id, user_id, year, category, kind, CAST(ROUND(credits * 10) AS INTEGER), title, studied_on, batch,
           created_at
    FROM credit_entries;
DROP TABLE credit_entries;
ALTER TABLE credit_entries_new RENAME TO credit_entries;
CREATE INDEX credit_entries_user_year ON credit_entries (user_id, year, id);
