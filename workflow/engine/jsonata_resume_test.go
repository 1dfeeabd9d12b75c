package engine

import (
	"context"
	"encoding/json"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// Variables survive a stop and resume: the resumed engine takes them
// from the recorded StateExited events (assignedVariables) instead of
// evaluating Assign again, so a $uuid() assigned before the stop is the
// same after it, in the root and inside a Parallel branch.
func TestJSONataVariablesSurviveResume(t *testing.T) {
	const def = `{"QueryLanguage":"JSONata","StartAt":"A","States":{
		"A":{"Type":"Pass","Assign":{"id":"{% $uuid() %}","n":"{% $states.input.n %}"},"Next":"P"},
		"P":{"Type":"Parallel","Branches":[{"StartAt":"B","States":{"B":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:block",
			"Arguments":{"id":"{% $id %}"},"End":true}}}],"Assign":{"seen":"{% $states.result[0].id %}"},"Next":"C"},
		"C":{"Type":"Pass","Output":{"id":"{% $id %}","seen":"{% $seen %}","n":"{% $n %}"},"End":true}}}`
	path := filepath.Join(t.TempDir(), "engine.db")
	var (
		mu    sync.Mutex
		ids   []string
		first = make(chan struct{})
		once  sync.Once
	)
	handlers := map[string]Handler{
		"block": func(ctx context.Context, in json.RawMessage) (json.RawMessage, error) {
			var v struct{ ID string }
			_ = json.Unmarshal(in, &v)
			mu.Lock()
			ids = append(ids, v.ID)
			n := len(ids)
			mu.Unlock()
			if n == 1 {
				once.Do(func() { close(first) })
				<-ctx.Done() // the engine stops mid-task
				return nil, ctx.Err()
			}
			return in, nil
		},
	}
	e, err := New(context.Background(), Options{DBPath: path, Handlers: handlers})
	if err != nil {
		t.Fatal(err)
	}
	sm := mustCreate(t, e, "vars", def)
	x, err := e.StartExecution(context.Background(), sm, "run-1", `{"n":7}`)
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-first:
	case <-time.After(20 * time.Second):
		t.Fatal("the task never ran")
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}

	e = newTestEngine(t, Options{DBPath: path, Handlers: handlers})
	got := waitEnd(t, e, x.Arn)
	if got.Status != StatusSucceeded {
		t.Fatalf("after restart: %s %s: %s", got.Status, got.Error, got.Cause)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(ids) != 2 || ids[0] != ids[1] || len(ids[0]) != 36 {
		t.Fatalf("the task saw ids %q; want the same uuid before and after the restart", ids)
	}
	want := `{"id":"` + ids[0] + `","seen":"` + ids[0] + `","n":7}`
	if !jsonEq(t, got.Output, want) {
		t.Errorf("output %s, want %s", got.Output, want)
	}
}
