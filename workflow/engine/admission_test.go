package engine

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"
)

// heldAdmitter admits an execution when the test sends on release.
type heldAdmitter struct {
	asked   chan struct{}
	release chan struct{}
}

func newHeldAdmitter() *heldAdmitter {
	return &heldAdmitter{asked: make(chan struct{}, 16), release: make(chan struct{})}
}

func (a *heldAdmitter) Admit(ctx context.Context) error {
	a.asked <- struct{}{}
	select {
	case <-a.release:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

const admissionDef = `{"StartAt":"Work","States":{"Work":{"Type":"Task","Resource":"arn:aws:lambda:cn-north-1:123456789012:function:work","End":true}}}`

func TestAdmissionDefersTheFirstStateNotTheStart(t *testing.T) {
	adm := newHeldAdmitter()
	ran := make(chan struct{}, 1)
	e := newTestEngine(t, Options{
		DBPath:    filepath.Join(t.TempDir(), "engine.db"),
		Admission: adm,
		Handlers: map[string]Handler{"work": func(context.Context, json.RawMessage) (json.RawMessage, error) {
			ran <- struct{}{}
			return json.RawMessage(`{"done":true}`), nil
		}},
	})
	sm := mustCreate(t, e, "adm", admissionDef)
	x, err := e.StartExecution(context.Background(), sm, "queued", `{}`)
	if err != nil {
		t.Fatalf("StartExecution while admission is held: %v", err)
	}
	if x.Status != StatusRunning {
		t.Fatalf("a queued execution reads %s, want %s", x.Status, StatusRunning)
	}
	<-adm.asked
	select {
	case <-ran:
		t.Fatal("the first state ran before the execution was admitted")
	default:
	}
	close(adm.release)
	if got := waitEnd(t, e, x.Arn); got.Status != StatusSucceeded {
		t.Fatalf("after admission: %s, want %s", got.Status, StatusSucceeded)
	}
}

func TestQueuedExecutionsSurviveARestartAndAreAdmittedAgain(t *testing.T) {
	db := filepath.Join(t.TempDir(), "engine.db")
	work := map[string]Handler{"work": constHandler(`{"done":true}`)}
	first := newHeldAdmitter()
	e1, err := New(context.Background(), Options{DBPath: db, Admission: first, Handlers: work})
	if err != nil {
		t.Fatal(err)
	}
	sm := mustCreate(t, e1, "adm", admissionDef)
	x, err := e1.StartExecution(context.Background(), sm, "queued", `{}`)
	if err != nil {
		t.Fatal(err)
	}
	<-first.asked
	if err := e1.Close(); err != nil { // never admitted: still RUNNING on disk
		t.Fatal(err)
	}

	second := newHeldAdmitter()
	e2 := newTestEngine(t, Options{DBPath: db, Admission: second, Handlers: work})
	select {
	case <-second.asked:
	case <-time.After(10 * time.Second):
		t.Fatal("the resumed execution did not ask to be admitted")
	}
	close(second.release)
	if got := waitEnd(t, e2, x.Arn); got.Status != StatusSucceeded {
		t.Fatalf("resumed execution: %s, want %s", got.Status, StatusSucceeded)
	}
}

func TestStopExecutionEndsAQueuedExecution(t *testing.T) {
	adm := newHeldAdmitter()
	e := newTestEngine(t, Options{Admission: adm, Handlers: map[string]Handler{"work": constHandler(`{}`)}})
	sm := mustCreate(t, e, "adm", admissionDef)
	x, err := e.StartExecution(context.Background(), sm, "queued", `{}`)
	if err != nil {
		t.Fatal(err)
	}
	<-adm.asked
	if _, err := e.StopExecution(context.Background(), x.Arn, "Operator", "not needed"); err != nil {
		t.Fatalf("StopExecution: %v", err)
	}
	if got := waitEnd(t, e, x.Arn); got.Status != StatusAborted {
		t.Fatalf("stopped while queued: %s, want %s", got.Status, StatusAborted)
	}
}

// saturatedAdmitter admits at once and reports saturation as told.
type saturatedAdmitter struct{ saturated atomic.Bool }

func (*saturatedAdmitter) Admit(context.Context) error { return nil }
func (a *saturatedAdmitter) Saturated() bool           { return a.saturated.Load() }

// An Admitter that reports saturation holds the journal's checkpoints
// back: the journal's file is not written while it does.
func TestSaturatedAdmitterDefersJournalCheckpoints(t *testing.T) {
	adm := &saturatedAdmitter{}
	adm.saturated.Store(true)
	db := filepath.Join(t.TempDir(), "engine.db")
	e := newTestEngine(t, Options{DBPath: db, Admission: adm, Handlers: map[string]Handler{"work": constHandler(`{"done":true}`)}})
	size := func() int64 {
		fi, err := os.Stat(db)
		if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}
	sm := mustCreate(t, e, "sat", admissionDef)
	before := size()
	for range 20 {
		runToEnd(t, e, sm, `{}`)
	}
	time.Sleep(time.Second) // four checkpoint ticks
	if n := size(); n != before {
		t.Fatalf("engine.db went from %d to %d bytes while saturated: a checkpoint ran", before, n)
	}
	adm.saturated.Store(false)
	deadline := time.Now().Add(10 * time.Second)
	for size() <= before {
		if time.Now().After(deadline) {
			t.Fatal("no checkpoint within 10 s after saturation ended")
		}
		time.Sleep(20 * time.Millisecond)
	}
}
