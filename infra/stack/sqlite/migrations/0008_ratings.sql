-- Ratings (好差评): one per application, written in the transaction that
-- appends its audit event.
CREATE TABLE ratings (
    application_id TEXT    PRIMARY KEY,
    score          INTEGER NOT NULL,
    tags           TEXT    NOT NULL, -- JSON array of rating tag codes
    comment        TEXT    NOT NULL,
    rated_at       INTEGER NOT NULL
);
