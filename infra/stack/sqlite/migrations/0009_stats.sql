-- The dashboard's daily aggregates: one row per day and counter, added to
-- with an upsert; GET /v1/stats reads at most 90 days of them.
CREATE TABLE stats_days (
    day     TEXT    NOT NULL, -- YYYY-MM-DD, China Standard Time
    counter TEXT    NOT NULL,
    n       INTEGER NOT NULL,
    PRIMARY KEY (day, counter)
) WITHOUT ROWID;
