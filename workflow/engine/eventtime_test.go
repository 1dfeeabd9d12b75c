package engine

import (
	"context"
	"testing"
	"time"
)

// TestEventTimesFollowTheWallClock: on the real clock, every event of a
// sequential execution is stamped between the wall-clock readings taken
// around it, in history order.
func TestEventTimesFollowTheWallClock(t *testing.T) {
	e := newTestEngine(t, Options{})
	arn := mustCreate(t, e, "times", `{"StartAt":"A","States":{
		"A":{"Type":"Pass","Next":"B"},
		"B":{"Type":"Pass","Next":"C"},
		"C":{"Type":"Pass","End":true}}}`)
	for range 3 {
		before := time.Now()
		x, err := e.RunExecution(context.Background(), arn, "", `{}`)
		after := time.Now()
		if err != nil || x.Status != StatusSucceeded {
			t.Fatalf("RunExecution: %+v, %v", x, err)
		}
		h, err := e.GetExecutionHistory(context.Background(), x.Arn)
		if err != nil {
			t.Fatal(err)
		}
		if len(h) < 8 {
			t.Fatalf("%d events, want at least 8", len(h))
		}
		var prev time.Time
		for _, ev := range h {
			ts := ev.Timestamp
			if ts.Before(before.Truncate(time.Millisecond)) || ts.After(after) {
				t.Fatalf("event %d (%s) at %s, outside [%s, %s]", ev.ID, ev.Type, ts.Format(time.RFC3339Nano), before.Format(time.RFC3339Nano), after.Format(time.RFC3339Nano))
			}
			if ts.Before(prev) {
				t.Fatalf("event %d (%s) at %s, before the previous event at %s", ev.ID, ev.Type, ts.Format(time.RFC3339Nano), prev.Format(time.RFC3339Nano))
			}
			prev = ts
		}
	}
}
