package sqlite

import (
	"context"
	"database/sql"
	"time"
)

// checkpointEvery is how often the WAL is copied back into the database
// file. The writer connection does not checkpoint itself (wal_autocheckpoint
// is off): a checkpoint ends with an fsync, and on the write path that fsync
// would stall every write behind it. A PASSIVE checkpoint on its own
// connection runs beside the writer and the readers instead.
const checkpointEvery = 250 * time.Millisecond

// walSizeLimit is the size the WAL file is cut back to when SQLite starts
// reusing it (PRAGMA journal_size_limit). A variable so a test can lower it.
var walSizeLimit int64 = 64 << 20

// checkpointLoop runs until stop is closed, then truncates the WAL.
func checkpointLoop(db *sql.DB, stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	tick := time.NewTicker(checkpointEvery)
	defer tick.Stop()
	for {
		select {
		case <-tick.C:
			// A failed checkpoint is retried on the next tick; the WAL
			// keeps every committed write meanwhile.
			_, _ = db.ExecContext(context.Background(), `PRAGMA wal_checkpoint(PASSIVE)`)
		case <-stop:
			_, _ = db.ExecContext(context.Background(), `PRAGMA wal_checkpoint(TRUNCATE)`)
			return
		}
	}
}
