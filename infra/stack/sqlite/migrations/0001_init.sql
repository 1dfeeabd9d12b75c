-- Applications, their seven tracks, idempotency records, clerk tasks and
-- the audit trail. Times are nanoseconds since 1970 (UTC), so they sort
-- and compare as integers and survive the round trip exactly.

CREATE TABLE applications (
    id           TEXT    PRIMARY KEY,
    status       TEXT    NOT NULL,
    form         TEXT    NOT NULL,  -- JSON; idNumber and mobile values sealed (shared/pii)
    credit_code  TEXT    NOT NULL DEFAULT '',
    submitted_at INTEGER NOT NULL,
    deadline     INTEGER NOT NULL,
    completed_at INTEGER,
    message      TEXT    NOT NULL DEFAULT '',
    updated_at   INTEGER NOT NULL,
    token_hash   BLOB    NOT NULL,  -- SHA-256 of the access token
    audit_seq    INTEGER NOT NULL DEFAULT 0,  -- head of the audit chain
    audit_hash   TEXT    NOT NULL DEFAULT ''
);

-- The SLA watchdog scans open applications by deadline.
CREATE INDEX applications_open_by_deadline ON applications (deadline, id)
    WHERE status NOT IN ('COMPLETED', 'REJECTED');

CREATE TABLE tracks (
    application_id TEXT    NOT NULL REFERENCES applications (id),
    name           TEXT    NOT NULL,
    ord            INTEGER NOT NULL,  -- display order
    status         TEXT    NOT NULL,
    attempts       INTEGER NOT NULL DEFAULT 0,
    started_at     INTEGER,
    finished_at    INTEGER,
    result         TEXT,
    message        TEXT    NOT NULL DEFAULT '',
    version        INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (application_id, name)
) WITHOUT ROWID;

CREATE TABLE idempotency (
    key            TEXT    PRIMARY KEY,
    body_hash      TEXT    NOT NULL,
    application_id TEXT    NOT NULL REFERENCES applications (id),
    sealed         BLOB,
    created_at     INTEGER NOT NULL
);

CREATE TABLE clerk_tasks (
    id             TEXT    PRIMARY KEY,
    application_id TEXT    NOT NULL REFERENCES applications (id),
    track          TEXT    NOT NULL,
    kind           TEXT    NOT NULL,
    status         TEXT    NOT NULL,
    error_name     TEXT    NOT NULL DEFAULT '',
    reason         TEXT    NOT NULL DEFAULT '',
    task_token     TEXT    NOT NULL DEFAULT '',
    deadline       INTEGER NOT NULL,
    priority       INTEGER NOT NULL DEFAULT 0,
    created_at     INTEGER NOT NULL,
    claimed_by     TEXT    NOT NULL DEFAULT '',
    claimed_at     INTEGER,
    resolved_by    TEXT    NOT NULL DEFAULT '',
    resolved_at    INTEGER,
    decision       TEXT    NOT NULL DEFAULT '',
    note           TEXT    NOT NULL DEFAULT '',
    data           TEXT
);

-- The clerk queue: by status, then priority, deadline, creation.
CREATE INDEX clerk_tasks_queue ON clerk_tasks (status, priority DESC, deadline, created_at, id);
CREATE INDEX clerk_tasks_open_by_application ON clerk_tasks (application_id, created_at, id)
    WHERE status <> 'RESOLVED';

CREATE TABLE audit_events (
    application_id TEXT    NOT NULL REFERENCES applications (id),
    seq            INTEGER NOT NULL,
    time           INTEGER NOT NULL,
    actor          TEXT    NOT NULL,
    action         TEXT    NOT NULL,
    before         TEXT,
    after          TEXT,
    prev_hash      TEXT    NOT NULL,
    hash           TEXT    NOT NULL,
    PRIMARY KEY (application_id, seq)
) WITHOUT ROWID;
