package engine

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"
)

// TestRunExecution checks that RunExecution, which runs the execution on
// the caller's goroutine, returns each execution as it ended.
func TestRunExecution(t *testing.T) {
	cases := []struct {
		name, def, input string
		status, output   string
		errName          string
	}{
		{"pass", `{"StartAt":"P","States":{"P":{"Type":"Pass","Result":{"ok":true},"ResultPath":"$.r","End":true}}}`,
			`{"a":1}`, StatusSucceeded, `{"a":1,"r":{"ok":true}}`, ""},
		{"parallel", `{"StartAt":"Par","States":{"Par":{"Type":"Parallel","End":true,"Branches":[
			{"StartAt":"A","States":{"A":{"Type":"Pass","Result":1,"End":true}}},
			{"StartAt":"B","States":{"B":{"Type":"Pass","Result":2,"End":true}}}]}}}`,
			`{}`, StatusSucceeded, `[1,2]`, ""},
		{"fail", `{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"Boom","Cause":"because"}}}`,
			`{}`, StatusFailed, "", "Boom"},
	}
	e := newTestEngine(t, Options{})
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			arn := mustCreate(t, e, "run-"+c.name, c.def)
			x, err := e.RunExecution(context.Background(), arn, "", c.input)
			if err != nil {
				t.Fatalf("RunExecution: %v", err)
			}
			if x.Status != c.status || x.Output != c.output || x.Error != c.errName {
				t.Fatalf("got status %s output %s error %q, want %s %s %q", x.Status, x.Output, x.Error, c.status, c.output, c.errName)
			}
			if got, err := e.DescribeExecution(context.Background(), x.Arn); err != nil || got.Status != c.status {
				t.Fatalf("DescribeExecution: %+v, %v; want status %s", got, err, c.status)
			}
		})
	}
}

// TestRunExecutionEngineCloses checks that RunExecution returns when a
// durable engine closes under an execution that is waiting: the
// execution stays RUNNING, to resume on the next start.
func TestRunExecutionEngineCloses(t *testing.T) {
	e, err := New(context.Background(), Options{DBPath: filepath.Join(t.TempDir(), "j.db")})
	if err != nil {
		t.Fatal(err)
	}
	arn := mustCreate(t, e, "wait", `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3600,"End":true}}}`)
	done := make(chan error, 1)
	go func() {
		_, err := e.RunExecution(context.Background(), arn, "held", `{}`)
		done <- err
	}()
	deadline := time.Now().Add(10 * time.Second)
	for {
		execs, err := e.ListExecutions(context.Background(), arn, "")
		if err != nil {
			t.Fatal(err)
		}
		if len(execs) == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the execution never started")
		}
		time.Sleep(time.Millisecond) // polling interval
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if !errors.Is(err, errEngineClosed) {
			t.Fatalf("RunExecution returned %v, want the engine-closed error", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("RunExecution did not return after Close")
	}
}

// TestRunExecutionDurable checks that what RunExecution returns on a
// durable engine, whose start it does not wait for separately, is all
// on disk: a restarted engine finds the execution ended, whole history.
func TestRunExecutionDurable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "j.db")
	e, err := New(context.Background(), Options{DBPath: path})
	if err != nil {
		t.Fatal(err)
	}
	arn := mustCreate(t, e, "two", `{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","Result":"done","End":true}}}`)
	x, err := e.RunExecution(context.Background(), arn, "", `{}`)
	if err != nil || x.Status != StatusSucceeded {
		t.Fatalf("RunExecution: %+v, %v", x, err)
	}
	before, err := e.GetExecutionHistory(context.Background(), x.Arn)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	e2 := newTestEngine(t, Options{DBPath: path})
	got, err := e2.DescribeExecution(context.Background(), x.Arn)
	if err != nil || got.Status != StatusSucceeded || got.Output != `"done"` {
		t.Fatalf("after restart: %+v, %v", got, err)
	}
	after, err := e2.GetExecutionHistory(context.Background(), x.Arn)
	if err != nil || len(after) != len(before) {
		t.Fatalf("after restart: %d events (%v), want %d", len(after), err, len(before))
	}
}
