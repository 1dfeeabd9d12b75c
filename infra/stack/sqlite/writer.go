package sqlite

import (
	"context"
	"database/sql"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// maxBatch bounds how many writes share one commit.
const maxBatch = 64

// job is one write waiting for the writer goroutine.
type job struct {
	fn   func(ctx context.Context, tx *sql.Tx) error
	done chan error
	// single marks a job whose only change is one statement: SQLite undoes
	// a failed statement by itself, so the job needs no savepoint of its
	// own inside a shared transaction.
	single bool
	// after, if set, runs on the writer goroutine once the job's changes
	// have committed, in commit order: the one place the app cache is
	// changed, so it follows the file exactly.
	after func()
}

// write runs fn in a transaction on the writer connection and returns once
// that transaction has committed (nil) or failed (fn's error, or the
// commit's). Writes that arrive while another is running are batched into
// one transaction, each inside its own savepoint: a write that fails rolls
// back only itself, and all of them share one commit. This group commit is
// what lets concurrent callers go faster than one commit at a time.
//
// ctx is honoured until the write is queued. Once the writer takes it, it
// runs to the end, because interrupting a statement inside a shared
// transaction would roll back the whole batch; fn's statements get a
// context that cannot be cancelled.
func (s *Store) write(ctx context.Context, fn func(ctx context.Context, tx *sql.Tx) error) error {
	return s.enqueue(ctx, job{fn: fn, done: make(chan error, 1)})
}

// writeSingle is write for a fn that changes the database with exactly one
// statement (any other statements only read), saving the savepoint.
func (s *Store) writeSingle(ctx context.Context, fn func(ctx context.Context, tx *sql.Tx) error) error {
	return s.enqueue(ctx, job{fn: fn, done: make(chan error, 1), single: true})
}

// writeThen is write (or writeSingle) with a function to run after the
// commit; see job.after. after may read what fn set: both run on the
// writer goroutine.
func (s *Store) writeThen(ctx context.Context, single bool, fn func(ctx context.Context, tx *sql.Tx) error, after func()) error {
	return s.enqueue(ctx, job{fn: fn, done: make(chan error, 1), single: single, after: after})
}

func (s *Store) enqueue(ctx context.Context, j job) error {
	if err := s.check(ctx); err != nil {
		return err
	}
	queue := s.jobs
	if kaiban.IsInteractive(ctx) {
		queue = s.interactive
	}
	select {
	case queue <- j:
	case <-ctx.Done():
		return kaiban.Wrap(kaiban.ErrStoreUnavailable, ctx.Err(), "request cancelled")
	case <-s.stopping:
		return errClosed
	}
	return <-j.done
}

// writeLoop is the writer goroutine: it takes the next write, gathers those
// already waiting, and runs them as one batch.
func (s *Store) writeLoop() {
	defer close(s.writerDone)
	batch := make([]job, 0, maxBatch)
	for {
		var ok bool
		if batch, ok = s.nextBatch(batch[:0]); !ok {
			return
		}
		s.runBatch(batch)
	}
}

// nextBatch waits for a write and gathers into batch those already
// waiting, up to maxBatch: interactive writes (a person waiting on the
// API) first, the workflows' writes in what room is left. It reports false
// when the store is stopping.
func (s *Store) nextBatch(batch []job) ([]job, bool) {
	select {
	case j := <-s.interactive:
		batch = append(batch, j)
	default:
		select {
		case j := <-s.interactive:
			batch = append(batch, j)
		case j := <-s.jobs:
			batch = append(batch, j)
		case <-s.stopping:
			return batch, false
		}
	}
	for _, queue := range []chan job{s.interactive, s.jobs} {
	gather:
		for len(batch) < maxBatch {
			select {
			case j := <-queue:
				batch = append(batch, j)
			default:
				break gather
			}
		}
	}
	return batch, true
}

func (s *Store) runBatch(batch []job) {
	ctx := context.Background()
	errs := make([]error, len(batch))
	reply := func(commitErr error) {
		for i, j := range batch {
			if errs[i] == nil {
				errs[i] = commitErr
			}
			if errs[i] == nil && j.after != nil {
				j.after()
			}
			j.done <- errs[i]
		}
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		reply(storeErr(err, "cannot start a transaction"))
		return
	}
	if len(batch) == 1 { // no savepoint needed: the transaction is the job's
		if errs[0] = batch[0].fn(ctx, tx); errs[0] != nil {
			tx.Rollback()
			reply(nil)
			return
		}
		reply(storeErr(tx.Commit(), "cannot commit"))
		return
	}
	for i, j := range batch {
		if j.single {
			errs[i] = j.fn(ctx, tx)
			continue
		}
		if _, err := tx.StmtContext(ctx, s.stmt.wSavepoint).ExecContext(ctx); err != nil {
			s.abort(tx, errs, err)
			reply(nil)
			return
		}
		if errs[i] = j.fn(ctx, tx); errs[i] != nil {
			if _, err := tx.StmtContext(ctx, s.stmt.wRollbackTo).ExecContext(ctx); err != nil {
				s.abort(tx, errs, err)
				reply(nil)
				return
			}
		}
		if _, err := tx.StmtContext(ctx, s.stmt.wRelease).ExecContext(ctx); err != nil {
			s.abort(tx, errs, err)
			reply(nil)
			return
		}
	}
	reply(storeErr(tx.Commit(), "cannot commit"))
}

// abort rolls the whole batch back after the transaction itself failed;
// every job that had not failed on its own reports the failure.
func (s *Store) abort(tx *sql.Tx, errs []error, cause error) {
	tx.Rollback()
	err := storeErr(cause, "cannot write")
	for i := range errs {
		if errs[i] == nil {
			errs[i] = err
		}
	}
}
