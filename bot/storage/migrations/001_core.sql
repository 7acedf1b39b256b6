-- Users and the questions the bot could not answer.
CREATE TABLE users (
    id             INTEGER PRIMARY KEY,           -- Telegram user id
    language       TEXT    NOT NULL DEFAULT 'zh',
    language_chosen INTEGER NOT NULL DEFAULT 0,   -- 1 once set by /lang: Telegram's hint no longer overrides
    first_seen     INTEGER NOT NULL,              -- Unix seconds
    last_seen      INTEGER NOT NULL,
    active         INTEGER NOT NULL DEFAULT 1     -- 0 after Telegram said Forbidden (user blocked the bot)
);

-- No user id on purpose: the admin report needs the wording, not who asked.
CREATE TABLE unanswered_questions (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    asked_at  INTEGER NOT NULL,
    language  TEXT    NOT NULL,
    kind      TEXT    NOT NULL,                   -- not_found | unsure
    text      TEXT    NOT NULL
);
CREATE INDEX unanswered_questions_asked_at ON unanswered_questions (asked_at);
