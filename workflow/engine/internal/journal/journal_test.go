package journal

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

func openTest(tb testing.TB) *DB {
	tb.Helper()
	d, err := Open(context.Background(), filepath.Join(tb.TempDir(), "j.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { d.Close() })
	return d
}

// TestRoundTrip writes a state machine, an execution and its events and
// reads them back, and checks that a batch waited for is durable across a
// reopen.
func TestRoundTrip(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "j.db")
	d, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Unix(1700000000, 123456789).UTC()
	b := &Batch{
		StateMachines: []StateMachine{{Arn: "arn:sm", Name: "sm", Definition: "{}", RoleArn: "r", Type: "STANDARD", Created: now}},
		Executions:    []Execution{{Seq: 7, Arn: "arn:x", StateMachineArn: "arn:sm", Name: "x", Status: "RUNNING", Input: "{}", Started: now}},
		Events:        []Event{{ExecSeq: 7, ID: 1, Type: "ExecutionStarted", Time: now, Details: []byte(`{"input":"{}"}`)}, {ExecSeq: 7, ID: 2, PrevID: 1, Type: "PassStateEntered", Time: now, Thread: "/3.0", Meta: []byte(`{"token":"t"}`)}},
	}
	if err := d.Append(b)(); err != nil {
		t.Fatal(err)
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	if err := d.Append(&Batch{})(); err != ErrClosed {
		t.Errorf("append after close: %v, want ErrClosed", err)
	}
	d = openTest(t)
	_ = d.Close()
	d, err = Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	sms, err := d.StateMachines(context.Background())
	if err != nil || len(sms) != 1 || sms[0].Name != "sm" || !sms[0].Created.Equal(now) {
		t.Fatalf("state machines %+v %v", sms, err)
	}
	xs, err := d.Executions(context.Background())
	if err != nil || len(xs) != 1 || xs[0].Seq != 7 || xs[0].Status != "RUNNING" || !xs[0].Stopped.IsZero() {
		t.Fatalf("executions %+v %v", xs, err)
	}
	evs, err := d.Events(context.Background(), 7)
	if err != nil || len(evs) != 2 || evs[1].Thread != "/3.0" || string(evs[1].Meta) != `{"token":"t"}` || evs[1].PrevID != 1 {
		t.Fatalf("events %+v %v", evs, err)
	}
}

// BenchmarkCommit8 measures group commit with 8 concurrent writers each
// waiting for a batch of 6 events.
func BenchmarkCommit8(b *testing.B) {
	d := openTest(b)
	var wg sync.WaitGroup
	var seq sync.Mutex
	n := int64(0)
	payload := []byte(`{"name":"State","input":"{\"company\":{\"name\":\"Acme\",\"country\":\"GB\"}}","inputDetails":{"truncated":false}}`)
	b.ResetTimer()
	per := b.N/8 + 1
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range per {
				seq.Lock()
				n++
				id := n
				seq.Unlock()
				bt := &Batch{}
				for k := range 6 {
					bt.Events = append(bt.Events, Event{ExecSeq: int64(w), ID: int64(i*6+k) + id*0, Type: fmt.Sprint("T", k), Time: time.Now(), Details: payload})
				}
				if err := d.Append(bt)(); err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
}

// TestChunkRoundTrip: events survive encoding into a chunk, and a cut
// chunk is reported, not misread.
func TestChunkRoundTrip(t *testing.T) {
	now := time.Unix(1700000000, 5).UTC()
	in := []Event{
		{ExecSeq: 3, ID: 1, Type: "ExecutionStarted", Time: now, Details: []byte(`{"input":"{}"}`)},
		{ExecSeq: 3, ID: 2, PrevID: 1, Type: "TaskScheduled", Time: now.Add(time.Second), Thread: "/2.0", Meta: []byte(`{"token":"t"}`)},
	}
	b := appendChunk(nil, in)
	out, err := readChunk(3, b, nil)
	if err != nil || len(out) != 2 || out[1].Thread != "/2.0" || string(out[1].Meta) != `{"token":"t"}` ||
		!out[1].Time.Equal(in[1].Time) || out[0].Meta != nil || string(out[0].Details) != `{"input":"{}"}` {
		t.Fatalf("round trip: %+v %v", out, err)
	}
	if _, err := readChunk(3, b[:len(b)-3], nil); err == nil {
		t.Error("truncated chunk read without error")
	}
}

// schema3 is the layout journals were written with before schema 4: event
// chunks keyed by (execution, first event id).
const schema3 = `
CREATE TABLE state_machines(
	arn TEXT PRIMARY KEY, name TEXT NOT NULL, definition TEXT NOT NULL,
	role_arn TEXT NOT NULL, type TEXT NOT NULL, created INTEGER NOT NULL);
CREATE TABLE executions(
	seq INTEGER PRIMARY KEY, arn TEXT NOT NULL, state_machine_arn TEXT NOT NULL, name TEXT NOT NULL,
	status TEXT NOT NULL, input TEXT NOT NULL, output TEXT NOT NULL,
	error TEXT NOT NULL, cause TEXT NOT NULL, started INTEGER NOT NULL, stopped INTEGER NOT NULL);
CREATE TABLE event_chunks(
	exec_seq INTEGER NOT NULL, first_id INTEGER NOT NULL, events BLOB NOT NULL,
	PRIMARY KEY(exec_seq, first_id)) WITHOUT ROWID;
PRAGMA user_version = 3;
`

// A data directory written by the previous engine keeps every execution's
// history, in order, after the upgrade to schema 4, and the upgraded
// journal takes new events as usual.
func TestUpgradesSchema3(t *testing.T) {
	path := filepath.Join(t.TempDir(), "j.db")
	old, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := old.Exec(schema3); err != nil {
		t.Fatal(err)
	}
	now := time.Unix(1700000000, 0).UTC()
	ev := func(seq, id int64, typ string) []byte {
		return appendChunk(nil, []Event{{ExecSeq: seq, ID: id, PrevID: id - 1, Type: typ, Time: now.Add(time.Duration(id) * time.Second)}})
	}
	// Inserted out of history order, as concurrent executions wrote them.
	for _, r := range []struct {
		seq, first int64
		typ        string
	}{{2, 1, "ExecutionStarted"}, {1, 1, "ExecutionStarted"}, {1, 3, "TaskScheduled"}, {2, 2, "PassStateEntered"}, {1, 2, "TaskStateEntered"}} {
		if _, err := old.Exec(`INSERT INTO event_chunks VALUES(?,?,?)`, r.seq, r.first, ev(r.seq, r.first, r.typ)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := old.Exec(`INSERT INTO executions VALUES(1,'arn:x1','arn:sm','x1','RUNNING','{}','','','',1,0)`); err != nil {
		t.Fatal(err)
	}
	old.Close()

	d, err := Open(context.Background(), path)
	if err != nil {
		t.Fatalf("opening a schema 3 journal: %v", err)
	}
	defer d.Close()
	evs, err := d.Events(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range evs {
		got = append(got, fmt.Sprint(e.ID, e.Type))
	}
	if want := "[1ExecutionStarted 2TaskStateEntered 3TaskScheduled]"; fmt.Sprint(got) != want {
		t.Fatalf("execution 1 after the upgrade: %v, want %s", got, want)
	}
	if err := d.Append(&Batch{Events: []Event{{ExecSeq: 1, ID: 4, PrevID: 3, Type: "TaskSucceeded", Time: now}}})(); err != nil {
		t.Fatal(err)
	}
	if evs, _ = d.Events(context.Background(), 1); len(evs) != 4 || evs[3].Type != "TaskSucceeded" {
		t.Fatalf("after a new event: %+v", evs)
	}
	if evs, _ = d.Events(context.Background(), 2); len(evs) != 2 {
		t.Fatalf("execution 2 after the upgrade: %d events, want 2", len(evs))
	}
	var version int
	if err := d.db.QueryRow(`PRAGMA user_version`).Scan(&version); err != nil || version != schemaVersion {
		t.Fatalf("schema version %d (%v), want %d", version, err, schemaVersion)
	}
}

// A journal of a schema this engine does not know is refused, not misread.
func TestRefusesUnknownSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "j.db")
	old, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := old.Exec(`CREATE TABLE t(x); PRAGMA user_version = 99;`); err != nil {
		t.Fatal(err)
	}
	old.Close()
	if d, err := Open(context.Background(), path); err == nil {
		d.Close()
		t.Fatal("a journal of schema 99 was opened")
	}
}

// After a burst has grown the WAL past walSizeLimit, the file is cut back
// once the checkpointer has caught up and the next commit reuses the log.
func TestWALShrinksAfterABurst(t *testing.T) {
	defer func(old int64) { walSizeLimit = old }(walSizeLimit)
	walSizeLimit = 128 << 10
	path := filepath.Join(t.TempDir(), "j.db")
	d, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	walSize := func() int64 {
		fi, err := os.Stat(path + "-wal")
		if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}
	details := []byte(fmt.Sprintf(`{"input":%q}`, make([]byte, 2000)))
	id := int64(0)
	commit := func(n int) {
		for range n {
			id++
			if err := d.Append(&Batch{Events: []Event{{ExecSeq: 1, ID: id, PrevID: id - 1, Type: "PassStateEntered", Time: time.Now(), Details: details}}})(); err != nil {
				t.Fatal(err)
			}
		}
	}
	commit(200)
	if n := walSize(); n <= walSizeLimit {
		t.Fatalf("the burst left a WAL of %d bytes; the test needs more than %d", n, walSizeLimit)
	}
	deadline := time.Now().Add(10 * time.Second)
	for walSize() > walSizeLimit {
		if time.Now().After(deadline) {
			t.Fatalf("WAL still %d bytes 10 s after the burst, limit %d", walSize(), walSizeLimit)
		}
		time.Sleep(2 * checkpointEvery)
		commit(1)
	}
}
