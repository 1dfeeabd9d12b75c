-- Corrections (kaiban.Corrections): each application's newest request to
-- correct fields of its form. The request (fields, reason, note, times) is
-- JSON; the waiting branch's task token is its own column, like a clerk
-- task's, and never leaves the server.
CREATE TABLE corrections (
    application_id TEXT PRIMARY KEY REFERENCES applications(id),
    status         TEXT NOT NULL,
    request        TEXT NOT NULL,
    task_token     TEXT NOT NULL
) WITHOUT ROWID;
