package engine

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// epoch is where virtual clocks in tests start.
var epoch = time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)

// newTestEngine starts an engine that is closed, and checked for leaked
// goroutines, when the test ends.
func newTestEngine(tb testing.TB, opts Options) *Engine {
	tb.Helper()
	before := runtime.NumGoroutine()
	e, err := New(context.Background(), opts)
	if err != nil {
		tb.Fatalf("New: %v", err)
	}
	tb.Cleanup(func() {
		if err := e.Close(); err != nil {
			tb.Errorf("Close: %v", err)
		}
		waitGoroutines(tb, before)
	})
	return e
}

// waitGoroutines fails if the goroutine count does not return to at most
// n within a few seconds (polling, not sleeping a fixed time).
func waitGoroutines(tb testing.TB, n int) {
	tb.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		got := runtime.NumGoroutine()
		if got <= n {
			return
		}
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			buf = buf[:runtime.Stack(buf, true)]
			tb.Errorf("goroutines leaked: %d running, want <= %d\n%s", got, n, buf)
			return
		}
		runtime.Gosched()
		time.Sleep(time.Millisecond) // polling interval, not a synchronisation
	}
}

func mustCreate(tb testing.TB, e *Engine, name, def string) string {
	tb.Helper()
	sm, err := e.CreateStateMachine(context.Background(), name, def, "arn:aws:iam::123456789012:role/test")
	if err != nil {
		tb.Fatalf("CreateStateMachine: %v", err)
	}
	return sm.Arn
}

// runToEnd starts an execution and waits for it (bounded in real time).
func runToEnd(tb testing.TB, e *Engine, smArn, input string) Execution {
	tb.Helper()
	x, err := e.StartExecution(context.Background(), smArn, "", input)
	if err != nil {
		tb.Fatalf("StartExecution: %v", err)
	}
	return waitEnd(tb, e, x.Arn)
}

func waitEnd(tb testing.TB, e *Engine, arn string) Execution {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	x, err := e.Wait(ctx, arn)
	if err != nil {
		tb.Fatalf("Wait: %v", err)
	}
	return x
}

func historyOf(tb testing.TB, e *Engine, arn string) []HistoryEvent {
	tb.Helper()
	h, err := e.GetExecutionHistory(context.Background(), arn)
	if err != nil {
		tb.Fatalf("GetExecutionHistory: %v", err)
	}
	return h
}

func eventTypes(h []HistoryEvent) []string {
	out := make([]string, len(h))
	for i, ev := range h {
		out[i] = ev.Type
	}
	return out
}

// jsonEq compares JSON texts semantically.
func jsonEq(tb testing.TB, got, want string) bool {
	tb.Helper()
	var g, w any
	if err := json.Unmarshal([]byte(got), &g); err != nil {
		tb.Fatalf("got is not JSON: %v: %s", err, got)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		tb.Fatalf("want is not JSON: %v: %s", err, want)
	}
	gb, _ := json.Marshal(g)
	wb, _ := json.Marshal(w)
	return string(gb) == string(wb)
}

func readTestdata(tb testing.TB, name string) string {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

// constHandler returns a handler that always answers out.
func constHandler(out string) Handler {
	return func(context.Context, json.RawMessage) (json.RawMessage, error) { return json.RawMessage(out), nil }
}

// benchHandlers are the trivial handlers listed in bench.asl.json's
// Comment.
func benchHandlers() map[string]Handler {
	return map[string]Handler{
		"validate":  constHandler(`{"valid":true}`),
		"nameCheck": constHandler(`{"nameFree":true}`),
		"kycCheck":  constHandler(`{"kyc":"passed"}`),
		"persist": func(_ context.Context, in json.RawMessage) (json.RawMessage, error) {
			var v struct {
				Key string `json:"key"`
			}
			if err := json.Unmarshal(in, &v); err != nil {
				return nil, err
			}
			b, _ := json.Marshal(map[string]string{"id": v.Key, "extra": "dropped"})
			return b, nil
		},
		"notify": constHandler(`{"sent":true}`),
	}
}

func contains(s []string, want string) bool {
	for _, x := range s {
		if x == want {
			return true
		}
	}
	return false
}

var _ = strings.Contains

// wantProblems parses def, which must be refused, and checks that each of
// want is part of some problem the ValidationError lists.
func wantProblems(t *testing.T, def string, want ...string) {
	t.Helper()
	_, err := Parse([]byte(def))
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("Parse error = %v, want *ValidationError", err)
	}
	all := strings.Join(ve.Problems, "\n")
	for _, w := range want {
		if !strings.Contains(all, w) {
			t.Errorf("no problem mentions %q; got:\n%s", w, all)
		}
	}
}
