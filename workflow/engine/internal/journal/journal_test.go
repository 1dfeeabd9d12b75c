package journal

import (
	"context"
	"fmt"
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
