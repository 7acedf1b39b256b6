-- Deliveries whose outcome was unknown (a time-out after the request was sent, or a crash mid-send): the
-- message may have arrived, so it is sent again at most once and counted as possibly duplicated.
ALTER TABLE outbox ADD COLUMN unsure INTEGER NOT NULL DEFAULT 0;
ALTER TABLE reminders ADD COLUMN unsure INTEGER NOT NULL DEFAULT 0;
