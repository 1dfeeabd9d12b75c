// Package journal is the local Step Functions engine's durable record: an
// embedded SQLite database (pure Go driver) holding state machines,
// executions and every execution's history. Writes are appended to an
// ordered queue and committed by one writer goroutine, many batches per
// transaction (group commit), so concurrent executions share the cost of
// each commit.
//
// Durability: WAL mode with synchronous=NORMAL. A committed transaction is
// in the WAL file before Append's wait returns, so it survives the process
// being killed (kill -9); only an operating-system crash or power loss can
// lose the last commits (those since the last checkpoint: a quarter of a
// second, or up to a minute while checkpoints are deferred, see
// DeferCheckpointsWhile), which is the trade the local engine makes for
// about ten times the commit rate of synchronous=FULL.
package journal

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// StateMachine is a stored state machine.
type StateMachine struct {
	Arn, Name, Definition, RoleArn, Type string
	Created                              time.Time
}

// Execution is a stored execution's summary row.
type Execution struct {
	// Seq is the engine's compact, increasing key for the execution; its
	// events are stored under it, so concurrent executions' inserts land
	// together at the end of the events table.
	Seq                                int64
	Arn, StateMachineArn, Name, Status string
	Input, Output, Error, Cause        string
	Started, Stopped                   time.Time
}

// Event is one stored history event. Thread and Meta are the engine's own
// bookkeeping for resuming; Details is AWS's detail object.
type Event struct {
	ExecSeq    int64
	ID, PrevID int64
	Type       string
	Time       time.Time
	Thread     string
	Details    []byte
	Meta       []byte
}

// Batch is a set of writes that become durable together. Executions are
// upserted by ARN; events are inserted.
type Batch struct {
	StateMachines []StateMachine
	Executions    []Execution
	Events        []Event
	// Retry lifts the refusal of the batch's executions (see write): it
	// carries again everything of theirs since the batch that failed.
	Retry bool

	err    error
	done   chan struct{} // closed once err is final
	urgent chan struct{} // the journal's; poked by wait
}

// ErrClosed is returned for writes after Close.
var ErrClosed = errors.New("journal: closed")

// ErrEarlierWriteFailed is returned for a batch of an execution whose
// earlier batch failed to commit: it is not written, so the execution's
// stored history stays a prefix of what happened, without a hole.
var ErrEarlierWriteFailed = errors.New("journal: an earlier write of this execution failed")

// DB is an open journal.
type DB struct {
	db *sql.DB
	// wconn is the writer's own connection. SQLite keeps a page cache per
	// connection and drops it when the database was written through
	// another one, so a writer that took any pooled connection re-read the
	// B-tree pages it appends to on most commits; on its own connection
	// they stay cached from one commit to the next.
	wconn *sql.Conn
	// Statements prepared once; the writer binds them to each transaction.
	insStateMachine, upsExecution, insEvent *sql.Stmt

	mu     sync.Mutex
	queue  []*Batch
	closed bool
	wake   chan struct{}
	exited chan struct{}
	// ckptStop ends the checkpointer, which closes ckptDone.
	ckptStop, ckptDone chan struct{}
	// urgent is poked when someone waits for a batch: the writer then
	// commits at once instead of letting the commit delay gather more.
	urgent chan struct{}
	// saturated, if set, holds checkpoints back; see DeferCheckpointsWhile.
	saturated atomic.Pointer[func() bool]
	// refused holds the executions a commit of which failed, with its
	// error; only the writer goroutine uses it. See write.
	refused map[int64]error
	// scratch is the writer goroutine's, for commit.
	scratch commitScratch
	// commitFault, if set, fails commits (fault-injection tests).
	commitFault atomic.Pointer[func() error]
}

// commitDelay is how long the writer lets batches nobody waits for gather
// before it commits them (as PostgreSQL's commit_delay): most batches are
// flushed without waiting (see Append), so a short delay turns many small
// commits into few larger ones; a waiter cuts the delay short, so a
// durable write is never slowed by it.
const commitDelay = time.Millisecond

// schemaVersion is stored in PRAGMA user_version.
const schemaVersion = 4

// The tables are keyed so that a commit appends at the right edge of each
// B-tree: executions by their increasing seq, event chunks by an
// increasing id. A transaction then touches few pages, and pages fill up
// instead of splitting: keyed by (execution, first event), as in schema 3,
// every commit inserted into the middle of the tree once per running
// execution, leaving pages 40 % full; the file was twice the size and
// its WAL half as large again at 200 submissions/s, and the durable
// engine benchmark 20 % slower. The index that finds an execution's
// chunks holds only small keys, and running executions' seqs are close
// together, so its inserts land on a few pages at its right edge too.
// Nothing is looked up by ARN on disk; the engine loads the executions at
// start.
const schema = `
CREATE TABLE IF NOT EXISTS state_machines(
	arn TEXT PRIMARY KEY, name TEXT NOT NULL, definition TEXT NOT NULL,
	role_arn TEXT NOT NULL, type TEXT NOT NULL, created INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS executions(
	seq INTEGER PRIMARY KEY, arn TEXT NOT NULL, state_machine_arn TEXT NOT NULL, name TEXT NOT NULL,
	status TEXT NOT NULL, input TEXT NOT NULL, output TEXT NOT NULL,
	error TEXT NOT NULL, cause TEXT NOT NULL, started INTEGER NOT NULL, stopped INTEGER NOT NULL);
` + eventChunksSchema

const eventChunksSchema = `
CREATE TABLE IF NOT EXISTS event_chunks(
	id INTEGER PRIMARY KEY, exec_seq INTEGER NOT NULL, first_id INTEGER NOT NULL, events BLOB NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS event_chunks_by_execution ON event_chunks(exec_seq, first_id);
`

// fromSchema3 moves schema 3's event chunks into schema 4's table, in
// history order.
const fromSchema3 = `
ALTER TABLE event_chunks RENAME TO event_chunks_v3;
` + eventChunksSchema + `
INSERT INTO event_chunks(exec_seq, first_id, events)
	SELECT exec_seq, first_id, events FROM event_chunks_v3 ORDER BY exec_seq, first_id;
DROP TABLE event_chunks_v3;
`

// Open opens (creating if needed) the journal at path and starts its
// writer.
func Open(ctx context.Context, path string) (*DB, error) {
	q := url.Values{}
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "busy_timeout(10000)")
	// No checkpoint inside a commit: SQLite's automatic one (every 1000
	// pages, here about every 25 applications) ran on the writer and ended
	// in an fsync, stalling whoever waited for that commit by ~30 ms. The
	// checkpointer goroutine does it beside the writer instead.
	q.Add("_pragma", "wal_autocheckpoint(0)")
	// A burst can grow the WAL to hundreds of MB before a checkpoint
	// catches up; give the space back when SQLite starts reusing it.
	q.Add("_pragma", fmt.Sprintf("journal_size_limit(%d)", walSizeLimit))
	if err := secureFiles(path); err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("journal: open %s: %w", path, err)
	}
	// One writer connection plus readers; WAL lets them run side by side.
	db.SetMaxOpenConns(4)
	if err := migrate(ctx, db); err != nil {
		db.Close()
		return nil, fmt.Errorf("journal: %s: %w", path, err)
	}
	if err := secureFiles(path); err != nil { // the -wal and -shm exist now
		db.Close()
		return nil, err
	}
	wconn, err := db.Conn(ctx)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("journal: open %s: %w", path, err)
	}
	d := &DB{db: db, wconn: wconn, wake: make(chan struct{}, 1), exited: make(chan struct{}), urgent: make(chan struct{}, 1), refused: map[int64]error{}}
	for _, p := range []struct {
		dst **sql.Stmt
		sql string
	}{
		{&d.insStateMachine, `INSERT OR REPLACE INTO state_machines VALUES(?,?,?,?,?,?)`},
		{&d.upsExecution, `INSERT OR REPLACE INTO executions VALUES(?,?,?,?,?,?,?,?,?,?,?)`},
		{&d.insEvent, `INSERT OR REPLACE INTO event_chunks(exec_seq, first_id, events) VALUES(?,?,?)`},
	} {
		if *p.dst, err = db.PrepareContext(ctx, p.sql); err != nil {
			wconn.Close()
			db.Close()
			return nil, fmt.Errorf("journal: prepare: %w", err)
		}
	}
	go d.writer()
	d.ckptStop, d.ckptDone = make(chan struct{}), make(chan struct{})
	go d.checkpointer()
	return d, nil
}

// checkpointEvery is how often the checkpointer copies the WAL back into
// the database file.
const checkpointEvery = 250 * time.Millisecond

// maxCheckpointDeferral bounds how long DeferCheckpointsWhile may hold
// checkpoints back. A variable so a test can shorten it.
var maxCheckpointDeferral = time.Minute

// walSizeLimit is the size the WAL file is cut back to when SQLite starts
// reusing it (PRAGMA journal_size_limit). A variable so a test can lower it.
var walSizeLimit int64 = 64 << 20

// checkpointer runs PASSIVE checkpoints on a connection of its own (they
// wait for no one and no one waits for them) until Close, then folds the
// whole WAL back and truncates it.
func (d *DB) checkpointer() {
	defer close(d.ckptDone)
	tick := time.NewTicker(checkpointEvery)
	defer tick.Stop()
	last := time.Now()
	for {
		select {
		case now := <-tick.C:
			if sat := d.saturated.Load(); sat != nil && (*sat)() && now.Sub(last) < maxCheckpointDeferral {
				continue
			}
			// A failed checkpoint is retried on the next tick; the WAL
			// keeps every commit meanwhile.
			_, _ = d.db.Exec(`PRAGMA wal_checkpoint(PASSIVE)`)
			last = now
		case <-d.ckptStop:
			return
		}
	}
}

// DeferCheckpointsWhile holds checkpoints back while saturated reports
// true, for at most maxCheckpointDeferral at a time.
//
// A checkpoint ends in fsyncs of tens of milliseconds, and while a
// goroutine waits in a system call its P stays idle until the runtime's
// monitor notices, 1–20 ms later (measured in an execution trace: median
// 12 ms): on 2 cores the process runs on one. Under saturation that
// stall is what people waiting on the API see. And a checkpoint then buys
// nothing: with commits arriving without a pause SQLite never starts the
// WAL over, so it grows just the same. The cost is durability against
// power loss, which synchronous=NORMAL gets from the checkpoint's fsync
// of the WAL: while checkpoints wait, a power failure (not a crash of the
// process) can lose up to maxCheckpointDeferral of commits instead of a
// quarter of a second.
func (d *DB) DeferCheckpointsWhile(saturated func() bool) {
	if saturated == nil {
		d.saturated.Store(nil)
		return
	}
	d.saturated.Store(&saturated)
}

// Append queues b behind every earlier batch and returns a function that
// waits until b is durable. Batches commit in the order they were
// appended, so a crash keeps a prefix of them. Callers that do not need
// to wait may drop the function.
// The returned function may be called any number of times.
func (d *DB) Append(b *Batch) (wait func() error) {
	b.done, b.urgent = make(chan struct{}), d.urgent
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return func() error { return ErrClosed }
	}
	d.queue = append(d.queue, b)
	select {
	case d.wake <- struct{}{}:
	default:
	}
	return b.wait
}

// Settled reports whether b has been committed or refused, and its error;
// it does not wait.
func (b *Batch) Settled() (bool, error) {
	select {
	case <-b.done:
		return true, b.err
	default:
		return false, nil
	}
}

func (b *Batch) wait() error {
	select {
	case <-b.done:
		return b.err
	default:
	}
	select {
	case b.urgent <- struct{}{}:
	default: // already poked
	}
	<-b.done
	return b.err
}

// Close commits what is queued, stops the writer and closes the database.
func (d *DB) Close() error {
	d.mu.Lock()
	if d.closed {
		d.mu.Unlock()
		return nil
	}
	d.closed = true
	close(d.wake)
	select {
	case d.urgent <- struct{}{}: // end a commit delay in progress
	default:
	}
	d.mu.Unlock()
	<-d.exited
	close(d.ckptStop)
	<-d.ckptDone
	_ = d.wconn.Close()
	// Fold the WAL back so the file is whole on its own.
	_, _ = d.db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`)
	return d.db.Close()
}

func (d *DB) writer() {
	defer close(d.exited)
	delay := time.NewTimer(commitDelay)
	delay.Stop()
	for {
		_, open := <-d.wake
		if open {
			delay.Reset(commitDelay)
			select {
			case <-d.urgent:
			case <-delay.C:
			}
			delay.Stop()
		}
		d.mu.Lock()
		batches := d.queue
		d.queue = nil
		d.mu.Unlock()
		if len(batches) > 0 {
			d.write(batches)
		}
		if !open {
			return
		}
	}
}

// write commits batches in one transaction and settles each one.
//
// Batches that nobody waits for are settled unseen, and the writer commits
// whatever has queued since the last commit: without care, a batch of an
// execution could fail (the disk is full) and its next batch commit a
// moment later (space came back), leaving a hole in the stored history
// that a resumed execution cannot replay. So once a batch of an execution
// fails, every later batch of that execution is refused with
// ErrEarlierWriteFailed: the stored history stays a prefix, which resumes
// from its last recorded step, and the execution learns of the failure at
// its next wait; a batch with Retry then writes again, in one piece,
// everything since the batch that failed.
func (d *DB) write(batches []*Batch) {
	ok := batches[:0:0]
	for _, b := range batches {
		if b.Retry {
			for _, x := range b.Executions {
				delete(d.refused, x.Seq)
			}
			for _, ev := range b.Events {
				delete(d.refused, ev.ExecSeq)
			}
		}
		if err := d.refusal(b); err != nil {
			b.err = err
			close(b.done)
			continue
		}
		ok = append(ok, b)
	}
	if len(ok) == 0 {
		return
	}
	err := d.commit(ok)
	for _, b := range ok {
		if err != nil {
			for _, x := range b.Executions {
				d.refused[x.Seq] = err
			}
			for _, ev := range b.Events {
				d.refused[ev.ExecSeq] = err
			}
		}
		b.err = err
		close(b.done)
	}
}

// refusal returns why b must not be written, or nil.
func (d *DB) refusal(b *Batch) error {
	if len(d.refused) == 0 {
		return nil
	}
	for _, x := range b.Executions {
		if err := d.refused[x.Seq]; err != nil {
			return fmt.Errorf("%w: %w", ErrEarlierWriteFailed, err)
		}
	}
	for _, ev := range b.Events {
		if err := d.refused[ev.ExecSeq]; err != nil {
			return fmt.Errorf("%w: %w", ErrEarlierWriteFailed, err)
		}
	}
	return nil
}

// SetCommitFault makes every commit fail with f's error while f returns
// one; nil removes it. It exists for fault-injection tests of the engine.
func (d *DB) SetCommitFault(f func() error) {
	if f == nil {
		d.commitFault.Store(nil)
		return
	}
	d.commitFault.Store(&f)
}

func (d *DB) commit(batches []*Batch) error {
	ctx := context.Background()
	if f := d.commitFault.Load(); f != nil {
		if err := (*f)(); err != nil {
			return fmt.Errorf("journal: commit: %w", err)
		}
	}
	tx, err := d.wconn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("journal: begin: %w", err)
	}
	defer tx.Rollback()
	sms, execs, evs := tx.Stmt(d.insStateMachine), tx.Stmt(d.upsExecution), tx.Stmt(d.insEvent)
	// An execution usually has several batches in one commit (its flushes
	// that nobody waited for gather during the commit delay): its events
	// become one chunk row and its summary row is written once, as of its
	// newest batch, since a row costs most of what a commit does. Batches
	// of one execution are in the order they were recorded, so its events
	// are too, and the chunk's key is its first event.
	//
	// The chunks are encoded into one buffer the writer keeps from commit
	// to commit (the driver copies a blob when it binds it), each in a
	// region sized beforehand: growing each execution's chunk batch by
	// batch, a fresh one every commit, was 40 % of the bytes the durable
	// engine allocated.
	s := &d.scratch
	s.reset()
	for _, b := range batches {
		for _, sm := range b.StateMachines {
			if _, err := sms.Exec(sm.Arn, sm.Name, sm.Definition, sm.RoleArn, sm.Type, sm.Created.UnixNano()); err != nil {
				return fmt.Errorf("journal: write state machine: %w", err)
			}
		}
		for _, x := range b.Executions {
			if i, ok := s.rowAt[x.Seq]; ok {
				s.rows[i] = x
				continue
			}
			s.rowAt[x.Seq] = len(s.rows)
			s.rows = append(s.rows, x)
		}
		for evs0 := b.Events; len(evs0) > 0; {
			n := 1 // a run of events of one execution goes into its chunk
			for n < len(evs0) && evs0[n].ExecSeq == evs0[0].ExecSeq {
				n++
			}
			seq := evs0[0].ExecSeq
			i, ok := s.bySeq[seq]
			if !ok {
				i = len(s.chunks)
				s.bySeq[seq] = i
				s.chunks = append(s.chunks, chunkRow{seq: seq, firstID: evs0[0].ID})
			}
			s.chunks[i].size += chunkBound(evs0[:n])
			s.runs = append(s.runs, chunkRun{chunk: i, evs: evs0[:n]})
			evs0 = evs0[n:]
		}
	}
	total := 0
	for i := range s.chunks {
		total += s.chunks[i].size
	}
	if cap(s.buf) < total {
		s.buf = make([]byte, max(total, 2*cap(s.buf)))
	}
	buf := s.buf[:total]
	for i := range s.chunks {
		c := &s.chunks[i]
		c.data, buf = buf[:0:c.size], buf[c.size:]
	}
	for _, r := range s.runs {
		c := &s.chunks[r.chunk]
		c.data = appendChunk(c.data, r.evs)
	}
	rows, chunks := s.rows, s.chunks
	for _, x := range rows {
		if _, err := execs.Exec(x.Seq, x.Arn, x.StateMachineArn, x.Name, x.Status, x.Input, x.Output, x.Error, x.Cause, x.Started.UnixNano(), unixNano(x.Stopped)); err != nil {
			return fmt.Errorf("journal: write execution: %w", err)
		}
	}
	for _, c := range chunks {
		if _, err := evs.Exec(c.seq, c.firstID, c.data); err != nil {
			return fmt.Errorf("journal: write events: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("journal: commit: %w", err)
	}
	return nil
}

// chunkRow is one execution's events in one commit.
type chunkRow struct {
	seq, firstID int64
	size         int // bound on len(data), see chunkBound
	data         []byte
}

// chunkRun is a run of one execution's events in a batch, for chunk
// number chunk of the commit.
type chunkRun struct {
	chunk int
	evs   []Event
}

// commitScratch is the writer's memory for building a commit, kept from
// one commit to the next.
type commitScratch struct {
	chunks []chunkRow
	bySeq  map[int64]int // index in chunks
	rows   []Execution
	rowAt  map[int64]int // index in rows
	runs   []chunkRun
	buf    []byte // the chunks' bytes
}

// maxScratchBuf is the largest chunk buffer the writer keeps after a
// commit: a burst's buffer is let go rather than held for good.
const maxScratchBuf = 4 << 20

func (s *commitScratch) reset() {
	if s.bySeq == nil {
		s.bySeq, s.rowAt = map[int64]int{}, map[int64]int{}
	}
	clear(s.bySeq)
	clear(s.rowAt)
	clear(s.rows) // drop references to the batches' strings
	clear(s.runs)
	s.chunks, s.rows, s.runs = s.chunks[:0], s.rows[:0], s.runs[:0]
	if cap(s.buf) > maxScratchBuf {
		s.buf = nil
	}
}

// migrate creates the schema in a new file, upgrades files of schema 3,
// and refuses files written with another layout rather than misreading
// them.
func migrate(ctx context.Context, db *sql.DB) error {
	var version, tables int
	if err := db.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&version); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table'`).Scan(&tables); err != nil {
		return fmt.Errorf("read schema: %w", err)
	}
	var script string
	switch {
	case version == schemaVersion:
		return nil
	case version == 3:
		script = fromSchema3
	case version != 0 || tables > 0:
		return fmt.Errorf("written by another engine version (schema %d, want %d); move it away to start afresh", version, schemaVersion)
	default:
		script = schema
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrate schema: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, script+fmt.Sprintf("PRAGMA user_version = %d;", schemaVersion)); err != nil {
		return fmt.Errorf("migrate schema %d to %d: %w", version, schemaVersion, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migrate schema %d to %d: %w", version, schemaVersion, err)
	}
	return nil
}

func unixNano(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

func fromUnixNano(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

// StateMachines returns every stored state machine, oldest first.
func (d *DB) StateMachines(ctx context.Context) ([]StateMachine, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT arn, name, definition, role_arn, type, created FROM state_machines ORDER BY created, arn`)
	if err != nil {
		return nil, fmt.Errorf("journal: read state machines: %w", err)
	}
	defer rows.Close()
	var out []StateMachine
	for rows.Next() {
		var s StateMachine
		var created int64
		if err := rows.Scan(&s.Arn, &s.Name, &s.Definition, &s.RoleArn, &s.Type, &created); err != nil {
			return nil, fmt.Errorf("journal: read state machines: %w", err)
		}
		s.Created = fromUnixNano(created)
		out = append(out, s)
	}
	return out, rows.Err()
}

// Executions returns every stored execution, oldest first.
func (d *DB) Executions(ctx context.Context) ([]Execution, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT seq, arn, state_machine_arn, name, status, input, output, error, cause, started, stopped FROM executions ORDER BY seq`)
	if err != nil {
		return nil, fmt.Errorf("journal: read executions: %w", err)
	}
	defer rows.Close()
	var out []Execution
	for rows.Next() {
		var x Execution
		var started, stopped int64
		if err := rows.Scan(&x.Seq, &x.Arn, &x.StateMachineArn, &x.Name, &x.Status, &x.Input, &x.Output, &x.Error, &x.Cause, &started, &stopped); err != nil {
			return nil, fmt.Errorf("journal: read executions: %w", err)
		}
		x.Started, x.Stopped = fromUnixNano(started), fromUnixNano(stopped)
		out = append(out, x)
	}
	return out, rows.Err()
}

// Events returns an execution's history in order.
func (d *DB) Events(ctx context.Context, execSeq int64) ([]Event, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT events FROM event_chunks WHERE exec_seq = ? ORDER BY first_id`, execSeq)
	if err != nil {
		return nil, fmt.Errorf("journal: read history: %w", err)
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		var chunk []byte
		if err := rows.Scan(&chunk); err != nil {
			return nil, fmt.Errorf("journal: read history: %w", err)
		}
		if out, err = readChunk(execSeq, chunk, out); err != nil {
			return nil, err
		}
	}
	return out, rows.Err()
}
