package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"
)

const tokenDef = `{"StartAt":"Review","States":{"Review":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
	"Parameters":{"FunctionName":"enqueue","Payload":{"token.$":"$$.Task.Token","app.$":"$.app"}},%s
	"ResultPath":"$.decision","Next":"Done","Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.error","Next":"Done"}]},
	"Done":{"Type":"Succeed"}}}`

// tokenQueue is a handler that hands each task token to the test.
func tokenQueue() (Handler, chan string) {
	ch := make(chan string, 16)
	return func(_ context.Context, in json.RawMessage) (json.RawMessage, error) {
		var v struct{ Token string }
		if err := json.Unmarshal(in, &v); err != nil || v.Token == "" {
			return nil, errors.New("no token in payload")
		}
		ch <- v.Token
		return json.RawMessage(`{"queued":true}`), nil
	}, ch
}

func apiCode(err error) string {
	var ae *APIError
	if errors.As(err, &ae) {
		return ae.Code
	}
	return ""
}

func recvToken(t *testing.T, ch chan string) string {
	t.Helper()
	select {
	case tok := <-ch:
		return tok
	case <-time.After(10 * time.Second):
		t.Fatal("no task token")
		return ""
	}
}

// TestCallbacks: SendTaskSuccess and SendTaskFailure resume the state;
// finished, unknown and malformed tokens get AWS's errors.
func TestCallbacks(t *testing.T) {
	ctx := context.Background()
	enqueue, tokens := tokenQueue()
	e := newTestEngine(t, Options{Handlers: map[string]Handler{"enqueue": enqueue}})
	arn := mustCreate(t, e, "review", fmt.Sprintf(tokenDef, ""))

	t.Run("success", func(t *testing.T) {
		x, err := e.StartExecution(ctx, arn, "ok", `{"app":"A1"}`)
		if err != nil {
			t.Fatal(err)
		}
		tok := recvToken(t, tokens)
		waitForEvent(t, e, x.Arn, evTaskSubmitted)
		if err := e.SendTaskSuccess(ctx, tok, `{"approved":true}`); err != nil {
			t.Fatalf("SendTaskSuccess: %v", err)
		}
		got := waitEnd(t, e, x.Arn)
		if got.Status != StatusSucceeded || !jsonEq(t, got.Output, `{"app":"A1","decision":{"approved":true}}`) {
			t.Fatalf("%s %s", got.Status, got.Output)
		}
		types := eventTypes(historyOf(t, e, x.Arn))
		for _, want := range []string{evTaskScheduled, evTaskStarted, evTaskSubmitted, evTaskSucceeded} {
			if !contains(types, want) {
				t.Errorf("history lacks %s: %v", want, types)
			}
		}
		if err := e.SendTaskSuccess(ctx, tok, `{}`); apiCode(err) != "TaskTimedOut" {
			t.Errorf("second SendTaskSuccess: %v, want TaskTimedOut", err)
		}
		if err := e.SendTaskHeartbeat(ctx, tok); apiCode(err) != "TaskTimedOut" {
			t.Errorf("heartbeat after close: %v, want TaskTimedOut", err)
		}
	})
	t.Run("failure", func(t *testing.T) {
		x, _ := e.StartExecution(ctx, arn, "rejected", `{"app":"A2"}`)
		tok := recvToken(t, tokens)
		if err := e.SendTaskFailure(ctx, tok, "Clerk.Rejected", "name not allowed"); err != nil {
			t.Fatal(err)
		}
		got := waitEnd(t, e, x.Arn)
		if !jsonEq(t, got.Output, `{"app":"A2","error":{"Error":"Clerk.Rejected","Cause":"name not allowed"}}`) {
			t.Fatalf("output %s", got.Output)
		}
	})
	t.Run("bad tokens and outputs", func(t *testing.T) {
		x, _ := e.StartExecution(ctx, arn, "pending", `{"app":"A3"}`)
		tok := recvToken(t, tokens)
		cases := []struct {
			name, token, output, code string
		}{
			{"malformed", "not-a-token", "{}", "InvalidToken"},
			{"well-formed but unknown", newToken(x.Arn), "{}", "TaskDoesNotExist"},
			{"unknown execution", newToken(executionArn("review", "nope")), "{}", "TaskDoesNotExist"},
			{"output not JSON", tok, "{nope", "InvalidOutput"},
		}
		for _, c := range cases {
			if err := e.SendTaskSuccess(ctx, c.token, c.output); apiCode(err) != c.code {
				t.Errorf("%s: %v, want %s", c.name, err, c.code)
			}
		}
		if err := e.SendTaskHeartbeat(ctx, "x.y"); apiCode(err) != "InvalidToken" {
			t.Errorf("heartbeat with malformed token: %v", err)
		}
		if _, err := e.StopExecution(ctx, x.Arn, "Ops.Stop", "test over"); err != nil {
			t.Fatal(err)
		}
		if got := waitEnd(t, e, x.Arn); got.Status != StatusAborted || got.Error != "Ops.Stop" {
			t.Errorf("stopped: %s %s", got.Status, got.Error)
		}
		if err := e.SendTaskSuccess(ctx, tok, "{}"); apiCode(err) != "TaskTimedOut" {
			t.Errorf("token of stopped execution: %v, want TaskTimedOut", err)
		}
	})
}

// TestCallbackFromInsideHandler: a handler may complete its own token
// before it returns.
func TestCallbackFromInsideHandler(t *testing.T) {
	var e *Engine
	h := func(ctx context.Context, in json.RawMessage) (json.RawMessage, error) {
		var v struct{ Token string }
		_ = json.Unmarshal(in, &v)
		return json.RawMessage(`{}`), e.SendTaskSuccess(ctx, v.Token, `"immediate"`)
	}
	e = newTestEngine(t, Options{Handlers: map[string]Handler{"enqueue": h}})
	arn := mustCreate(t, e, "self", fmt.Sprintf(tokenDef, ""))
	x := runToEnd(t, e, arn, `{"app":"A"}`)
	if x.Status != StatusSucceeded || !jsonEq(t, x.Output, `{"app":"A","decision":"immediate"}`) {
		t.Fatalf("%s %s %s", x.Status, x.Output, x.Cause)
	}
}

// TestHeartbeats: each SendTaskHeartbeat restarts HeartbeatSeconds; when
// they stop, the task fails with States.HeartbeatTimeout exactly
// HeartbeatSeconds after the last one.
func TestHeartbeats(t *testing.T) {
	ctx := context.Background()
	clock := NewVirtualClock(epoch)
	enqueue, tokens := tokenQueue()
	e := newTestEngine(t, Options{Clock: clock, Handlers: map[string]Handler{"enqueue": enqueue}})
	arn := mustCreate(t, e, "hb", fmt.Sprintf(tokenDef, `"HeartbeatSeconds":60,"TimeoutSeconds":3600,`))

	// The test is in-flight work too: it holds the clock, so virtual time
	// only moves while it sleeps.
	tctx, release := WithHold(ctx, clock)
	defer release()
	x, err := e.StartExecution(tctx, arn, "hb", `{"app":"A"}`)
	if err != nil {
		t.Fatal(err)
	}
	tok := recvToken(t, tokens)
	for i := 0; i < 5; i++ {
		if err := clock.Sleep(tctx, 50*time.Second); err != nil {
			t.Fatal(err)
		}
		if err := e.SendTaskHeartbeat(tctx, tok); err != nil {
			t.Fatalf("heartbeat %d: %v", i, err)
		}
	}
	lastBeat := clock.Now()
	release()
	got := waitEnd(t, e, x.Arn)
	if !jsonEq(t, got.Output, `{"app":"A","error":{"Error":"States.HeartbeatTimeout","Cause":""}}`) {
		t.Fatalf("output %s", got.Output)
	}
	var timedOut HistoryEvent
	for _, ev := range historyOf(t, e, x.Arn) {
		if ev.Type == evTaskTimedOut {
			timedOut = ev
		}
	}
	if d := timedOut.Timestamp.Sub(lastBeat); d != time.Minute {
		t.Errorf("timed out %v after the last heartbeat, want 1m", d)
	}
	if d := timedOut.Timestamp.Sub(epoch); d != 5*50*time.Second+time.Minute {
		t.Errorf("timed out at +%v", d)
	}
}

// waitForEvent polls the history (with a deadline) until an event of typ
// appears.
func waitForEvent(t *testing.T, e *Engine, arn, typ string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !contains(eventTypes(historyOf(t, e, arn)), typ) {
		if time.Now().After(deadline) {
			t.Fatalf("no %s event", typ)
		}
		time.Sleep(time.Millisecond) // polling interval
	}
}
