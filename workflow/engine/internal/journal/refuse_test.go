package journal

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestFailedWriteLeavesNoHole: a batch nobody waited for fails (the disk
// is full), space comes back, and the same execution's next batch must
// not be written after the hole; other executions carry on.
func TestFailedWriteLeavesNoHole(t *testing.T) {
	d := openTest(t)
	ctx := context.Background()
	now := time.Unix(1700000000, 0).UTC()
	ev := func(seq, id int64) Event {
		return Event{ExecSeq: seq, ID: id, PrevID: id - 1, Type: "PassStateEntered", Time: now}
	}
	row := func(seq int64) []Execution {
		return []Execution{{Seq: seq, Arn: "arn:x", StateMachineArn: "arn:sm", Name: "x", Status: "RUNNING", Input: "{}", Started: now}}
	}
	if err := d.Append(&Batch{Executions: row(1), Events: []Event{ev(1, 1)}})(); err != nil {
		t.Fatal(err)
	}
	full := errors.New("database or disk is full")
	d.SetCommitFault(func() error { return full })
	lost := d.Append(&Batch{Events: []Event{ev(1, 2), ev(1, 3)}}) // not waited for by its execution
	if err := lost(); !errors.Is(err, full) {
		t.Fatalf("write on a full disk: %v", err)
	}
	d.SetCommitFault(nil)

	tests := []struct {
		name    string
		batch   *Batch
		wantErr error
	}{
		{"the same execution's next step", &Batch{Events: []Event{ev(1, 4)}}, ErrEarlierWriteFailed},
		{"the same execution's row", &Batch{Executions: row(1)}, ErrEarlierWriteFailed},
		{"another execution", &Batch{Executions: row(2), Events: []Event{ev(2, 1)}}, nil},
	}
	for _, tt := range tests {
		if err := d.Append(tt.batch)(); !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.wantErr)
		}
	}
	got, err := d.Events(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	for i, e := range got {
		if e.ID != int64(i+1) {
			t.Fatalf("stored history of execution 1 has a hole: ids %v", ids(got))
		}
	}
	if len(got) != 1 {
		t.Errorf("stored history of execution 1: ids %v, want [1]", ids(got))
	}
	if got, _ := d.Events(ctx, 2); len(got) != 1 {
		t.Errorf("execution 2: %d events, want 1", len(got))
	}
}

func ids(evs []Event) []int64 {
	out := make([]int64, len(evs))
	for i, e := range evs {
		out[i] = e.ID
	}
	return out
}
