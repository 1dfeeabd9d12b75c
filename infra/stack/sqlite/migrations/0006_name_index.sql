-- The registered-names index of the name check: one row per name, and one
-- row per look-up key of a name, so that every look-up is an index seek.
-- keys holds the name's keys joined by newlines, the identical key first.
CREATE TABLE name_records (
    name           TEXT PRIMARY KEY,
    registry       TEXT NOT NULL,
    status         TEXT NOT NULL,
    changed_at     INTEGER NOT NULL,
    reserved_until INTEGER NOT NULL DEFAULT 0,
    holder         TEXT NOT NULL DEFAULT '',
    keys           TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE name_keys (
    key  TEXT NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (key, name)
) WITHOUT ROWID;
-- Replacing a name's record deletes its key rows by name.
CREATE INDEX name_keys_by_name ON name_keys (name);
