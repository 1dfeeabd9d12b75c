package onestop_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/kaiban/kaiban/shared/delivery"
	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/onestop"
	"github.com/kaiban/kaiban/shared/storetest"
	"github.com/kaiban/kaiban/shared/validate"
)

// now is the fixed time of these tests: the example form's bank
// appointment date is valid relative to it.
var now = time.Date(2026, 11, 27, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))

// workflow is a fake Workflow: it records starts and deliveries, answers
// a token it has taken before with delivery.ErrTaskGone, and fails with
// err while it is set.
type workflow struct {
	mu     sync.Mutex
	starts []string
	taken  map[string]onestop.ClerkDecision
	err    error
}

var _ onestop.Workflow = (*workflow)(nil)

func (w *workflow) StartExecution(_ context.Context, id string) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err != nil {
		return w.err
	}
	w.starts = append(w.starts, id)
	return nil
}

func (w *workflow) SendTaskSuccess(_ context.Context, token string, output json.RawMessage) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err != nil {
		return w.err
	}
	if _, ok := w.taken[token]; ok {
		return fmt.Errorf("TaskDoesNotExist: %w", delivery.ErrTaskGone)
	}
	var d onestop.ClerkDecision
	if err := json.Unmarshal(output, &d); err != nil {
		return err
	}
	w.taken[token] = d
	return nil
}

type env struct {
	store *storetest.MemStore
	wf    *workflow
	svc   *onestop.Service
	clock time.Time
}

func newEnv(t *testing.T) *env {
	t.Helper()
	e := &env{store: storetest.NewMemStore(), wf: &workflow{taken: map[string]onestop.ClerkDecision{}}, clock: now}
	deps := onestop.Deps{Store: e.store, Validator: validate.New(), Workflow: e.wf,
		Clock: func() time.Time { return e.clock }, TokenSecret: []byte("test secret that is long enough for hkdf")}
	if err := deps.Check(); err != nil {
		t.Fatal(err)
	}
	e.svc = onestop.New(deps)
	t.Cleanup(func() { _ = e.store.Close() })
	return e
}

func form(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile("../../infra/examples/valid-llc.json")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestSubmitStoresAuditsAndStarts(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	out, err := e.svc.Submit(ctx, onestop.SubmitRequest{Body: form(t), IdempotencyKey: "k-1"})
	if err != nil {
		t.Fatal(err)
	}
	if out.Status != kaiban.AppSubmitted || out.AccessToken == "" || out.Replayed || len(e.wf.starts) != 1 || e.wf.starts[0] != out.ID {
		t.Fatalf("submitted %+v, starts %v", out, e.wf.starts)
	}
	if err := e.store.CheckAccessToken(ctx, out.ID, out.AccessToken); err != nil {
		t.Errorf("the answered token does not open the application: %v", err)
	}
	app, err := e.store.GetApplication(ctx, out.ID)
	if err != nil {
		t.Fatal(err)
	}
	if ver, err := kaiban.VerifyApplication(ctx, e.store, app); err != nil || !ver.Intact() {
		t.Errorf("audit trail of a submission: %+v %v", ver, err)
	}
	again, err := e.svc.Submit(ctx, onestop.SubmitRequest{Body: form(t), IdempotencyKey: "k-1"})
	if err != nil || again.ID != out.ID || again.AccessToken != out.AccessToken || !again.Replayed {
		t.Errorf("replay: %+v %v, want the first answer", again, err)
	}
	st, err := e.svc.Status(ctx, out.ID, out.AccessToken, validate.LangEN)
	if err != nil || st.ID != out.ID || len(st.Tracks) != len(kaiban.Tracks) {
		t.Errorf("status: %+v %v", st, err)
	}
	if _, err := e.svc.Status(ctx, out.ID, "wrong", validate.LangEN); !kaiban.IsName(err, kaiban.ErrNotFound) {
		t.Errorf("status with a wrong token: %v, want %s", err, kaiban.ErrNotFound)
	}
}

// A workflow that cannot be reached does not refuse a submission: it is
// stored SUBMITTED, which the reconciler starts later.
func TestSubmitWithTheWorkflowDownIsAccepted(t *testing.T) {
	e := newEnv(t)
	e.wf.err = errors.New("connection refused")
	out, err := e.svc.Submit(t.Context(), onestop.SubmitRequest{Body: form(t)})
	if err != nil || out.Status != kaiban.AppSubmitted {
		t.Fatalf("%+v %v", out, err)
	}
}

func TestSubmitRefusesBadInput(t *testing.T) {
	e := newEnv(t)
	for name, q := range map[string]onestop.SubmitRequest{
		"bad key":  {Body: form(t), IdempotencyKey: "é"},
		"bad form": {Body: []byte(`{"company":{}}`)},
	} {
		if _, err := e.svc.Submit(t.Context(), q); kaiban.HTTPStatus(err) != 400 {
			t.Errorf("%s: %v, want a 400 error", name, err)
		}
	}
	if len(e.wf.starts) != 0 {
		t.Errorf("refused submissions started %v", e.wf.starts)
	}
}

// Resolve records the decision and delivers it; when delivery fails the
// decision stands and Redeliver hands it over once.
func TestResolveDeliversOrLeavesItForRedelivery(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	sub, err := e.svc.Submit(ctx, onestop.SubmitRequest{Body: form(t)})
	if err != nil {
		t.Fatal(err)
	}
	alice := onestop.ClerkIdentity{Sub: "alice", Username: "Alice"}
	for i, down := range []bool{false, true} {
		id, token := fmt.Sprintf("task-%d", i), fmt.Sprintf("tok-%d", i)
		if _, err := e.store.CreateClerkTask(ctx, kaiban.ClerkTask{ID: id, ApplicationID: sub.ID, Track: string(kaiban.TrackSeal),
			Kind: kaiban.TaskTrackException, Reason: "r", TaskToken: token, Deadline: sub.Deadline, CreatedAt: now}); err != nil {
			t.Fatal(err)
		}
		if v, err := e.svc.Claim(ctx, id, alice, validate.LangZH); err != nil || v.ClaimedBy != "alice" {
			t.Fatalf("claim: %+v %v", v, err)
		}
		if down {
			e.wf.err = errors.New("engine restarting")
		}
		v, err := e.svc.Resolve(ctx, id, alice, onestop.Resolution{Decision: kaiban.DecisionRetry, Note: "身份证 110101199003071234"}, validate.LangZH)
		if err != nil || v.Status != kaiban.TaskResolved || (v.DeliveredAt == nil) != down {
			t.Fatalf("resolve (workflow down: %v): %+v %v", down, v, err)
		}
		if _, err := e.svc.Resolve(ctx, id, alice, onestop.Resolution{Decision: kaiban.DecisionRetry}, validate.LangZH); !kaiban.IsName(err, kaiban.ErrTaskResolved) {
			t.Errorf("second decision: %v, want %s", err, kaiban.ErrTaskResolved)
		}
	}
	if d := e.wf.taken["tok-0"]; d.Decision != kaiban.DecisionRetry || d.Clerk.Username != "Alice" || d.Note == "" || d.Note == "身份证 110101199003071234" {
		t.Errorf("delivered %+v: want the decision, the clerk and the note masked", d)
	}
	e.wf.err = nil
	e.clock = now.Add(delivery.Grace)
	if rep, err := e.svc.Redeliver(ctx); err != nil || rep != (delivery.Report{Delivered: 1}) {
		t.Fatalf("redeliver: %+v %v", rep, err)
	}
	if rep, err := e.svc.Redeliver(ctx); err != nil || rep != (delivery.Report{}) {
		t.Errorf("second redeliver: %+v %v, want nothing owed", rep, err)
	}
	if _, ok := e.wf.taken["tok-1"]; !ok {
		t.Error("the deferred decision never reached the workflow")
	}
}

func TestClerkApplicationRecordsTheViewing(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	sub, err := e.svc.Submit(ctx, onestop.SubmitRequest{Body: form(t)})
	if err != nil {
		t.Fatal(err)
	}
	v, err := e.svc.ClerkApplication(ctx, sub.ID, onestop.ClerkIdentity{Sub: "bob"}, validate.LangEN)
	if err != nil || !v.AuditCheck.Intact || v.Application.ID != sub.ID {
		t.Fatalf("%+v %v", v.AuditCheck, err)
	}
	last := v.Audit[len(v.Audit)-1]
	if last.Action != "application.viewed" || last.Actor != (onestop.ClerkIdentity{Sub: "bob"}).Actor() {
		t.Errorf("last event %s by %s, want the viewing by bob", last.Action, last.Actor)
	}
	if _, err := e.svc.ClerkApplication(ctx, "not-an-id", onestop.ClerkIdentity{Sub: "bob"}, validate.LangEN); !kaiban.IsName(err, kaiban.ErrNotFound) {
		t.Errorf("malformed ID: %v", err)
	}
}

func TestListTasksRefusesABadQuery(t *testing.T) {
	e := newEnv(t)
	_, err := e.svc.ListTasks(t.Context(), onestop.TaskQuery{Status: "DONE", Limit: "", HasLimit: true}, validate.LangEN)
	var ke *kaiban.Error
	if !errors.As(err, &ke) || len(ke.Fields) != 2 || ke.Fields[0].Field != "status" || ke.Fields[1].Field != "limit" {
		t.Fatalf("%v, want status and limit refused", err)
	}
}
