package engine

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const threeStepDef = `{"StartAt": "First", "States": {
  "First": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:first", "Next": "Second"},
  "Second": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:second", "Next": "Third"},
  "Third": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:third", "End": true}}}`

// TestJournalWriteFailureLeavesNoHole: one commit of the journal fails
// (the disk is full) while the first task runs, the next ones succeed
// (space came back), and the engine stops while the third task runs.
// After the restart the execution resumes from what was recorded and
// succeeds, instead of failing with "the recorded history does not match
// the definition" on a history with a hole in it.
func TestJournalWriteFailureLeavesNoHole(t *testing.T) {
	path := filepath.Join(t.TempDir(), "engine.db")
	var firsts, thirds atomic.Int32
	var e *Engine
	failed, inThird := make(chan struct{}), make(chan struct{})
	var failOnce sync.Once
	handlers := map[string]Handler{
		"first": func(ctx context.Context, in json.RawMessage) (json.RawMessage, error) {
			if firsts.Add(1) == 1 {
				e.journal.SetCommitFault(func() error {
					err := errors.New("database or disk is full")
					failOnce.Do(func() { close(failed) })
					e.journal.SetCommitFault(nil)
					return err
				})
			}
			return json.RawMessage(`{"first":true}`), nil
		},
		"second": func(ctx context.Context, in json.RawMessage) (json.RawMessage, error) {
			<-failed // its result is written after the failed commit
			return in, nil
		},
		"third": func(ctx context.Context, in json.RawMessage) (json.RawMessage, error) {
			if thirds.Add(1) == 1 {
				close(inThird)
				<-ctx.Done() // the engine stops mid-task
				return nil, ctx.Err()
			}
			return in, nil
		},
	}
	var err error
	e, err = New(context.Background(), Options{DBPath: path, Handlers: handlers})
	if err != nil {
		t.Fatal(err)
	}
	sm := mustCreate(t, e, "three", threeStepDef)
	x, err := e.StartExecution(context.Background(), sm, "app-1", `{}`)
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-inThird:
	case <-time.After(20 * time.Second):
		t.Fatal("Third never ran")
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}

	e = newTestEngine(t, Options{DBPath: path, Handlers: handlers})
	got := waitEnd(t, e, x.Arn)
	if got.Status != StatusSucceeded {
		t.Fatalf("after restart: %s %s: %s, want SUCCEEDED", got.Status, got.Error, got.Cause)
	}
	if f := firsts.Load(); f != 2 {
		t.Errorf("First ran %d times; want twice (at least once, again from the recorded prefix)", f)
	}
}

// TestStartExecutionFailsWhenItsStartIsNotRecorded: StartExecution
// answers success only once the start is in the journal; when the journal
// cannot write (the disk is full) it fails, no execution exists, and a
// retry once space is back starts it.
func TestStartExecutionFailsWhenItsStartIsNotRecorded(t *testing.T) {
	e := newTestEngine(t, Options{DBPath: filepath.Join(t.TempDir(), "engine.db"), Handlers: map[string]Handler{
		"first": constHandler(`{}`), "second": constHandler(`{}`), "third": constHandler(`{}`),
	}})
	sm := mustCreate(t, e, "three", threeStepDef)
	e.journal.SetCommitFault(func() error { return errors.New("database or disk is full") })
	if x, err := e.StartExecution(context.Background(), sm, "app-1", `{}`); err == nil {
		t.Fatalf("StartExecution on a full disk answered %+v, want an error", x)
	}
	arn := strings.Replace(sm, ":stateMachine:", ":execution:", 1) + ":app-1"
	if x, err := e.DescribeExecution(context.Background(), arn); err == nil {
		t.Errorf("an execution whose start was not recorded exists: %+v", x)
	}
	e.journal.SetCommitFault(nil)
	x, err := e.StartExecution(context.Background(), sm, "app-1", `{}`)
	if err != nil {
		t.Fatalf("StartExecution once space is back: %v", err)
	}
	if got := waitEnd(t, e, x.Arn); got.Status != StatusSucceeded {
		t.Errorf("retried execution: %s, want SUCCEEDED", got.Status)
	}
}

// TestExecutionWaitsOutAFullJournal: the journal fails several commits in
// a row (the disk is full) while an execution runs, then has room again.
// The execution waits, records again what was not recorded and succeeds
// without a restart, every task run once, and its stored history is whole:
// after a restart it reads SUCCEEDED with the same history.
func TestExecutionWaitsOutAFullJournal(t *testing.T) {
	path := filepath.Join(t.TempDir(), "engine.db")
	var e *Engine
	var calls sync.Map // handler → *atomic.Int32
	count := func(name string) int32 {
		v, _ := calls.LoadOrStore(name, new(atomic.Int32))
		return v.(*atomic.Int32).Add(1)
	}
	var failures atomic.Int32
	handlers := map[string]Handler{
		"first": func(ctx context.Context, in json.RawMessage) (json.RawMessage, error) {
			if count("first") == 1 {
				e.journal.SetCommitFault(func() error {
					if failures.Add(1) >= 4 { // the disk has room again
						e.journal.SetCommitFault(nil)
					}
					return errors.New("database or disk is full")
				})
			}
			return json.RawMessage(`{"first":true}`), nil
		},
		"second": func(ctx context.Context, in json.RawMessage) (json.RawMessage, error) {
			count("second")
			return in, nil
		},
		"third": func(ctx context.Context, in json.RawMessage) (json.RawMessage, error) { count("third"); return in, nil },
	}
	var err error
	if e, err = New(context.Background(), Options{DBPath: path, Handlers: handlers}); err != nil {
		t.Fatal(err)
	}
	sm := mustCreate(t, e, "three", threeStepDef)
	x, err := e.StartExecution(context.Background(), sm, "app-1", `{}`)
	if err != nil {
		t.Fatal(err)
	}
	got := waitEnd(t, e, x.Arn)
	if got.Status != StatusSucceeded {
		t.Fatalf("%s %s: %s, want SUCCEEDED once the disk has room", got.Status, got.Error, got.Cause)
	}
	before := historyOf(t, e, x.Arn)
	for i, ev := range before {
		if ev.ID != int64(i+1) {
			t.Fatalf("history ids not contiguous at %d: %v", i, eventTypes(before))
		}
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	e = newTestEngine(t, Options{DBPath: path, Handlers: handlers})
	after, err := e.DescribeExecution(context.Background(), x.Arn)
	if err != nil || after.Status != StatusSucceeded {
		t.Fatalf("after restart: %+v %v, want SUCCEEDED", after, err)
	}
	if h := historyOf(t, e, x.Arn); !slices.Equal(eventTypes(h), eventTypes(before)) {
		t.Errorf("stored history %v, want %v", eventTypes(h), eventTypes(before))
	}
	for _, name := range []string{"first", "second", "third"} {
		if n := count(name) - 1; n != 1 {
			t.Errorf("%s ran %d times, want once", name, n)
		}
	}
	if n := failures.Load(); n < 2 {
		t.Errorf("only %d commits failed: the test did not exercise a retry", n)
	}
}
