package engine

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"
)

// scripted fails with the given error names in turn, then succeeds with
// {"ok":true}.
func scripted(names ...string) Handler {
	var mu sync.Mutex
	i := 0
	return func(context.Context, json.RawMessage) (json.RawMessage, error) {
		mu.Lock()
		defer mu.Unlock()
		if i < len(names) {
			i++
			return nil, &TaskError{Name: names[i-1], Cause: "attempt " + names[i-1]}
		}
		return json.RawMessage(`{"ok":true}`), nil
	}
}

// retryDelays returns the virtual time between each failure and the next
// attempt, from the history.
func retryDelays(h []HistoryEvent) []time.Duration {
	var out []time.Duration
	var failedAt time.Time
	for _, ev := range h {
		switch ev.Type {
		case evLambdaFailed, evTaskFailed:
			failedAt = ev.Timestamp
		case evLambdaScheduled, evTaskScheduled:
			if !failedAt.IsZero() {
				out = append(out, ev.Timestamp.Sub(failedAt))
				failedAt = time.Time{}
			}
		}
	}
	return out
}

func secs(s ...float64) []time.Duration {
	out := make([]time.Duration, len(s))
	for i, v := range s {
		out[i] = time.Duration(v * float64(time.Second))
	}
	return out
}

const taskF = `"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f"`

// TestRetryTiming asserts the exact backoff on the virtual clock.
func TestRetryTiming(t *testing.T) {
	tests := []struct {
		name    string
		retry   string
		fails   []string
		status  string
		errName string
		delays  []time.Duration
	}{
		{"defaults: 1s, 2s, 4s then give up", `[{"ErrorEquals":["States.ALL"]}]`,
			[]string{"E", "E", "E", "E"}, StatusFailed, "E", secs(1, 2, 4)},
		{"interval and backoff", `[{"ErrorEquals":["Agency.Unavailable"],"IntervalSeconds":2,"BackoffRate":3,"MaxAttempts":3}]`,
			[]string{"Agency.Unavailable", "Agency.Unavailable", "Agency.Unavailable"}, StatusSucceeded, "", secs(2, 6, 18)},
		{"MaxDelaySeconds caps the backoff", `[{"ErrorEquals":["E"],"IntervalSeconds":10,"BackoffRate":3,"MaxAttempts":5,"MaxDelaySeconds":30}]`,
			[]string{"E", "E", "E", "E"}, StatusSucceeded, "", secs(10, 30, 30, 30)},
		{"fractional backoff", `[{"ErrorEquals":["E"],"IntervalSeconds":1,"BackoffRate":1.5,"MaxAttempts":3}]`,
			[]string{"E", "E", "E"}, StatusSucceeded, "", secs(1, 1.5, 2.25)},
		{"MaxAttempts 0 never retries", `[{"ErrorEquals":["E"],"MaxAttempts":0}]`,
			[]string{"E"}, StatusFailed, "E", nil},
		{"unmatched error is not retried", `[{"ErrorEquals":["Other"]}]`,
			[]string{"E"}, StatusFailed, "E", nil},
		{"each retrier counts on its own (guide: ErrorA, ErrorB, ErrorC, ErrorB)",
			`[{"ErrorEquals":["ErrorA","ErrorB"],"IntervalSeconds":1,"BackoffRate":2,"MaxAttempts":2},{"ErrorEquals":["ErrorC"],"IntervalSeconds":5}]`,
			[]string{"ErrorA", "ErrorB", "ErrorC", "ErrorB"}, StatusFailed, "ErrorB", secs(1, 2, 5)},
		{"States.TaskFailed does not match States.Timeout", `[{"ErrorEquals":["States.TaskFailed"]}]`,
			[]string{"States.Timeout"}, StatusFailed, "States.Timeout", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEngine(t, Options{Clock: NewVirtualClock(epoch), Handlers: map[string]Handler{"f": scripted(tt.fails...)}})
			arn := mustCreate(t, e, "retry", `{"StartAt":"T","States":{"T":{`+taskF+`,"End":true,"Retry":`+tt.retry+`}}}`)
			x := runToEnd(t, e, arn, `{}`)
			if x.Status != tt.status || (tt.errName != "" && x.Error != tt.errName) {
				t.Fatalf("got %s %s (%s), want %s %s", x.Status, x.Error, x.Cause, tt.status, tt.errName)
			}
			got := retryDelays(historyOf(t, e, x.Arn))
			if len(got) != len(tt.delays) {
				t.Fatalf("delays %v, want %v", got, tt.delays)
			}
			for i := range got {
				if got[i] != tt.delays[i] {
					t.Errorf("delay %d = %v, want %v", i, got[i], tt.delays[i])
				}
			}
		})
	}
}

// TestRetryJitter: with JitterStrategy FULL each delay is uniformly random
// in [0, backoff delay].
func TestRetryJitter(t *testing.T) {
	fails := make([]string, 6)
	for i := range fails {
		fails[i] = "E"
	}
	var all []time.Duration
	for run := 0; run < 8; run++ {
		e := newTestEngine(t, Options{Clock: NewVirtualClock(epoch), Handlers: map[string]Handler{"f": scripted(fails...)}})
		arn := mustCreate(t, e, "jitter", `{"StartAt":"T","States":{"T":{`+taskF+`,"End":true,
			"Retry":[{"ErrorEquals":["E"],"IntervalSeconds":4,"BackoffRate":2,"MaxAttempts":6,"MaxDelaySeconds":40,"JitterStrategy":"FULL"}]}}}`)
		x := runToEnd(t, e, arn, `{}`)
		if x.Status != StatusSucceeded {
			t.Fatalf("status %s", x.Status)
		}
		d := retryDelays(historyOf(t, e, x.Arn))
		bounds := secs(4, 8, 16, 32, 40, 40)
		if len(d) != len(bounds) {
			t.Fatalf("delays %v", d)
		}
		for i := range d {
			if d[i] < 0 || d[i] > bounds[i] {
				t.Errorf("delay %d = %v, outside [0, %v]", i, d[i], bounds[i])
			}
		}
		all = append(all, d...)
	}
	distinct := map[time.Duration]bool{}
	for _, d := range all {
		distinct[d] = true
	}
	if len(distinct) < len(all)/2 {
		t.Errorf("jittered delays look constant: %v", all)
	}
}

// TestCatch checks Catch's error output, ResultPath on the raw input, and
// the predefined errors.
func TestCatch(t *testing.T) {
	panics := func(context.Context, json.RawMessage) (json.RawMessage, error) { panic("boom") }
	domain := func(context.Context, json.RawMessage) (json.RawMessage, error) {
		return nil, namedError{name: "Agency.Rejected", msg: "Agency.Rejected: seal shop refused"}
	}
	plain := func(context.Context, json.RawMessage) (json.RawMessage, error) {
		return nil, errors.New("plain failure")
	}
	catchAll := func(resultPath string) string {
		return `{"StartAt":"T","States":{"T":{` + taskF + `,"InputPath":"$.in","Next":"Done",
			"Catch":[{"ErrorEquals":["Agency.Rejected"],"ResultPath":` + resultPath + `,"Next":"Handled"},{"ErrorEquals":["States.ALL"],"Next":"Any"}]},
			"Handled":{"Type":"Pass","End":true},"Any":{"Type":"Pass","End":true},"Done":{"Type":"Succeed"}}}`
	}
	runFlowCases(t, []flowCase{
		{name: "ResultPath puts the error next to the raw input", def: catchAll(`"$.error"`), input: `{"in":{"a":1},"keep":2}`,
			handlers: map[string]Handler{"f": domain},
			output:   `{"in":{"a":1},"keep":2,"error":{"Error":"Agency.Rejected","Cause":"Agency.Rejected: seal shop refused"}}`},
		{name: "default ResultPath replaces the input with the error", def: catchAll(`"$"`), input: `{"in":{}}`,
			handlers: map[string]Handler{"f": domain}, output: `{"Error":"Agency.Rejected","Cause":"Agency.Rejected: seal shop refused"}`},
		{name: "ResultPath null keeps the raw input", def: catchAll(`null`), input: `{"in":{"a":1}}`,
			handlers: map[string]Handler{"f": domain}, output: `{"in":{"a":1}}`},
		{name: "a panicking handler is a task failure (Lambda.Unknown)", def: catchAll(`"$"`), input: `{"in":{}}`,
			handlers: map[string]Handler{"f": panics}, output: `{"Error":"Lambda.Unknown","Cause":"the handler panicked: boom"}`},
		{name: "a plain Go error is named by its type, like Lambda's errorType", def: catchAll(`"$"`), input: `{"in":{}}`,
			handlers: map[string]Handler{"f": plain}, output: `{"Error":"errorString","Cause":"plain failure"}`},
		{name: "an unknown function fails like Lambda", def: catchAll(`"$"`), input: `{"in":{}}`,
			handlers: map[string]Handler{},
			output:   `{"Error":"Lambda.ResourceNotFoundException","Cause":"Function not found: arn:aws:lambda:us-east-1:123456789012:function:f"}`},
		{name: "uncaught failure fails the execution with its error", input: `{}`,
			def:      `{"StartAt":"T","States":{"T":{` + taskF + `,"End":true,"Catch":[{"ErrorEquals":["Other"],"Next":"S"}]},"S":{"Type":"Succeed"}}}`,
			handlers: map[string]Handler{"f": domain}, status: StatusFailed, errName: "Agency.Rejected", causeHas: "seal shop refused"},
		{name: "retry count is visible in $$.State.RetryCount", input: `{}`,
			def: `{"StartAt":"T","States":{"T":{` + taskF + `,"Parameters":{"n.$":"$$.State.RetryCount"},"End":true,
				"Retry":[{"ErrorEquals":["E"],"MaxAttempts":2}]}}}`,
			handlers: map[string]Handler{"f": scripted("E", "E")}, output: `{"ok":true}`,
			checkCall: func(t *testing.T, calls []string) {
				if strings.Join(calls, " ") != `{"n":0} {"n":1} {"n":2}` {
					t.Errorf("inputs %v", calls)
				}
			}},
	})
}

// namedError is a handler's error that names itself (ErrorName), as the
// domain's errors do.
type namedError struct{ name, msg string }

func (e namedError) Error() string     { return e.msg }
func (e namedError) ErrorName() string { return e.name }
