package engine

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"
)

// With a JitterSeed, FULL jitter is a function of the execution and not of
// scheduling: the same execution name waits exactly as long on every run,
// which is what makes a seeded day simulation repeatable.
func TestJitterSeedMakesRetriesRepeatable(t *testing.T) {
	def := `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:flaky",
	  "Retry":[{"ErrorEquals":["States.ALL"],"IntervalSeconds":10,"MaxAttempts":4,"BackoffRate":2,"JitterStrategy":"FULL"}],"End":true}}}`
	elapsed := func(seed uint64, name string) time.Duration {
		clock := NewVirtualClock(time.Date(2026, 11, 27, 1, 0, 0, 0, time.UTC))
		calls := 0
		e := newTestEngine(t, Options{Clock: clock, JitterSeed: seed, Handlers: map[string]Handler{
			"flaky": func(context.Context, json.RawMessage) (json.RawMessage, error) {
				calls++
				if calls < 4 {
					return nil, errors.New("busy")
				}
				return json.RawMessage(`{}`), nil
			},
		}})
		arn := mustCreate(t, e, "m", def)
		x, err := e.StartExecution(context.Background(), arn, name, `{}`)
		if err != nil {
			t.Fatal(err)
		}
		done := waitEnd(t, e, x.Arn)
		if done.Status != StatusSucceeded {
			t.Fatalf("execution %s: %s %s", done.Status, done.Error, done.Cause)
		}
		return done.StopDate.Sub(done.StartDate)
	}
	a, b := elapsed(42, "KB-1"), elapsed(42, "KB-1")
	if a != b {
		t.Fatalf("same seed and execution waited %v and %v", a, b)
	}
	if a > 70*time.Second {
		t.Fatalf("waited %v, more than the 10+20+40 s of un-jittered backoff", a)
	}
	differ := false
	for _, name := range []string{"KB-2", "KB-3", "KB-4", "KB-5"} {
		differ = differ || elapsed(42, name) != a
	}
	if !differ {
		t.Fatal("jitter does not depend on the execution")
	}
}
