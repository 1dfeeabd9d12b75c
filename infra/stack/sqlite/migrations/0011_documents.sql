-- Issued documents: one row per document, unique per slot (application,
-- kind, key) so a document is issued into its slot once, and indexed by
-- digest for verification. revoked_at is 0 while the document stands.
CREATE TABLE documents (
    id             TEXT PRIMARY KEY,
    application_id TEXT NOT NULL,
    kind           TEXT NOT NULL,
    doc_key        TEXT NOT NULL,
    title          TEXT NOT NULL,
    title_en       TEXT NOT NULL,
    media_type     TEXT NOT NULL,
    size           INTEGER NOT NULL,
    sha256         TEXT NOT NULL,
    signature      BLOB NOT NULL,
    key_id         TEXT NOT NULL,
    object_key     TEXT NOT NULL,
    issued_at      INTEGER NOT NULL,
    revoked_at     INTEGER NOT NULL DEFAULT 0,
    UNIQUE (application_id, kind, doc_key)
) WITHOUT ROWID;
CREATE INDEX documents_by_sha256 ON documents (sha256);
