-- "Set your profile with /profile" is said once per user, not on every credits reply.
ALTER TABLE users ADD COLUMN profile_hint_shown INTEGER NOT NULL DEFAULT 0;
