-- Liveness. The reminder dispatcher's repeating job stamps its row on every pass (and after every batch of a
-- long pass); `accbot health` reads it from another process, so a supervisor can tell a bot whose job queue
-- stopped from one that is merely quiet.
CREATE TABLE heartbeat (
    name     TEXT    PRIMARY KEY,                 -- 'dispatcher'
    beat_at  INTEGER NOT NULL,                    -- Unix seconds
    pid      INTEGER NOT NULL                     -- the process that wrote it, for the operator
);
