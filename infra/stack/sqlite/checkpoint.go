package sqlite

import (
	"context"
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

// maxCheckpointDeferral bounds how long DeferCheckpointsWhile may hold
// checkpoints back. A variable so a test can shorten it.
var maxCheckpointDeferral = time.Minute

// DeferCheckpointsWhile holds checkpoints back while saturated reports
// true (the local stack passes its admission gate's Saturated), for at
// most maxCheckpointDeferral at a time; nil checkpoints on every tick.
//
// A checkpoint ends in fsyncs of tens of milliseconds, and while a
// goroutine waits in a system call its P stays idle until the runtime's
// monitor notices, 1–20 ms later (median 12 ms in an execution trace):
// on 2 cores the process runs on one. Under saturation that stall is
// what applicants waiting on the API see; at 200 submissions/s it was
// the largest part of the p99. And a checkpoint then buys nothing: with
// commits arriving without a pause SQLite never starts the WAL over, so
// the WAL grows just the same. The cost is durability against power
// loss, which synchronous=NORMAL gets from the checkpoint's fsync of the
// WAL: while checkpoints wait, a power failure (not a crash of the
// process) can lose up to maxCheckpointDeferral of commits instead of a
// quarter of a second.
func (s *Store) DeferCheckpointsWhile(saturated func() bool) {
	if saturated == nil {
		s.saturated.Store(nil)
		return
	}
	s.saturated.Store(&saturated)
}

// checkpointLoop runs until Close, then truncates the WAL.
func (s *Store) checkpointLoop() {
	defer close(s.ckptDone)
	db := s.c
	tick := time.NewTicker(checkpointEvery)
	defer tick.Stop()
	last := time.Now()
	for {
		select {
		case now := <-tick.C:
			if sat := s.saturated.Load(); sat != nil && (*sat)() && now.Sub(last) < maxCheckpointDeferral {
				continue
			}
			// A failed checkpoint is retried on the next tick; the WAL
			// keeps every committed write meanwhile.
			_, _ = db.ExecContext(context.Background(), `PRAGMA wal_checkpoint(PASSIVE)`)
			last = now
		case <-s.stopping:
			_, _ = db.ExecContext(context.Background(), `PRAGMA wal_checkpoint(TRUNCATE)`)
			return
		}
	}
}
