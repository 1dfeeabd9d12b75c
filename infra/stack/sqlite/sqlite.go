// Package sqlite is the kaiban.Store of the local stack: one embedded,
// pure-Go SQLite file (modernc.org/sqlite), no server to run.
//
// Writes go through one goroutine that owns the single writer connection,
// so they are serialized inside the process and never fail with
// SQLITE_BUSY against each other; writes that arrive together share one
// commit (group commit, see write). Reads use a separate pool of read-only
// connections that WAL mode lets run alongside the writer. Every write runs
// in a transaction (BEGIN IMMEDIATE), so it happens completely or not at
// all.
//
// The database runs in WAL mode with synchronous=NORMAL: a committed write
// survives a crash of the process; a power failure may lose the last
// commits (those since the last checkpoint: a quarter of a second, or up
// to a minute while the process is saturated, see DeferCheckpointsWhile)
// but never corrupts the file. Checkpoints run on their own connection
// every checkpointEvery, off the write path. The schema is embedded
// (migrations/*.sql) and brought up to date on Open.
//
// Resident ID numbers and mobile numbers in the form are sealed with
// AES-256-GCM (shared/pii) before they are written; the key is required.
package sqlite

import (
	"context"
	"database/sql"
	"net/url"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/pii"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// Store is a kaiban.Store on an SQLite file. It is safe for concurrent use.
type Store struct {
	w    *sql.DB // the one writer connection
	r    *sql.DB // read-only pool
	c    *sql.DB // the checkpointer's connection
	seal *pii.Sealer
	// auditKey chains and verifies the audit trail (UseAuditKey).
	auditKey kaiban.AuditKey
	closed   atomic.Bool
	stmt     statements
	forms    *cache[kaiban.Form]
	apps     *cache[*kaiban.Application]
	lock     *os.File // exclusive lock on the file; see lockFile

	jobs chan job // writes for the writer goroutine
	// interactive carries the writes of requests a person waits for
	// (kaiban.WithInteractive); the writer takes them first.
	interactive chan job
	stopping    chan struct{} // closed by Close
	writerDone  chan struct{} // closed when the writer goroutine has ended
	ckptDone    chan struct{} // closed when the checkpointer has ended
	// saturated, if set, holds checkpoints back; see DeferCheckpointsWhile.
	saturated atomic.Pointer[func() bool]
	// bulkSinceCheckpoint counts names PutNames wrote since its last
	// checkpoint (see bulkCheckpointEvery).
	bulkSinceCheckpoint atomic.Int64
}

var (
	_ kaiban.Store             = (*Store)(nil)
	_ kaiban.AuditedWriter     = (*Store)(nil)
	_ kaiban.TaskAuditedWriter = (*Store)(nil)
)

// busyTimeoutMS is how long a connection waits for a lock held by another
// process (or by the writer, for a checkpoint) before giving up.
const busyTimeoutMS = 5000

// Open opens (creating if needed) the database file at path, applies the
// pending migrations and returns the store. key is the 32-byte PII key; a
// missing or wrong-length key is ErrConfig, a file that is not a database
// or is damaged is ErrStoreCorrupt.
func Open(ctx context.Context, path string, key []byte) (*Store, error) {
	seal, err := pii.New(key)
	if err != nil {
		return nil, err
	}
	if path == "" || strings.ContainsAny(path, "?#") || path == ":memory:" {
		return nil, kaiban.Errorf(kaiban.ErrConfig, "the SQLite path must name a file and contain no ? or #")
	}
	common := url.Values{}
	common.Add("_pragma", "busy_timeout("+strconv.Itoa(busyTimeoutMS)+")")
	common.Add("_pragma", "foreign_keys(1)")
	common.Add("_pragma", "synchronous(NORMAL)")
	// The WAL is not truncated by the PASSIVE checkpoints (see
	// checkpointEvery); SQLite reuses it from the start once a checkpoint
	// has caught up. Under a burst it can grow to hundreds of MB (1 GB
	// after 30 s at 200 submissions/s); journal_size_limit gives that
	// space back at the first reuse after the burst.
	common.Add("_pragma", "journal_size_limit("+strconv.FormatInt(walSizeLimit, 10)+")")
	wq := url.Values{"_txlock": {"immediate"}, "_pragma": append([]string{"journal_mode(WAL)", "wal_autocheckpoint(0)"}, common["_pragma"]...)}
	cq := url.Values{"_pragma": common["_pragma"]}
	rq := url.Values{"_pragma": append([]string{"query_only(1)"}, common["_pragma"]...)}

	lock, err := lockFile(path + ".lock")
	if err != nil {
		return nil, err
	}
	if err := secureFiles(path); err != nil {
		if lock != nil {
			lock.Close()
		}
		return nil, err
	}
	s, err := open(ctx, path, seal, wq, rq, cq)
	if err == nil {
		err = secureFiles(path) // the -wal and -shm exist now
		if err != nil {
			s.Close()
		}
	}
	if err != nil {
		if lock != nil {
			lock.Close()
		}
		return nil, err
	}
	s.lock = lock
	return s, nil
}

func open(ctx context.Context, path string, seal *pii.Sealer, wq, rq, cq url.Values) (*Store, error) {
	w, err := sql.Open("sqlite", "file:"+path+"?"+wq.Encode())
	if err != nil {
		return nil, kaiban.Wrap(kaiban.ErrConfig, err, "cannot open the SQLite database")
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	s := &Store{w: w, seal: seal, forms: newFormCache(), apps: newAppCache()}
	// The writer creates the file, switches it to WAL and migrates it before
	// any reader opens it.
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, storeErr(err, "cannot open the SQLite database")
	}
	if err := migrate(ctx, w); err != nil {
		w.Close()
		return nil, err
	}
	r, err := sql.Open("sqlite", "file:"+path+"?"+rq.Encode())
	if err != nil {
		w.Close()
		return nil, kaiban.Wrap(kaiban.ErrConfig, err, "cannot open the SQLite database")
	}
	readers := max(4, runtime.GOMAXPROCS(0))
	r.SetMaxOpenConns(readers)
	r.SetMaxIdleConns(readers)
	s.r = r
	if err := s.stmt.prepare(ctx, w, r); err != nil {
		s.stmt.close()
		w.Close()
		r.Close()
		return nil, err
	}
	c, err := sql.Open("sqlite", "file:"+path+"?"+cq.Encode())
	if err != nil {
		s.stmt.close()
		w.Close()
		r.Close()
		return nil, kaiban.Wrap(kaiban.ErrConfig, err, "cannot open the SQLite database")
	}
	c.SetMaxOpenConns(1)
	s.c = c
	s.jobs, s.interactive, s.stopping = make(chan job), make(chan job), make(chan struct{})
	s.writerDone, s.ckptDone = make(chan struct{}), make(chan struct{})
	go s.writeLoop()
	go s.checkpointLoop()
	return s, nil
}

// Close closes the database. Later calls fail with ErrStoreUnavailable.
func (s *Store) Close() error {
	if s.closed.Swap(true) {
		return nil
	}
	close(s.stopping)
	<-s.writerDone // the batch in progress finishes and answers
	<-s.ckptDone   // the WAL is folded back into the database file
	s.stmt.close()
	err := s.w.Close()
	for _, db := range []*sql.DB{s.r, s.c} {
		if cerr := db.Close(); err == nil {
			err = cerr
		}
	}
	if s.lock != nil {
		s.lock.Close() // releases the lock
	}
	return storeErr(err, "cannot close the database")
}

// check fails fast on a closed store or a cancelled request.
func (s *Store) check(ctx context.Context) error {
	if s.closed.Load() {
		return errClosed
	}
	if err := ctx.Err(); err != nil {
		return kaiban.Wrap(kaiban.ErrStoreUnavailable, err, "request cancelled")
	}
	return nil
}
