-- Each founder's confirmation of an application: roles, the hash of their
-- link's token, state, times, decline reason and signature record (JSON).
CREATE TABLE IF NOT EXISTS confirmations (
    application_id TEXT NOT NULL REFERENCES applications (id),
    seq            INTEGER NOT NULL,
    person_key     TEXT NOT NULL,
    roles          TEXT NOT NULL,
    token_hash     BLOB NOT NULL,
    state          TEXT NOT NULL,
    created_at     INTEGER NOT NULL,
    expires_at     INTEGER NOT NULL,
    verified_at    INTEGER,
    decided_at     INTEGER,
    decline_reason TEXT NOT NULL DEFAULT '',
    signature      TEXT,
    PRIMARY KEY (application_id, seq)
) WITHOUT ROWID;

-- Identity verifications, by the keyed hash of the person's ID number,
-- reused for 30 days on any application.
CREATE TABLE IF NOT EXISTS identity_verifications (
    person_key  TEXT PRIMARY KEY,
    verified_at INTEGER NOT NULL
) WITHOUT ROWID;

-- The task token of the workflow state waiting for an application's
-- signatures.
CREATE TABLE IF NOT EXISTS confirmation_waiters (
    application_id TEXT PRIMARY KEY REFERENCES applications (id),
    task_token     TEXT NOT NULL
) WITHOUT ROWID;
