package engine

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
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
