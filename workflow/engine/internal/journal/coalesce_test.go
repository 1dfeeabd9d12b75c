package journal

import (
	"context"
	"testing"
	"time"
)

// TestCommitCoalescesAnExecution: batches of executions that land in one
// commit become one chunk row and one summary row per execution, and read
// back as the same history, in order, with the newest summary.
func TestCommitCoalescesAnExecution(t *testing.T) {
	d := openTest(t)
	ctx := context.Background()
	now := time.Unix(1700000000, 0).UTC()
	// Hold the writer in a first commit while the batches queue up behind
	// it, so that they share the next one.
	entered, release := make(chan struct{}), make(chan struct{})
	first := true
	d.SetCommitFault(func() error {
		if first {
			first = false
			close(entered)
			<-release
		}
		return nil
	})
	holder := d.Append(&Batch{Executions: []Execution{{Seq: 99, Arn: "arn:holder", Status: "RUNNING", Started: now}}})
	<-entered
	var waits []func() error
	id := int64(0)
	for i, status := range []string{"RUNNING", "RUNNING", "SUCCEEDED"} {
		for _, seq := range []int64{1, 2} {
			b := &Batch{Executions: []Execution{{Seq: seq, Arn: "arn:x" + string(rune('0'+seq)), Status: status, Started: now}}}
			for range 2 {
				id++
				b.Events = append(b.Events, Event{ExecSeq: seq, ID: id, PrevID: id - 1, Type: "T", Time: now.Add(time.Duration(i))})
			}
			waits = append(waits, d.Append(b))
		}
	}
	close(release)
	if err := holder(); err != nil {
		t.Fatal(err)
	}
	for _, w := range waits {
		if err := w(); err != nil {
			t.Fatal(err)
		}
	}
	var rows int
	if err := d.db.QueryRowContext(ctx, `SELECT count(*) FROM event_chunks`).Scan(&rows); err != nil {
		t.Fatal(err)
	}
	if rows != 2 {
		t.Errorf("%d chunk rows for 2 executions' batches in one commit, want 2", rows)
	}
	for _, seq := range []int64{1, 2} {
		evs, err := d.Events(ctx, seq)
		if err != nil || len(evs) != 6 {
			t.Fatalf("execution %d: %d events (%v), want 6", seq, len(evs), err)
		}
		for i := 1; i < len(evs); i++ {
			if evs[i].ID <= evs[i-1].ID {
				t.Errorf("execution %d: event ids out of order: %d after %d", seq, evs[i].ID, evs[i-1].ID)
			}
		}
	}
	xs, err := d.Executions(ctx)
	if err != nil || len(xs) != 3 {
		t.Fatalf("executions %+v %v", xs, err)
	}
	for _, x := range xs[:2] {
		if x.Status != "SUCCEEDED" {
			t.Errorf("execution %d stored as %s, want its newest row (SUCCEEDED)", x.Seq, x.Status)
		}
	}
}
