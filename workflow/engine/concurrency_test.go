package engine

import (
	"context"
	"encoding/json"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestParallelAndMap covers branch results, failure propagation, Map's
// item selection, concurrency limit and tolerated failures.
func TestParallelAndMap(t *testing.T) {
	double := func(_ context.Context, in json.RawMessage) (json.RawMessage, error) {
		var n int
		if err := json.Unmarshal(in, &n); err != nil {
			return nil, err
		}
		if n < 0 {
			return nil, &TaskError{Name: "Negative", Cause: "negative"}
		}
		return json.Marshal(n * 2)
	}
	mapDef := func(extra string) string {
		return `{"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.items",` + extra + `"End":true,
			"ItemProcessor":{"StartAt":"D","States":{"D":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:double","End":true}}}}}}`
	}
	runFlowCases(t, []flowCase{
		{name: "Parallel returns the branches' outputs in order", input: `{"x":1}`,
			def: `{"StartAt":"P","States":{"P":{"Type":"Parallel","ResultPath":"$.r","End":true,"Branches":[
				{"StartAt":"A","States":{"A":{"Type":"Pass","Result":"a","End":true}}},
				{"StartAt":"B","States":{"B":{"Type":"Pass","InputPath":"$.x","End":true}}}]}}}`,
			output: `{"x":1,"r":["a",1]}`},
		{name: "a failing branch fails the Parallel with its error, caught", input: `{}`,
			def: `{"StartAt":"P","States":{"P":{"Type":"Parallel","Next":"S","Catch":[{"ErrorEquals":["Boom"],"Next":"Caught"}],"Branches":[
				{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3600,"End":true}}},
				{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"Boom","Cause":"branch 2"}}}]},
				"S":{"Type":"Succeed"},"Caught":{"Type":"Pass","End":true}}}`,
			output: `{"Error":"Boom","Cause":"branch 2"}`},
		{name: "Map with ItemSelector and $$.Map.Item (guide example)", input: `{"delivery-partner":"UQS","shipped":[{"prod":"R31","dest-code":9511,"quantity":1344},{"prod":"S39","dest-code":9511,"quantity":40}]}`,
			def: `{"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.shipped","MaxConcurrency":0,"End":true,
				"ItemSelector":{"parcel.$":"$$.Map.Item.Value","courier.$":"$.delivery-partner","index.$":"$$.Map.Item.Index"},
				"ItemProcessor":{"StartAt":"V","States":{"V":{"Type":"Pass","End":true}}}}}}`,
			output: `[{"parcel":{"prod":"R31","dest-code":9511,"quantity":1344},"courier":"UQS","index":0},{"parcel":{"prod":"S39","dest-code":9511,"quantity":40},"courier":"UQS","index":1}]`},
		{name: "Map runs tasks per item, legacy Iterator and Parameters", input: `{"items":[1,2,3]}`,
			def: `{"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.items","Parameters":{"v.$":"$$.Map.Item.Value"},"End":true,
				"Iterator":{"StartAt":"D","States":{"D":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:double","InputPath":"$.v","End":true}}}}}}`,
			handlers: map[string]Handler{"double": double}, output: `[2,4,6]`},
		{name: "Map over an empty array", input: `{"items":[]}`, def: mapDef(""), handlers: map[string]Handler{"double": double}, output: `[]`},
		{name: "a failing item fails the Map with its error", input: `{"items":[1,-1,3]}`, def: mapDef(""),
			handlers: map[string]Handler{"double": double}, status: StatusFailed, errName: "Negative"},
		{name: "tolerated failures leave the error in the result", input: `{"items":[1,-1,3]}`, def: mapDef(`"ToleratedFailureCount":1,`),
			handlers: map[string]Handler{"double": double}, output: `[2,{"Error":"Negative","Cause":"negative"},6]`},
		{name: "exceeding ToleratedFailurePercentage", input: `{"items":[1,-1,-3]}`, def: mapDef(`"ToleratedFailurePercentage":50,`),
			handlers: map[string]Handler{"double": double}, status: StatusFailed, errName: ErrExceedToleratedFailureThresh},
		{name: "ItemsPath must select an array", input: `{"items":{"a":1}}`, def: mapDef(""),
			handlers: map[string]Handler{"double": double}, status: StatusFailed, errName: ErrRuntime},
	})
}

// TestMapMaxConcurrency: never more iterations at once than allowed.
func TestMapMaxConcurrency(t *testing.T) {
	var running, peak atomic.Int32
	gate := make(chan struct{})
	var once sync.Once
	h := func(context.Context, json.RawMessage) (json.RawMessage, error) {
		n := running.Add(1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		if n == 2 {
			once.Do(func() { close(gate) })
		}
		<-gate // the first two wait for each other, proving they overlap
		running.Add(-1)
		return json.RawMessage(`1`), nil
	}
	e := newTestEngine(t, Options{Handlers: map[string]Handler{"slow": h}})
	arn := mustCreate(t, e, "mc", `{"StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":2,"End":true,
		"ItemProcessor":{"StartAt":"S","States":{"S":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:slow","End":true}}}}}}`)
	x := runToEnd(t, e, arn, `[1,2,3,4,5,6,7]`)
	if x.Status != StatusSucceeded || x.Output != `[1,1,1,1,1,1,1]` {
		t.Fatalf("%s %s %s", x.Status, x.Output, x.Cause)
	}
	if p := peak.Load(); p != 2 {
		t.Errorf("peak concurrency %d, want 2", p)
	}
}

// TestWait checks each form of Wait on the virtual clock.
func TestWait(t *testing.T) {
	tests := []struct {
		name, wait, input string
		want              time.Duration
		status            string
	}{
		{"Seconds", `"Seconds":3600`, `{}`, time.Hour, StatusSucceeded},
		{"SecondsPath", `"SecondsPath":"$.s"`, `{"s":90}`, 90 * time.Second, StatusSucceeded},
		{"Timestamp", `"Timestamp":"2025-03-01T11:30:00Z"`, `{}`, 150 * time.Minute, StatusSucceeded},
		{"TimestampPath", `"TimestampPath":"$.t"`, `{"t":"2025-03-02T09:00:00+00:00"}`, 24 * time.Hour, StatusSucceeded},
		{"Timestamp in the past", `"Timestamp":"2020-01-01T00:00:00Z"`, `{}`, 0, StatusSucceeded},
		{"negative SecondsPath", `"SecondsPath":"$.s"`, `{"s":-1}`, 0, StatusFailed},
		{"TimestampPath not a timestamp", `"TimestampPath":"$.t"`, `{"t":"tomorrow"}`, 0, StatusFailed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEngine(t, Options{Clock: NewVirtualClock(epoch)})
			arn := mustCreate(t, e, "wait", `{"StartAt":"W","States":{"W":{"Type":"Wait",`+tt.wait+`,"End":true}}}`)
			x := runToEnd(t, e, arn, tt.input)
			if x.Status != tt.status {
				t.Fatalf("status %s %s %s", x.Status, x.Error, x.Cause)
			}
			if tt.status != StatusSucceeded {
				if x.Error != ErrRuntime {
					t.Errorf("error %s, want States.Runtime", x.Error)
				}
				return
			}
			h := historyOf(t, e, x.Arn)
			if got := h[len(h)-1].Timestamp.Sub(h[1].Timestamp); got != tt.want {
				t.Errorf("waited %v, want %v", got, tt.want)
			}
			if !jsonEq(t, x.Output, tt.input) {
				t.Errorf("output %s", x.Output)
			}
		})
	}
}

// TestTaskTimeouts: TimeoutSeconds and HeartbeatSeconds end a task that
// takes too long, at the right virtual time, with the right error.
func TestTaskTimeouts(t *testing.T) {
	// sleeper models a slow agency: it sleeps on the engine's clock with
	// the context it was given, so the virtual clock can run past it.
	sleeper := func(clock Clock) Handler {
		return func(ctx context.Context, _ json.RawMessage) (json.RawMessage, error) {
			if err := clock.Sleep(ctx, 10*time.Minute); err != nil {
				return nil, err
			}
			return json.RawMessage(`"late"`), nil
		}
	}
	tests := []struct {
		name, fields string
		errName      string
		after        time.Duration
		evType       string
	}{
		{"TimeoutSeconds", `"TimeoutSeconds":30`, ErrTimeout, 30 * time.Second, evLambdaTimedOut},
		{"TimeoutSecondsPath", `"TimeoutSecondsPath":"$.limit"`, ErrTimeout, 45 * time.Second, evLambdaTimedOut},
		{"HeartbeatSeconds without heartbeats", `"TimeoutSeconds":300,"HeartbeatSeconds":20`, ErrHeartbeatTimeout, 20 * time.Second, evLambdaTimedOut},
		{"fast enough", `"TimeoutSeconds":3600`, "", 10 * time.Minute, evLambdaSucceeded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := NewVirtualClock(epoch)
			e := newTestEngine(t, Options{Clock: clock, Handlers: map[string]Handler{"f": sleeper(clock)}})
			arn := mustCreate(t, e, "timeout", `{"StartAt":"T","States":{"T":{`+taskF+`,`+tt.fields+`,"Next":"S",
				"Catch":[{"ErrorEquals":["States.Timeout"],"Next":"S"}]},"S":{"Type":"Succeed"}}}`)
			x := runToEnd(t, e, arn, `{"limit":45}`)
			if x.Status != StatusSucceeded {
				t.Fatalf("status %s %s", x.Status, x.Error)
			}
			h := historyOf(t, e, x.Arn)
			var scheduled, ended HistoryEvent
			for _, ev := range h {
				switch ev.Type {
				case evLambdaScheduled:
					scheduled = ev
				case tt.evType:
					ended = ev
				}
			}
			if ended.Type == "" {
				t.Fatalf("no %s in %v", tt.evType, eventTypes(h))
			}
			if got := ended.Timestamp.Sub(scheduled.Timestamp); got != tt.after {
				t.Errorf("ended after %v, want %v", got, tt.after)
			}
			if tt.errName != "" && !jsonEq(t, x.Output, `{"Error":"`+tt.errName+`","Cause":""}`) {
				t.Errorf("output %s", x.Output)
			}
		})
	}
}

// TestExecutionTimeout: the state machine's TimeoutSeconds ends the
// execution TIMED_OUT.
func TestExecutionTimeout(t *testing.T) {
	e := newTestEngine(t, Options{Clock: NewVirtualClock(epoch)})
	arn := mustCreate(t, e, "slow", `{"TimeoutSeconds":60,"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3600,"End":true}}}`)
	x := runToEnd(t, e, arn, `{}`)
	if x.Status != StatusTimedOut || x.Error != ErrTimeout {
		t.Fatalf("status %s %s", x.Status, x.Error)
	}
	if got := x.StopDate.Sub(x.StartDate); got != time.Minute {
		t.Errorf("timed out after %v, want 1m", got)
	}
	h := historyOf(t, e, x.Arn)
	if last := h[len(h)-1]; last.Type != evExecutionTimedOut {
		t.Errorf("last event %s", last.Type)
	}
}
