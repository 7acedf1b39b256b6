-- Unanswered questions: one row per distinct wording (normalised), counted, with no user id and no time of
-- each ask, so the table says what people ask that the bot cannot answer and nothing about who asked.
CREATE TABLE unanswered_questions_new (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    text        TEXT    NOT NULL,                 -- normalised wording, at most 500 characters
    language    TEXT    NOT NULL,
    kind        TEXT    NOT NULL,                 -- not_found | unsure (of the latest ask)
    count       INTEGER NOT NULL DEFAULT 1,
    first_seen  INTEGER NOT NULL,                 -- Unix seconds
    last_seen   INTEGER NOT NULL,
    UNIQUE (text, language)
);
INSERT INTO unanswered_questions_new (text, language, kind, count, first_seen, last_seen)
    SELECT lower(trim(text)), language, MAX(kind), COUNT(*), MIN(asked_at), MAX(asked_at)
    FROM unanswered_questions GROUP BY lower(trim(text)), language;
DROP TABLE unanswered_questions;
ALTER TABLE unanswered_questions_new RENAME TO unanswered_questions;
CREATE INDEX unanswered_questions_last_seen ON unanswered_questions (last_seen);
