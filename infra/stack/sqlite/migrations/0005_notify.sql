-- The local outbox (kaiban.Outbox): one row per message key, so a retried
-- step's second send inserts nothing. The recipient, the text and the link
-- are sealed with the PII key like the form's mobiles (the link carries an
-- access token).
CREATE TABLE outbox (
    key            TEXT PRIMARY KEY,
    application_id TEXT NOT NULL,
    recipient      TEXT NOT NULL,
    channel        TEXT NOT NULL,
    kind           TEXT NOT NULL,
    text           TEXT NOT NULL,
    link           TEXT NOT NULL,
    sent_at        INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX outbox_newest ON outbox (sent_at DESC, key DESC);
-- The language of an applicant's notifications (kaiban.Application.Lang):
-- '' is Chinese, 'en' English.
ALTER TABLE applications ADD COLUMN lang TEXT NOT NULL DEFAULT '';
-- Drafts (kaiban.Drafts): the form as far as it is filled, sealed with the
-- PII key (it holds ID numbers and mobiles), reachable with its token
-- (SHA-256 stored), until expires_at.
CREATE TABLE drafts (
    id         TEXT PRIMARY KEY,
    token_hash BLOB NOT NULL,
    form       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
) WITHOUT ROWID;
